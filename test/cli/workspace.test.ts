import assert from 'node:assert/strict';
import { STANDARD_VERSION, VERSION_CHAIN } from '../../lib/standard/version.js';
import fs from 'node:fs';
import path from 'node:path';
import { puruto } from '../helpers/cli.js';
import { tempDir, withHome } from '../helpers/generators.js';
import { validKindRepo, validStandardRepo, writeTree } from '../helpers/repo.js';
import { PYTHON } from '../helpers/python.js';
import { STATUS_SCRIPT } from '../../lib/workspace-status.js';

function fixture(): string {
  const ws = tempDir('puruto-wscli-');
  writeTree(path.join(ws, 'puruto-data'), validKindRepo('puruto-data'));
  const legacy = validStandardRepo('puruto-old');
  delete legacy['.puruto-standard-version'];
  writeTree(path.join(ws, 'puruto-old'), legacy);
  const broken = validStandardRepo('puruto-broken');
  delete broken['README.md'];
  writeTree(path.join(ws, 'puruto-broken'), {
    ...broken,
    [STATUS_SCRIPT]: 'import json\nprint(json.dumps({"problems": ["PURUTO_X is empty: set it in .env"]}))\n',
  });
  return ws;
}

describe('puruto workspace', () => {
  it('prints the table (NAME KIND VERSION VALIDATION) and a summary line with what to do', async () => {
    const ws = fixture();
    const r = await puruto(['workspace', ws]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME +KIND +VERSION +VALIDATION$/);
    const rows = lines.slice(1, 4).map((l) => l.split(/\s{2,}/));
    assert.deepEqual(rows[0], ['puruto-broken', 'standard', STANDARD_VERSION, '1 error']);
    assert.deepEqual(rows[1], ['puruto-data', 'puruto-data', STANDARD_VERSION, 'ok']);
    assert.deepEqual(rows[2]!.slice(0, 3), ['puruto-old', 'standard', `${VERSION_CHAIN[0]} (missing)`]);
    assert.match(rows[2]![3]!, /^ok \(\d+ warnings?\)$/);
    assert.match(
      r.stdout,
      new RegExp(
        `^3 Purutos in ${ws}, 2 valid, 1 with errors, 1 not on standard ${STANDARD_VERSION.replace(/\./g, '\\.')}$`,
        'm',
      ),
    );
    assert.match(r.stdout, new RegExp(`^Details: puruto validate --workspace ${ws}$`, 'm'));
    assert.match(r.stdout, /^Upgrade: puruto upgrade <path> --plan/m);
    assert.match(r.stdout, /Not in puruto-data\/registry\.json .*: puruto-broken, puruto-old/);
  });

  it(
    'suggests vault.py register only for names the vault accepts; ' + 'a name without puruto- is told to rename',
    async () => {
      const ws = fixture();
      writeTree(path.join(ws, 'notes'), validStandardRepo('notes'));
      const r = await puruto(['workspace', ws]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /^Not in puruto-data\/registry\.json .*: puruto-broken, puruto-old — register with: cd puruto-data && python3 vault\.py register <name>$/m,
      );
      assert.match(
        r.stdout,
        /^Cannot be registered in puruto-data \(the vault takes only puruto-<name>\).*: notes — rename the folder to puruto-<name> to register it$/m,
      );
      const registerLine = r.stdout.split('\n').find((l) => l.includes('vault.py register'))!;
      assert.ok(!registerLine.includes('notes'), registerLine);
    },
  );

  it('--json prints one object with the documented shape; exit 0 even when a Puruto has errors', async () => {
    const ws = fixture();
    const r = await puruto(['workspace', ws, '--json']);
    assert.equal(r.code, 0);
    const o = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(o), ['path', 'standard_version', 'count', 'ok', 'registry', 'purutos']);
    assert.equal(o.ok, false);
    assert.deepEqual(Object.keys(o.purutos[0]), [
      'name',
      'path',
      'kind',
      'version',
      'effective_version',
      'current',
      'validation',
      'description',
      'skills',
      'registered',
    ]);
    const old = o.purutos.find((p: { name: string }) => p.name === 'puruto-old');
    assert.deepEqual([old.version, old.effective_version, old.current], [null, VERSION_CHAIN[0], false]);
    // Every key the help documents is in the output.
    const help = (await puruto(['workspace', '--help'])).stdout;
    for (const key of [...Object.keys(o), ...Object.keys(o.purutos[0]), 'status', 'state', 'summary', 'problems'])
      assert.ok(help.includes(`"${key}"`), key);
  });

  it('--status adds each repo\'s runtime state from its own status script (STATUS column / "status" key)', async () => {
    const ws = fixture();
    const saved = process.env['PURUTO_PYTHON'];
    process.env['PURUTO_PYTHON'] = PYTHON;
    try {
      const r = await puruto(['workspace', ws, '--status']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout.split('\n')[0]!, /^NAME +KIND +VERSION +VALIDATION +STATUS$/);
      assert.match(r.stdout, /^puruto-broken .* problem: PURUTO_X is empty: set it in \.env$/m);
      assert.match(r.stdout, /^puruto-data .* unknown: no status script/m);
      const j = JSON.parse((await puruto(['workspace', ws, '--status', '--json'])).stdout);
      assert.deepEqual(j.purutos[0].status, {
        state: 'problem',
        summary: 'PURUTO_X is empty: set it in .env',
        problems: 1,
      });
    } finally {
      if (saved === undefined) delete process.env['PURUTO_PYTHON'];
      else process.env['PURUTO_PYTHON'] = saved;
    }
  });

  it('DIR defaults to the current folder when it holds Purutos, else ~/purutos', async () => {
    const ws = fixture();
    const here = await puruto(['workspace', '--json'], ws);
    assert.equal(JSON.parse(here.stdout).path, ws);
    const home = tempDir('puruto-home-');
    fs.mkdirSync(path.join(home, 'purutos'));
    const elsewhere = await withHome(home, () => puruto(['workspace', '--json'], tempDir()));
    assert.equal(JSON.parse(elsewhere.stdout).path, path.join(home, 'purutos'));
    const tilde = await withHome(home, () => puruto(['workspace', '~/purutos'], tempDir()));
    assert.match(tilde.stdout, /^No Purutos in .*purutos\.\nCreate an ecosystem there with `puruto init/m);
  });

  it('exit 1 when DIR does not exist or is not a folder (message on stderr, no JSON)', async () => {
    const d = tempDir();
    const missing = await puruto(['workspace', path.join(d, 'nope'), '--json']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, /^puruto workspace: .*nope does not exist: create an ecosystem with `puruto init /);
    const home = tempDir('puruto-home-');
    const defaulted = await withHome(home, () => puruto(['workspace'], tempDir()));
    assert.equal(defaulted.code, 1, 'no Purutos here and no ~/purutos');
    fs.writeFileSync(path.join(d, 'f'), 'x');
    const file = await puruto(['workspace', path.join(d, 'f')]);
    assert.equal(file.code, 1);
    assert.match(file.stderr, /is not a folder/);
  });

  it('--status with a bad PURUTO_STATUS_PARALLEL is an argument error naming it', async () => {
    const saved = process.env['PURUTO_STATUS_PARALLEL'];
    try {
      for (const bad of ['0', 'many', '65', '1.5']) {
        process.env['PURUTO_STATUS_PARALLEL'] = bad;
        const r = await puruto(['workspace', tempDir(), '--status']);
        assert.equal(r.code, 2, bad);
        assert.equal(
          r.stderr.trim(),
          `puruto workspace: PURUTO_STATUS_PARALLEL="${bad}" is not a whole number from 1 to 64: ` +
            `unset it (default 4) or fix it`,
        );
      }
    } finally {
      if (saved === undefined) delete process.env['PURUTO_STATUS_PARALLEL'];
      else process.env['PURUTO_STATUS_PARALLEL'] = saved;
    }
  });

  it('exit 2 for argument errors', async () => {
    for (const argv of [
      ['workspace', '--bogus'],
      ['workspace', 'a', 'b'],
      ['workspace', '--json=yes'],
      ['workspace', '--status', 'maybe', 'x'],
    ]) {
      const r = await puruto(argv);
      assert.equal(r.code, 2, `${argv.join(' ')} → ${r.stderr}`);
      assert.match(r.stderr, /^puruto workspace: /);
    }
  });
});
