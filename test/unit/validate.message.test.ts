/**
 * The reserved action `message` (SPEC §11): no skill may take its name. The validator
 * refuses one (an error even without --strict), the generator refuses it as an extra skill,
 * and invoker.py reserves the same word.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { validateRepo } from '../../lib/validate/index.js';
import { MESSAGE_ACTION } from '../../lib/standard/actions.js';
import { checkSkillList } from '../../generators/shared/skill-names.js';
import { ROOT } from '../helpers/generators.js';
import { PYTHON } from '../helpers/python.js';
import { repoSandbox, skillMd, validStandardRepo } from '../helpers/repo.js';

const sandbox = repoSandbox('puruto-validate-message-');

describe('the reserved action `message`', () => {
  it('reserved-skill-name: a skill named `message` is an error, with or without --strict', async () => {
    const at = '.claude/skills/message/SKILL.md';
    const dir = sandbox.make({ ...validStandardRepo('puruto-x'), [at]: skillMd('message') });
    for (const strict of [false, true]) {
      const report = await validateRepo(dir, { strict });
      const found = report.findings.filter((f) => f.code === 'reserved-skill-name');
      assert.equal(found.length, 1, JSON.stringify(report.findings));
      assert.deepEqual([found[0]!.level, found[0]!.path], ['error', at]);
      assert.match(found[0]!.message, /reserved for free text/);
      assert.equal(report.ok, false);
    }
    const clean = await validateRepo(sandbox.make(validStandardRepo('puruto-y')));
    assert.equal(clean.findings.filter((f) => f.code === 'reserved-skill-name').length, 0);
  });

  it('the generator refuses `message` as an extra skill', () => {
    assert.match(checkSkillList(['notes', 'message']) ?? '', /"message" is reserved/);
    assert.equal(checkSkillList(['notes', 'messages']), undefined);
  });

  it('invoker.py reserves the same word', () => {
    const invoker = path.join(ROOT, 'generators', 'ipc', 'templates');
    const r = spawnSync(PYTHON, ['-c', 'import invoker; print(invoker.MESSAGE_ACTION)'], {
      cwd: invoker,
      encoding: 'utf8',
      // invoker.py is an entry of the package, vendored beside it in a repo: python/ here.
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: path.join(ROOT, 'python') },
    });
    assert.equal(r.stdout.trim(), MESSAGE_ACTION, r.stderr);
  });
});
