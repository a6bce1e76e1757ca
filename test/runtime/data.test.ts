import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PY_SETS, py } from '../helpers/python.js';
import { runGenerator, tempDir, withHome } from '../helpers/generators.js';

/** Generates puruto-data into a temp folder (HOME isolated) and returns its path. */
async function generate(): Promise<string> {
  const dest = path.join(tempDir('puruto-rt-data-'), 'puruto-data');
  await withHome(tempDir(), async () => runGenerator('data', { options: { yes: true, destination: dest } }));
  return dest;
}

for (const { name, python } of PY_SETS) {
  describe(`generated puruto-data runtime [${name}]`, () => {
    let dir = '';
    before(async () => {
      dir = await generate();
    });

    it("the vault's own pytest suite passes", () => {
      const r = py(['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'], dir, {}, python);
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      const passed = /(\d+) passed/.exec(r.stdout);
      assert.ok(passed && Number(passed[1]) >= 50, r.stdout);
      assert.doesNotMatch(r.stdout, /failed|error/i);
    });

    it('/init then vault.py register/write/read/check work in the generated repo itself', () => {
      const init = py(['.claude/skills/init/scripts/init.py'], dir, {}, python);
      assert.equal(init.status, 0, init.stderr);
      assert.match(init.stdout, /^kept {5}registry\.json/m);
      assert.match(init.stdout, /next: ready/);
      mkdirSync(path.join(dir, '..', 'puruto-notes'), { recursive: true }); // its repo, beside the vault
      const reg = py(['vault.py', 'register', 'puruto-notes', '--json'], dir, {}, python);
      assert.equal(reg.status, 0, reg.stderr);
      assert.deepEqual(Object.keys(JSON.parse(reg.stdout).entry), [
        'name',
        'folder',
        'registered_at',
        'path',
        'kind',
        'commands',
      ]);
      assert.equal(
        py(['vault.py', 'write', '--as', 'puruto-notes', 'puruto-notes/a.md', '--text', 'hi'], dir, {}, python).status,
        0,
      );
      assert.equal(py(['vault.py', 'read', 'puruto-notes/a.md'], dir, {}, python).stdout, 'hi');
      const escape = py(['vault.py', 'write', '--as', 'puruto-notes', '../a.md', '--text', 'x'], dir, {}, python);
      assert.equal(escape.status, 1);
      assert.doesNotMatch(escape.stderr, /Traceback/);
      assert.equal(py(['vault.py', 'check'], dir, {}, python).status, 0);
    });
  });
}
