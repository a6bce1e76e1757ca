/**
 * The few git facts the framework needs, asked of the real `git` (no library: the
 * porcelain output is the stable contract). Pure in the lib's sense: never prints,
 * never exits; a missing git is an answer, not an exception.
 */
import { spawnSync } from 'node:child_process';

export interface GitRun {
  ok: boolean;
  stdout: string;
  stderr: string;
  /** true when the git executable could not be started at all. */
  missing: boolean;
}

export function git(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): GitRun {
  const r = spawnSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error)
    return {
      ok: false,
      stdout: '',
      stderr: r.error.message,
      missing: (r.error as NodeJS.ErrnoException).code === 'ENOENT',
    };
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr, missing: false };
}

/**
 * Uncommitted changes (staged, unstaged or untracked, as `git status --porcelain`
 * lines) under `dir`; `undefined` when `dir` is not inside a git work tree or git is
 * not installed: then there is nothing git could restore, and no tree to call dirty.
 */
export function uncommittedChanges(dir: string): string[] | undefined {
  const inside = git(['rev-parse', '--is-inside-work-tree'], dir);
  if (!inside.ok || inside.stdout.trim() !== 'true') return undefined;
  const status = git(['status', '--porcelain', '--untracked-files=all', '--', '.'], dir);
  if (!status.ok) return undefined;
  return status.stdout.split('\n').filter((line) => line.trim() !== '');
}
