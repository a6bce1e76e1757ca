import path from 'node:path';

/** A path as one POSIX shell word: as is when plain, else in single quotes (nothing expands). */
export function shellWord(p: string): string {
  return /^[A-Za-z0-9_./~@+-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

/**
 * How to name `dir` in a next step typed from `cwd`: relative when it is inside `cwd`
 * (`puruto-notes`), absolute otherwise (never `../../tmp/x`), `.` for `cwd` itself.
 */
export function shownPath(cwd: string, dir: string): string {
  const rel = path.relative(cwd, dir);
  return shellWord(rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? dir : rel);
}
