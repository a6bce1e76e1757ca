import { generatorVersion } from '../../lib/package-version.js';
import assert from 'node:assert/strict';
import { STANDARD_VERSION } from '../../lib/standard/version.js';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateRepo, readIn, tempDir, recordOf } from '../helpers/generators.js';
import { listFiles } from '../../generators/shared/list-files.js';
import { RUNTIME_DESTS } from '../helpers/runtime.js';
import { validateRepo } from '../../lib/validate/index.js';
import { DEFAULT_DESCRIPTION, questions } from '../../generators/data/questions.js';
import DataGenerator from '../../generators/data/index.js';

/** Generates puruto-data into <tmp>/<folder> with --destination, HOME isolated. */
const generate = (
  options: Record<string, unknown>,
  extra: { args?: string[]; answers?: Record<string, unknown> } = {},
  folder = 'puruto-data',
) => generateRepo('data', options, extra, folder);
const read = readIn;
const SKILLS = ['help', 'init', 'list', 'read', 'register', 'status', 'write'];

describe('yo puruto:data (data generator)', () => {
  it('--yes writes the complete vault, and it passes --strict validation as puruto-data', async () => {
    const dir = await generate({ yes: true });
    assert.deepEqual(await listFiles(dir), [
      '.agents/skills',
      '.claude/skills/help/SKILL.md',
      '.claude/skills/init/SKILL.md',
      '.claude/skills/init/scripts/init.py',
      '.claude/skills/list/SKILL.md',
      '.claude/skills/list/scripts/list_skills.py',
      '.claude/skills/read/SKILL.md',
      '.claude/skills/register/SKILL.md',
      '.claude/skills/status/SKILL.md',
      '.claude/skills/status/scripts/puruto_env.py',
      '.claude/skills/status/scripts/status.py',
      '.claude/skills/write/SKILL.md',
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
      'json_schema.py',
      ...RUNTIME_DESTS,
      'registry.json',
      'requirements-dev.txt',
      'shared/.gitkeep',
      'tests/conftest.py',
      'tests/test_hardening.py',
      'tests/test_init_status.py',
      'tests/test_json_schema.py',
      'tests/test_vault.py',
      'tests/test_write_read.py',
      'vault.py',
      'vault_store.py',
    ]);
    assert.equal(read(dir, 'registry.json'), '{\n  "version": "1",\n  "purutos": []\n}\n');
    assert.deepEqual(JSON.parse(read(dir, 'registry.json')), { version: '1', purutos: [] });
    assert.equal(read(dir, 'shared/.gitkeep'), '');
    assert.equal(read(dir, '.puruto-standard-version'), `${STANDARD_VERSION}\n`);
    assert.deepEqual(recordOf(dir), {
      kind: 'puruto-data',
      standardVersion: STANDARD_VERSION,
      generatorVersion: generatorVersion(),
      answers: { name: 'puruto-data', description: DEFAULT_DESCRIPTION },
    });
    const report = await validateRepo(dir, { strict: true });
    assert.equal(report.kind, 'puruto-data');
    assert.deepEqual(report.findings, []);
    assert.equal(report.ok, true);
  });

  it('documents every variable, the vault rules and the three sections of the README', async () => {
    const dir = await generate({ yes: true, description: 'Family data & <notes>' });
    const env = read(dir, '.env.example');
    assert.match(env, /^MAX_SIZE_MB=0$/m);
    assert.match(env, /^# .*megabytes/m);
    assert.match(env, /Default: 0 = no limit/);
    const agents = read(dir, 'AGENTS.md');
    assert.ok(agents.includes('Family data & <notes>'));
    assert.match(agents, /Each Puruto writes only its own folder/);
    assert.match(agents, /never edit `registry.json` by hand/);
    for (const s of SKILLS) assert.match(agents, new RegExp(`\\| \`/${s}\` \\|`));
    const readme = read(dir, 'README.md');
    for (const h of ['## Setup', '## Run', '## Troubleshooting', '## Tests', '### vault.py reference'])
      assert.ok(readme.includes(`\n${h}\n`), h);
    assert.match(read(dir, 'CLAUDE.md'), /^@AGENTS\.md$/m);
    assert.match(read(dir, '.gitignore'), /^\.env$/m);
    assert.match(read(dir, '.gitignore'), /^\.registry\.lock$/m);
    assert.match(read(dir, 'requirements-dev.txt'), /^pytest>=7/m);
    for (const s of ['register', 'read', 'write']) {
      const text = read(dir, `.claude/skills/${s}/SKILL.md`);
      assert.match(text, new RegExp(`^name: ${s}$`, 'm'));
      assert.match(text, new RegExp(`python3 vault\\.py ${s}`));
    }
    assert.match(read(dir, '.claude/skills/init/SKILL.md'), /ends by printing the `\/status` report/);
  });

  it(
    'takes the name as a positional argument or from --answers, ' + 'and detects the kind by .yo-rc.json elsewhere',
    async () => {
      const byArg = await generate({ yes: true }, { args: ['puruto-data'] });
      assert.ok(existsSync(path.join(byArg, 'vault.py')));
      const f = path.join(tempDir(), 'answers.json');
      writeFileSync(f, JSON.stringify({ name: 'puruto-data', description: 'Our vault' }));
      const other = await generate({ answers: f }, {}, 'my-vault');
      assert.match(read(other, 'AGENTS.md'), /Our vault/);
      const report = await validateRepo(other, { strict: true });
      assert.equal(report.kind, 'puruto-data');
      assert.deepEqual(report.findings, []);
    },
  );

  it('--help comes from the question table', () => {
    const text = DataGenerator.prototype.help.call({
      spec: { kind: 'puruto-data', summary: 's', table: questions },
    } as never);
    assert.match(text, /yo puruto:data \[name\] \[options\]/);
    for (const f of ['--name', '--description', '--yes', '--answers', '--destination']) assert.ok(text.includes(f), f);
  });
});
