import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import helpers from 'yeoman-test';
import { tempDir } from './repo.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function generatorPath(key: string): string {
  return path.join(ROOT, 'generators', key, 'index.ts');
}

/** Runs one of our generators by class, as `puruto:<key>`, in a fresh temp cwd. */
export async function runGenerator(
  key: string,
  opts: {
    options?: Record<string, unknown>;
    args?: string[];
    answers?: Record<string, unknown>;
    cwd?: string;
  },
) {
  const { default: Gen } = (await import(generatorPath(key))) as { default: never };
  let ctx = helpers.run(Gen, { namespace: `puruto:${key}`, resolved: generatorPath(key) });
  if (opts.cwd) ctx = ctx.cd(opts.cwd);
  if (opts.args) ctx = ctx.withArguments(opts.args);
  ctx = ctx.withOptions({ skipInstall: true, ...(opts.options ?? {}) } as never);
  if (opts.answers) ctx = ctx.withAnswers(opts.answers as never);
  return ctx;
}

export { tempDir };

/** Runs fn with HOME pointing at a temp folder, so ~/purutos resolution is controlled. */
export async function withHome<T>(home: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env['HOME'];
  process.env['HOME'] = home;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env['HOME'];
    else process.env['HOME'] = saved;
  }
}

/**
 * Generates a repo with one of our generators into a fresh temp folder via
 * --destination, with HOME isolated; the folder is named after the answered name.
 */
export async function generateRepo(
  key: string,
  options: Record<string, unknown>,
  extra: { answers?: Record<string, unknown>; args?: string[] } = {},
  folder?: string,
): Promise<string> {
  const name = folder ?? String(options['name'] ?? extra.args?.[0] ?? extra.answers?.['name'] ?? 'puruto-x');
  const dest = path.join(tempDir('puruto-out-'), name);
  await withHome(tempDir('puruto-home-'), async () =>
    runGenerator(key, { options: { destination: dest, ...options }, ...extra }),
  );
  return dest;
}

/** The error a run rejects with (fails the test when it does not reject). */
export async function rejection(p: Promise<unknown>): Promise<Error & { code?: unknown }> {
  try {
    await p;
  } catch (error) {
    return error as Error & { code?: unknown };
  }
  throw new Error('expected the run to fail');
}

export const readIn = (dir: string, file: string): string => readFileSync(path.join(dir, file), 'utf8');

/**
 * The generator-puruto record of a repo's .yo-rc.json without its fileHashes, after
 * checking that every hash is the sha256 of that file as it is on disk and that every
 * generated file but .yo-rc.json and the .agents/skills link has one.
 */
export function recordOf(dir: string): Record<string, unknown> {
  const rc = JSON.parse(readFileSync(path.join(dir, '.yo-rc.json'), 'utf8'))['generator-puruto'] as Record<
    string,
    unknown
  >;
  const { fileHashes, ...rest } = rc as { fileHashes?: Record<string, string> };
  if (!fileHashes) throw new Error(`${dir}/.yo-rc.json has no fileHashes`);
  for (const [file, hash] of Object.entries(fileHashes)) {
    const actual = createHash('sha256')
      .update(readFileSync(path.join(dir, file)))
      .digest('hex');
    if (actual !== hash) throw new Error(`fileHashes of ${file} is ${hash}, the file's sha256 is ${actual}`);
  }
  const files = (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((f) => f !== '.yo-rc.json' && f !== '.agents/skills' && f !== '.git' && !f.startsWith('.git/'));
  const unhashed = files.filter((f) => !(f in fileHashes));
  if (unhashed.length) throw new Error(`no fileHashes for ${unhashed.join(', ')}`);
  return rest;
}
