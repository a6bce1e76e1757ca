/**
 * Validate every Puruto directly under a folder (e.g. ~/purutos) in one call. The
 * per-repo checks are synchronous I/O (see context.ts); 1,000 repos take well under a
 * second on one thread, so there is no worker pool to manage.
 */
import fs from 'node:fs';
import path from 'node:path';
import { std } from '../standard/findings.js';
import type { ValidateOptions } from './repo.js';
import { makeReport, makeWorkspaceReport, type WorkspaceReport } from './report.js';
import { validateShard } from './shard.js';

export { looksLikePuruto, isEcosystemRoot, hasRepoRecord, purutosIn } from './shard.js';

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
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'ENOTDIR'
          ? 'is not a folder'
          : `cannot be read (${code ?? 'unknown error'})`;
    const report = makeReport(abs, 'standard', [
      std(
        'missing-required',
        '.',
        `the workspace ${abs} ${why}; pass the folder that holds your Purutos (e.g. ~/purutos)`,
      ),
    ]);
    return { ...makeWorkspaceReport(abs, [report]), repos: 0 };
  }
  const dirs = names
    .filter((name) => !name.startsWith('.'))
    .sort()
    .map((name) => path.join(abs, name));
  return makeWorkspaceReport(abs, await validateShard(dirs, strict));
}
