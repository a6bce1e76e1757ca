import { generatorVersion } from '../../lib/package-version.js';
import assert from 'node:assert/strict';
import { STANDARD_VERSION } from '../../lib/standard/version.js';
import { readFileSync } from 'node:fs';
import { generateRepo, readIn, recordOf } from '../helpers/generators.js';
import { listFiles } from '../../generators/shared/list-files.js';
import { validateRepo } from '../../lib/validate/index.js';
import { DEFAULT_DESCRIPTION } from '../../generators/telegram/questions.js';
import { INVOKER_TEMPLATE as INVOKER } from '../../generators/ipc/files.js';

const generate = (options: Record<string, unknown>) => generateRepo('telegram', options, {}, 'puruto-telegram');
const read = readIn;
const SKILLS = ['add-channel', 'drain-inbox', 'help', 'init', 'list', 'status'];

describe('yo puruto:telegram (telegram generator)', () => {
  it('--yes writes the complete connector, and it passes --strict validation as puruto-telegram', async () => {
    const dir = await generate({ yes: true });
    const files = await listFiles(dir);
    for (const f of [
      'bot.py',
      'conversations.py',
      'pending.py',
      'telegram_format.py',
      'router.py',
      'db.py',
      'inbox.py',
      'telegram_env.py',
      'invoker.py',
      '.channels.json',
      'db/.gitkeep',
      'inbox/.gitkeep',
      'requirements.txt',
      'requirements-dev.txt',
      '.env.example',
      '.gitignore',
      'AGENTS.md',
      'CLAUDE.md',
      'agent.md',
      'README.md',
      '.puruto-standard-version',
      '.claude/skills/init/scripts/init.py',
      '.claude/skills/status/scripts/status.py',
      '.claude/skills/status/scripts/puruto_env.py',
      '.claude/skills/list/scripts/list_skills.py',
      'tests/conftest.py',
      'tests/fake_bot_api.py',
      'tests/test_db_router.py',
      'tests/test_inbox.py',
      'tests/test_bot.py',
      'tests/test_bot_concurrency.py',
      'tests/test_bot_crash.py',
      'tests/test_bot_updates.py',
      'tests/test_format.py',
      'tests/fake_agent.py',
      'tests/test_init_status.py',
      ...SKILLS.map((s) => `.claude/skills/${s}/SKILL.md`),
    ])
      assert.ok(files.includes(f), f);
    assert.deepEqual(
      files
        .filter((f) => f.endsWith('SKILL.md'))
        .map((f) => f.split('/')[2])
        .sort(),
      SKILLS,
    );
    assert.equal(read(dir, 'invoker.py'), readFileSync(INVOKER, 'utf8'));
    assert.deepEqual(JSON.parse(read(dir, '.channels.json')), { channels: [] });
    const req = read(dir, 'requirements.txt');
    assert.match(req, /^python-telegram-bot>=21,<23$/m);
    assert.match(req, /^python-dotenv/m);
    assert.deepEqual(recordOf(dir), {
      kind: 'puruto-telegram',
      standardVersion: STANDARD_VERSION,
      generatorVersion: generatorVersion(),
      answers: { name: 'puruto-telegram', description: DEFAULT_DESCRIPTION },
    });
    const report = await validateRepo(dir, { strict: true });
    assert.equal(report.kind, 'puruto-telegram');
    assert.deepEqual(report.findings, []);
    assert.equal(report.ok, true);
  });

  it(
    'documents every variable of SPEC §9 (plus the allowlist and API base) ' + 'with a comment and its default',
    async () => {
      const dir = await generate({ yes: true });
      const env = read(dir, '.env.example');
      assert.match(env, /^PURUTO_TELEGRAM_BOT_TOKEN=$/m);
      assert.match(env, /^DB_PATH=db\/telegram\.db$/m);
      for (const v of [
        'PURUTO_TELEGRAM_DEFAULT_CHAT_ID',
        'PURUTO_DATA_PATH',
        'PURUTO_TELEGRAM_ALLOWED_USERS',
        'PURUTO_TELEGRAM_API_BASE',
        'PURUTO_TELEGRAM_MAX_PARALLEL',
        'PURUTO_TELEGRAM_CONNECT_RETRIES',
      ]) {
        assert.match(env, new RegExp(`^#? ?${v}=`, 'm'), v);
      }
      assert.match(env, /^# PURUTO_TELEGRAM_ALLOWED_USERS=$/m);
      assert.match(env, /^# PURUTO_TELEGRAM_API_BASE=https:\/\/api\.telegram\.org$/m);
      assert.match(env, /Default: https:\/\/api\.telegram\.org/);
      assert.match(env, /^# Default: 16\n# PURUTO_TELEGRAM_MAX_PARALLEL=16$/m);
      assert.match(env, /^# Default: 10\n# PURUTO_TELEGRAM_CONNECT_RETRIES=10$/m);
      const readme = read(dir, 'README.md');
      for (const h of [
        '## Setup',
        '## Run',
        '### While an agent works',
        '### Start-up',
        '## Troubleshooting',
        '## Tests',
      ]) {
        assert.ok(readme.includes(`\n${h}\n`), h);
      }
      for (const v of ['PURUTO_TELEGRAM_MAX_PARALLEL', 'PURUTO_TELEGRAM_CONNECT_RETRIES'])
        assert.match(readme, new RegExp(`\\| \`${v}\` \\|`));
      assert.match(readme, /the reserved\naction `message`/);
      assert.doesNotMatch(readme + read(dir, 'router.py') + read(dir, 'AGENTS.md'), /\/chat\b|action `chat`|"chat"/);
      const agents = read(dir, 'AGENTS.md');
      for (const s of SKILLS) assert.match(agents, new RegExp(`\\| \`/${s}\` \\|`));
      const ignore = read(dir, '.gitignore');
      assert.match(ignore, /^\.env$/m);
      assert.match(ignore, /^!inbox\/\.gitkeep$/m);
    },
  );
});
