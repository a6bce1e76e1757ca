/**
 * Every command's --help Options block is produced from its option list (lib/options), the
 * yo generators declare exactly that list, and an unknown option of each exits 2 with the help.
 */
import assert from 'node:assert/strict';
import { createEnv } from 'yeoman-environment';
import type { Options } from '../../lib/options/option.js';
import { flagColumn } from '../../lib/options/help.js';
import { yoOptions } from '../../lib/options/yo.js';
import { CATALOG } from '../../generators/catalog.js';
import { GENERATOR_CLASSES } from '../../generators/classes.js';
import { ADD_ON_OPTIONS, newRepoOptions } from '../../generators/shared/help.js';
import { initHelp, OPTIONS as INIT_OPTIONS } from '../../generators/init/questions.js';
import { UPGRADE_OPTIONS, upgradeHelp } from '../../generators/upgrade/questions.js';
import { UPDATE_OPTIONS, YO_UPDATE_OPTIONS, updateHelp } from '../../generators/update/questions.js';
import UpgradeGenerator from '../../generators/upgrade/index.js';
import UpdateGenerator from '../../generators/update/index.js';
import { VALIDATE_OPTIONS, validateHelp } from '../../cli/commands/validate.js';
import { WORKSPACE_OPTIONS, workspaceHelp } from '../../cli/commands/workspace.js';
import { DOCTOR_OPTIONS } from '../../cli/commands/doctor.js';
import { generatorPath, rejection, runGenerator, tempDir } from '../helpers/generators.js';
import { puruto } from '../helpers/cli.js';
import { MAIN_OPTIONS } from '../../cli/main.js';

/** The rows of the block under `Options:` (or `Options of the default kind ...:`), until a blank line. */
function optionRows(help: string): string[] {
  const lines = help.split('\n');
  const start = lines.findIndex((l) => /^Options\b.*:$/.test(l));
  assert.ok(start !== -1, `no Options block in:\n${help}`);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end === -1 ? undefined : end).filter((l) => /^ {2}-/.test(l));
}

function checkBlock(help: string, options: Options, what: string): void {
  const rows = optionRows(help);
  const shown = options.filter((o) => !o.hidden);
  // Every option of the list, in its order, with its flag column and (first line of) description.
  assert.deepEqual(
    rows.map((r) => r.slice(2).split(/ {2,}/)[0]),
    shown.map(flagColumn),
    `${what}: the Options block is not its option list:\n${help}`,
  );
  shown.forEach((o, i) => assert.ok(rows[i]!.endsWith(o.description.split('\n')[0]!), `${what} --${o.name}`));
  // And every --flag of the block is in the list (--no-x only for a negatable boolean).
  const names = new Map(shown.map((o) => [o.name, o]));
  for (const r of rows)
    for (const [, neg, name] of r
      .slice(2)
      .split(/ {2,}/)[0]!
      .matchAll(/--(no-)?([a-z][a-z-]*)/g)) {
      const o = names.get(name!) ?? (neg ? undefined : names.get(`no-${name}`));
      assert.ok(o, `${what}: --${neg ?? ''}${name} is not an option of its list`);
      if (neg) assert.ok(o.negatable && o.kind !== 'value', `${what}: --no-${name} shown but not negatable`);
    }
}

const entryOptions = (key: string): Options => {
  const e = CATALOG.find((c) => c.key === key)!;
  return e.newRepo ? newRepoOptions(e.newRepo) : ADD_ON_OPTIONS;
};

/** Each command's argv prefix, its option list, and the pointer its argument errors give. */
const COMMANDS: { argv: string[]; options: Options; pointer: string }[] = [
  { argv: ['validate'], options: VALIDATE_OPTIONS, pointer: validateHelp },
  { argv: ['workspace'], options: WORKSPACE_OPTIONS, pointer: workspaceHelp },
  { argv: ['doctor'], options: DOCTOR_OPTIONS, pointer: 'Run `puruto doctor --help`' },
  { argv: ['upgrade'], options: UPGRADE_OPTIONS, pointer: 'Run `puruto upgrade --help`' },
  { argv: ['update'], options: UPDATE_OPTIONS, pointer: 'Run `puruto update --help`' },
  { argv: ['init'], options: INIT_OPTIONS, pointer: 'Run `puruto init --help`' },
  { argv: ['new'], options: entryOptions('app'), pointer: 'Run `puruto new --help`' },
  ...CATALOG.map((c) => ({
    argv: ['new', c.key],
    options: entryOptions(c.key),
    pointer: `Run \`puruto new${c.key === 'app' ? '' : ` ${c.key}`} --help\``,
  })),
];

describe('one option list per command', () => {
  for (const c of COMMANDS) {
    const cmd = `puruto ${c.argv.join(' ')}`;
    it(`${cmd} --help: the Options block is its option list`, async () => {
      const r = await puruto([...c.argv, '--help']);
      assert.equal(r.code, 0, r.stderr);
      checkBlock(r.stdout, c.options, cmd);
    });
    it(`${cmd} --frobnicate: exit 2, the error and the help (or the way to it), nothing on stdout`, async () => {
      const r = await puruto([...c.argv, '--frobnicate'], tempDir());
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, new RegExp(`^puruto ${c.argv[0]}: unknown option --frobnicate`));
      assert.ok(r.stderr.includes(c.pointer), r.stderr);
    });
  }

  it('puruto --help: its Options block is MAIN_OPTIONS', async () => {
    const r = await puruto(['--help']);
    assert.equal(r.code, 0);
    checkBlock(r.stdout, MAIN_OPTIONS, 'puruto');
  });

  it("yo's --help texts are built from the lists the generators declare", () => {
    for (const e of CATALOG) checkBlock(e.help('yo'), entryOptions(e.key), `yo puruto:${e.key}`);
    checkBlock(initHelp('yo'), INIT_OPTIONS, 'yo puruto:init');
    checkBlock(upgradeHelp('yo'), UPGRADE_OPTIONS, 'yo puruto:upgrade');
    checkBlock(updateHelp('yo'), YO_UPDATE_OPTIONS, 'yo puruto:update');
  });
});

describe('the yo generators declare their option list (this.option from lib/options/yo.ts)', () => {
  /** Options every Yeoman generator declares itself. */
  const YEOMAN = new Set(['help', 'skip-cache', 'skip-install', 'force-install', 'ask-answered']);
  const GENERATORS: [string, unknown, Options][] = [
    ...CATALOG.map((c) => [c.key, GENERATOR_CLASSES[c.key as keyof typeof GENERATOR_CLASSES], entryOptions(c.key)]),
    ['init', GENERATOR_CLASSES.init, INIT_OPTIONS],
    ['upgrade', UpgradeGenerator, UPGRADE_OPTIONS],
    ['update', UpdateGenerator, YO_UPDATE_OPTIONS],
  ] as [string, unknown, Options][];

  for (const [key, Gen, options] of GENERATORS) {
    it(`puruto:${key}`, async () => {
      const env = createEnv({ cwd: tempDir() } as never);
      env.register(Gen as never, { namespace: `puruto:${key}`, resolved: generatorPath(key) });
      const g = (await env.create(`puruto:${key}`, {
        generatorArgs: [],
        generatorOptions: {},
      } as never)) as unknown as {
        _options: Record<string, { type: unknown; alias?: string }>;
      };
      const declared = Object.keys(g._options).filter((n) => !YEOMAN.has(n));
      const wanted = yoOptions(options);
      assert.deepEqual(declared.sort(), wanted.map((o) => o.name).sort());
      for (const o of wanted) {
        assert.equal(g._options[o.name]!.type, o.config.type, `--${o.name}`);
        assert.equal(g._options[o.name]!.alias, o.config.alias, `-${o.config.alias ?? ''}`);
      }
    });
    it(`yo puruto:${key} --frobnicate is an argument error (code 2)`, async () => {
      const err = await rejection(runGenerator(key, { options: { frobnicate: true }, cwd: tempDir() }));
      assert.equal(err.code, 2, err.message);
      assert.match(err.message, /^unknown option --frobnicate: see `yo puruto(:[a-z-]+)? --help`$/);
    });
  }
});
