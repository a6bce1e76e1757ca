/**
 * One adapter table: the adapter modules of the runtime package, exported as
 * puruto_runtime/adapters.json. The generator reads that file for the docs it writes
 * (.env.example, READMEs); it must be what the modules say, `python3 invoker.py --adapters`
 * must print the same facts, and the project README's agent table is that table.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { adapterFacts, adapterTable, parseAdapterFacts } from '../../generators/ipc/adapters.js';
import { INVOKER_TEMPLATE } from '../../generators/ipc/files.js';
import { PYTHON_PROJECT } from '../../generators/shared/runtime-files.js';
import { ipcEnv, ipcReadme } from '../../generators/ipc/index.js';
import { ROOT } from '../helpers/generators.js';
import { PYTHON } from '../helpers/python.js';

const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: PYTHON_PROJECT };

describe('the adapter table of the runtime package', () => {
  it('adapters.json is what the adapter modules say (python3 -m puruto_runtime.facts --check)', () => {
    const r = spawnSync(PYTHON, ['-m', 'puruto_runtime.facts', '--check'], {
      cwd: PYTHON_PROJECT,
      encoding: 'utf8',
      env,
    });
    assert.equal(r.status, 0, r.stderr);
  });

  it('the generator reads the same rows `invoker.py --adapters` prints', () => {
    const r = spawnSync(PYTHON, [INVOKER_TEMPLATE, '--adapters'], { encoding: 'utf8', env });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(adapterFacts(), JSON.parse(r.stdout));
    for (const name of ['claude', 'codex', 'gemini', 'command', 'stub'])
      assert.ok(
        adapterFacts().some((f) => f.name === name),
        name,
      );
  });

  it('a row without a doc field is refused, so a new adapter cannot go undocumented', () => {
    assert.throws(() => parseAdapterFacts('[{"name": "x", "binary": "x", "auto": true}]'), /row 0 has no rules/);
    assert.throws(() => parseAdapterFacts('{}'), /a list of adapters/);
  });

  it('.env.example and the IPC README list every adapter and the auto-detection order', () => {
    const env = ipcEnv();
    const readme = ipcReadme();
    for (const f of adapterFacts()) {
      assert.ok(env.includes(f.name), `.env.example names ${f.name}`);
      assert.ok(readme.includes(`\`${f.name}\``), `README names ${f.name}`);
    }
    const auto = adapterFacts()
      .filter((f) => f.auto)
      .map((f) => f.binary)
      .join(', ');
    assert.ok(env.includes(`the first of ${auto} on PATH`));
    assert.doesNotMatch(env, /acceptEdits/);
  });

  it("the project README's agent table is the adapter table", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    assert.ok(
      readme.includes(adapterTable()),
      `README.md must contain (npx tsx scripts/readme-adapters.ts):\n${adapterTable()}`,
    );
  });
});
