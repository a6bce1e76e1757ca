/**
 * Validation of one repo: run every check on a shared per-repo context. Pure: it never
 * prints, never exits the process and never throws on a broken repo — every problem,
 * including an unexpected internal one, becomes a finding. The CLI picks exit codes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ours, std, type Finding } from '../standard/findings.js';
import { RepoContext } from './context.js';
import { checkEnv } from './env.js';
import { checkImports } from './imports.js';
import { checkIpc } from './ipc.js';
import { checkJsonFiles } from './jsonfiles.js';
import { detectKind } from './kind.js';
import { checkMirror } from './mirror.js';
import { makeReport, type Report } from './report.js';
import { checkSkills } from './skills.js';
import { checkStructure } from './structure.js';
import { checkTree } from './tree.js';

export interface ValidateOptions {
  /** Report our extra checks as errors instead of warnings (`--strict`). */
  strict?: boolean;
}

type Check = (ctx: RepoContext) => Finding[] | Promise<Finding[]>;

const CHECKS: Record<string, Check> = {
  structure: checkStructure,
  imports: checkImports,
  ipc: checkIpc,
  skills: checkSkills,
  'json files': checkJsonFiles,
  env: checkEnv,
  'skills mirror': checkMirror,
  'file tree': checkTree,
};

async function guarded(name: string, check: Check, ctx: RepoContext): Promise<Finding[]> {
  try {
    return await check(ctx);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [
      ours(
        'unreadable-path',
        '.',
        `the ${name} check failed unexpectedly (${reason}); this is a validator bug, ` +
          `please report it with the repo layout`,
        ctx.strict,
      ),
    ];
  }
}

function rootProblem(abs: string): string | undefined {
  try {
    const st = fs.statSync(abs);
    return st.isDirectory() ? undefined : `${abs} is not a folder; pass the path of a Puruto repo folder`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `${abs} does not exist; pass the path of a Puruto repo folder`;
    return `${abs} cannot be read (${code ?? 'unknown error'}); check the path and its permissions`;
  }
}

/**
 * Validate the folder `abs` (absolute, known to be a directory). `rootEntries` is its
 * listing when the caller already has it (the workspace scan), saving one readdir.
 */
export async function validateDir(abs: string, strict: boolean, rootEntries?: fs.Dirent[]): Promise<Report> {
  const ctx = new RepoContext(abs, strict);
  if (rootEntries !== undefined) ctx.seed('.', rootEntries);
  try {
    ctx.kind = detectKind(ctx);
  } catch {
    ctx.kind = 'standard';
  }
  const results = await Promise.all(Object.entries(CHECKS).map(([name, check]) => guarded(name, check, ctx)));
  return makeReport(abs, ctx.kind, results.flat());
}

/** Validate one repo. `report.path` is absolute; never throws. */
export async function validateRepo(repoPath: string, options: ValidateOptions = {}): Promise<Report> {
  const abs = path.resolve(repoPath);
  const problem = rootProblem(abs);
  if (problem !== undefined) return makeReport(abs, 'standard', [std('missing-required', '.', problem)]);
  return validateDir(abs, options.strict === true);
}
