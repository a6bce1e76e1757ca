/**
 * Git plumbing for the pristine base: a rendering (files in memory) becomes blobs, a
 * tree and a commit without touching the work tree or the repo's index (a temporary
 * index file), optionally into a throw-away object folder (dry runs write nothing).
 * Never prints, never exits; a failure is a value naming git's own message.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commitEnv } from '../git-init.js';

/** Where `puruto new` keeps the generator's own output (not a branch: no clutter). */
export const PRISTINE_REF = 'refs/puruto/pristine';

/** One file of a rendering: text content; `link` = a symlink whose target is `content`. */
export interface RenderedFile {
  path: string;
  content: string;
  mode: 'file' | 'exec' | 'link';
}

const GIT_MODE = { file: '100644', exec: '100755', link: '120000' } as const;

export interface GitOut {
  ok: boolean;
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git in `dir` with optional stdin; never throws. */
export function gitIn(
  dir: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string } = {},
): GitOut {
  const r = spawnSync('git', args, {
    cwd: dir,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    input: opts.input ?? '',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) return { ok: false, code: -1, stdout: '', stderr: r.error.message };
  return { ok: r.status === 0, code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).pop() ?? 'no output';
}

export class GitFailure extends Error {}

/** stdout of a git command that must succeed, trimmed; throws GitFailure otherwise. */
export function must(
  dir: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string } = {},
): string {
  const r = gitIn(dir, args, opts);
  if (!r.ok) throw new GitFailure(`git ${args[0]}: ${lastLine(r.stderr || r.stdout)}`);
  return r.stdout.trim();
}

/** The commit a ref names, or undefined. */
export function resolveCommit(dir: string, ref: string): string | undefined {
  const r = gitIn(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  return r.ok ? r.stdout.trim() : undefined;
}

/** Whether `dir` is the top of its own git work tree (not a folder inside another repo). */
export function ownWorkTree(dir: string): boolean {
  const r = gitIn(dir, ['rev-parse', '--show-toplevel']);
  if (!r.ok) return false;
  try {
    return fs.realpathSync(r.stdout.trim()) === fs.realpathSync(dir);
  } catch {
    return false;
  }
}

/**
 * A scratch object folder for dry runs: new objects go there, the repo's own are read
 * through alternates, so the repo's .git is left byte-identical. Call dispose() after.
 */
export function scratchObjects(dir: string): { env: NodeJS.ProcessEnv; dispose(): void } {
  const objects = must(dir, ['rev-parse', '--git-path', 'objects']);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'puruto-objects-'));
  const env = {
    ...process.env,
    GIT_OBJECT_DIRECTORY: scratch,
    GIT_ALTERNATE_OBJECT_DIRECTORIES: path.resolve(dir, objects),
  };
  return { env, dispose: () => fs.rmSync(scratch, { recursive: true, force: true }) };
}

/** Writes `files` as a tree object (through a temporary index) and returns its id. */
export function writeTree(dir: string, files: readonly RenderedFile[], env: NodeJS.ProcessEnv = process.env): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'puruto-tree-'));
  try {
    // Contents go through files so `hash-object --stdin-paths` hashes them all in one run.
    const paths = files.map((f, i) => {
      const p = path.join(tmp, String(i));
      fs.writeFileSync(p, f.content);
      return p;
    });
    const ids = files.length
      ? must(dir, ['hash-object', '-w', '--no-filters', '--stdin-paths'], {
          env,
          input: `${paths.join('\n')}\n`,
        }).split('\n')
      : [];
    const indexEnv = { ...env, GIT_INDEX_FILE: path.join(tmp, 'index') };
    const info = files.map((f, i) => `${GIT_MODE[f.mode]} ${ids[i]}\t${f.path}`).join('\n');
    must(dir, ['update-index', '--add', '--index-info'], { env: indexEnv, input: `${info}\n` });
    return must(dir, ['write-tree'], { env: indexEnv });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** A commit of `tree` with the given parents, by the user's identity or the fallback one. */
export function commitTree(
  dir: string,
  tree: string,
  parents: readonly string[],
  message: string,
  env?: NodeJS.ProcessEnv,
): string {
  const args = ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', message];
  return must(dir, args, { env: { ...commitEnv(dir), ...(env ?? {}) } });
}

/** The tree id of a commit. */
export function treeOf(dir: string, commit: string, env?: NodeJS.ProcessEnv): string {
  return must(dir, ['rev-parse', `${commit}^{tree}`], env ? { env } : {});
}

/** One file of a commit as a RenderedFile, or undefined when the commit lacks it. */
export function fileAt(dir: string, commit: string, rel: string): RenderedFile | undefined {
  const ls = gitIn(dir, ['ls-tree', commit, '--', rel]);
  const m = /^(\d+) blob ([0-9a-f]+)\t/.exec(ls.stdout);
  if (!ls.ok || !m) return undefined;
  const blob = gitIn(dir, ['cat-file', 'blob', m[2]!]);
  if (!blob.ok) return undefined;
  const mode = m[1] === '120000' ? 'link' : m[1] === '100755' ? 'exec' : 'file';
  return { path: rel, content: blob.stdout, mode };
}
