/**
 * `puruto new` never leaves half a repo (issue 11, item 5): it writes into a temporary
 * sibling and renames at the end. A real full disk and a real full inode table come from
 * a tiny tmpfs mounted inside this test's own temp folder (root only; unmounted in the
 * test and again in `after`); lib/staging is also tested directly.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  commitStaging,
  describeWriteFailure,
  discardOpenStagings,
  openStaging,
  openStagings,
} from '../../lib/staging.js';
import { tempDir } from '../helpers/repo.js';
import { ensureBuilt, runBuilt } from '../helpers/built-cli.js';

const mounted: string[] = [];

function mountTmpfs(dir: string, options: string): boolean {
  fs.mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  if (r.status !== 0) return false;
  mounted.push(dir);
  return true;
}

function unmount(dir: string): void {
  if (!mounted.includes(dir)) return;
  execFileSync('umount', [dir]);
  mounted.splice(mounted.indexOf(dir), 1);
}

describe('puruto new: all or nothing', function () {
  this.timeout(120_000);
  let root = '';
  let home = '';
  before(() => {
    ensureBuilt();
    root = tempDir('puruto-atomic-');
    home = path.join(root, 'home');
    fs.mkdirSync(home);
  });
  after(() => {
    for (const dir of [...mounted]) unmount(dir);
    fs.rmSync(root, { recursive: true, force: true });
  });
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, HOME: home, PURUTO_DEBUG: '' });

  for (const [title, options, cause] of [
    ['a full disk', 'size=48k', /no space left on the device of .*mnt-space \(ENOSPC\)/],
    ['a full inode table', 'size=4m,nr_inodes=12', /has no free inodes left/],
  ] as const) {
    it(`on ${title}: exit 1, the real cause named, nothing left behind (so a retry is not "not empty")`, function () {
      const mnt = path.join(root, title.includes('inode') ? 'mnt-inodes' : 'mnt-space');
      if (!mountTmpfs(mnt, options)) this.skip();
      try {
        const dest = path.join(mnt, 'puruto-notes');
        const r = runBuilt(['new', 'puruto-notes', '--description', 'Notes.', '--yes', '--destination', dest], {
          env: env(),
        });
        assert.equal(r.timedOut, false);
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.match(r.stderr, cause);
        assert.match(r.stderr, /nothing was left behind/);
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
        assert.deepEqual(fs.readdirSync(mnt), [], 'no half-written repo, no temporary folder');
      } finally {
        unmount(mnt);
      }
    });
  }

  it('on success nothing but the repo is left in the parent folder, parents made as needed', () => {
    const parent = path.join(root, 'ok');
    const dest = path.join(parent, 'a', 'b', 'puruto-ok');
    const r = runBuilt(['new', 'puruto-ok', '--description', 'Ok.', '--yes', '--destination', dest], { env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(path.join(parent, 'a', 'b')), ['puruto-ok']);
    assert.ok(fs.existsSync(path.join(dest, '.yo-rc.json')));
    assert.doesNotMatch(r.stdout, /puruto-new-/, 'the output names the final paths, not the temporary folder');
    assert.match(r.stdout, new RegExp(`^Created ${dest.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.match(r.stdout, /^ {2}CLAUDE\.md$/m, 'each file listed once, by its path in the repo');
  });

  describe('lib/staging', () => {
    it('commit renames the staged repo into place and removes the temporary folder', () => {
      const parent = tempDir();
      const final = path.join(parent, 'puruto-x');
      const s = openStaging(final);
      assert.ok(s.ok);
      assert.equal(path.basename(s.staging.dir), 'puruto-x', 'the staged folder keeps the repo name');
      fs.writeFileSync(path.join(s.staging.dir, 'CLAUDE.md'), 'x');
      assert.equal(fs.existsSync(final), false, 'nothing at the destination before the commit');
      assert.deepEqual(commitStaging(s.staging), { ok: true });
      assert.deepEqual(fs.readdirSync(parent), ['puruto-x']);
      assert.deepEqual(fs.readdirSync(final), ['CLAUDE.md']);
      assert.deepEqual(openStagings(), []);
    });

    it(
      'an empty destination folder is replaced; a destination filled meanwhile is refused and the staging ' + 'removed',
      () => {
        const parent = tempDir();
        const final = path.join(parent, 'puruto-y');
        fs.mkdirSync(final);
        const s = openStaging(final);
        assert.ok(s.ok);
        fs.writeFileSync(path.join(s.staging.dir, 'a'), '1');
        fs.writeFileSync(path.join(final, 'theirs'), 'x');
        const r = commitStaging(s.staging);
        assert.equal(r.ok, false);
        assert.match((r as { message: string }).message, /was filled by something else meanwhile; nothing was written/);
        assert.deepEqual(fs.readdirSync(parent), ['puruto-y']);
        assert.deepEqual(fs.readdirSync(final), ['theirs']);
      },
    );

    it('discarding (a failed run) removes the partial repo and the parents it created', () => {
      const parent = tempDir();
      const s = openStaging(path.join(parent, 'new', 'deeper', 'puruto-z'));
      assert.ok(s.ok);
      fs.mkdirSync(path.join(s.staging.dir, 'db'));
      fs.writeFileSync(path.join(s.staging.dir, 'db', '.gitkeep'), '');
      assert.equal(discardOpenStagings().length, 1);
      assert.deepEqual(fs.readdirSync(parent), []);
    });

    it('a parent that is a file, or a pseudo file system, fails at once with words', () => {
      const parent = tempDir();
      fs.writeFileSync(path.join(parent, 'file'), '');
      const a = openStaging(path.join(parent, 'file', 'puruto-a'));
      assert.equal(a.ok, false);
      assert.match((a as { message: string }).message, /does not accept new folders \(ENOTDIR/);
      const b = openStaging('/proc/self/puruto-b');
      assert.equal(b.ok, false);
      assert.match((b as { message: string }).message, /\/proc\/self does not accept new folders/);
    });

    it('names the cause of a write failure', () => {
      const e = (code: string) => Object.assign(new Error(code), { code });
      const dir = tempDir();
      assert.match(describeWriteFailure(e('ENOSPC'), dir), /^no space left on the device of .* \(ENOSPC\)/);
      assert.match(describeWriteFailure(e('EROFS'), dir), /read-only file system/);
      assert.match(describeWriteFailure(e('EACCES'), dir), /permission denied writing under/);
      assert.match(describeWriteFailure(e('EDQUOT'), dir), /quota/);
    });
  });
});
