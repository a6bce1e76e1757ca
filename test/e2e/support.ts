/**
 * Helpers of the end-to-end tier: pack the built package, install it (with yo 7) into
 * a throw-away npm prefix, and run the installed `puruto` / `yo` like a user would —
 * `yo` as an ordinary user, since yo run as root switches uid and fails (DESIGN.md).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PY_LATEST } from '../helpers/python.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const PTY_DRIVER = fileURLToPath(new URL('./pty_driver.py', import.meta.url));
/** The latest test venv's Python (any Python 3 works: the pty driver uses the standard library only). */
export const PYTHON = PY_LATEST;
/** The ordinary user `yo` runs as when the tests run as root. */
export const E2E_USER = 'puruto-e2e';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout then stderr, for messages whose stream does not matter. */
  all: string;
}

function toRun(r: SpawnSyncReturns<string>, what: string): Run {
  if (r.error) throw new Error(`${what}: ${r.error.message}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: `${r.stdout}${r.stderr}` };
}

/** Runs a command to completion; stdin is /dev/null unless `input` is given. */
export function run(
  cmd: string,
  args: readonly string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
): Run {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env,
    encoding: 'utf8',
    input: opts.input,
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    timeout: opts.timeoutMs ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return toRun(r, `${cmd} ${args.join(' ')}`);
}

/** Explains a failed command with everything it printed. */
export function explain(r: Run): string {
  return `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** A fresh temp folder (real path) that another user can enter. */
export function makeTmp(prefix: string): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  chmodSync(dir, 0o755);
  return dir;
}

const NPM_QUIET = {
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  NO_UPDATE_NOTIFIER: '1',
};

export interface Installed {
  tarball: string;
  prefix: string;
  bin: string;
}

/** `npm pack` the already-built package and `npm install -g` it with yo@7 into `<tmp>/prefix`. */
export function packAndInstall(tmp: string): Installed {
  const builtBin = path.join(ROOT, 'dist', 'cli', 'puruto.cjs');
  if (!existsSync(builtBin)) {
    throw new Error(
      `${builtBin} is missing: the e2e tier packs the built package. Run \`npm run build\` first (\`npm test\` does).`,
    );
  }
  const env = { ...process.env, ...NPM_QUIET };
  const packDir = path.join(tmp, 'pack');
  mkdirSync(packDir);
  const packed = run('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], {
    cwd: ROOT,
    env,
    timeoutMs: 120_000,
  });
  if (packed.code !== 0) throw new Error(`npm pack failed: ${explain(packed)}`);
  const tgz = readdirSync(packDir).filter((f) => f.endsWith('.tgz'));
  if (tgz.length !== 1) throw new Error(`npm pack left ${tgz.length} tarballs in ${packDir}: ${explain(packed)}`);
  const tarball = path.join(packDir, tgz[0]!);
  const prefix = path.join(tmp, 'prefix');
  const installed = run('npm', ['install', '-g', '--prefix', prefix, tarball, 'yo@7'], {
    cwd: tmp,
    env,
    timeoutMs: 300_000,
  });
  if (installed.code !== 0) throw new Error(`npm install -g --prefix ${prefix} failed: ${explain(installed)}`);
  // Whatever the umask, the yo user must be able to read the installed tree.
  run('chmod', ['-R', 'a+rX', prefix], { cwd: tmp, env });
  return { tarball, prefix, bin: path.join(prefix, 'bin') };
}

/** Entries of a .tgz, via `tar -tzf`. */
export function tarEntries(tarball: string): string[] {
  const r = run('tar', ['-tzf', tarball], { cwd: path.dirname(tarball), env: process.env });
  if (r.code !== 0) throw new Error(`tar -tzf failed: ${explain(r)}`);
  return r.stdout.split('\n').filter(Boolean);
}

/** The environment commands run with: the installed bin first, nothing else inherited but CI. */
export function cleanEnv(inst: Installed, home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: [inst.bin, path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(path.delimiter),
    HOME: home,
    // yo looks generators up under `npm root -g` too: make that the test prefix.
    npm_config_prefix: inst.prefix,
    ...NPM_QUIET,
    ...extra,
  };
  if (process.env['CI'] !== undefined) env['CI'] = process.env['CI'];
  return env;
}

/**
 * How to run `yo`: as root, through `runuser` as E2E_USER (created when missing); as
 * any other user, directly (yo only refuses root). `reason` says why it is impossible.
 */
export type YoRunner =
  | {
      ok: true;
      uid: number;
      gid: number;
      wrap(argv: readonly string[], env: Record<string, string>): [string, string[]];
    }
  | { ok: false; reason: string };

export function yoRunner(): YoRunner {
  const uid = process.getuid?.();
  if (uid === undefined) return { ok: false, reason: 'no POSIX user ids on this platform' };
  if (uid !== 0) {
    return { ok: true, uid, gid: process.getgid!(), wrap: (argv, env) => ['env', ['-i', ...envArgs(env), ...argv]] };
  }
  const env = process.env;
  let id = run('id', ['-u', E2E_USER], { cwd: '/', env });
  if (id.code !== 0) {
    const add = run('useradd', ['-m', E2E_USER], { cwd: '/', env });
    if (add.code !== 0)
      return { ok: false, reason: `running as root and cannot create the user ${E2E_USER} for yo: ${add.all.trim()}` };
    id = run('id', ['-u', E2E_USER], { cwd: '/', env });
  }
  const gid = run('id', ['-g', E2E_USER], { cwd: '/', env });
  const wrap = (argv: readonly string[], e: Record<string, string>): [string, string[]] => [
    'runuser',
    ['-u', E2E_USER, '--', 'env', '-i', ...envArgs(e), ...argv],
  ];
  const probe = run(...wrap(['node', '-e', '0'], { PATH: path.dirname(process.execPath) + ':/usr/bin:/bin' }), {
    cwd: '/',
    env,
  });
  if (probe.code !== 0)
    return { ok: false, reason: `user ${E2E_USER} cannot run node via runuser: ${probe.all.trim()}` };
  return { ok: true, uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()), wrap };
}

function envArgs(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

/** Gives a folder we created to the yo user. */
export function giveTo(dir: string, owner: { uid: number; gid: number }): string {
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) chownSync(dir, owner.uid, owner.gid);
  return dir;
}

export interface PtyStep {
  expect?: string;
  send?: string;
  timeout?: number;
  expect_eof?: boolean;
}
export interface PtyResult {
  ok: boolean;
  exit_code: number | null;
  failed_step: number | null;
  reason: string;
  screen: string;
}
