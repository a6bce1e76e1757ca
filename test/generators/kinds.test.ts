/**
 * What the four ecosystem generators share, one table row per kind: the fixed name
 * (generator and question table), the existing-destination refusal, and `puruto new
 * <kind>` (generates without yo, validates clean, refuses another name, has its help).
 * What is particular to a kind stays in its own test file.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { generateRepo, rejection, runGenerator, tempDir, withHome } from '../helpers/generators.js';
import { puruto } from '../helpers/cli.js';
import { validateRepo } from '../../lib/validate/index.js';
import { check } from '../../lib/questions/resolve.js';
import { ECOSYSTEM } from '../../lib/ecosystem.js';
import { kindByKey } from '../../generators/kinds.js';

/** Per-kind test data of the registry's ecosystem kinds (every one must have its entry). */
const EXTRAS: Record<
  string,
  {
    /** refused by the generator (code 1), nothing written */
    badNames: string[];
    /** refused by `puruto new <key> <otherName>` (exit 1) */
    otherName: string;
    /** files `puruto new <key>` must have written, with what they hold when it matters */
    written: Record<string, unknown>;
  }
> = {
  data: {
    badNames: ['puruto-notes', 'puruto-telegram', 'data', 'Puruto-Data'],
    otherName: 'puruto-vault',
    written: { 'registry.json': { version: '1', purutos: [] } },
  },
  telegram: {
    badNames: ['puruto-tg', 'telegram'],
    otherName: 'puruto-tg',
    written: { 'bot.py': undefined },
  },
  cron: {
    badNames: ['puruto-timer', 'cron'],
    otherName: 'puruto-timer',
    written: { 'main.py': undefined },
  },
  gateway: {
    badNames: ['puruto-api', 'puruto-data', 'gateway'],
    otherName: 'puruto-api',
    written: { 'app.py': undefined, 'invoker.py': undefined },
  },
};

describe('the kinds test table', () => {
  it('has an entry for every ecosystem kind of the registry, and no other', () => {
    assert.deepEqual(Object.keys(EXTRAS).sort(), ECOSYSTEM.map((k) => k.key).sort());
  });
});

for (const { key, name } of ECOSYSTEM) {
  const extras = EXTRAS[key];
  if (!extras) continue;
  const k = { key, questions: kindByKey(key)!.table, ...extras };

  describe(`yo puruto:${k.key} and puruto new ${k.key}: the fixed name and the destination`, () => {
    for (const bad of k.badNames) {
      it(`refuses the name ${JSON.stringify(bad)} (code 1), writing nothing`, async () => {
        const out = tempDir();
        const err = await rejection(
          generateRepo(k.key, { name: bad, yes: true, destination: path.join(out, 'dest') }, {}, name),
        );
        assert.equal(err.code, 1);
        assert.match(err.message, new RegExp(`always named ${name}|own generator`));
        assert.equal(existsSync(path.join(out, 'dest')), false);
      });
    }

    it(`the name question accepts only ${name}; the description must be one line`, () => {
      const [nameQ, descQ] = k.questions;
      assert.equal(check(nameQ!, name as never), undefined);
      assert.match(String(check(nameQ!, k.otherName as never)), new RegExp(`always named ${name} .*--destination`));
      assert.match(String(check(descQ!, 'two\nlines' as never)), /single line/);
      assert.match(String(check(descQ!, '' as never)), /empty/);
    });

    it('refuses an existing non-empty destination (code 1)', async () => {
      const dest = path.join(tempDir(), name);
      await withHome(tempDir(), () => runGenerator(k.key, { options: { yes: true, destination: dest } }));
      const err = await rejection(
        withHome(tempDir(), () => runGenerator(k.key, { options: { yes: true, destination: dest } })),
      );
      assert.equal(err.code, 1);
      assert.match(err.message, /already exists and is not empty/);
    });

    const run = (argv: string[]) => withHome(tempDir(), () => puruto(argv, tempDir()));

    it(`puruto new ${k.key} generates it without yo; validate --strict passes on it`, async () => {
      const dest = path.join(tempDir(), name);
      const r = await run(['new', k.key, '--yes', '--destination', dest]);
      assert.equal(r.code, 0, r.stderr);
      for (const [file, json] of Object.entries(k.written)) {
        assert.ok(existsSync(path.join(dest, file)), file);
        if (json !== undefined) assert.deepEqual(JSON.parse(readFileSync(path.join(dest, file), 'utf8')), json);
      }
      const v = await puruto(['validate', dest, '--strict', '--json']);
      assert.equal(v.code, 0, v.stdout);
      assert.equal(JSON.parse(v.stdout).kind, name);
      const report = await validateRepo(dest, { strict: true });
      assert.equal(report.kind, name);
      assert.deepEqual(report.findings, []);
    });

    it(`puruto new ${k.key} refuses another name (exit 1) and has its own --help`, async () => {
      const d = tempDir();
      const bad = await run(['new', k.key, k.otherName, '--yes', '--destination', path.join(d, 'x')]);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, new RegExp(`always named ${name}`));
      assert.equal(existsSync(path.join(d, 'x')), false);
      const help = await run(['new', k.key, '--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, new RegExp(`Usage: puruto new ${k.key} \\[name\\] \\[options\\]`));
      assert.match(help.stdout, new RegExp(name));
      assert.match((await run(['new', '--help'])).stdout, new RegExp(`^ {2}${k.key.padEnd(12)}new repo: the `, 'm'));
    });
  });
}
