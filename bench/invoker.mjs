#!/usr/bin/env node
/**
 * Benchmark of the invoker's overhead (issue 18): one whole `python3 invoker.py --target X
 * --action status --prompt hi` process with the `stub` agent (start-up, imports, target
 * resolution, skill check, the JSON answer; no agent runs) against `python3 -c pass` on the
 * same interpreter, and against the last self-contained invoker.py (1,401 lines, before the split
 * into the puruto_runtime package: `git show d40c081:generators/ipc/templates/invoker.py`; the
 * previous release's 450-line one from test/fixtures when git cannot give it) as the before.
 * Target: invoker ≤ 2.0 × pass.
 *
 * Usage: node bench/invoker.mjs [--runs 21] [--python P ...]
 * Each interpreter (default: the executable of `python3` on PATH, and /usr/bin/python3 when it is another;
 * PURUTO_BENCH_PYTHON or --python to choose) runs the three commands interleaved, after two
 * warm-ups (which also write the package's bytecode cache, as a first call does for a user),
 * in a minimal environment; medians and their ratios are printed. A second figure runs the
 * invoker with PYTHONDONTWRITEBYTECODE=1 and no cache (what ipc.py and a read-only checkout get).
 * The repo is a puruto-cron made by `puruto new cron` (bench/kind-repo.mjs).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { kindRepo } from './kind-repo.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opt } = parseArgs({
  options: { runs: { type: 'string', default: '21' }, python: { type: 'string', multiple: true } },
});
const RUNS = Math.max(3, Number(opt.runs));
const TARGET = 2.0;

/** The interpreters to measure: the real executable behind `python3` on PATH (a pyenv shim is a
 * shell script whose own start-up would swamp the figures) and /usr/bin/python3 when it is another. */
function pythons() {
  if (opt.python?.length) return opt.python;
  if (process.env.PURUTO_BENCH_PYTHON) return [process.env.PURUTO_BENCH_PYTHON];
  const found = [];
  const onPath = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  for (const p of [onPath.stdout.trim(), '/usr/bin/python3']) {
    if (p && existsSync(p) && !found.some((f) => realpathSync(f) === realpathSync(p))) found.push(p);
  }
  return found;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'puruto-bench-invoker-'));
const repo = kindRepo('cron', path.join(tmp, 'puruto-cron'));
const skill = path.join(tmp, 'puruto-target', '.claude', 'skills', 'status');
mkdirSync(skill, { recursive: true });
writeFileSync(path.join(skill, 'SKILL.md'), '---\nname: status\ndescription: the status\n---\n# /status\n');
// The before: the last self-contained invoker.py (the commit this split started from).
const BEFORE_COMMIT = 'd40c081';
const before = spawnSync('git', ['show', `${BEFORE_COMMIT}:generators/ipc/templates/invoker.py`], {
  cwd: ROOT,
  encoding: 'utf8',
  maxBuffer: 16 << 20,
});
const beforeName =
  before.status === 0 ? `invoker.py of ${BEFORE_COMMIT} (1,401 lines)` : "previous release's invoker.py";
if (before.status === 0) writeFileSync(path.join(repo, 'previous_invoker.py'), before.stdout);
else
  copyFileSync(
    path.join(ROOT, 'test', 'fixtures', 'update', 'previous-release', 'puruto-notes', 'invoker.py'),
    path.join(repo, 'previous_invoker.py'),
  );
const CALL = ['--target', 'puruto-target', '--action', 'status', '--prompt', 'hi'];
const env = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? tmp,
  PURUTO_AGENT: 'stub',
  PURUTO_DATA_PATH: path.join(tmp, 'no-vault'),
};

function timed(python, args, extra = {}, expect = 0) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(python, args, { cwd: repo, env: { ...env, ...extra }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== expect) throw new Error(`${python} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  if (args[0] !== '-c' && JSON.parse(r.stdout).status !== 'ok') throw new Error(`not ok:\n${r.stdout}`);
  return ms;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${x.toFixed(1)} ms`;

try {
  const cpus = os.cpus();
  console.log(`invoker overhead: stub agent, whole process, ${RUNS} interleaved runs after 2 warm-ups`);
  console.log(`machine: ${cpus.length} cores (${cpus[0]?.model ?? '?'}), node ${process.version}`);
  let met = true;
  for (const python of pythons()) {
    const version = spawnSync(python, ['--version'], { encoding: 'utf8' }).stdout.trim();
    const kinds = {
      pass: (extra) => timed(python, ['-c', 'pass'], extra),
      invoker: (extra) => timed(python, ['invoker.py', ...CALL], extra),
      previous: (extra) => timed(python, ['previous_invoker.py', ...CALL], extra),
    };
    const times = { pass: [], invoker: [], previous: [], cold: [] };
    for (let i = 0; i < 2; i++) for (const run of Object.values(kinds)) run();
    for (let i = 0; i < RUNS; i++) {
      for (const [name, run] of Object.entries(kinds)) times[name].push(run());
      rmSync(path.join(repo, 'puruto_runtime', '__pycache__'), { recursive: true, force: true });
      rmSync(path.join(repo, 'puruto_runtime', 'adapters', '__pycache__'), { recursive: true, force: true });
      times.cold.push(kinds.invoker({ PYTHONDONTWRITEBYTECODE: '1' }));
      kinds.invoker(); // the cache back for the next round
    }
    const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
    const ratio = m.invoker / m.pass;
    met &&= ratio <= TARGET;
    console.log(`\n${python} (${version})`);
    console.log(`  python3 -c pass                      median ${ms(m.pass)}`);
    console.log(`  invoker.py (package, bytecode cached) median ${ms(m.invoker)}  = ${ratio.toFixed(2)} x pass`);
    console.log(
      `  invoker.py (no bytecode cache)        median ${ms(m.cold)}  = ${(m.cold / m.pass).toFixed(2)} x pass`,
    );
    console.log(`  before: ${beforeName}`);
    console.log(
      `                                        median ${ms(m.previous)}  = ${(m.previous / m.pass).toFixed(2)} x pass`,
    );
  }
  console.log(`\ntarget invoker.py <= ${TARGET.toFixed(1)} x python3 -c pass: ${met ? 'met' : 'NOT met'}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
