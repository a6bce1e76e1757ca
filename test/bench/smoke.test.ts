/**
 * The runtime benchmarks still run (the README shows them): each is started with small
 * figures and must exit 0 and print its measurements and its verdict line. Timings are
 * never asserted here (bench/README.md has the targets); this only keeps a bench from
 * going stale, as the hand-kept copy lists once did. Each bench runs in its own process
 * group, killed by the test if it overstays.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../helpers/generators.js';

function bench(script: string, args: string[], limitMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bench', script), ...args], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, limitMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const CASES: { script: string; args: string[]; expect: RegExp[] }[] = [
  {
    script: 'cron-tick.mjs',
    args: ['--jobs', '200', '--due', '10', '--runs', '1'],
    expect: [/wall per tick \(whole process\): median [\d.]+ s/, /target < 0\.5 s: (met|NOT met)/],
  },
  {
    script: 'cron-pool.mjs',
    args: ['--jobs', '4', '--sleep', '1', '--parallel', '2'],
    expect: [/tick wall \(whole process\): [\d.]+ s/, /the failing job: attempt 1 rescheduled/],
  },
  {
    script: 'gateway.mjs',
    args: ['--count', '20', '--runs', '20'],
    expect: [/GET \/purutos \(\d+ registered\)\s+median [\d.]+ ms/, /200 MB chunked POST: answer 413/],
  },
  {
    script: 'invoker.mjs',
    args: ['--runs', '3'],
    expect: [
      /invoker\.py \(package, bytecode cached\) median [\d.]+ ms\s+= [\d.]+ x pass/,
      /before: .*invoker\.py.*\n\s+median [\d.]+ ms/,
      /target invoker\.py <= 2\.0 x python3 -c pass: (met|NOT met)/,
    ],
  },
  {
    script: 'telegram.mjs',
    args: ['--samples', '1', '--runs', '1'],
    expect: [/B's \/status while A's [\d.]+ s call runs/, /10 users x one text, [\d.]+ s agent, run 1: first answer/],
  },
];

describe('the runtime benchmarks run (figures printed, timings not asserted)', function () {
  this.timeout(240_000);
  for (const c of CASES) {
    it(`node bench/${c.script} ${c.args.join(' ')}`, async () => {
      const r = await bench(c.script, c.args, 200_000);
      assert.equal(r.code, 0, r.out);
      for (const re of c.expect) assert.match(r.out, re);
    });
  }
});
