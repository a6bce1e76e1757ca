/**
 * Validate every Puruto directly under a folder (e.g. ~/purutos) in one call.
 */
import fs from 'node:fs';
import path from 'node:path';
import { std } from '../standard/findings.js';
import { VERSION_FILE } from '../standard/version.js';
import { generatorSection, YO_RC_FILE } from './kind.js';
import { validateRepo, type ValidateOptions } from './repo.js';
import { makeReport, makeWorkspaceReport, type Report, type WorkspaceReport } from './report.js';

/** How many repos are validated at once (the checks are mostly synchronous I/O). */
export const WORKSPACE_CONCURRENCY = 32;

const MARKERS = ['CLAUDE.md', 'agent.md', 'AGENTS.md', VERSION_FILE];

/** A folder is a Puruto when it has agent rules, skills, a version file, or our .yo-rc. */
export function looksLikePuruto(dir: string): boolean {
  let names: Set<string>;
  try {
    names = new Set(fs.readdirSync(dir));
  } catch {
    return false;
  }
  if (MARKERS.some((m) => names.has(m))) return true;
  if (names.has('.claude')) {
    try {
      if (fs.statSync(path.join(dir, '.claude', 'skills')).isDirectory()) return true;
    } catch {
      // no skills folder
    }
  }
  if (names.has(YO_RC_FILE)) {
    try {
      return generatorSection(fs.readFileSync(path.join(dir, YO_RC_FILE), 'utf8')) !== undefined;
    } catch {
      return false;
    }
  }
  return false;
}

function isDirectory(abs: string): boolean {
  try {
    return fs.statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Validate the Purutos that are direct, non-hidden sub-folders of `dir`, sorted by
 * folder name. If `dir` itself is unusable, `results` holds one report for it with a
 * `missing-required` error (and `repos` is 0).
 */
export async function validateWorkspace(dir: string, options: ValidateOptions = {}): Promise<WorkspaceReport> {
  const abs = path.resolve(dir);
  let names: string[];
  try {
    names = fs.readdirSync(abs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : `cannot be read (${code ?? 'unknown error'})`;
    const report: Report = makeReport(abs, 'standard', [std('missing-required', '.', `the workspace ${abs} ${why}; pass the folder that holds your Purutos (e.g. ~/purutos)`)]);
    return { ...makeWorkspaceReport(abs, [report]), repos: 0 };
  }
  const repos = names
    .filter((name) => !name.startsWith('.'))
    .sort()
    .map((name) => path.join(abs, name))
    .filter((p) => isDirectory(p) && looksLikePuruto(p));
  const results = await mapBounded(repos, WORKSPACE_CONCURRENCY, (p) => validateRepo(p, options));
  return makeWorkspaceReport(abs, results);
}
