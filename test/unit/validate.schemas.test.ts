import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { asValidate, loadSchemas, schemaSource, type RawValidator, type SchemaId } from '../../lib/schemas/index.js';
import { SCHEMA_IDS } from '../../lib/schemas/definitions.js';
import { standaloneSource } from '../../lib/schemas/compile.js';
import { cronProblem } from '../../lib/validate/cron.js';
import { describeSchemaError } from '../../lib/validate/schema-findings.js';
import { tempDir } from '../helpers/repo.js';

const samples: Record<SchemaId, unknown[]> = {
  ipc: [
    { enabled: true, owner: 'x', max_hops: 2, default_timeout_sec: 120, allowed_targets: [], allowed_actions: {} },
    {
      enabled: 'no',
      owner: 1,
      max_hops: 1.5,
      default_timeout_sec: -1,
      allowed_targets: [1, 'a'],
      allowed_actions: { a: [1], b: 'x' },
    },
    { allowed_targets: 'not-a-list', allowed_actions: [] },
    [],
  ],
  jobs: [
    { jobs: [] },
    {
      jobs: [
        {
          job_id: 'a',
          puruto_target: 'p',
          schedule: '* * * * *',
          prompt: 'x',
          timeout_sec: 0,
          max_retries: -1,
          retry_backoff_sec: -2,
          enabled: 'y',
        },
      ],
    },
    { jobs: [{ job_id: '-bad', extra: true }, 3] },
    { nope: 1 },
  ],
  channels: [{ channels: ['puruto-a'] }, { channels: ['a', 'a', '.hidden', 'x/y', 3] }, { channels: 'a' }, null],
  registry: [
    { version: '1', purutos: [] },
    {
      version: 1,
      purutos: [{ name: 'puruto-a', folder: 'puruto-a', registered_at: 'now', path: 3, commands: [1] }, {}],
    },
    { purutos: {} },
  ],
};

describe('validate: JSON Schemas (ajv fallback and standalone)', () => {
  let dir: string;
  before(() => {
    dir = tempDir('puruto-schemas-');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('running from sources uses the ajv fallback (no standalone.js next to the sources)', async () => {
    assert.equal(await schemaSource(), 'ajv');
  });

  it('the standalone ESM code needs no ajv at runtime and gives identical errors', async () => {
    const source = await standaloneSource();
    assert.doesNotMatch(source, /\brequire\(/);
    assert.doesNotMatch(source, /from ["']ajv/);
    const file = path.join(dir, 'standalone.mjs');
    fs.writeFileSync(file, source);
    const standalone = (await import(pathToFileURL(file).href)) as Record<SchemaId, RawValidator>;
    const compiled = (await loadSchemas('ajv')).validators;
    for (const id of SCHEMA_IDS) {
      for (const data of samples[id]) {
        const a = asValidate(standalone[id])(data);
        const b = asValidate(compiled[id])(data);
        assert.deepEqual(a, b, `${id}: ${JSON.stringify(data)}`);
      }
      assert.ok(
        samples[id].some((data) => asValidate(compiled[id])(data).length > 0),
        `${id} samples exercise errors`,
      );
    }
  });

  it('validators are cached per process', async () => {
    assert.equal(await loadSchemas(), await loadSchemas());
  });

  it('error messages are readable', () => {
    const data = { jobs: [{ timeout_sec: '5' }] };
    assert.equal(
      describeSchemaError(
        {
          instancePath: '/jobs/0/timeout_sec',
          keyword: 'type',
          params: { type: 'integer' },
          message: 'must be integer',
        },
        data,
      ),
      '/jobs/0/timeout_sec must be an integer (got "5")',
    );
    assert.equal(
      describeSchemaError(
        {
          instancePath: '',
          keyword: 'required',
          params: { missingProperty: 'jobs' },
          message: "must have required property 'jobs'",
        },
        {},
      ),
      '/jobs is required; add "jobs"',
    );
    assert.match(
      describeSchemaError(
        {
          instancePath: '/max_hops',
          keyword: 'minimum',
          params: { comparison: '>=', limit: 0 },
          message: 'must be >= 0',
        },
        { max_hops: -1 },
      ),
      /^\/max_hops must be >= 0 \(got -1\)$/,
    );
  });
});

describe('validate: cron expressions', () => {
  const valid = [
    '* * * * *',
    '*/5 * * * *',
    '0 9 * * 1-5',
    '0 0 1,15 * *',
    '30 8 * jan-mar mon',
    '0 0 * * 7',
    '@daily',
    '@midnight',
    '@yearly',
    '@annually',
    '@monthly',
    '@weekly',
    '@hourly',
    '  0 0 * * *  ',
  ];
  const invalid = [
    '',
    '* * * *',
    '0 0 9 * * *',
    '61 * * * *',
    '* * 32 * *',
    '*/0 * * * *',
    '@reboot',
    '@minutely',
    'H * * * *',
    'every day at nine',
    '0 0 31 2 *',
  ];
  for (const expr of valid)
    it(`accepts ${JSON.stringify(expr)}`, async () => assert.equal(await cronProblem(expr), undefined));
  for (const expr of invalid)
    it(`rejects ${JSON.stringify(expr)}`, async () => assert.equal(typeof (await cronProblem(expr)), 'string'));
});
