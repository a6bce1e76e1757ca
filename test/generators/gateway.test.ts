import { generatorVersion } from '../../lib/package-version.js';
import assert from 'node:assert/strict';
import { STANDARD_VERSION } from '../../lib/standard/version.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateRepo, readIn, recordOf } from '../helpers/generators.js';
import { listFiles } from '../../generators/shared/list-files.js';
import { RUNTIME_DESTS } from '../helpers/runtime.js';
import { validateRepo } from '../../lib/validate/index.js';
import { DEFAULT_DESCRIPTION } from '../../generators/gateway/questions.js';
import { INVOKER_TEMPLATE } from '../../generators/ipc/files.js';

/** Generates puruto-gateway into <tmp>/<folder> with --destination, HOME isolated. */
const generate = (
  options: Record<string, unknown>,
  extra: { args?: string[]; answers?: Record<string, unknown> } = {},
  folder = 'puruto-gateway',
) => generateRepo('gateway', options, extra, folder);
const read = readIn;

describe('yo puruto:gateway (gateway generator)', () => {
  it('--yes writes the complete gateway, and it passes --strict validation as puruto-gateway', async () => {
    const dir = await generate({ yes: true });
    assert.deepEqual(await listFiles(dir), [
      '.agents/skills',
      '.claude/skills/help/SKILL.md',
      '.claude/skills/init/SKILL.md',
      '.claude/skills/init/scripts/init.py',
      '.claude/skills/list/SKILL.md',
      '.claude/skills/list/scripts/list_skills.py',
      '.claude/skills/status/SKILL.md',
      '.claude/skills/status/scripts/puruto_env.py',
      '.claude/skills/status/scripts/status.py',
      '.env.example',
      '.gemini/settings.json',
      '.gitignore',
      '.mypy.ini',
      '.puruto-schemas/registry.schema.json',
      '.puruto-standard-version',
      '.ruff.toml',
      '.vermin',
      '.yo-rc.json',
      'AGENTS.md',
      'CLAUDE.md',
      'README.md',
      'agent.md',
      'app.py',
      'auth.py',
      'body.py',
      'invoker.py',
      'json_schema.py',
      'models.py',
      ...RUNTIME_DESTS,
      'registry.py',
      'requirements-dev.txt',
      'requirements.txt',
      'routes.py',
      'run',
      'tests/conftest.py',
      'tests/test_api.py',
      'tests/test_body.py',
      'tests/test_concurrency.py',
      'tests/test_discovery.py',
      'tests/test_init_status.py',
      'tests/test_json_schema.py',
      'tests/test_openapi.py',
    ]);
    assert.deepEqual(recordOf(dir), {
      kind: 'puruto-gateway',
      standardVersion: STANDARD_VERSION,
      generatorVersion: generatorVersion(),
      answers: { name: 'puruto-gateway', description: DEFAULT_DESCRIPTION },
    });
    const report = await validateRepo(dir, { strict: true });
    assert.equal(report.kind, 'puruto-gateway');
    assert.deepEqual(report.findings, []);
    assert.equal(report.ok, true);
  });

  it('ships the ecosystem invoker byte for byte, from the ipc template', async () => {
    const dir = await generate({ yes: true });
    assert.ok(INVOKER_TEMPLATE.endsWith(path.join('generators', 'ipc', 'templates', 'invoker.py')));
    assert.equal(read(dir, 'invoker.py'), readFileSync(INVOKER_TEMPLATE, 'utf8'));
    assert.equal(existsSync(path.join('generators', 'gateway', 'templates', 'invoker.py')), false);
    assert.match(read(dir, 'routes.py'), /invoker\.invoke/);
  });

  it('documents every variable, the endpoints, the requirements and the README sections', async () => {
    const dir = await generate({ yes: true, description: 'Our API & <tools>' });
    const env = read(dir, '.env.example');
    assert.match(env, /^PURUTO_GATEWAY_API_KEY=changeme$/m);
    assert.match(env, /^PURUTO_GATEWAY_HOST=127\.0\.0\.1$/m);
    assert.match(env, /^PURUTO_GATEWAY_PORT=8787$/m);
    assert.match(env, /^# PURUTO_DATA_PATH=\.\.\/puruto-data$/m);
    for (const v of ['PURUTO_GATEWAY_API_KEY', 'PURUTO_GATEWAY_HOST', 'PURUTO_GATEWAY_PORT', 'PURUTO_DATA_PATH']) {
      const lines = env.split('\n');
      const at = lines.findIndex((l) => new RegExp(`^(# )?${v}=`).test(l));
      assert.ok(at > 0 && lines[at - 1]!.startsWith('# '), `${v} has a comment above it`);
    }
    assert.match(env, /Default: 8787/);
    assert.match(read(dir, 'requirements.txt'), /^fastapi>=0\.92,<1$/m);
    assert.match(read(dir, 'requirements.txt'), /^uvicorn>=0\.17$/m);
    assert.match(read(dir, 'requirements.txt'), /^python-dotenv>=0\.21,<2$/m);
    const agents = read(dir, 'AGENTS.md');
    assert.ok(agents.includes('Our API & <tools>'));
    for (const s of ['init', 'help', 'list', 'status']) assert.match(agents, new RegExp(`\\| \`/${s}\` \\|`));
    const readme = read(dir, 'README.md');
    for (const h of ['## Setup', '## Run', '## Troubleshooting', '## Tests', '### Endpoints'])
      assert.ok(readme.includes(`\n${h}\n`), h);
    assert.ok(readme.includes('python3 -m uvicorn app:app --host 127.0.0.1 --port 8787'));
    assert.match(readme, /^\.\/run +# the API/m);
    assert.match(read(dir, '.gitignore'), /^\.env$/m);
    assert.match(read(dir, '.claude/skills/status/SKILL.md'), /placeholder/);
    assert.match(
      read(dir, '.claude/skills/init/scripts/init.py'),
      /from puruto_env import Step, init_cli, run_named_steps, step_env, step_venv/,
    );
    assert.match(
      read(dir, '.claude/skills/status/scripts/status.py'),
      /from puruto_env import ROOT, collect_status, render_status, runtime_check, settings, status_cli/,
    );
  });

  it('a real .env still holding changeme is the gateway-default-key warning', async () => {
    const dir = await generate({ yes: true });
    writeFileSync(path.join(dir, '.env'), read(dir, '.env.example'));
    const report = await validateRepo(dir, { strict: true });
    assert.deepEqual(
      report.findings.map((f) => f.code),
      ['gateway-default-key'],
    );
    writeFileSync(path.join(dir, '.env'), 'PURUTO_GATEWAY_API_KEY=0f3c9a7e5b1d2c4e\n');
    assert.deepEqual((await validateRepo(dir, { strict: true })).findings, []);
  });
});
