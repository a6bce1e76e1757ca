/**
 * What happens to each file of a run before Yeoman writes the memory file system to
 * disk (our `conflicts` step runs just before that commit):
 *
 * - a new repo (written into its staging folder): every file is created; Yeoman's
 *   per-file lines are silenced so the summary lists the files once, by their final path;
 * - a re-run inside an existing Puruto: new files are created, files the user never
 *   changed (their hash is the one recorded in .yo-rc.json) are updated, identical ones
 *   are left alone, and files the user changed are conflicts: --force overwrites them,
 *   --skip-existing keeps them, a terminal asks per file, otherwise the run refuses
 *   naming them — before anything is written. A file rewritten keeps its permission bits.
 *
 * Statuses are set on the mem-fs files the way Yeoman's conflicter reads them
 * (`file.conflicter`); QUIET is a status Yeoman has no log line for, so the file is
 * written without one.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileState, sha256 } from '../../lib/file-state.js';
import { escapeMessage, firstEscape } from '../../lib/write-guard.js';
import { PurutoError } from './errors.js';

export const QUIET = 'puruto-quiet';

/** The fields of a mem-fs file this module reads and sets. */
export interface MemFile {
  path: string;
  contents: Buffer | null;
  state?: string;
  conflicter?: string;
  /** Additive merges an add-on applied (README sections, .env.example blocks), in order. */
  purutoMerges?: ((text: string) => string)[];
  /** The permission bits Yeoman's commit gives the file (mem-fs-editor reads `stat.mode`). */
  stat?: { mode?: number } | null;
}

export interface MemStore {
  all(): MemFile[];
}

export type Decision = 'overwrite' | 'keep';
export type ConflictMode = 'force' | 'skip-existing' | 'ask' | 'refuse';

export interface Outcome {
  created: string[];
  updated: string[];
  overwritten: string[];
  /** Files the user changed that were kept (an add-on may still have added its section). */
  kept: string[];
  unchanged: number;
  /** sha256 of every file as written by this run (or found identical). */
  hashes: Record<string, string>;
}

const rel = (root: string, p: string): string => path.relative(root, p).split(path.sep).join('/');

/** Files waiting to be written under `root` (not .yo-rc.json: that one is the generator's record). */
export function pendingUnder(store: MemStore, root: string): MemFile[] {
  const inside = (p: string): boolean => {
    const r = path.relative(root, p);
    return r !== '' && !r.startsWith('..') && !path.isAbsolute(r);
  };
  return store
    .all()
    .filter(
      (f) => f.state === 'modified' && f.contents !== null && inside(f.path) && rel(root, f.path) !== '.yo-rc.json',
    );
}

/**
 * The write guard of generation, re-runs and add-ons (lib/write-guard.ts, shared with
 * update and upgrade): every file of the run's plan under `root`, and `extra` paths the
 * run writes itself, must not go through a link out of the repo; otherwise the run stops
 * here, before Yeoman's commit writes anything.
 */
export function refuseLinksOut(store: MemStore, root: string, extra: readonly string[] = []): void {
  const inside = (p: string): boolean => {
    const r = path.relative(root, p);
    return r !== '' && !r.startsWith('..') && !path.isAbsolute(r);
  };
  const writes = store
    .all()
    .filter((f) => f.state === 'modified' && f.contents !== null && inside(f.path))
    .map((f) => rel(root, f.path));
  const escape = firstEscape(root, [...writes, ...extra]);
  if (escape) throw new PurutoError(escapeMessage(escape, 'the same command'), 1);
}

/**
 * A file already on disk keeps its permission bits when rewritten (a 0600 file stays
 * private, a 0755 one executable): the template's mode is only for files created.
 */
function keepDiskMode(file: MemFile): void {
  let mode: number;
  try {
    mode = statSync(file.path).mode & 0o7777;
  } catch {
    return;
  }
  file.stat = { mode };
}

/** Drop a file from the commit: nothing is written, nothing is logged. */
function leaveAlone(file: MemFile): void {
  delete file.state;
}

function readDisk(p: string): Buffer | undefined {
  try {
    return readFileSync(p);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new PurutoError(
      `cannot read ${p} (${code ?? (error as Error).message}): nothing was written; fix or move it, then run again`,
      1,
    );
  }
}

/** A new repo: every file created, without Yeoman's per-file line. */
export function quietNewFiles(store: MemStore, root: string): Outcome {
  const out: Outcome = { created: [], updated: [], overwritten: [], kept: [], unchanged: 0, hashes: {} };
  for (const f of pendingUnder(store, root)) {
    f.conflicter = QUIET;
    const r = rel(root, f.path);
    out.created.push(r);
    out.hashes[r] = sha256(f.contents!);
  }
  return out;
}

/**
 * A re-run on an existing repo. `ask` is called per conflict in a terminal; it may
 * return 'overwrite-all' / 'keep-all' to decide the rest. Throws (nothing written yet)
 * when conflicts remain and nobody can decide.
 */
export async function settleExisting(o: {
  store: MemStore;
  root: string;
  recorded: Record<string, string>;
  mode: ConflictMode;
  ask: (file: string, disk: string, next: string) => Promise<Decision | 'overwrite-all' | 'keep-all'>;
}): Promise<Outcome> {
  const out: Outcome = { created: [], updated: [], overwritten: [], kept: [], unchanged: 0, hashes: {} };
  const conflicts: { file: MemFile; rel: string; disk: Buffer }[] = [];
  for (const f of pendingUnder(o.store, o.root)) {
    const r = rel(o.root, f.path);
    const disk = readDisk(f.path);
    const next = f.contents!;
    const state = fileState({ disk, next, recorded: o.recorded[r] });
    if (state === 'conflict') {
      conflicts.push({ file: f, rel: r, disk: disk! });
      continue;
    }
    out.hashes[r] = sha256(next);
    if (state === 'unchanged') {
      leaveAlone(f);
      out.unchanged++;
      continue;
    }
    f.conflicter = QUIET;
    if (state === 'update') keepDiskMode(f);
    (state === 'create' ? out.created : out.updated).push(r);
  }
  if (conflicts.length && o.mode === 'refuse') {
    const names = conflicts.map((c) => c.rel).sort();
    throw new PurutoError(
      `${names.length} file${names.length > 1 ? 's' : ''} in ${o.root} changed since the generator wrote ` +
        `${names.length > 1 ? 'them' : 'it'} ` +
        `and would be replaced: ${names.join(', ')}. Nothing was written. Pass --force to overwrite ` +
        `${names.length > 1 ? 'them' : 'it'}, ` +
        '--skip-existing to keep your version, or run in a terminal to choose per file.',
      1,
    );
  }
  let all: Decision | undefined = o.mode === 'force' ? 'overwrite' : o.mode === 'skip-existing' ? 'keep' : undefined;
  for (const c of conflicts) {
    let decision = all;
    if (decision === undefined) {
      const answer = await o.ask(c.rel, c.disk.toString('utf8'), c.file.contents!.toString('utf8'));
      if (answer === 'overwrite-all' || answer === 'keep-all') {
        all = answer === 'overwrite-all' ? 'overwrite' : 'keep';
        decision = all;
      } else decision = answer;
    }
    keepDiskMode(c.file);
    if (decision === 'overwrite') {
      c.file.conflicter = QUIET;
      out.overwritten.push(c.rel);
      out.hashes[c.rel] = sha256(c.file.contents!);
      continue;
    }
    // Kept: the user's text stays; an add-on's additive merge is applied to it instead.
    out.kept.push(c.rel);
    const merged = (c.file.purutoMerges ?? []).reduce((t, m) => m(t), c.disk.toString('utf8'));
    if (merged !== c.disk.toString('utf8')) {
      c.file.contents = Buffer.from(merged, 'utf8');
      c.file.conflicter = QUIET;
    } else leaveAlone(c.file);
  }
  return out;
}
