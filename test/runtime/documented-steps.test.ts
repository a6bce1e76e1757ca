import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, runGenerator, tempDir, withHome } from '../helpers/generators.js';

/**
 * A repo's own test suite passes on a repo in normal use (issue 19, item 8): after /init, a
 * filled-in .env and the README's own steps (`db.py add-channel`, `./run resume`), the tests
 * still build their own fixtures instead of reading the live .channels.json, .jobs.json, .env
 * or databases. Run on the newest runtime dependencies (.deps/venv/latest).
 */
const LATEST = process.env['PURUTO_LATEST_PYTHON'] ?? path.join(ROOT, '.deps', 'venv', 'latest', 'bin', 'python');

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PURUTO_PYTHON: LATEST, ...env },
    timeout: 300_000,
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}`, stdout: r.stdout };
}

async function generate(kind: string): Promise<string> {
  const dest = path.join(tempDir(`puruto-steps-${kind}-`), `puruto-${kind}`);
  await withHome(tempDir(), async () => runGenerator(kind, { options: { yes: true, destination: dest } }));
  return dest;
}

/** A .env as a user fills it in: values the suite must not pick up (an agent that always fails). */
function fillEnv(dir: string, lines: string[]): void {
  const env = path.join(dir, '.env');
  const base = existsSync(env) ? readFileSync(env, 'utf8') : '';
  writeFileSync(env, `${base}\nPURUTO_AGENT=command\nPURUTO_AGENT_COMMAND=false\n${lines.join('\n')}\n`);
}

function suitePasses(dir: string): void {
  const r = run(LATEST, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'], dir);
  assert.equal(r.status, 0, r.out);
  assert.match(r.stdout, /\d+ passed/);
  assert.doesNotMatch(r.stdout, /failed|error|skipped/i);
}

describe('generated suites pass after the README steps (.deps/venv/latest)', function () {
  this.timeout(600_000);
  before(function () {
    if (!existsSync(LATEST)) this.skip(); // no venv built on this machine: nothing to run them on
  });

  it('puruto-telegram: /init, .env filled in, `python3 db.py add-channel puruto-notes`, then pytest', async () => {
    const dir = await generate('telegram');
    const init = run(LATEST, ['.claude/skills/init/scripts/init.py', '--no-venv'], dir);
    assert.equal(init.status, 0, init.out);
    fillEnv(dir, [
      'PURUTO_TELEGRAM_BOT_TOKEN=123456:live-token',
      'PURUTO_TELEGRAM_ALLOWED_USERS=424242',
      'PURUTO_TELEGRAM_DEFAULT_CHAT_ID=424242',
    ]);
    mkdirSync(path.join(dir, '..', 'puruto-notes'));
    const add = run(LATEST, ['db.py', 'add-channel', 'puruto-notes'], dir);
    assert.equal(add.status, 0, add.out);
    assert.equal(JSON.parse(add.stdout).added, true);
    suitePasses(dir);
  });

  it('puruto-cron: /init, .env filled in, `./run resume daily-status`, then pytest', async () => {
    const dir = await generate('cron');
    const init = run(LATEST, ['.claude/skills/init/scripts/init.py', '--no-venv'], dir);
    assert.equal(init.status, 0, init.out);
    fillEnv(dir, ['PURUTO_CRON_POLL_SECONDS=5', 'PURUTO_CRON_TZ=Asia/Tokyo']);
    const resume = run(path.join(dir, 'run'), ['resume', 'daily-status'], dir);
    assert.equal(resume.status, 0, resume.out);
    assert.equal(JSON.parse(resume.stdout).enabled, true);
    suitePasses(dir);
  });
});
