/**
 * Merges into shared files (README.md, .env.example, .gitignore) without clobbering:
 * each helper only adds what is absent and returns the text unchanged otherwise.
 */

/** Appends a Markdown section unless a line equal to its heading already exists. */
export function appendSection(text: string, heading: string, body: string): string {
  if (text.split(/\r?\n/).some((l) => l.trim() === heading.trim())) return text;
  return `${ensureTrailingNewline(text)}\n${heading}\n${body.replace(/\s+$/, '')}\n`;
}

/** Appends a block to an env file unless every variable it declares is already there. */
export function appendEnvBlock(text: string, block: string): string {
  const declared = (t: string) =>
    new Set(
      t
        .split(/\r?\n/)
        .map((l) => /^\s*#?\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)\s*=/.exec(l)?.[1])
        .filter((k): k is string => Boolean(k)),
    );
  const have = declared(text);
  // Paragraph by paragraph: one whose variables are all declared already is left out, so
  // a block that gained a variable adds just that paragraph (and its comment-only notes).
  const paragraphs = block.replace(/\s+$/, '').split(/\r?\n\s*\r?\n/);
  const missing = paragraphs.filter((p) => {
    const vars = [...declared(p)];
    return vars.length > 0 && !vars.every((k) => have.has(k));
  });
  if (missing.length === 0) return text;
  const keep = paragraphs.filter((p) => missing.includes(p) || declared(p).size === 0);
  return `${ensureTrailingNewline(text)}\n${keep.join('\n\n')}\n`;
}

/** Adds gitignore lines that are not present yet. */
export function appendLines(text: string, lines: readonly string[]): string {
  const have = new Set(text.split(/\r?\n/).map((l) => l.trim()));
  const missing = lines.filter((l) => !have.has(l.trim()));
  if (missing.length === 0) return text;
  return `${ensureTrailingNewline(text)}${missing.join('\n')}\n`;
}

function ensureTrailingNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
