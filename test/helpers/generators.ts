import path from 'node:path';
import { fileURLToPath } from 'node:url';
import helpers from 'yeoman-test';

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

export { tempDir } from './repo.js';

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
