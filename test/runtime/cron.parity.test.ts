import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { py } from '../helpers/python.js';
import { runGenerator, tempDir, withHome } from '../helpers/generators.js';
import { validateRepo } from '../../lib/validate/index.js';

/**
 * `puruto validate --strict` (the .jobs.json JSON Schema + cron and zone checks) and the
 * generated `main.py sync-jobs` must give the same verdict on the same .jobs.json. This also
 * holds the issue 12 drift cases (a 70-character job_id, a blank prompt, an empty
 * notify_channel, an action "../x") and the issue 10 bounds.
 */
const base = { job_id: 'a', puruto_target: 'puruto-target', schedule: '0 9 * * *', prompt: 'Summarise the day.' };
const one = (over: Record<string, unknown>) => JSON.stringify({ jobs: [{ ...base, ...over }] });

const GOOD: [string, string][] = [
  ['no jobs', '{"jobs": []}'],
  ['the minimal job', one({})],
  [
    'every optional field',
    one({
      enabled: false,
      action: 'status',
      notify_channel: 'none',
      timeout_sec: 120,
      max_retries: 3,
      retry_backoff_sec: 0.5,
      timezone: 'Europe/Madrid',
      catch_up: false,
    }),
  ],
  ['the bounds themselves', one({ timeout_sec: 86400, max_retries: 100, retry_backoff_sec: 86400 })],
  ['a whole number written 120.0', one({ timeout_sec: 120.0 })],
  ['the reserved action message', one({ action: 'message' })],
  ['an alias and a 64-character id', one({ job_id: 'x'.repeat(64), schedule: '@daily', timezone: 'UTC' })],
  ['Feb 29 fires in leap years', one({ schedule: '0 0 29 2 *' })],
];

const BAD: [string, string][] = [
  ['a 70-character job_id', one({ job_id: 'x'.repeat(70) })],
  ['a blank prompt', one({ prompt: ' ' })],
  ['an empty notify_channel', one({ notify_channel: '' })],
  ['action "../x"', one({ action: '../x' })],
  ['a job_id with a lone surrogate (valid JSON, not valid Unicode)', one({ job_id: 'a\ud800' })],
  ['an upper-case action', one({ action: 'Status' })],
  ['a target with a slash', one({ puruto_target: '../x' })],
  ['a blank schedule', one({ schedule: '   ' })],
  ['an invalid schedule', one({ schedule: '61 * * * *' })],
  ['a schedule that never fires', one({ schedule: '0 0 30 2 *' })],
  ['max_retries 101', one({ max_retries: 101 })],
  [
    'retry_backoff_sec 1e308',
    '{"jobs": [{"job_id": "a", "puruto_target": "t", "schedule": "* * * * *", "prompt": "p", ' +
      '"retry_backoff_sec": 1e308}]}',
  ],
  ['retry_backoff_sec over a day', one({ retry_backoff_sec: 86401 })],
  [
    'timeout_sec of 400 digits (a JSON integer float() cannot hold)',
    '{"jobs": [{"job_id": "a", "puruto_target": "t", "schedule": "* * * * *", "prompt": "p", ' +
      `"timeout_sec": 1${'0'.repeat(400)}}]}`,
  ],
  ['timeout_sec 0', one({ timeout_sec: 0 })],
  ['timeout_sec over a day', one({ timeout_sec: 86401 })],
  ['timeout_sec 1.5', one({ timeout_sec: 1.5 })],
  ['an unknown zone', one({ timezone: 'Mars/Olympus' })],
  ['a zone in the wrong case', one({ timezone: 'europe/madrid' })],
  ['a zone that is a path', one({ timezone: '../../etc/passwd' })],
  ['catch_up as a string', one({ catch_up: 'no' })],
  ['enabled as a string', one({ enabled: 'yes' })],
  ['a missing prompt', JSON.stringify({ jobs: [{ job_id: 'a', puruto_target: 't', schedule: '* * * * *' }] })],
  ['duplicate job ids', JSON.stringify({ jobs: [base, base] })],
  [
    'NaN',
    '{"jobs": [{"job_id": "a", "puruto_target": "t", "schedule": "* * * * *", "prompt": "p", ' +
      '"retry_backoff_sec": NaN}]}',
  ],
  ['no jobs list', '{"job": []}'],
];

describe('.jobs.json: puruto validate --strict and sync-jobs give the same verdict', function () {
  this.timeout(120_000);
  let dir = '';
  before(async () => {
    dir = path.join(tempDir('puruto-rt-cron-parity-'), 'puruto-cron');
    await withHome(tempDir(), async () => runGenerator('cron', { options: { yes: true, destination: dir } }));
  });

  async function verdicts(text: string): Promise<{ validator: boolean; sync: boolean; detail: string }> {
    writeFileSync(path.join(dir, '.jobs.json'), text);
    const report = await validateRepo(dir, { strict: true });
    const findings = report.findings.filter((f) => f.path === '.jobs.json' && f.level === 'error');
    const r = py(['main.py', 'sync-jobs'], dir, { PURUTO_CRON_TZ: 'UTC', PURUTO_AGENT: 'stub' });
    assert.ok(r.status === 0 || r.status === 1, `sync-jobs exit ${r.status}: ${r.stdout}${r.stderr}`);
    assert.doesNotMatch(r.stderr, /Traceback/);
    const out = JSON.parse(r.stdout) as { status: string; error?: { code: string; message: string } };
    if (r.status === 1) assert.equal(out.error?.code, 'INVALID_JOBS', r.stdout);
    return {
      validator: findings.length === 0,
      sync: r.status === 0,
      detail: `${JSON.stringify(findings.map((f) => f.message))} / ${r.stdout}`,
    };
  }

  for (const [name, text] of GOOD) {
    it(`both accept ${name}`, async () => {
      const v = await verdicts(text);
      assert.deepEqual([v.validator, v.sync], [true, true], v.detail);
    });
  }
  for (const [name, text] of BAD) {
    it(`both refuse ${name}`, async () => {
      const v = await verdicts(text);
      assert.deepEqual([v.validator, v.sync], [false, false], v.detail);
    });
  }
});
