/**
 * The Pythons the benchmarks run the generated code with: the venvs scripts/setup.sh builds
 * from PyPI (pins.json) under .deps, or PURUTO_DEPS (as for setup.sh and the tests).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DEPS = process.env.PURUTO_DEPS ?? fileURLToPath(new URL('../.deps', import.meta.url));

/** `.deps/venv/<set>/bin/python` (set: latest, floor or dev). */
export function venvPython(set) {
  return path.join(DEPS, 'venv', set, 'bin', 'python');
}

/** PURUTO_BENCH_PYTHON, else the latest venv (the newest releases pins.json allows). */
export const BENCH_PYTHON = process.env.PURUTO_BENCH_PYTHON ?? venvPython('latest');
