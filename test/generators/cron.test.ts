import { generatorVersion } from '../../lib/package-version.js';
import assert from 'node:assert/strict';
import { STANDARD_VERSION } from '../../lib/standard/version.js';
import { readFileSync } from 'node:fs';
import { generateRepo, readIn, recordOf } from '../helpers/generators.js';
import { listFiles } from '../../generators/shared/list-files.js';
import { validateRepo } from '../../lib/validate/index.js';
import { DEFAULT_DESCRIPTION } from '../../generators/cron/questions.js';
import { SAMPLE_JOBS } from '../../generators/cron/files.js';
import { INVOKER_TEMPLATE as INVOKER } from '../../generators/ipc/files.js';

const generate = (options: Record<string, unknown>) => generateRepo('cron', options, {}, 'puruto-cron');
const read = readIn;
const SKILLS = ['help', 'init', 'list', 'logs', 'pause-job', 'register-job', 'resume-job', 'run-now', 'status'];

describe('yo puruto:cron (cron generator)', () => {
  it('--yes writes the complete scheduler, and it passes --strict validation as puruto-cron', async () => {
    const dir = await generate({ yes: true });
    const files = await listFiles(dir);
    for (const f of [
      'main.py',
      'db.py',
      'scheduler.py',
      'executor.py',
      'invoker.py',
      'notifier.py',
      '.jobs.json',
      'db/.gitkeep',
      'runs/.gitkeep',
      'notifications/.gitkeep',
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
      'tests/test_db_sync.py',
      'tests/test_tick.py',
      'tests/test_concurrency.py',
      'tests/test_crash.py',
      'tests/test_init_status.py',
      'tests/test_parallel.py',
      'tests/test_timezones.py',
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
    const jobs = JSON.parse(read(dir, '.jobs.json'));
    assert.deepEqual(jobs, SAMPLE_JOBS);
    assert.equal(jobs.jobs.length, 1);
    assert.equal(jobs.jobs[0]?.enabled, false);
    assert.match(read(dir, 'requirements.txt'), /^croniter>=1\.3,<8$/m);
    assert.deepEqual(recordOf(dir), {
      kind: 'puruto-cron',
      standardVersion: STANDARD_VERSION,
      generatorVersion: generatorVersion(),
      answers: { name: 'puruto-cron', description: DEFAULT_DESCRIPTION },
    });
    const report = await validateRepo(dir, { strict: true });
    assert.equal(report.kind, 'puruto-cron');
    assert.deepEqual(report.findings, []);
    assert.equal(report.ok, true);
  });

  it('documents every variable of SPEC §9 with a comment and its default', async () => {
    const dir = await generate({ yes: true });
    const env = read(dir, '.env.example');
    for (const v of [
      'DB_PATH',
      'PURUTO_CRON_POLL_SECONDS',
      'PURUTO_CRON_LEASE_SECONDS',
      'PURUTO_DATA_PATH',
      'PURUTO_TELEGRAM_PATH',
      'PURUTO_TELEGRAM_OUTBOX_FILE',
    ]) {
      assert.match(env, new RegExp(`^#? ?${v}=`, 'm'), v);
    }
    assert.match(env, /^DB_PATH=db\/cron\.db$/m);
    assert.match(env, /^PURUTO_CRON_POLL_SECONDS=30$/m);
    assert.match(env, /^PURUTO_CRON_LEASE_SECONDS=120$/m);
    assert.match(env, /Default: inbox\/cron-events\.jsonl/);
    assert.match(env, /^# PURUTO_CRON_MAX_PARALLEL=4$/m);
    assert.match(env, /^# PURUTO_CRON_TZ=/m);
    assert.match(env, /Default: the machine's zone/);
    const readme = read(dir, 'README.md');
    for (const h of ['## Setup', '## Run', '## Troubleshooting', '## Tests']) assert.ok(readme.includes(`\n${h}\n`), h);
    for (const t of [
      'PURUTO_CRON_MAX_PARALLEL',
      'PURUTO_CRON_TZ',
      '`timezone`',
      '`catch_up`',
      '**Missed runs.**',
      '`interrupted`',
      '0 to 100',
      '1 to 86400',
    ]) {
      assert.ok(readme.includes(t), t);
    }
    const agents = read(dir, 'AGENTS.md');
    for (const s of SKILLS) assert.match(agents, new RegExp(`\\| \`/${s}\` \\|`));
    assert.match(read(dir, '.gitignore'), /^\.env$/m);
  });
});
