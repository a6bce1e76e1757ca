/**
 * Hostile input to the built CLI (issue 11, items 1, 4 and 5), run as processes with a
 * hard timeout so a regression shows up as a failed test, not a hung suite.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/repo.js';
import { ensureBuilt, runBuilt } from '../helpers/built-cli.js';

/** Generous: a hang detector, not a timing assertion. */
const HANG_MS = 15_000;

describe('hostile input to the built puruto', function () {
  this.timeout(180_000);
  let root = '';
  let home = '';
  let template = '';
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, HOME: home, PURUTO_DEBUG: '' });

  before(() => {
    ensureBuilt();
    root = tempDir('puruto-hostile-');
    home = path.join(root, 'home');
    fs.mkdirSync(home);
    template = path.join(root, 'template', 'puruto-notes');
    const r = runBuilt(['new', 'puruto-notes', '--description', 'Notes.', '--yes', '--destination', template], {
      env: env(),
    });
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  let n = 0;
  /** A copy of the template repo; `special` makes its FIFO or device link (last, never written through). */
  function copy(special: (dir: string) => void, name = 'puruto-notes'): string {
    const dir = path.join(root, `c${n++}`, name);
    fs.cpSync(template, dir, { recursive: true });
    special(dir);
    return dir;
  }
  const fifo = (rel: string) => (dir: string) => {
    fs.rmSync(path.join(dir, rel), { force: true });
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    execFileSync('mkfifo', [path.join(dir, rel)]);
  };
  const device = (rel: string, dev: string) => (dir: string) => {
    fs.rmSync(path.join(dir, rel), { force: true });
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.symlinkSync(dev, path.join(dir, rel));
  };
  const withoutVersion = (make: (dir: string) => void) => (dir: string) => {
    fs.rmSync(path.join(dir, '.puruto-standard-version'));
    make(dir);
  };

  const CASES: [string, (dir: string) => void][] = [
    ['.yo-rc.json is a FIFO', fifo('.yo-rc.json')],
    ['.yo-rc.json links to /dev/urandom', device('.yo-rc.json', '/dev/urandom')],
    ['.yo-rc.json links to /dev/zero', device('.yo-rc.json', '/dev/zero')],
    ['tests/.yo-rc.json is a FIFO', fifo('tests/.yo-rc.json')],
    ['tests/.yo-rc.json links to /dev/zero', device('tests/.yo-rc.json', '/dev/zero')],
    ['no version file and .yo-rc.json is a FIFO', withoutVersion(fifo('.yo-rc.json'))],
    ['no version file and .yo-rc.json links to /dev/zero', withoutVersion(device('.yo-rc.json', '/dev/zero'))],
    ['README.md and .env.example are FIFOs', (dir) => (fifo('README.md')(dir), fifo('.env.example')(dir))],
  ];

  for (const [title, make] of CASES) {
    it(`${title}: validate, validate --workspace, workspace and upgrade --plan finish with exit 0/1`, () => {
      const dir = copy(make);
      const ws = path.dirname(dir);
      for (const args of [
        ['validate', dir, '--json'],
        ['validate', '--workspace', ws, '--json'],
        ['workspace', ws, '--json'],
        ['upgrade', dir, '--plan', '--json'],
      ]) {
        const r = runBuilt(args, { env: env(), timeoutMs: HANG_MS });
        assert.equal(r.timedOut, false, `${args.join(' ')} hung`);
        assert.ok(r.code === 0 || r.code === 1, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
        if (r.code === 0 || args[0] !== 'upgrade') JSON.parse(r.stdout);
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      }
    });
  }

  it('puruto new --answers <FIFO> fails at once with a clear message', () => {
    const f = path.join(root, 'answers.fifo');
    execFileSync('mkfifo', [f]);
    const r = runBuilt(['new', '--answers', f, '--yes', '--destination', path.join(root, 'never')], {
      env: env(),
      timeoutMs: HANG_MS,
    });
    assert.equal(r.timedOut, false);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--answers .*answers\.fifo: cannot read it \(not a regular file/);
    assert.equal(fs.existsSync(path.join(root, 'never')), false);
  });

  it('puruto new --answers with invalid UTF-8 is refused, not turned into U+FFFD', () => {
    const f = path.join(root, 'latin1.json');
    fs.writeFileSync(
      f,
      Buffer.concat([
        Buffer.from('{"name": "puruto-enc", "description": "caf'),
        Buffer.from([0xe9]),
        Buffer.from('"}'),
      ]),
    );
    const dest = path.join(root, 'enc', 'puruto-enc');
    const r = runBuilt(['new', '--answers', f, '--yes', '--destination', dest], { env: env(), timeoutMs: HANG_MS });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /not valid UTF-8 \(bad byte at offset 43\)/);
    assert.equal(fs.existsSync(dest), false);
  });

  it('puruto new --destination /proc/self/x fails at once (no endless mkdir), exit 1', () => {
    const r = runBuilt(['new', 'puruto-zz', '--description', 'x', '--yes', '--destination', '/proc/self/x'], {
      env: env(),
      timeoutMs: HANG_MS,
    });
    assert.equal(r.timedOut, false);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /cannot create \/proc\/self\/x: \/proc\/self does not accept new folders/);
  });

  it('puruto new --name puruto-notes --db maybe is an argument error (exit 2), nothing created', () => {
    const cwd = tempDir();
    const r = runBuilt(['new', '--name', 'puruto-notes', '--db', 'maybe', '--description', 'd', '--yes'], {
      cwd,
      env: env(),
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--db expects true or false, got "maybe"/);
    assert.deepEqual(fs.readdirSync(cwd), []);
  });

  it('a positional name that disagrees with --name is an argument error (exit 2); the same name twice is fine', () => {
    const cwd = tempDir();
    const r = runBuilt(['new', 'puruto-a', '--name', 'puruto-b', '--description', 'd', '--yes'], { cwd, env: env() });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /the name is given twice and differs: "puruto-a" and --name "puruto-b"/);
    assert.deepEqual(fs.readdirSync(cwd), []);
    const same = runBuilt(['new', 'puruto-a', '--name', 'puruto-a', '--description', 'd', '--yes'], {
      cwd,
      env: env(),
    });
    assert.equal(same.code, 0, same.stderr);
    assert.deepEqual(fs.readdirSync(cwd), ['puruto-a']);
  });
});
