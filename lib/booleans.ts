/**
 * Boolean flag values. The original CLI took `true`/`false` strings in any case;
 * flags may also arrive as real booleans (yo, --no-x, answers files).
 * Returns undefined for a value that is not a boolean.
 */
export function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '') return true; // a bare `--flag` arrives as ''
  if (v === 'false') return false;
  return undefined;
}

/** The argument error of a value that is not a boolean (flags, yo, answers files alike). */
export function notBoolean(name: string, raw: unknown): string {
  return `--${name} expects true or false (any case), got ${JSON.stringify(raw)}`;
}
