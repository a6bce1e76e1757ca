#!/usr/bin/env node
/**
 * Benchmark of puruto-cron at agent speed (issue 10), with a `command` agent that sleeps.
 *
 * 1. Pool: 20 due jobs x 3 s agent, PURUTO_CRON_MAX_PARALLEL=4: wall time of one whole
 *    `main.py tick` process. Target <= 1.3 x 15 s = 19.5 s (one after another: 60 s).
 * 2. Retries: 8 due jobs x 3 s agent, plus one job whose agent fails, with max_retries 2 and
 *    retry_backoff_sec 2. Each other job's agent start (after the tick process started) is
 *    compared with a run without the failing job; target: no job starts more than 1 s later.
 *    Then ticks follow until the failing job has used its 3 attempts (rescheduled, not slept).
 *
 * Usage: node bench/cron-pool.mjs [--jobs 20] [--sleep 3] [--parallel 4]
 * Runs on .deps/venv/latest (croniter from PyPI, built by scripts/setup.sh; PURUTO_BENCH_PYTHON
 * picks another Python). Runs a puruto-cron made by `puruto new cron` (bench/kind-repo.mjs) in a temp workspace.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { kindRepo } from './kind-repo.mjs';
import { BENCH_PYTHON } from './python.mjs';

const { values: opt } = parseArgs({
  options: {
    jobs: { type: 'string', default: '20' },
    sleep: { type: 'string', default: '3' },
    parallel: { type: 'string', default: '4' },
  },
});
const JOBS = Number(opt.jobs);
const SLEEP = Number(opt.sleep);
const PARALLEL = Number(opt.parallel);
const PYTHON = BENCH_PYTHON;

// The agent: appends {"event", "prompt", "t"} to the log, sleeps "sleep=<n>" seconds, fails on "fail".
const AGENT = `
import json, re, sys, time
log, prompt = sys.argv[1], sys.argv[2]
def note(event):
    with open(log, "a") as fh:
        fh.write(json.dumps({"event": event, "prompt": prompt, "t": time.time()}) + "\\n")
note("start")
m = re.search(r"sleep=([0-9.]+)", prompt)
time.sleep(float(m.group(1)) if m else 0)
note("end")
print(json.dumps({"error": "asked to fail"} if "fail" in prompt else {"summary": "done"}))
`;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'puruto-bench-cron-pool-'));
const cron = kindRepo('cron', path.join(tmp, 'puruto-cron'));
mkdirSync(path.join(tmp, 'puruto-target'));
const agent = path.join(tmp, 'agent.py');
const log = path.join(tmp, 'agent.log');
writeFileSync(agent, AGENT);
const env = {
  ...process.env,
  PURUTO_AGENT: 'command',
  PURUTO_AGENT_COMMAND: `${PYTHON} ${agent} ${log} {prompt}`,
  PURUTO_CRON_TZ: 'UTC',
  PURUTO_CRON_MAX_PARALLEL: String(PARALLEL),
  PURUTO_DATA_PATH: path.join(tmp, 'no-vault'),
};
const run = (args) => {
  const r = spawnSync(PYTHON, args, { cwd: cron, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0 && !(args[1] === 'tick' && r.stdout))
    throw new Error(`${args.join(' ')} failed: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
};
const job = (id, prompt, over = {}) => ({
  job_id: id,
  puruto_target: 'puruto-target',
  schedule: '0 0 1 1 *',
  prompt,
  ...over,
});
const calls = () =>
  existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];

/** Syncs `jobs`, marks them all due, runs one tick; returns its wall time, output and agent calls. */
function tickWith(jobs) {
  writeFileSync(path.join(cron, '.jobs.json'), JSON.stringify({ jobs }));
  run(['main.py', 'sync-jobs']);
  run([
    '-c',
    "import sqlite3; c = sqlite3.connect('db/cron.db'); c.execute(\"UPDATE jobs SET next_run_at = " +
      "'2000-01-01T00:00:00Z'\"); c.commit()",
  ]);
  rmSync(log, { force: true });
  const start = Date.now() / 1000;
  const t0 = process.hrtime.bigint();
  const out = JSON.parse(run(['main.py', 'tick']));
  return { wall: Number(process.hrtime.bigint() - t0) / 1e9, out, start, calls: calls() };
}

try {
  console.log(
    `cron pool: ${JOBS} due jobs x ${SLEEP} s command agent, ` +
      `PURUTO_CRON_MAX_PARALLEL=${PARALLEL} (${os.cpus().length} cores)`,
  );
  const pool = tickWith(
    Array.from({ length: JOBS }, (_, i) => job(`job-${String(i).padStart(2, '0')}`, `sleep=${SLEEP} job ${i}`)),
  );
  const ok = pool.out.results.filter((r) => r.status === 'ok').length;
  if (ok !== JOBS)
    throw new Error(`expected ${JOBS} ok runs, got ${ok}: ${JSON.stringify(pool.out.results.slice(0, 3))}`);
  const ideal = Math.ceil(JOBS / PARALLEL) * SLEEP;
  const poolTarget = 1.3 * ideal;
  console.log(
    `  tick wall (whole process): ${pool.wall.toFixed(2)} s; ideal ${ideal} s; ` +
      `one after another would be ${JOBS * SLEEP} s`,
  );
  console.log(
    `  target <= 1.3 x ${ideal} s = ${poolTarget.toFixed(1)} s: ${pool.wall <= poolTarget ? 'met' : 'NOT met'}`,
  );

  const others = Array.from({ length: 8 }, (_, i) => job(`ok-${i}`, `sleep=${SLEEP} other ${i}`));
  const failing = job('a-failing', 'fail now', { max_retries: 2, retry_backoff_sec: 2 });
  const startsOf = (r) =>
    Object.fromEntries(r.calls.filter((c) => c.event === 'start').map((c) => [c.prompt, c.t - r.start]));
  const base = startsOf(tickWith(others));
  const withFail = tickWith([failing, ...others]);
  const starts = startsOf(withFail);
  const delays = others.map((j) => starts[j.prompt] - base[j.prompt]);
  const worst = Math.max(...delays);
  const first = withFail.out.results.find((r) => r.job_id === 'a-failing');
  if (first?.status !== 'retry_scheduled')
    throw new Error(`the failing job should be rescheduled, got ${JSON.stringify(first)}`);
  let final = first;
  let ticks = 1;
  const deadline = Date.now() + 60_000;
  while (final.status === 'retry_scheduled' && Date.now() < deadline) {
    spawnSync('sleep', ['0.5']);
    const out = JSON.parse(run(['main.py', 'tick']));
    ticks += 1;
    final = out.results.find((r) => r.job_id === 'a-failing') ?? final;
  }
  console.log(
    `retries: 8 due jobs x ${SLEEP} s + 1 failing job (max_retries 2, retry_backoff_sec 2), pool ${PARALLEL}`,
  );
  console.log(
    `  other jobs' start delay vs. a run without the failing job: max ${worst.toFixed(3)} s (each: ` +
      `${delays.map((d) => d.toFixed(2)).join(' ')})`,
  );
  console.log(
    `  the failing job: attempt 1 rescheduled (${first.retry_at}), ` +
      `final ${final.status} after ${final.attempts ?? '?'} attempts over ${ticks} ticks`,
  );
  console.log(`  target <= 1 s: ${worst <= 1 ? 'met' : 'NOT met'}`);
  if (final.status !== 'error' || final.attempts !== 3)
    throw new Error(`expected a final error after 3 attempts, got ${JSON.stringify(final)}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
