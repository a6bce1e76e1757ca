import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findPurutoRoot } from '../../lib/puruto-root.js';
import { rerunAnswers } from '../../lib/rerun.js';
import { fileState, lineDiff, sha256 } from '../../lib/file-state.js';
import { questions } from '../../generators/app/questions.js';
import { tempDir } from '../helpers/repo.js';

describe('re-run units: root lookup, answers, file states', () => {
  it(
    "findPurutoRoot: the nearest .yo-rc.json decides; ours → root and record, another tool's → none, " +
      'broken ours → a message',
    async () => {
      const d = tempDir();
      const repo = path.join(d, 'puruto-a');
      mkdirSync(path.join(repo, 'x', 'y'), { recursive: true });
      writeFileSync(
        path.join(repo, '.yo-rc.json'),
        JSON.stringify({
          'generator-puruto': { kind: 'standard', answers: { name: 'puruto-a' }, fileHashes: { 'a.md': 'h', bad: 1 } },
        }),
      );
      const found = await findPurutoRoot(path.join(repo, 'x', 'y'));
      assert.ok(found.found === true);
      assert.equal(found.root, repo);
      assert.deepEqual(found.record.fileHashes, { 'a.md': 'h' });
      // A nearer .yo-rc.json of another generator ends the walk: not a Puruto.
      writeFileSync(path.join(repo, 'x', '.yo-rc.json'), '{"generator-other": {}}');
      assert.deepEqual(await findPurutoRoot(path.join(repo, 'x', 'y')), { found: false });
      writeFileSync(path.join(repo, 'x', '.yo-rc.json'), '{"generator-puruto": ');
      const broken = await findPurutoRoot(path.join(repo, 'x'));
      assert.ok(
        broken.found === 'broken' && /cannot be read as a Puruto record: it is not valid JSON/.test(broken.message),
      );
      assert.deepEqual(await findPurutoRoot(d), { found: false });
    },
  );

  it(
    'rerunAnswers: stored answers are the defaults, lists join, ' + 'booleans only switch on, name and off are refused',
    () => {
      const stored = { name: 'puruto-a', description: 'A.', db: true, skills: ['x'], ipc: false, 'agent-tests': false };
      const r = rerunAnswers(questions, stored, { skills: ['y', 'x'], ipc: true }, '/r');
      assert.ok(r.ok);
      assert.deepEqual(r.answers, { ...stored, skills: ['x', 'y'], ipc: true });
      const off = rerunAnswers(questions, stored, { db: false, name: 'puruto-b' }, '/r');
      assert.ok(!off.ok);
      assert.match(off.message, /keeps its name, so "puruto-b" cannot be given here/);
      assert.match(off.message, /--db is already on in \/r and a re-run only adds/);
      const old = rerunAnswers(questions, { name: 'puruto-a', skills: 'not a list of valid names!' }, {}, '/r');
      assert.ok(old.ok);
      assert.deepEqual(
        old.missing.map((q) => q.name),
        ['description', 'db', 'ipc', 'agent-tests'],
      );
    },
  );

  it('fileState and lineDiff', () => {
    const b = (s: string) => Buffer.from(s);
    assert.equal(fileState({ disk: undefined, next: b('n'), recorded: undefined }), 'create');
    assert.equal(fileState({ disk: b('n'), next: b('n'), recorded: undefined }), 'unchanged');
    assert.equal(fileState({ disk: b('old'), next: b('n'), recorded: sha256('old') }), 'update');
    assert.equal(fileState({ disk: b('mine'), next: b('n'), recorded: sha256('old') }), 'conflict');
    assert.equal(fileState({ disk: b('mine'), next: b('n'), recorded: undefined }), 'conflict');
    assert.equal(
      lineDiff('a\nb\nc\nd\ne\nf\ng', 'a\nb\nc\nD\ne\nf\ng'),
      '  b\n  c\n- d\n+ D\n  e\n  f\n  ...'.replace(/^/, '  ...\n'),
    );
    assert.match(lineDiff('x\n'.repeat(3000), 'y\n'.repeat(3000)), /too large to show/);
  });
});
