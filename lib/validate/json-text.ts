/**
 * JSON text of a repo file, parsed with a bound on nesting. JSON.parse copes with deep
 * input, but the checks that walk the result (schemas, messages) recurse: a file nested
 * 20,000 levels deep must be a finding, not a stack overflow. No Puruto file needs more
 * than a handful of levels.
 */
export const MAX_JSON_DEPTH = 64;

/** Deepest nesting of `[`/`{` in JSON text (strings skipped); stops counting past `limit`. */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped char
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

export type JsonParse = { ok: true; data: unknown } | { ok: false; problem: string };

/** Parse `text`, refusing nesting deeper than MAX_JSON_DEPTH; `problem` reads "is not valid JSON (...)". */
export function parseJsonText(text: string): JsonParse {
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    return { ok: false, problem: `is nested more than ${MAX_JSON_DEPTH} levels deep, far beyond any Puruto file` };
  try {
    return { ok: true, data: JSON.parse(text) };
  } catch (error) {
    return { ok: false, problem: `is not valid JSON (${(error as Error).message})` };
  }
}
