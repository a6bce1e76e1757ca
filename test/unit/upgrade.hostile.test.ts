/**
 * Upgrade on hostile repos (issue 11, items 6 and 7): never a write through a link that
 * leaves the repo; edits keep every byte they do not touch; file modes survive, on
 * success and on rollback.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { upgrade } from '../../lib/upgrade/index.js';
import { NODE_OPS, type WriteOps } from '../../lib/upgrade/write.js';
import { generatorArtifacts } from '../../generators/shared/artifacts.js';
import { puruto } from '../helpers/cli.js';
import { legacyRepo, snapshot } from '../helpers/tree.js';

const mode = (p: string): number => fs.statSync(p).mode & 0o777;

/** Moves `rel` of `repo` to a sibling folder outside the repo and links it back (link made last). */
function linkOutside(repo: string, rel: string, made: boolean): string {
  const outside = path.join(path.dirname(repo), `outside-${path.basename(rel)}`);
  const abs = path.join(repo, rel);
  if (made) fs.renameSync(abs, outside);
  else fs.mkdirSync(outside, { recursive: true });
  fs.symlinkSync(outside, abs);
  return outside;
}

describe('upgrade: links out of the repo, bytes and modes', () => {
  it('inbox/ linked outside the repo: refused, naming the link; nothing written on either side', async () => {
    const repo = legacyRepo('telegram-0.1.0/puruto-telegram');
    const outside = linkOutside(repo, 'inbox', false);
    const before = snapshot(repo);
    const r = await puruto(['upgrade', repo]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(
      r.stderr,
      /cannot write inbox\/\.gitkeep: inbox is a symbolic link to .*outside-inbox, outside the repo/,
    );
    assert.deepEqual(fs.readdirSync(outside), [], 'nothing written through the link');
    assert.deepEqual(snapshot(repo), before);
  });

  it('.claude/skills linked outside the repo: refused, naming the link', async () => {
    const repo = legacyRepo('telegram-0.1.0/puruto-telegram');
    const outside = linkOutside(repo, '.claude/skills', true);
    const listed = fs.readdirSync(outside).sort();
    const r = await puruto(['upgrade', repo, '--dry-run']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\.claude\/skills is a symbolic link to .*outside-skills, outside the repo/);
    const applied = await puruto(['upgrade', repo]);
    assert.equal(applied.code, 1);
    assert.deepEqual(fs.readdirSync(outside).sort(), listed, 'no drain-inbox written outside');
  });

  it('a link inside the repo is written through and stays a link', async () => {
    const repo = legacyRepo('telegram-0.0.0/puruto-telegram');
    fs.renameSync(path.join(repo, '.env.example'), path.join(repo, 'env.template'));
    fs.symlinkSync('env.template', path.join(repo, '.env.example'));
    const r = await puruto(['upgrade', repo]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fs.readlinkSync(path.join(repo, '.env.example')), 'env.template');
    assert.match(fs.readFileSync(path.join(repo, 'env.template'), 'utf8'), /^PURUTO_TELEGRAM_BOT_TOKEN=$/m);
  });

  it('a latin-1 byte on an untouched line of .env.example stays; modes 0600/0640/0664 stay', async () => {
    const repo = legacyRepo('telegram-0.0.0/puruto-telegram');
    const env = path.join(repo, '.env.example');
    const original = fs.readFileSync(env);
    const withLatin1 = Buffer.concat([
      Buffer.from('# Caf'),
      Buffer.from([0xe9]),
      Buffer.from(' bot (latin-1 comment)\n'),
      original,
    ]);
    fs.writeFileSync(env, withLatin1);
    fs.chmodSync(env, 0o600);
    fs.chmodSync(path.join(repo, '.gitignore'), 0o640);
    fs.writeFileSync(path.join(repo, '.puruto-standard-version'), '');
    fs.chmodSync(path.join(repo, '.puruto-standard-version'), 0o664);
    const r = await puruto(['upgrade', repo]);
    assert.equal(r.code, 0, r.stderr);
    const after = fs.readFileSync(env);
    const expected = Buffer.from(
      withLatin1.toString('latin1').replace('PURUTO_BOT_TOKEN=', 'PURUTO_TELEGRAM_BOT_TOKEN='),
      'latin1',
    );
    assert.ok(after.equals(expected), `bytes kept except the renamed line:\n${after.toString('latin1')}`);
    assert.equal(after.indexOf(Buffer.from([0xef, 0xbf, 0xbd])), -1, 'no U+FFFD');
    assert.equal(mode(env).toString(8), '600');
    assert.equal(mode(path.join(repo, '.gitignore')).toString(8), '640');
    assert.equal(mode(path.join(repo, '.puruto-standard-version')).toString(8), '664');
  });

  it('on rollback (a write fails half way) bytes and modes are restored', () => {
    const repo = legacyRepo('telegram-0.0.0/puruto-telegram');
    const env = path.join(repo, '.env.example');
    fs.writeFileSync(env, Buffer.concat([Buffer.from([0xe9, 0x0a]), fs.readFileSync(env)]));
    fs.chmodSync(env, 0o600);
    fs.chmodSync(path.join(repo, '.gitignore'), 0o640);
    const bytes = fs.readFileSync(env);
    const gitignore = fs.readFileSync(path.join(repo, '.gitignore'));
    let renames = 0;
    const failing: WriteOps = {
      ...NODE_OPS,
      rename: (a, b) => {
        if (++renames === 4) throw new Error('disk full (injected)');
        NODE_OPS.rename(a, b);
      },
    };
    const out = upgrade({ path: repo, mode: 'apply', artifacts: generatorArtifacts, ops: failing });
    assert.equal(out.ok, false);
    assert.match((out as { message: string }).message, /disk full \(injected\).*nothing was changed/);
    assert.ok(renames >= 4, 'the failure came after files were replaced');
    assert.ok(fs.readFileSync(env).equals(bytes));
    assert.ok(fs.readFileSync(path.join(repo, '.gitignore')).equals(gitignore));
    assert.equal(mode(env).toString(8), '600');
    assert.equal(mode(path.join(repo, '.gitignore')).toString(8), '640');
    assert.equal(fs.existsSync(path.join(repo, 'inbox.py')), false);
  });
});
