import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { puruto } from '../helpers/cli.js';
import { tempDir, withHome } from '../helpers/generators.js';

const run = (argv: string[], cwd?: string) => withHome(tempDir(), () => puruto(argv, cwd));

describe('puruto new', () => {
  it('generates a standard Puruto without yo and prints path, files and next steps', async () => {
    const dest = path.join(tempDir(), 'puruto-cli');
    const r = await run([
      'new',
      'puruto-cli',
      '--description',
      'From the CLI',
      '--no-db',
      '--skills',
      'a,b',
      '--yes',
      '--destination',
      dest,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(path.join(dest, '.claude/skills/b/SKILL.md')));
    assert.equal(existsSync(path.join(dest, 'db')), false);
    const again = await puruto(['validate', dest, '--strict']);
    assert.equal(again.code, 0, again.stdout);
  });

  it('`new standard` and `new app` are the default kind', async () => {
    for (const kind of ['standard', 'app']) {
      const dest = path.join(tempDir(), 'p');
      const r = await run(['new', kind, '--name', 'puruto-k', '--description', 'd', '-y', '--destination', dest]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(existsSync(path.join(dest, 'AGENTS.md')));
    }
  });

  it('exit 1 for business errors: bad name, missing answers, an unknown kind word taken as a bad name', async () => {
    const d = tempDir();
    const bad = await run(['new', 'Bad_Name', '--description', 'd', '--yes', '--destination', path.join(d, 'x')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /name: "Bad_Name" may only contain lowercase letters/);
    const missing = await run(['new', '--no-interactive', '--destination', path.join(d, 'y')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /missing required answers: name, description/);
    assert.equal(existsSync(path.join(d, 'y')), false);
    // Every kind exists now: a word that is not a kind is the repo name, checked as one.
    const unknown = await run(['new', 'Mobile', '--description', 'd', '--yes', '--destination', path.join(d, 'z')]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /name: "Mobile" may only contain lowercase letters/);
    assert.equal(existsSync(path.join(d, 'z')), false);
  });

  it('an existing --destination is refused with advice that fits (exit 1)', async () => {
    const dest = path.join(tempDir(), 'taken');
    assert.equal((await run(['new', 'puruto-t', '--description', 'd', '-y', '--destination', dest])).code, 0);
    const again = await run(['new', 'puruto-t', '--description', 'd', '-y', '--destination', dest]);
    assert.equal(again.code, 1);
    assert.match(
      again.stderr,
      /already exists and is not empty: nothing was written\. Pass another --destination, or remove it\./,
    );
  });

  it('a bad --answers file is an argument error (exit 2)', async () => {
    const r = await run(['new', '--answers', path.join(tempDir(), 'none.json')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--answers .*cannot read it \(no such file\)/);
  });

  it('exit 2 for argument errors, before anything is loaded or written', async () => {
    const d = tempDir();
    for (const argv of [
      ['new', '--bogus'],
      ['new', 'a', 'b', '--description', 'x'],
      ['new', '--name'],
      ['new', '--name', 'puruto-z', '--description', 'x', '--db=maybe', '--yes', '--destination', path.join(d, 'z')],
      ['new', '--yes=perhaps'],
    ]) {
      const r = await run(argv);
      assert.equal(r.code, 2, `${argv.join(' ')} → ${r.stderr}`);
    }
    assert.equal(existsSync(path.join(d, 'z')), false);
  });

  it('--help of each kind comes from its table', async () => {
    const r = await run(['new', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--agent-tests, --no-agent-tests/);
    assert.match((await run(['new', 'ipc', '--help'])).stdout, /Usage: puruto new ipc/);
  });

  it('`new ipc` adds IPC to the Puruto in the current folder, and a second run changes nothing', async () => {
    const dest = path.join(tempDir(), 'puruto-host');
    assert.equal((await run(['new', 'puruto-host', '--description', 'Host', '-y', '--destination', dest])).code, 0);
    const r = await run(['new', 'ipc'], dest);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(readFileSync(path.join(dest, '.puruto-ipc.json'), 'utf8')).owner, 'puruto-host');
    const readme = readFileSync(path.join(dest, 'README.md'), 'utf8');
    assert.match(readme, /^# puruto-host$/m);
    assert.match(readme, /^## IPC/m);
    const second = await run(['new', 'ipc'], dest);
    assert.equal(second.code, 0);
    assert.equal(readFileSync(path.join(dest, 'README.md'), 'utf8'), readme);
    assert.equal((await puruto(['validate', dest, '--strict'])).code, 0);
  });

  it('`new ipc` outside a Puruto is refused (exit 1)', async () => {
    const r = await run(['new', 'ipc'], tempDir());
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is not a Puruto/);
  });
});
