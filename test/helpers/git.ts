import { execFileSync } from 'node:child_process';

/** A git identity for the commits tests make (no user config is needed or read). */
export const GIT_ID = {
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
};

/** `git <args>` in `dir` with GIT_ID; its trimmed stdout (throws when git fails). */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ID },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}
