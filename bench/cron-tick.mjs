#!/usr/bin/env node
/**
 * Benchmark of puruto-cron (issue 4): `python3 main.py tick` with 10,000 jobs of which 100
 * are due, with the invoker's `stub` agent. Target: under 0.5 s wall per tick.
 *
 * Usage: node bench/cron-tick.mjs [--jobs 10000] [--due 100] [--runs 5]
 * Runs on .deps/venv/latest (croniter from PyPI, built by scripts/setup.sh; PURUTO_BENCH_PYTHON
 * picks another Python). Runs a puruto-cron made by `puruto new cron` (bench/kind-repo.mjs)
 * in a temp workspace beside a target folder; each run re-marks 100 jobs due, then times one
 * whole `tick` process (start-up, imports, the pass, 100 runs recorded and notified).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { kindRepo } from './kind-repo.mjs';
import { BENCH_PYTHON } from './python.mjs';

const { values: opt } = parseArgs({
  options: {
    jobs: { type: 'string', default: '10000' },
    due: { type: 'string', default: '100' },
    runs: { type: 'string', default: '5' },
  },
});
const JOBS = Number(opt.jobs);
const DUE = Number(opt.due);
const RUNS = Number(opt.runs);
const PYTHON = BENCH_PYTHON;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'puruto-bench-cron-'));
const cron = kindRepo('cron', path.join(tmp, 'puruto-cron'));
mkdirSync(path.join(tmp, 'puruto-target'));
const jobs = Array.from({ length: JOBS }, (_, i) => ({
  job_id: `job-${i}`,
  puruto_target: 'puruto-target',
  schedule: '0 0 1 1 *',
  prompt: `p${i}`,
}));
writeFileSync(path.join(cron, '.jobs.json'), JSON.stringify({ jobs }));
const env = { ...process.env, PURUTO_AGENT: 'stub', PURUTO_DATA_PATH: path.join(tmp, 'no-vault') };
const run = (args) => {
  const r = spawnSync(PYTHON, args, { cwd: cron, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
};
try {
  run(['main.py', 'sync-jobs']);
  const markDue =
    `import sqlite3; c = sqlite3.connect('db/cron.db'); c.execute("UPDATE jobs SET next_run_at = ` +
    `'2000-01-01T00:00:00Z' WHERE CAST(substr(job_id, 5) AS INTEGER) ` +
    `% ${Math.max(1, Math.floor(JOBS / DUE))} = 0 AND CAST(substr(job_id, 5) AS INTEGER) ` +
    `< ${DUE * Math.max(1, Math.floor(JOBS / DUE))}"); c.commit()`;
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    run(['-c', markDue]);
    const t0 = process.hrtime.bigint();
    const out = JSON.parse(run(['main.py', 'tick']));
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    const ok = out.results.filter((r) => r.status === 'ok').length;
    if (out.due_jobs.length !== DUE || ok !== DUE)
      throw new Error(`expected ${DUE} due and run, got ${out.due_jobs.length} due, ${ok} ok`);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`cron tick: ${JOBS} jobs, ${DUE} due, stub agent, ${RUNS} runs`);
  console.log(
    `  wall per tick (whole process): median ${median.toFixed(3)} s, min ${times[0].toFixed(3)} s, ` +
      `max ${times.at(-1).toFixed(3)} s`,
  );
  console.log(`  target < 0.5 s: ${median < 0.5 ? 'met' : 'NOT met'}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
