import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { validateRepo } from '../../lib/validate/index.js';
import { tempDir } from '../helpers/generators.js';
import { cleanEnv, ipcRepo, runJson, type IpcAnswer } from '../helpers/ipc.js';

/**
 * `.puruto-ipc.json`: `puruto validate --strict` (std checks + its JSON Schema) and the
 * generated `ipc.py` (which reads it before every call) must give the same verdict on the
 * same file: accepted (the call goes on to the allowlist) or refused (IPC_ERROR config_invalid).
 */
const base = {
  enabled: true,
  owner: 'puruto-a',
  max_hops: 2,
  default_timeout_sec: 120,
  allowed_targets: [],
  allowed_actions: {},
};
const cfg = (over: Record<string, unknown>) => JSON.stringify({ ...base, ...over });
const without = (key: keyof typeof base) =>
  JSON.stringify(Object.fromEntries(Object.entries(base).filter(([k]) => k !== key)));

const GOOD: [string, string][] = [
  ['the generated defaults', cfg({})],
  ['IPC disabled', cfg({ enabled: false })],
  ['max_hops 0', cfg({ max_hops: 0 })],
  ['a whole number written 2.0', cfg({ max_hops: 2.0 })],
  ['a fractional timeout', cfg({ default_timeout_sec: 0.5 })],
  [
    'allowlists with the message action',
    cfg({ allowed_targets: ['puruto-b'], allowed_actions: { 'puruto-b': ['message', 'status'] } }),
  ],
  ['a missing key (its deny-by-default value applies)', without('allowed_targets')],
  ['an empty object', '{}'],
];

const BAD: [string, string][] = [
  ['not JSON', '{"enabled": true,'],
  ['a list', '[]'],
  ['enabled as a string', cfg({ enabled: 'yes' })],
  ['owner as a number', cfg({ owner: 3 })],
  ['max_hops -1', cfg({ max_hops: -1 })],
  ['max_hops 1.5', cfg({ max_hops: 1.5 })],
  ['max_hops true', cfg({ max_hops: true })],
  ['default_timeout_sec 0', cfg({ default_timeout_sec: 0 })],
  ['default_timeout_sec as a string', cfg({ default_timeout_sec: '120' })],
  ['default_timeout_sec Infinity', cfg({}).replace('"default_timeout_sec":120', '"default_timeout_sec":Infinity')],
  ['default_timeout_sec NaN', cfg({}).replace('"default_timeout_sec":120', '"default_timeout_sec":NaN')],
  ['allowed_targets a string', cfg({ allowed_targets: 'puruto-b' })],
  ['allowed_targets with a number', cfg({ allowed_targets: [1] })],
  ['allowed_actions a list', cfg({ allowed_actions: [] })],
  ['allowed_actions with a string value', cfg({ allowed_actions: { 'puruto-b': 'status' } })],
  ['allowed_actions with a number', cfg({ allowed_actions: { 'puruto-b': [1] } })],
  ['nested 20,000 deep', `{"owner": ${'['.repeat(20000)}${']'.repeat(20000)}}`],
];

describe('.puruto-ipc.json: puruto validate --strict and ipc.py give the same verdict', function () {
  this.timeout(120_000);
  let parent = '';
  let dir = '';
  before(async () => {
    parent = tempDir('puruto-rt-ipc-parity-');
    dir = await ipcRepo('puruto-a', parent);
  });
  after(() => rmSync(parent, { recursive: true, force: true }));

  async function verdicts(text: string): Promise<{ validator: boolean; ipc: boolean; detail: string }> {
    writeFileSync(path.join(dir, '.puruto-ipc.json'), text);
    const report = await validateRepo(dir, { strict: true });
    const findings = report.findings.filter((f) => f.path === '.puruto-ipc.json' && f.level === 'error');
    const r = runJson<IpcAnswer>(
      dir,
      ['ipc.py', '--target', 'puruto-b', '--action', 'status', '--prompt', 'p'],
      cleanEnv({ PURUTO_AGENT: 'stub' }),
    );
    assert.doesNotMatch(r.stderr, /Traceback/);
    const reason = r.json.response['error']?.details?.reason;
    return {
      validator: findings.length === 0,
      ipc: reason !== 'config_invalid',
      detail: `${JSON.stringify(findings.map((f) => f.message))} / ${JSON.stringify(r.json.response['error'])}`,
    };
  }

  for (const [name, text] of GOOD) {
    it(`both accept ${name}`, async () => {
      const v = await verdicts(text);
      assert.deepEqual([v.validator, v.ipc], [true, true], v.detail);
    });
  }
  for (const [name, text] of BAD) {
    it(`both refuse ${name}`, async () => {
      const v = await verdicts(text);
      assert.deepEqual([v.validator, v.ipc], [false, false], v.detail);
    });
  }
});
