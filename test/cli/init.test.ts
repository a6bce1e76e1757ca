import assert from 'node:assert/strict';
import { STANDARD_VERSION } from '../../lib/standard/version.js';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { puruto } from '../helpers/cli.js';
import { tempDir, withHome } from '../helpers/generators.js';
import { gitAvailable } from '../../lib/git-init.js';

const KINDS = ['puruto-cron', 'puruto-data', 'puruto-gateway', 'puruto-telegram'];

describe('puruto init', () => {
  it('`init --all` then `workspace`: four valid, wired, committed repos in ~/purutos and a correct table', async () => {
    const home = tempDir('puruto-home-');
    const eco = path.join(home, 'purutos');
    const r = await withHome(home, () => puruto(['init', '--all'], home));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    for (const k of KINDS) assert.match(r.stdout, new RegExp(`^  created +${k} `, 'm'));
    assert.match(r.stdout, new RegExp(`^Ecosystem ${eco}$`, 'm'));
    assert.match(r.stdout, /^Next steps:$/m);
    assert.match(r.stdout, /^ {2}cd purutos$/m);
    // cron events go to the chat in PURUTO_TELEGRAM_DEFAULT_CHAT_ID: unset, inbox.py --deliver keeps them pending
    assert.match(r.stdout, /^ {2}puruto-telegram: .*PURUTO_TELEGRAM_DEFAULT_CHAT_ID/m);
    assert.deepEqual(
      fs
        .readdirSync(eco)
        .filter((n) => n.startsWith('puruto-'))
        .sort(),
      KINDS,
    );
    assert.equal(fs.existsSync(path.join(eco, '.yo-rc.json')), false);

    const strict = await puruto(['validate', '--workspace', eco, '--strict', '--json']);
    assert.equal(strict.code, 0, strict.stdout);
    const report = JSON.parse(strict.stdout);
    assert.equal(report.repos, 4);
    assert.equal(report.errors + report.warnings, 0);

    if (gitAvailable()) {
      for (const k of KINDS) {
        const log = execFileSync('git', ['-C', path.join(eco, k), 'log', '--oneline'], { encoding: 'utf8' });
        assert.match(log, new RegExp(`Create ${k} \\(generator-puruto: puruto init\\)`), k);
      }
    }

    // From HOME, `puruto workspace` lists ~/purutos (HOME holds the ecosystem folder, not Purutos).
    const table = await withHome(home, () => puruto(['workspace'], home));
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME +KIND +VERSION +VALIDATION$/);
    assert.deepEqual(
      lines.slice(1, 5).map((l) => l.split(/\s{2,}/)),
      KINDS.map((k) => [k, k, STANDARD_VERSION, 'ok']),
    );
    assert.equal(lines[5], '');
    assert.equal(lines[6], `4 Purutos in ${eco}, 4 valid, 0 with errors, 0 not on standard ${STANDARD_VERSION}`);
    assert.equal(lines.length, 7, 'every repo is registered: no registry hint');

    const json = await withHome(home, () => puruto(['workspace', '--json'], eco));
    assert.equal(json.code, 0);
    const listing = JSON.parse(json.stdout);
    assert.equal(listing.path, eco);
    assert.equal(listing.count, 4);
    assert.equal(listing.ok, true);
    assert.equal(listing.registry, path.join(eco, 'puruto-data', 'registry.json'));
    assert.deepEqual(
      listing.purutos.map((p: Record<string, unknown>) => [
        p['name'],
        p['kind'],
        p['version'],
        p['validation'],
        p['registered'],
      ]),
      KINDS.map((k) => [k, k, STANDARD_VERSION, { ok: true, errors: 0, warnings: 0 }, k !== 'puruto-data']),
    );
    const cron = listing.purutos[0];
    assert.ok(cron.skills.includes('register-job') && cron.skills.includes('status'));
    assert.match(cron.description, /scheduler/i);
  });

  it('run again without flags: keeps everything, says so, exit 0', async () => {
    const home = tempDir('puruto-home-');
    const eco = path.join(tempDir(), 'my eco');
    assert.equal((await withHome(home, () => puruto(['init', eco, '--cron', '--no-git']))).code, 0);
    const registry = fs.readFileSync(path.join(eco, 'puruto-data', 'registry.json'), 'utf8');
    const again = await withHome(home, () => puruto(['init', eco]));
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^ {2}kept +puruto-data /m);
    assert.match(again.stdout, /^ {2}kept +puruto-cron /m);
    assert.doesNotMatch(again.stdout, /^ {2}created /m);
    assert.match(again.stdout, /more kinds later: puruto init .* --telegram --gateway/);
    assert.equal(fs.readFileSync(path.join(eco, 'puruto-data', 'registry.json'), 'utf8'), registry);
  });

  it('exit 1 with nothing written when the folder is a file, or a repo slot is taken by a file', async () => {
    const home = tempDir('puruto-home-');
    const d = tempDir();
    fs.writeFileSync(path.join(d, 'eco'), 'mine');
    const r = await withHome(home, () => puruto(['init', 'eco', '--all'], d));
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^puruto init: .*eco exists and is not a folder: nothing was written\. Remove it, or give another folder/m,
    );
    assert.equal(r.stdout, '');
    assert.equal(fs.readFileSync(path.join(d, 'eco'), 'utf8'), 'mine');
    fs.mkdirSync(path.join(d, 'eco2'));
    fs.writeFileSync(path.join(d, 'eco2', 'puruto-data'), 'x');
    const slot = await withHome(home, () => puruto(['init', 'eco2'], d));
    assert.equal(slot.code, 1);
    assert.deepEqual(fs.readdirSync(path.join(d, 'eco2')), ['puruto-data']);
    assert.equal(fs.existsSync(path.join(home, 'purutos')), false);
  });

  it('exit 2 for argument errors, before anything is written', async () => {
    const home = tempDir('puruto-home-');
    for (const argv of [
      ['init', '--bogus'],
      ['init', '--telegram=maybe'],
      ['init', 'a', 'b'],
      ['init', 'a', '--dir', 'b'],
      ['init', '--dir'],
      ['init', '--yes=perhaps'],
    ]) {
      const r = await withHome(home, () => puruto(argv, home));
      assert.equal(r.code, 2, `${argv.join(' ')} → ${r.stderr}`);
      assert.match(r.stderr, /^puruto init: /);
    }
    assert.deepEqual(fs.readdirSync(home), []);
  });

  it('--help comes from the question table and documents the kinds, --no-git and the exit codes', async () => {
    const r = await puruto(['init', '--help']);
    assert.equal(r.code, 0);
    for (const s of [
      'Usage: puruto init [dir] [options]',
      '--telegram, --no-telegram',
      '--cron',
      '--gateway',
      '--all',
      '--git, --no-git',
      '(default: ~/purutos)',
      '-y, --yes',
      'Exit codes',
    ]) {
      assert.ok(r.stdout.includes(s), s);
    }
  });
});
