import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PY_SETS, py } from '../helpers/python.js';
import { runGenerator, tempDir, withHome } from '../helpers/generators.js';

/** Generates puruto-telegram into a temp folder (HOME isolated) and returns its path. */
async function generate(): Promise<string> {
  const dest = path.join(tempDir('puruto-rt-telegram-'), 'puruto-telegram');
  await withHome(tempDir(), async () => runGenerator('telegram', { options: { yes: true, destination: dest } }));
  return dest;
}

for (const { name, python } of PY_SETS) {
  describe(`generated puruto-telegram runtime [${name}]`, () => {
    let dir = '';
    before(async () => {
      dir = await generate();
    });

    it("the connector's own pytest suite passes (the bot on python-telegram-bot vs the fake Bot API)", function () {
      // ~18 bot processes with a sleeping agent: ~35 s here, more on a busy machine (py() stops at 120 s).
      this.timeout(330_000);
      const r = spawnSync(python, ['-m', 'pytest', '-q', '-rs', '-p', 'no:cacheprovider', 'tests'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 300_000,
      });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      const passed = /(\d+) passed/.exec(r.stdout);
      assert.ok(passed && Number(passed[1]) >= 42, r.stdout);
      assert.doesNotMatch(r.stdout, /skipped/);
      assert.doesNotMatch(r.stdout, /failed|error/i);
    });

    it('/init --no-venv, db.py add-channel and inbox.py work in the generated repo', () => {
      const init = py(['.claude/skills/init/scripts/init.py', '--no-venv'], dir, {}, python);
      assert.equal(init.status, 0, init.stdout + init.stderr);
      assert.match(init.stdout, /next: PURUTO_TELEGRAM_BOT_TOKEN is empty/);
      mkdirSync(path.join(dir, '..', 'puruto-notes'), { recursive: true });
      const add = JSON.parse(py(['db.py', 'add-channel', 'puruto-notes'], dir, {}, python).stdout);
      assert.deepEqual([add.status, add.command], ['ok', '/puruto_notes']);
      const none = JSON.parse(py(['inbox.py'], dir, {}, python).stdout);
      assert.deepEqual(Object.keys(none), ['status', 'pending', 'processed', 'message']);
      writeFileSync(
        path.join(dir, 'inbox', 'cron-events.jsonl'),
        '{"job_id": "j", "run_id": "j-1", "ts": "2025-01-01T00:00:00Z"}\n',
      );
      const { message, ...out } = JSON.parse(py(['inbox.py', '--deliver'], dir, {}, python).stdout);
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
      // without --deliver: logged, the offset moves
      const logged = JSON.parse(py(['inbox.py'], dir, {}, python).stdout);
      assert.deepEqual([logged.processed, logged.offset], [1, 63]);
    });
  });
}
