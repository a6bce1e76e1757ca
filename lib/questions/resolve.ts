import { notBoolean, parseBoolean } from '../booleans.js';
import type { AnswerValue, Answers, Question, Table } from './table.js';

/**
 * Turns a raw value (flag string, boolean from yo, JSON value from an answers file,
 * typed prompt answer) into the question's type. Returns an argument error message
 * when the value cannot be of that type.
 */
export function coerce(q: Question, raw: unknown): { value: AnswerValue } | { error: string } {
  switch (q.type) {
    case 'boolean': {
      const value = parseBoolean(raw);
      return value === undefined ? { error: notBoolean(q.name, raw) } : { value };
    }
    case 'list': {
      const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
      if (!items || items.some((i) => typeof i !== 'string')) {
        return { error: `--${q.name} expects a comma-separated list, got ${JSON.stringify(raw)}` };
      }
      const clean = items.map((i: string) => i.trim()).filter((i: string) => i !== '');
      return { value: [...new Set(clean)] };
    }
    default:
      if (typeof raw === 'number') return { value: String(raw) };
      if (typeof raw !== 'string') return { error: `--${q.name} expects a text value, got ${JSON.stringify(raw)}` };
      return { value: raw.trim() };
  }
}

/** Semantic check of a coerced value; same function for flags, files and prompts. */
export function check(q: Question, value: AnswerValue): string | undefined {
  return q.validate ? q.validate(value as never) : undefined;
}

export interface Collected {
  answers: Answers;
  /** Wrong type / unknown key: argument errors (exit 2). */
  argErrors: string[];
  /** Values of the right type that fail validation (exit 1). */
  invalid: string[];
  /** Questions with no value and no default. */
  missing: Question[];
}

export interface Sources {
  /** Values from flags (already split from the command line); undefined = not given. */
  flags: Record<string, unknown>;
  /** Values from an --answers file. */
  file?: Record<string, unknown> | undefined;
  /** Take defaults for everything not given. */
  useDefaults: boolean;
}

/** Merges flags > answers file > defaults (when useDefaults), validating each value. */
export function collect(table: Table, src: Sources): Collected {
  const out: Collected = { answers: {}, argErrors: [], invalid: [], missing: [] };
  const known = new Set(table.map((q) => q.name));
  for (const key of Object.keys(src.file ?? {})) {
    if (!known.has(key)) {
      out.argErrors.push(`answers file: unknown answer "${key}" (known: ${[...known].join(', ')})`);
    }
  }
  for (const q of table) {
    const given = src.flags[q.name] !== undefined ? src.flags[q.name] : src.file?.[q.name];
    if (given === undefined) {
      if (src.useDefaults && q.default !== undefined) out.answers[q.name] = cloneDefault(q.default);
      else if (q.default === undefined) out.missing.push(q);
      continue;
    }
    const c = coerce(q, given);
    if ('error' in c) {
      out.argErrors.push(c.error);
      continue;
    }
    const problem = check(q, c.value);
    if (problem) out.invalid.push(`${q.name}: ${problem}`);
    else out.answers[q.name] = c.value;
  }
  return out;
}

/** Questions still to ask (no answer yet). */
export function unanswered(table: Table, answers: Answers): Question[] {
  return table.filter((q) => answers[q.name] === undefined);
}

/** Fills defaults for non-required questions that were not answered. */
export function withDefaults(table: Table, answers: Answers): Answers {
  const out = { ...answers };
  for (const q of table) {
    if (out[q.name] === undefined && q.default !== undefined) out[q.name] = cloneDefault(q.default);
  }
  return out;
}

function cloneDefault(d: string | boolean | readonly string[]): AnswerValue {
  return Array.isArray(d) ? [...d] : (d as string | boolean);
}

/** The one-line command that gives every answer as flags, for non-interactive use. */
export function commandLine(prefix: string, table: Table, answers: Answers): string {
  const parts = [prefix];
  for (const q of table) {
    const v = answers[q.name];
    if (q.type === 'boolean') {
      if (v !== undefined) parts.push(v ? `--${q.name}` : `--no-${q.name}`);
      continue;
    }
    const text = Array.isArray(v) ? v.join(',') : (v as string | undefined);
    parts.push(`--${q.name} ${shellQuote(text ?? q.placeholder ?? `<${q.name}>`)}`);
  }
  return parts.join(' ');
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:@,+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
