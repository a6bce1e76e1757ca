/**
 * A new repo is generated into a temporary sibling folder and renamed into place at the
 * end, so a failure (disk full, out of inodes, a crash) leaves nothing at the
 * destination and a retry is not refused as "not empty". Layout:
 *
 *   <parent>/.<name>.puruto-new-XXXXXX/<name>   ← written here (same file system)
 *   <parent>/<name>                             ← one rename(2) at the end
 *
 * The inner folder keeps the repo's own name, so anything that looks at the folder name
 * (kind detection) sees the real one. Parents that did not exist are created one level
 * at a time (never `mkdir -p`, which loops forever on /proc) and removed again on
 * failure. Open stagings are removed at process exit, so even an abort cleans up.
 * Never prints; problems come back as values.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The temporary segment of a staged path as Yeoman logs it (`.<name>.puruto-new-XXXXXX/`). */
export const STAGING_SEGMENT = /\.[^/\\\s]+\.puruto-new-[A-Za-z0-9]{6}[/\\]/g;

export interface Staging {
  /** The folder to generate into. */
  dir: string;
  /** Where the repo ends up. */
  final: string;
  /** The temporary sibling holding `dir`. */
  holder: string;
  /** Parents of `final` created for it, outermost first (removed on failure when empty). */
  createdParents: string[];
}

export type StagingResult = { ok: true; staging: Staging } | { ok: false; message: string };

const open = new Set<Staging>();
let exitHook = false;

function errCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}

/** The nearest folder at or above `p` that exists (for statfs and messages). */
function existingAncestor(p: string): string {
  let dir = path.resolve(p);
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/**
 * Why writing under `where` failed, in words that name the real cause: no space, no
 * inodes, read-only, permissions. Works from the error code and the file system's
 * counters (a full inode table can surface as ENOENT from a recursive mkdir).
 */
export function describeWriteFailure(error: unknown, where: string): string {
  const code = errCode(error);
  const at = existingAncestor(where);
  let fsStats: fs.StatsFs | undefined;
  try {
    fsStats = fs.statfsSync(at);
  } catch {
    fsStats = undefined;
  }
  // Pseudo file systems (/proc) report zero blocks and inodes: no counter means anything there.
  const counted = fsStats !== undefined && fsStats.blocks > 0;
  const noInodes = counted && fsStats!.files > 0 && fsStats!.ffree === 0;
  const noSpace = counted && fsStats!.bavail === 0;
  if ((code === 'ENOSPC' || code === 'ENOENT' || code === 'EDQUOT') && noInodes) {
    return (
      `the file system of ${at} has no free inodes left (${code}); delete some files there (see \`df -i ${at}\`) ` +
      `or choose another --destination`
    );
  }
  if (code === 'ENOSPC' || (noSpace && code !== 'EACCES' && code !== 'EPERM')) {
    return (
      `no space left on the device of ${at} (${code}); free some space (see \`df -h ${at}\`) ` +
      `or choose another --destination`
    );
  }
  if (code === 'EDQUOT')
    return `your disk quota on ${at} is used up (EDQUOT); free some space or choose another --destination`;
  if (code === 'EROFS') return `${at} is on a read-only file system (EROFS); choose another --destination`;
  if (code === 'EACCES' || code === 'EPERM')
    return `permission denied writing under ${at} (${code}); choose a folder you can write to with --destination`;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return (
      `${at} does not accept new folders (${code}: e.g. /proc or a file in the path); ` +
      `choose a normal folder with --destination`
    );
  const msg = error instanceof Error ? error.message : String(error);
  return `writing under ${at} failed (${msg})`;
}

/** Creates the missing parents of `dir` one level at a time; returns those it made. */
function makeParents(dir: string): string[] {
  const missing: string[] = [];
  let p = path.resolve(dir);
  while (!fs.existsSync(p)) {
    missing.unshift(p);
    const up = path.dirname(p);
    if (up === p) break;
    p = up;
  }
  if (!fs.statSync(p).isDirectory()) {
    throw Object.assign(new Error(`${p} is not a folder`), { code: 'ENOTDIR' });
  }
  const made: string[] = [];
  try {
    for (const m of missing) {
      fs.mkdirSync(m); // not recursive: one level, one clear error
      made.push(m);
    }
  } catch (error) {
    removeEmpty(made);
    throw error;
  }
  return made;
}

function removeEmpty(dirs: readonly string[]): void {
  for (const d of [...dirs].reverse()) {
    try {
      fs.rmdirSync(d);
    } catch {
      return; // not empty (someone else wrote there) or gone: leave it
    }
  }
}

/** Prepare the temporary sibling of `final` (absent or an empty folder). */
export function openStaging(final: string): StagingResult {
  const target = path.resolve(final);
  const parent = path.dirname(target);
  const name = path.basename(target);
  let createdParents: string[] = [];
  let holder: string | undefined;
  try {
    createdParents = makeParents(parent);
    holder = fs.mkdtempSync(path.join(parent, `.${name}.puruto-new-`));
    const dir = path.join(holder, name);
    fs.mkdirSync(dir);
    const staging: Staging = { dir, final: target, holder, createdParents };
    open.add(staging);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', discardOpenStagings);
    }
    return { ok: true, staging };
  } catch (error) {
    if (holder !== undefined) fs.rmSync(holder, { recursive: true, force: true });
    removeEmpty(createdParents);
    return {
      ok: false,
      message: `cannot create ${target}: ${describeWriteFailure(error, parent)}; nothing was written`,
    };
  }
}

/** Move the generated repo into place (one rename), then drop the temporary sibling. */
export function commitStaging(staging: Staging): { ok: true } | { ok: false; message: string } {
  try {
    fs.renameSync(staging.dir, staging.final); // replaces an empty folder; fails on a non-empty one
  } catch (error) {
    const code = errCode(error);
    discardStaging(staging);
    const why =
      code === 'ENOTEMPTY' || code === 'EEXIST'
        ? `${staging.final} was filled by something else meanwhile`
        : describeWriteFailure(error, staging.final);
    return { ok: false, message: `cannot put the new repo at ${staging.final}: ${why}; nothing was written` };
  }
  open.delete(staging);
  try {
    fs.rmdirSync(staging.holder);
  } catch {
    // an empty temp folder is harmless; it is named after the repo so it can be found
  }
  return { ok: true };
}

/** Remove everything a staging created (the partial repo, its temp folder, new parents). */
export function discardStaging(staging: Staging): void {
  open.delete(staging);
  try {
    fs.rmSync(staging.holder, { recursive: true, force: true });
  } catch {
    // best effort: the holder is a dot-folder named after the repo
  }
  removeEmpty(staging.createdParents);
}

/** The stagings of this process not committed yet (describe a failure before discarding them). */
export function openStagings(): Staging[] {
  return [...open];
}

/** Discard every staging of this process that was not committed; returns them. */
export function discardOpenStagings(): Staging[] {
  const left = [...open];
  for (const s of left) discardStaging(s);
  return left;
}
