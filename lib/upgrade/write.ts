/**
 * Puts a draft's changes on disk, all or none: each file is written beside its target
 * and renamed over it; if any step fails, the files already replaced get their old
 * content back, new files and new folders are removed, and the error says the repo is
 * unchanged. A replaced file keeps its permission bits (0600 stays 0600), on success
 * and on rollback.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UpgradeError, type Change } from './draft.js';

/** The file operations used, injectable so tests can make one fail half way. */
export interface WriteOps {
  mkdir(dir: string): void;
  /** Write `data`; with `mode`, the file ends with exactly those permission bits. */
  writeFile(file: string, data: string | Buffer, mode?: number): void;
  rename(from: string, to: string): void;
  unlink(file: string): void;
  rmdir(dir: string): void;
}

export const NODE_OPS: WriteOps = {
  mkdir: (dir) => fs.mkdirSync(dir),
  writeFile: (file, data, mode) => {
    fs.writeFileSync(file, data, mode === undefined ? undefined : { mode });
    // The umask applies at creation and an existing file keeps its bits: set them.
    if (mode !== undefined) fs.chmodSync(file, mode);
  },
  rename: (from, to) => fs.renameSync(from, to),
  unlink: (file) => fs.rmSync(file, { force: true }),
  rmdir: (dir) => fs.rmdirSync(dir),
};

export function writeChanges(root: string, changes: readonly Change[], ops: WriteOps = NODE_OPS): void {
  const madeDirs: string[] = [];
  const replaced: Change[] = [];
  let tmp: string | undefined;
  try {
    for (const c of changes) {
      const target = targetOf(root, c);
      for (const dir of missingParents(root, target)) {
        ops.mkdir(dir);
        madeDirs.push(dir);
      }
      tmp = path.join(path.dirname(target), `.${path.basename(target)}.puruto-upgrade-${process.pid}.tmp`);
      ops.writeFile(tmp, c.text, c.mode);
      ops.rename(tmp, target);
      tmp = undefined;
      replaced.push(c);
    }
  } catch (error) {
    const failures: string[] = [];
    const attempt = (what: string, fn: () => void): void => {
      try {
        fn();
      } catch (e) {
        failures.push(`${what}: ${(e as Error).message}`);
      }
    };
    if (tmp) attempt(`remove ${tmp}`, () => ops.unlink(tmp!));
    for (const c of replaced.reverse()) {
      const target = targetOf(root, c);
      if (c.before === undefined) attempt(`remove ${c.rel}`, () => ops.unlink(target));
      else attempt(`restore ${c.rel}`, () => ops.writeFile(target, c.before!, c.mode));
    }
    for (const dir of madeDirs.reverse()) attempt(`remove ${dir}`, () => ops.rmdir(dir));
    const why = (error as Error).message;
    throw new UpgradeError(
      failures.length === 0
        ? `could not write the upgrade (${why}); nothing was changed`
        : `could not write the upgrade (${why}) and could not undo everything: ${failures.join('; ')}`,
    );
  }
}

function targetOf(root: string, c: Change): string {
  return c.target ?? path.join(root, ...c.rel.split('/'));
}

/** Folders between `root` and `file` that do not exist yet, outermost first. */
function missingParents(root: string, file: string): string[] {
  const out: string[] = [];
  for (
    let dir = path.dirname(file);
    dir !== root && dir.startsWith(root) && !fs.existsSync(dir);
    dir = path.dirname(dir)
  ) {
    out.unshift(dir);
  }
  return out;
}
