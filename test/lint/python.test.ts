/**
 * The generated Python passes flake8 (pyflakes + pycodestyle) with the `.flake8` every repo
 * ships, exactly as a user runs it: `python3 -m flake8` in the repo's root. One repo per kind,
 * the standard one with every option that adds Python (--ipc --agent-tests). flake8 comes
 * from the dev venv (pins.json "pythonDev", built by scripts/setup.sh); without it this fails.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateRepo } from '../helpers/generators.js';
import { PY_DEV, py } from '../helpers/python.js';

const KINDS: { kind: string; key: string; options: Record<string, unknown> }[] = [
  {
    kind: 'standard --ipc --agent-tests',
    key: 'app',
    options: { name: 'puruto-lint', description: 'Lint', ipc: true, 'agent-tests': true, skills: 'plan-day' },
  },
  { kind: 'data', key: 'data', options: {} },
  { kind: 'telegram', key: 'telegram', options: {} },
  { kind: 'cron', key: 'cron', options: {} },
  { kind: 'gateway', key: 'gateway', options: {} },
];

/** `python3 -m flake8` in `dir` (its .flake8 applies); findings are `path:line:col: CODE text` lines. */
function flake8(dir: string): { status: number | null; findings: string[]; stderr: string } {
  const r = py(['-m', 'flake8'], dir, { PYTHONDONTWRITEBYTECODE: '1' }, PY_DEV);
  return { status: r.status, findings: r.stdout.split('\n').filter(Boolean), stderr: r.stderr };
}

describe('generated Python: flake8 with the shipped .flake8', () => {
  before(function () {
    const r = py(['-m', 'flake8', '--version'], process.cwd(), {}, PY_DEV);
    assert.equal(r.status, 0, `${PY_DEV} has no flake8 (${r.stderr.trim()}): run scripts/setup.sh`);
  });

  for (const { kind, key, options } of KINDS) {
    it(`${kind}: zero findings, and the config sees its Python (a planted finding is reported)`, async () => {
      const dir = await generateRepo(key, { yes: true, ...options });
      assert.match(readFileSync(path.join(dir, '.flake8'), 'utf8'), /^max-line-length = 120$/m);
      assert.match(readFileSync(path.join(dir, 'README.md'), 'utf8'), /^python3 -m flake8 /m, 'README says how');
      const clean = flake8(dir);
      assert.deepEqual(clean.findings, [], clean.stderr);
      assert.equal(clean.status, 0, clean.stderr);

      // The same run reports what it must (so "zero" above is not "checked nothing"), and
      // skips what is not the repo's code (.venv made by /init).
      writeFileSync(path.join(dir, 'planted.py'), `import os\nX = "${'x'.repeat(120)}"\n`);
      mkdirSync(path.join(dir, '.venv'));
      writeFileSync(path.join(dir, '.venv', 'vendored.py'), 'import os\n');
      const planted = flake8(dir);
      assert.equal(planted.status, 1);
      assert.deepEqual(planted.findings.map((f) => f.replace(/:\d+:\d+: (\w+) .*/, ' $1')).sort(), [
        './planted.py E501',
        './planted.py F401',
      ]);
    });
  }

  it('./run (Python without .py) is checked too', async () => {
    const dir = await generateRepo('cron', { yes: true });
    const run = readFileSync(path.join(dir, 'run'), 'utf8');
    assert.match(run, /^import os$/m);
    writeFileSync(path.join(dir, 'run'), run.replace(/^import os$/m, 'import json\nimport os'));
    const r = flake8(dir);
    assert.equal(r.status, 1);
    assert.equal(r.findings.length, 1, r.findings.join('\n'));
    assert.match(r.findings[0]!, /^\.\/run:\d+:1: F401 'json' imported but unused$/);
  });

  it("the vault's data folders are not linted (shared/, puruto-*/)", async () => {
    const dir = await generateRepo('data', { yes: true });
    for (const folder of ['shared', 'puruto-notes']) {
      mkdirSync(path.join(dir, folder), { recursive: true });
      writeFileSync(path.join(dir, folder, 'stored.py'), 'import os\n');
    }
    assert.deepEqual(flake8(dir).findings, []);
  });
});
