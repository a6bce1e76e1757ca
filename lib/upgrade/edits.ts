/**
 * The in-place edits of the migrations, as pure text functions that change one line
 * and keep every other byte (line endings included).
 */
import { ignoresRootFile } from '../validate/gitignore.js';

/** Lines with their own terminator, so joining them gives the text back unchanged. */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function assigns(name: string): RegExp {
  // `NAME=`, `export NAME=`, and the commented-out `# NAME=` of an optional variable.
  return new RegExp(`^(\\s*(?:#\\s*)?(?:export\\s+)?)${name}(\\s*=)`);
}

export type RenameResult =
  | { status: 'renamed'; text: string }
  | { status: 'absent' }
  /** both names are assigned: renaming would duplicate the new one. */
  | { status: 'both' };

/** Rename the variable assigned on one line of a `.env`-style text. */
export function renameEnvVar(text: string, from: string, to: string): RenameResult {
  const all = lines(text);
  const at = all.findIndex((l) => assigns(from).test(l));
  if (at < 0) return { status: 'absent' };
  if (all.some((l) => assigns(to).test(l))) return { status: 'both' };
  all[at] = all[at]!.replace(assigns(from), `$1${to}$2`);
  return { status: 'renamed', text: all.join('') };
}

/** `.gitignore` text with `.env` added on a line of its own, or undefined when `.env` is already ignored. */
export function ignoreDotEnv(gitignore: string): string | undefined {
  if (ignoresRootFile(gitignore, '.env')) return undefined;
  const eol = gitignore.includes('\r\n') ? '\r\n' : '\n';
  const sep = gitignore === '' || gitignore.endsWith('\n') ? '' : eol;
  return `${gitignore}${sep}.env${eol}`;
}
