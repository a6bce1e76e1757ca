/**
 * A kind's runtime for the benchmarks, made the way users get it: `puruto new <kind>` from
 * the built dist/ (built first when it is missing), so a bench runs exactly the files the
 * generator ships (schemas, shared modules ...) and keeps no list of them of its own.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'dist', 'cli', 'puruto.cjs');

/** Generates `puruto-<key>` at `dest` (no git, no venv) and returns `dest`; throws with the CLI's output. */
export function kindRepo(key, dest) {
  if (!existsSync(BIN)) {
    console.log('dist/ is missing: running npm run build ...');
    const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit', timeout: 600_000 });
    if (b.status !== 0) throw new Error('npm run build failed');
  }
  const r = spawnSync(process.execPath, [BIN, 'new', key, '--yes', '--no-git', '--destination', dest], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`puruto new ${key} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return dest;
}
