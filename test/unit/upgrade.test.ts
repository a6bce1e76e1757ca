import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ignoreDotEnv, renameEnvVar } from '../../lib/upgrade/edits.js';
import { pathBetween, versionFromFile } from '../../lib/upgrade/versions.js';
import { Draft, UpgradeError } from '../../lib/upgrade/draft.js';
import { NODE_OPS, writeChanges, type WriteOps } from '../../lib/upgrade/write.js';
import { firstProseLine } from '../../lib/upgrade/facts.js';
import { tempDir } from '../helpers/repo.js';
import { STANDARD_VERSION, VERSION_CHAIN } from '../../lib/standard/version.js';
import { snapshot } from '../helpers/tree.js';

/** The first three versions of the chain: a step test names the steps it means. */
const [V0, V1, V2] = VERSION_CHAIN;

describe('lib/upgrade units', () => {
  it('a missing or empty version file is the first version of the chain; the first line counts', () => {
    assert.equal(versionFromFile(undefined), V0);
    assert.equal(versionFromFile(''), V0);
    assert.equal(versionFromFile('  \n'), V0);
    assert.equal(versionFromFile(`${V1}\r\nextra`), V1);
  });

  it('chains single steps, and explains when there is no path', () => {
    assert.deepEqual(pathBetween(V0, V2), {
      ok: true,
      steps: [
        { from: V0, to: V1 },
        { from: V1, to: V2 },
      ],
    });
    assert.deepEqual(pathBetween(STANDARD_VERSION, STANDARD_VERSION), { ok: true, steps: [] });
    assert.equal(pathBetween(STANDARD_VERSION, V1).ok, false);
    assert.equal(pathBetween('0.1.5', STANDARD_VERSION).ok, false);
    assert.equal(pathBetween(V0, '99.0.0').ok, false);
  });

  it('renames the token on its line only, keeping comments, values and CRLF', () => {
    const text = '# the bot token (PURUTO_BOT_TOKEN in old docs)\r\nPURUTO_BOT_TOKEN=abc\r\nOTHER=1';
    const r = renameEnvVar(text, 'PURUTO_BOT_TOKEN', 'PURUTO_TELEGRAM_BOT_TOKEN');
    assert.deepEqual(r, {
      status: 'renamed',
      text: '# the bot token (PURUTO_BOT_TOKEN in old docs)\r\nPURUTO_TELEGRAM_BOT_TOKEN=abc\r\nOTHER=1',
    });
    assert.deepEqual(renameEnvVar('# PURUTO_BOT_TOKEN=\n', 'PURUTO_BOT_TOKEN', 'X'), {
      status: 'renamed',
      text: '# X=\n',
    });
    assert.deepEqual(renameEnvVar('export PURUTO_BOT_TOKEN = 1\n', 'PURUTO_BOT_TOKEN', 'X'), {
      status: 'renamed',
      text: 'export X = 1\n',
    });
    assert.deepEqual(renameEnvVar('PURUTO_BOT_TOKEN_OLD=1\n', 'PURUTO_BOT_TOKEN', 'X'), { status: 'absent' });
    assert.deepEqual(renameEnvVar('PURUTO_BOT_TOKEN=\nX=\n', 'PURUTO_BOT_TOKEN', 'X'), { status: 'both' });
  });

  it('adds .env to .gitignore on its own line, only when it is not ignored already', () => {
    assert.equal(ignoreDotEnv('db/\n'), 'db/\n.env\n');
    assert.equal(ignoreDotEnv('db/'), 'db/\n.env\n');
    assert.equal(ignoreDotEnv(''), '.env\n');
    assert.equal(ignoreDotEnv('db/\r\n'), 'db/\r\n.env\r\n');
    assert.equal(ignoreDotEnv('.env\n'), undefined);
    assert.equal(ignoreDotEnv('/.env\n'), undefined);
    assert.equal(ignoreDotEnv('.env*\n'), undefined);
    assert.equal(ignoreDotEnv('# .env\n'), '# .env\n.env\n');
  });

  it('reads a description from the first prose line of Markdown', () => {
    assert.equal(firstProseLine('# Title\n\n![badge](x)\n@AGENTS.md\nDoes things.\nMore.'), 'Does things.');
    assert.equal(firstProseLine(undefined), '');
  });

  it('a draft sees its own writes, refuses paths under a file, and drops no-op changes', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.txt'), 'one\n');
    fs.writeFileSync(path.join(dir, 'inbox'), 'file\n');
    const d = new Draft(dir);
    d.write('a.txt', 'two\n');
    assert.equal(d.read('a.txt'), 'two\n');
    d.write('a.txt', 'one\n');
    d.write('new/deep/file.txt', 'x');
    assert.equal(d.entry('new/deep/file.txt'), 'file');
    assert.deepEqual(
      d.changes().map((c) => c.rel),
      ['new/deep/file.txt'],
    );
    assert.throws(
      () => d.write('inbox/.gitkeep', ''),
      (e: Error) => e instanceof UpgradeError && /inbox exists and is not a folder/.test(e.message),
    );
    assert.equal(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'one\n', 'nothing on disk until written');
  });

  it('writes all changes, or restores every file and removes new ones and new folders when one write fails', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'old\n');
    const before = snapshot(dir);
    const changes = [
      { rel: 'keep.txt', text: 'new\n', before: 'old\n' },
      { rel: 'made/deeper/one.txt', text: '1', before: undefined },
      { rel: 'two.txt', text: '2', before: undefined },
    ];
    let renames = 0;
    const failing: WriteOps = {
      ...NODE_OPS,
      rename: (a, b) => {
        if (++renames === 3) throw new Error('disk full');
        NODE_OPS.rename(a, b);
      },
    };
    assert.throws(
      () => writeChanges(dir, changes, failing),
      (e: Error) => e instanceof UpgradeError && /disk full.*nothing was changed/.test(e.message),
    );
    assert.deepEqual(snapshot(dir), before);
    assert.deepEqual(fs.readdirSync(dir), ['keep.txt'], 'no temp file and no new folder left behind');

    writeChanges(dir, changes);
    assert.deepEqual(snapshot(dir), { 'keep.txt': 'new\n', 'made/deeper/one.txt': '1', 'two.txt': '2' });
  });
});
