import assert from 'node:assert/strict';
import path from 'node:path';
import { PY_SETS, py } from '../helpers/python.js';
import { runGenerator, tempDir, withHome } from '../helpers/generators.js';

/** Generates puruto-cron into a temp folder (HOME isolated) and returns its path. */
async function generate(): Promise<string> {
  const dest = path.join(tempDir('puruto-rt-cron-'), 'puruto-cron');
  await withHome(tempDir(), async () => runGenerator('cron', { options: { yes: true, destination: dest } }));
  return dest;
}

for (const { name, python } of PY_SETS) {
  describe(`generated puruto-cron runtime [${name}]`, () => {
    let dir = '';
    before(async () => {
      dir = await generate();
    });

    it("the scheduler's own pytest suite passes", () => {
      const r = py(['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'], dir, {}, python);
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      const passed = /(\d+) passed/.exec(r.stdout);
      assert.ok(passed && Number(passed[1]) >= 90, r.stdout);
      assert.doesNotMatch(r.stdout, /failed|error/i);
    });

    it('/init --no-venv then main.py status, run-now with the stub agent work in the generated repo', () => {
      const init = py(['.claude/skills/init/scripts/init.py', '--no-venv'], dir, {}, python);
      assert.equal(init.status, 0, init.stdout + init.stderr);
      assert.match(init.stdout, /next: ready/);
      const status = JSON.parse(py(['main.py', 'status'], dir, {}, python).stdout);
      assert.deepEqual(Object.keys(status), ['jobs', 'recent_runs', 'notification_targets']);
      const off = py(['main.py', 'run-now', 'daily-status'], dir, { PURUTO_AGENT: 'stub' }, python);
      assert.equal(off.status, 1);
      assert.equal(JSON.parse(off.stdout).error.code, 'JOB_DISABLED');
    });
  });
}
