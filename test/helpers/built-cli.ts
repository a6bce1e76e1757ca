/**
 * The built `puruto` (dist/cli/puruto.cjs) as a real process with a hard timeout: the
 * way to test inputs that could hang (a FIFO, /dev/urandom) without hanging mocha.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './generators.js';

/** PURUTO_TEST_DIST=<folder> runs another build (e.g. of an older commit, to see a test fail). */
const DIST = path.resolve(ROOT, process.env['PURUTO_TEST_DIST'] ?? 'dist');
export const BUILT_CLI = path.join(DIST, 'cli', 'puruto.cjs');

/** Builds dist/ once when it is missing (npm test builds before mocha runs). */
export function ensureBuilt(): void {
  if (!fs.existsSync(BUILT_CLI) && DIST === path.join(ROOT, 'dist'))
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'ignore' });
}

export interface BuiltRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Killed by the timeout (a hang). */
  timedOut: boolean;
}

export function runBuilt(
  args: string[],
  opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): BuiltRun {
  const r = spawnSync(process.execPath, [BUILT_CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 20_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: opts.env ?? { ...process.env, PURUTO_DEBUG: '' },
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL';
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', timedOut };
}
