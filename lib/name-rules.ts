/** The folder-name rules of a Puruto repo name (lib/names.ts adds what the kinds own). */
export const NAME_MAX = 64;
const NAME_RE = /^[a-z0-9][a-z0-9-]*$/;

/**
 * What is wrong with a Puruto repo name as a folder name (SPEC §2–3), or undefined: the
 * rules alone, without the kinds (the kinds' question tables use it, and the kind
 * registry loads those tables). Pure.
 */
export function nameSyntaxError(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') {
    return 'the name is empty: give a repo name such as puruto-notes';
  }
  const name = raw;
  if (/\s/.test(name)) return `"${name}" contains spaces: use hyphens, e.g. ${suggest(name)}`;
  if (name.includes('/') || name.includes('\\')) {
    return `"${name}" contains a path separator: give a plain folder name (use --destination to choose where it goes)`;
  }
  if (name.includes('..')) return `"${name}" contains "..": give a plain folder name`;
  if (name.startsWith('.')) return `"${name}" starts with a dot: hidden folders cannot be Purutos`;
  if (name.startsWith('-')) return `"${name}" starts with a hyphen: start with a letter or digit`;
  if (name.length > NAME_MAX) return `"${name}" is ${name.length} characters long: the limit is ${NAME_MAX}`;
  if (!NAME_RE.test(name)) {
    return `"${name}" may only contain lowercase letters, digits and hyphens, e.g. ${suggest(name)}`;
  }
  if (name.endsWith('-')) return `"${name}" ends with a hyphen: end with a letter or digit`;
  if (name.includes('--')) return `"${name}" has consecutive hyphens: use single hyphens`;
  return undefined;
}

function suggest(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, NAME_MAX);
  return s === '' ? 'puruto-notes' : s.startsWith('puruto-') ? s : `puruto-${s}`;
}
