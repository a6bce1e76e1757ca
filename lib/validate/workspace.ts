/**
 * Validate every Puruto directly under a folder (e.g. ~/purutos) in one call. Large
 * workspaces are split into contiguous slices validated in parallel worker threads
 * (the per-repo checks are synchronous I/O, see context.ts); any worker problem falls
 * back to validating that slice on the main thread, so results never depend on it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { std } from '../standard/findings.js';
import type { ValidateOptions } from './repo.js';
import { makeReport, makeWorkspaceReport, type Report, type WorkspaceReport } from './report.js';
import { validateShard } from './shard.js';

export { looksLikePuruto } from './shard.js';

/** Below this many sub-folders a worker's start-up costs more than it saves. */
export const PARALLEL_THRESHOLD = 200;
/** At most this many threads (main included). */
export const MAX_THREADS = 4;
/** Override the thread count (1 = no workers), e.g. for debugging. */
export const THREADS_ENV = 'PURUTO_VALIDATE_THREADS';

// Running from the TypeScript sources (tsx): workers would not get the TS loader.
const FROM_SOURCES = import.meta.url.endsWith('.ts');

function threadCount(folders: number): number {
  if (FROM_SOURCES) return 1;
  const forced = Number.parseInt(process.env[THREADS_ENV] ?? '', 10);
  if (Number.isInteger(forced) && forced >= 1) return Math.min(forced, MAX_THREADS, Math.max(folders, 1));
  if (folders < PARALLEL_THRESHOLD) return 1;
  return Math.max(1, Math.min(os.availableParallelism(), MAX_THREADS));
}

function inWorker(dirs: string[], strict: boolean): Promise<Report[]> {
  return new Promise((resolve) => {
    let settled = false;
    const fallback = (): void => {
      if (settled) return;
      settled = true;
      resolve(validateShard(dirs, strict));
    };
    try {
      const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { dirs, strict } });
      worker.once('message', (reports: Report[]) => {
        if (settled) return;
        settled = true;
        resolve(reports);
        void worker.terminate();
      });
      worker.once('error', fallback);
      worker.once('exit', fallback);
    } catch {
      fallback();
    }
  });
}

/**
 * Validate the Purutos that are direct, non-hidden sub-folders of `dir`, sorted by
 * folder name. If `dir` itself is unusable, `results` holds one report for it with a
 * `missing-required` error (and `repos` is 0).
 */
export async function validateWorkspace(dir: string, options: ValidateOptions = {}): Promise<WorkspaceReport> {
  const abs = path.resolve(dir);
  const strict = options.strict === true;
  let names: string[];
  try {
    names = fs.readdirSync(abs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : `cannot be read (${code ?? 'unknown error'})`;
    const report = makeReport(abs, 'standard', [std('missing-required', '.', `the workspace ${abs} ${why}; pass the folder that holds your Purutos (e.g. ~/purutos)`)]);
    return { ...makeWorkspaceReport(abs, [report]), repos: 0 };
  }
  const dirs = names
    .filter((name) => !name.startsWith('.'))
    .sort()
    .map((name) => path.join(abs, name));
  const threads = threadCount(dirs.length);
  const size = Math.ceil(dirs.length / threads);
  const slices = Array.from({ length: threads }, (_, i) => dirs.slice(i * size, (i + 1) * size));
  // Start the workers first: they load while the main thread validates slice 0.
  const others = slices.slice(1).map((slice) => inWorker(slice, strict));
  const first = await validateShard(slices[0] ?? [], strict);
  const results = [first, ...(await Promise.all(others))].flat();
  return makeWorkspaceReport(abs, results);
}
