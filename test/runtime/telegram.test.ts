import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PYTHON, py } from '../helpers/python.js';
import { runGenerator, tempDir, withHome } from '../helpers/generators.js';

/**
 * python-telegram-bot is not in Debian bookworm: scripts/setup.sh unpacks it (from trixie
 * .debs) into .deps/python. Only this suite gets that folder on PYTHONPATH; without it the
 * generated bot tests skip themselves and the rest still runs.
 */
const DEPS = process.env['PURUTO_TELEGRAM_DEPS'] ?? fileURLToPath(new URL('../../.deps/python', import.meta.url));
const HAS_PTB =
  existsSync(DEPS) && py(['-c', 'import telegram, dotenv'], process.cwd(), { PYTHONPATH: DEPS }).status === 0;
const ENV: Record<string, string> = HAS_PTB ? { PYTHONPATH: DEPS } : {};

/** Generates puruto-telegram into a temp folder (HOME isolated) and returns its path. */
async function generate(): Promise<string> {
  const dest = path.join(tempDir('puruto-rt-telegram-'), 'puruto-telegram');
  await withHome(tempDir(), async () => runGenerator('telegram', { options: { yes: true, destination: dest } }));
  return dest;
}

describe('generated puruto-telegram runtime (python3)', () => {
  let dir = '';
  before(async () => {
    dir = await generate();
  });

  it(
    `the connector's own pytest suite passes (bot tests ` +
      `${HAS_PTB ? 'run against the fake Bot API' : 'skipped: no python-telegram-bot in .deps/python'})`,
    function () {
      // ~18 bot processes with a sleeping agent: ~35 s here, more on a busy machine (py() stops at 120 s).
      this.timeout(330_000);
      const r = spawnSync(PYTHON, ['-m', 'pytest', '-q', '-rs', '-p', 'no:cacheprovider', 'tests'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, ...ENV },
        timeout: 300_000,
      });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      const passed = /(\d+) passed/.exec(r.stdout);
      assert.ok(passed && Number(passed[1]) >= (HAS_PTB ? 42 : 24), r.stdout);
      if (HAS_PTB) assert.doesNotMatch(r.stdout, /skipped/);
      assert.doesNotMatch(r.stdout, /failed|error/i);
    },
  );

  it('/init --no-venv, db.py add-channel and inbox.py work in the generated repo', () => {
    const init = py(['.claude/skills/init/scripts/init.py', '--no-venv'], dir);
    assert.equal(init.status, 0, init.stdout + init.stderr);
    assert.match(init.stdout, /next: PURUTO_TELEGRAM_BOT_TOKEN is empty/);
    mkdirSync(path.join(dir, '..', 'puruto-notes'), { recursive: true });
    const add = JSON.parse(py(['db.py', 'add-channel', 'puruto-notes'], dir).stdout);
    assert.deepEqual([add.status, add.command], ['ok', '/puruto_notes']);
    const none = JSON.parse(py(['inbox.py'], dir).stdout);
    assert.deepEqual(Object.keys(none), ['status', 'pending', 'processed', 'message']);
    writeFileSync(
      path.join(dir, 'inbox', 'cron-events.jsonl'),
      '{"job_id": "j", "run_id": "j-1", "ts": "2025-01-01T00:00:00Z"}\n',
    );
    const { message, ...out } = JSON.parse(py(['inbox.py', '--deliver'], dir).stdout);
    assert.deepEqual(out, {
      status: 'ok',
      processed: 0,
      deliver: true,
      delivered: 0,
      skipped_delivery: 1,
      offset: 0,
      inbox_file: 'inbox/cron-events.jsonl',
      forwarded_log: 'db/cron-forwarded.jsonl',
      preview: [],
    });
    assert.match(message, /PURUTO_TELEGRAM_BOT_TOKEN and PURUTO_TELEGRAM_DEFAULT_CHAT_ID are empty/);
    const logged = JSON.parse(py(['inbox.py'], dir).stdout); // without --deliver: logged, the offset moves
    assert.deepEqual([logged.processed, logged.offset], [1, 63]);
  });
});
