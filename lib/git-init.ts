/**
 * `git init` + a first commit for a freshly generated repo. The user's own identity is
 * used when git has one; otherwise the commit is made with a clearly named fallback
 * identity passed through GIT_* environment variables for this one command, so no git
 * configuration (global or local) is ever written. Never prints; the outcome is a value.
 */
import fs from 'node:fs';
import path from 'node:path';
import { git } from './git.js';

export const FALLBACK_IDENTITY = { name: 'puruto init', email: 'puruto-init@localhost.invalid' } as const;

export type FirstCommit =
  | { status: 'committed'; commit: string; identity: 'user' | 'fallback' }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; message: string };

/** Whether the git executable can be started. */
export function gitAvailable(): boolean {
  return !git(['--version'], process.cwd()).missing;
}

function configured(key: string, dir: string): boolean {
  const r = git(['config', '--get', key], dir);
  return r.ok && r.stdout.trim() !== '';
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).pop() ?? 'no output';
}

/** Whether git has the user's own name and email for commits made in `dir`. */
export function hasIdentity(dir: string): boolean {
  return configured('user.name', dir) && configured('user.email', dir);
}

/** The environment for a commit in `dir`: as is with the user's identity, else the fallback one. */
export function commitEnv(dir: string): NodeJS.ProcessEnv {
  if (hasIdentity(dir)) return process.env;
  return {
    ...process.env,
    GIT_AUTHOR_NAME: FALLBACK_IDENTITY.name,
    GIT_AUTHOR_EMAIL: FALLBACK_IDENTITY.email,
    GIT_COMMITTER_NAME: FALLBACK_IDENTITY.name,
    GIT_COMMITTER_EMAIL: FALLBACK_IDENTITY.email,
  };
}

export function initAndCommit(dir: string, message: string): FirstCommit {
  if (fs.existsSync(path.join(dir, '.git'))) return { status: 'skipped', reason: 'already a git repository' };
  const init = git(['init', '-q'], dir);
  if (init.missing) return { status: 'skipped', reason: 'git is not installed' };
  if (!init.ok) return { status: 'failed', message: `git init: ${lastLine(init.stderr)}` };
  const add = git(['add', '-A'], dir);
  if (!add.ok) return { status: 'failed', message: `git add: ${lastLine(add.stderr)}` };
  const own = hasIdentity(dir);
  const env = commitEnv(dir);
  const commit = git(['commit', '-q', '-m', message], dir, env);
  if (!commit.ok) return { status: 'failed', message: `git commit: ${lastLine(commit.stderr || commit.stdout)}` };
  const head = git(['rev-parse', '--short', 'HEAD'], dir);
  return { status: 'committed', commit: head.stdout.trim(), identity: own ? 'user' : 'fallback' };
}
