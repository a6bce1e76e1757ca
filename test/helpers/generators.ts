import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import helpers from 'yeoman-test';
import { tempDir } from './repo.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function generatorPath(key: string): string {
  return path.join(ROOT, 'generators', key, 'index.ts');
}

/** Runs one of our generators by class, as `puruto:<key>`, in a fresh temp cwd. */
export async function runGenerator(key: string, opts: {
  options?: Record<string, unknown>;
  args?: string[];
  answers?: Record<string, unknown>;
  cwd?: string;
}) {
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
  await withHome(tempDir('puruto-home-'), async () => runGenerator(key, { options: { destination: dest, ...options }, ...extra }));
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
