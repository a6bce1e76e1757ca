import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Pythons that run generated code in tests: the venvs scripts/setup.sh builds from PyPI
 * (pins.json) under .deps (PURUTO_DEPS moves it, as for setup.sh).
 * - latest: the newest releases pins.json's "python" allows;
 * - floor: the lowest it allows (each `>=X` as `==X`);
 * - dev: the "pythonDev" tools (flake8, mypy, ruff, ...) plus the latest set.
 * Every kind's suite and runtime tier runs on both PY_SETS; the rest uses PYTHON.
 */
export const DEPS = process.env['PURUTO_DEPS'] ?? fileURLToPath(new URL('../../.deps', import.meta.url));
/** The wheels every venv was installed from (pip --no-index --find-links), for /init tests. */
export const WHEELHOUSE = path.join(DEPS, 'wheels');

const venvPython = (set: string): string => path.join(DEPS, 'venv', set, 'bin', 'python');
export const PY_LATEST = venvPython('latest');
export const PY_FLOOR = venvPython('floor');
export const PY_DEV = venvPython('dev');

/**
 * The folder of the Python the venvs were made from (pyvenv.cfg's `home`): a plain
 * `python3` with venv and pip, as a user has (the first-hour test runs /init with it).
 */
export const BASE_PYTHON_BIN = ((): string => {
  try {
    const cfg = readFileSync(path.join(DEPS, 'venv', 'latest', 'pyvenv.cfg'), 'utf8');
    return /^home\s*=\s*(.+)$/m.exec(cfg)?.[1]?.trim() ?? '/usr/bin';
  } catch {
    return '/usr/bin'; // no venvs yet: the tests that need them say to run scripts/setup.sh
  }
})();

export interface PySet {
  /** Shown in the describe blocks: `[latest]`, `[floor]`. */
  name: 'latest' | 'floor';
  python: string;
}
/** The two runtime dependency sets every kind is tested on. */
export const PY_SETS: readonly PySet[] = [
  { name: 'latest', python: PY_LATEST },
  { name: 'floor', python: PY_FLOOR },
];

/** The Python of the tests that do not run per set: PURUTO_TEST_PYTHON, else the latest venv. */
export const PYTHON = process.env['PURUTO_TEST_PYTHON'] ?? PY_LATEST;

export interface PyRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `python args` in `cwd` (PYTHON unless given) with the test environment plus `env`. */
export function py(args: string[], cwd: string, env: Record<string, string> = {}, python: string = PYTHON): PyRun {
  const r = spawnSync(python, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  // A missing venv says how to make it instead of an empty failure.
  const why = r.error ? `${python}: ${r.error.message} (run scripts/setup.sh)\n` : '';
  return { status: r.status, stdout: r.stdout ?? '', stderr: `${why}${r.stderr ?? ''}` };
}
