/**
 * The one guard of every writer of this package (generation, re-runs, add-ons, update,
 * upgrade): a path inside a repo is written only when none of its existing components is
 * a symbolic link leading out of the repo, or one that does not resolve (dangling, a
 * loop: where a write through it lands is not known). Links inside the repo are fine.
 * Writers check every path they are about to write before writing any, so a refusal
 * leaves the repo and the outside as they were. Never prints, never throws.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface EscapingLink {
  /** The path that would have been written (relative posix). */
  rel: string;
  /** The component of it that is the link (relative posix). */
  link: string;
  /** Where the link leads (its real path), or its text when it does not resolve. */
  to: string;
  dangling: boolean;
}

function realOrResolved(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

function inside(realRoot: string, real: string): boolean {
  const rel = path.relative(realRoot, real);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The first existing component of `rel` under `root` (itself included) that is a link out
 * of the repo or a link that does not resolve; undefined when a write to `rel` stays inside.
 */
export function escapingLink(root: string, rel: string, realRoot = realOrResolved(root)): EscapingLink | undefined {
  const parts = rel.split('/').filter((p) => p !== '' && p !== '.');
  for (let i = 1; i <= parts.length; i++) {
    const sub = parts.slice(0, i).join('/');
    const abs = path.join(root, ...parts.slice(0, i));
    let st: fs.Stats;
    try {
      st = fs.lstatSync(abs);
    } catch {
      return undefined; // the rest does not exist yet: it is created inside
    }
    if (!st.isSymbolicLink()) continue;
    let real: string;
    try {
      real = fs.realpathSync.native(abs);
    } catch {
      let to = '?';
      try {
        to = fs.readlinkSync(abs);
      } catch {
        // keep '?'
      }
      return { rel, link: sub, to, dangling: true };
    }
    if (!inside(realRoot, real)) return { rel, link: sub, to: real, dangling: false };
  }
  return undefined;
}

/** The first of `rels` a write would reach out of the repo through, if any. */
export function firstEscape(root: string, rels: Iterable<string>): EscapingLink | undefined {
  const realRoot = realOrResolved(root);
  for (const rel of rels) {
    const e = escapingLink(root, rel, realRoot);
    if (e) return e;
  }
  return undefined;
}

/** The refusal (made before any write): which path, which link, where it leads, what to do; `command` runs again. */
export function escapeMessage(e: EscapingLink, command: string): string {
  const where = e.dangling
    ? `${e.link} is a symbolic link to ${e.to} that does not resolve (dangling or a loop), so a write there could ` +
      'land outside the repo'
    : `${e.link} is a symbolic link to ${e.to}, outside the repo`;
  return (
    `cannot write ${e.rel}: ${where}, and puruto never writes outside a repo. Nothing was written: replace the ` +
    `link with a real folder or file inside the repo (or remove it), then run ${command} again`
  );
}
