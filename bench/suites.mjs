#!/usr/bin/env node
/**
 * Benchmark of the two dependency sets (issue 18): each kind's own pytest suite, whole
 * `python -m pytest` process, on .deps/venv/latest (the newest releases pins.json allows)
 * and on .deps/venv/floor (its lowest), runs interleaved; medians and their ratio
 * latest/floor. No target: both sets must pass, the ratio says what the newest releases
 * cost or save.
 *
 * Usage: node bench/suites.mjs [--runs 3] [--kinds data,cron,gateway,telegram] [--select EXPR]
 * --select is passed to pytest as -k (a subset, e.g. for a quick check). Each kind is made by
 * `puruto new <kind>` (bench/kind-repo.mjs) in a temp folder; the venvs come from
 * scripts/setup.sh (PURUTO_DEPS moves them).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { kindRepo } from './kind-repo.mjs';
import { venvPython } from './python.mjs';

const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    kinds: { type: 'string', default: 'data,cron,gateway,telegram' },
    select: { type: 'string' },
  },
});
const RUNS = Number(opt.runs);
const KINDS = opt.kinds.split(',').filter(Boolean);
const SETS = ['latest', 'floor'];
for (const set of SETS) {
  if (!existsSync(venvPython(set))) throw new Error(`${venvPython(set)} is missing: run scripts/setup.sh`);
}

/** One whole pytest process: wall seconds and how many tests passed; throws when it fails. */
function suite(set, dir) {
  const args = ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', ...(opt.select ? ['-k', opt.select] : []), 'tests'];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(venvPython(set), args, { cwd: dir, encoding: 'utf8', timeout: 900_000, maxBuffer: 64 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const passed = Number(/(\d+) passed/.exec(r.stdout ?? '')?.[1] ?? 0);
  if (r.status !== 0 || passed === 0) {
    throw new Error(`[${set}] pytest in ${dir} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return { wall, passed };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'puruto-bench-suites-'));
try {
  console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}`);
  console.log(
    `suite time on latest vs floor: whole \`python -m pytest\` process, ${RUNS} run(s) per set, interleaved` +
      (opt.select ? `, -k ${JSON.stringify(opt.select)}` : ''),
  );
  for (const kind of KINDS) {
    const dir = kindRepo(kind, path.join(tmp, `puruto-${kind}`));
    const times = { latest: [], floor: [] };
    const passed = {};
    for (let i = 0; i < RUNS; i++) {
      // Alternate which set goes first, so a drift of the machine hits both.
      for (const set of i % 2 ? [...SETS].reverse() : SETS) {
        const r = suite(set, dir);
        times[set].push(r.wall);
        passed[set] = r.passed;
      }
    }
    const [l, f] = [median(times.latest), median(times.floor)];
    console.log(
      `  puruto-${kind.padEnd(9)} latest ${l.toFixed(2)} s (${passed.latest} passed)   ` +
        `floor ${f.toFixed(2)} s (${passed.floor} passed)   latest/floor ${(l / f).toFixed(2)}`,
    );
  }
  console.log('both sets passed every suite');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
