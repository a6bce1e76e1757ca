import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureBuilt, runBuilt } from '../helpers/built-cli.js';
import { tempDir } from '../helpers/generators.js';
import { snapshot } from '../helpers/tree.js';

/** Issue 13 items 2, 6, 7, 8 through the built `puruto` command (no terminal). */
const env = (home: string) => ({ ...process.env, HOME: home, PURUTO_DEBUG: '' });
const ESC = '\u001b';

describe('puruto new / init: what a run prints', () => {
  before(() => ensureBuilt());

  it(
    'a new repo: where it goes before writing, each file once, no force / package.json / wrapper lines, no ' + 'colour',
    () => {
      const home = tempDir();
      mkdirSync(path.join(home, 'purutos'));
      const cwd = tempDir();
      const r = runBuilt(['new', 'puruto-out', '--description', 'Output.', '--yes', '--ipc', 'true'], {
        cwd,
        env: env(home),
      });
      assert.equal(r.code, 0, r.stderr);
      const dest = path.join(home, 'purutos', 'puruto-out');
      const lines = r.stdout.split('\n');
      const where = lines.indexOf(`Creating puruto-out in ${dest} (because ~/purutos exists).`);
      assert.ok(where >= 0 && where < lines.indexOf(`Created ${dest}`), r.stdout);
      assert.doesNotMatch(
        r.stdout,
        /^\s+(force|create|identical|conflict)\s/m,
        'no Yeoman per-file lines: the summary lists the files',
      );
      assert.doesNotMatch(r.stdout, /No change to package\.json/);
      assert.equal(lines.filter((l) => l === '  README.md').length, 1, 'the file list once');
      assert.equal(lines.filter((l) => l.trim() === 'ipc.py').length, 1);
      assert.ok(!r.stdout.includes(ESC) && !r.stderr.includes(ESC), 'no colour escape codes without a terminal');
      assert.equal(r.stderr, '');
    },
  );

  it(
    're-run inside the repo: the update report on stdout; a refusal is one message on stderr (exit 1), nothing ' +
      'written',
    () => {
      const home = tempDir();
      const cwd = tempDir();
      assert.equal(
        runBuilt(['new', 'puruto-again', '--description', 'Again.', '--yes'], { cwd, env: env(home) }).code,
        0,
      );
      const repo = path.join(cwd, 'puruto-again');
      const up = runBuilt(['new', '--skills', 'todo', '--ipc', 'true'], {
        cwd: path.join(repo, '.claude'),
        env: env(home),
      });
      assert.equal(up.code, 0, up.stderr);
      assert.match(up.stdout, new RegExp(`^Updated ${repo}$`, 'm'));
      assert.match(up.stdout, /^Added \(\d+\):\n(?: {2}.+\n)*? {2}\.claude\/skills\/todo\/SKILL\.md$/m);
      assert.match(up.stdout, /^ {2}ipc\.py$/m);
      assert.doesNotMatch(up.stdout, /^\s+force /m);
      appendFileSync(path.join(repo, 'AGENTS.md'), '\nmine\n');
      const before = snapshot(repo);
      const no = runBuilt(['new', '--skills', 'more'], { cwd: repo, env: env(home) });
      assert.equal(no.code, 1);
      assert.equal(no.stderr.trim().split('\n').length, 1, no.stderr);
      assert.match(
        no.stderr,
        /^puruto new: 1 file in .* would be replaced: AGENTS\.md\. Nothing was written\. Pass --force/,
      );
      assert.doesNotMatch(no.stdout + no.stderr, /An error occured/);
      assert.deepEqual(snapshot(repo), before);
      const keep = runBuilt(['new', '--skills', 'more', '--skip-existing'], { cwd: repo, env: env(home) });
      assert.equal(keep.code, 0, keep.stderr);
      assert.match(keep.stdout, /^Kept as you changed them .*\n {2}AGENTS\.md$/m);
      assert.match(readFileSync(path.join(repo, 'AGENTS.md'), 'utf8'), /mine/);
      const both = runBuilt(['new', '--force', '--skip-existing'], { cwd: repo, env: env(home) });
      assert.equal(both.code, 2, both.stderr);
    },
  );

  it('puruto init: one line per repo, no per-file lines; --verbose lists every file of every new repo', () => {
    const home = tempDir();
    const r = runBuilt(['init', path.join(home, 'eco'), '--cron', '--yes', '--no-git'], { cwd: home, env: env(home) });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Creating the ecosystem in ${path.join(home, 'eco')}\\.$`, 'm'));
    assert.match(r.stdout, /^ {2}created {2}puruto-data /m);
    assert.match(r.stdout, /^ {2}created {2}puruto-cron /m);
    assert.doesNotMatch(r.stdout, /^\s+(create|force)\s/m);
    assert.doesNotMatch(r.stdout, /Files of /);
    assert.ok(r.stdout.split('\n').length < 45, `compact:\n${r.stdout}`);
    const v = runBuilt(['init', path.join(home, 'eco2'), '--yes', '--no-git', '--verbose'], {
      cwd: home,
      env: env(home),
    });
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /^Files of puruto-data \(\d+\):\n(?: {2}.+\n)+/m);
    assert.match(v.stdout, /^ {2}registry\.json$/m);
  });
});
