/** lib/options: one Option list gives the parser, the checks, the --help rows and the yo declarations. */
import assert from 'node:assert/strict';
import { HELP_OPTION, questionOption, type Option } from '../../lib/options/option.js';
import { parseOptions } from '../../lib/options/parse.js';
import { flagColumn, optionLines } from '../../lib/options/help.js';
import { Raw, yoOptions } from '../../lib/options/yo.js';
import type { Question } from '../../lib/questions/table.js';
import { CATALOG } from '../../generators/catalog.js';
import { newRepoOptions } from '../../generators/shared/help.js';
import { upgradeRequest } from '../../generators/upgrade/questions.js';
import { STANDARD_VERSION } from '../../lib/standard/version.js';

const x: Question = { name: 'x', type: 'boolean', message: 'X?', description: 'an x', default: false };

describe('lib/options: a boolean question', () => {
  const options = [questionOption(x)];
  it('turns into an option accepting --x, --no-x, --x false (any case) and --x=true', () => {
    assert.deepEqual(parseOptions(['--x'], options), { values: { x: true }, positionals: [], errors: [] });
    assert.deepEqual(parseOptions(['--no-x'], options), { values: { x: false }, positionals: [], errors: [] });
    assert.deepEqual(parseOptions(['--x', 'false'], options), { values: { x: false }, positionals: [], errors: [] });
    assert.deepEqual(parseOptions(['--x', 'FALSE'], options).values, { x: false });
    assert.deepEqual(parseOptions(['--x=true'], options).values, { x: true });
  });
  it('--x maybe is the existing argument error, and the word is not taken as a positional', () => {
    const r = parseOptions(['--x', 'maybe'], options);
    assert.deepEqual(r.values, {});
    assert.deepEqual(r.positionals, []);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0]!, /^--x expects true or false, got "maybe" \(write --x true, --x false or --no-x/);
    assert.deepEqual(parseOptions(['--x=maybe'], options).errors, [
      '--x expects true or false (any case), got "maybe"',
    ]);
  });
  it('shows as --x, --no-x with its default, and yo hands its value over raw (the table coerces it)', () => {
    assert.equal(flagColumn(options[0]!), '--x, --no-x');
    assert.deepEqual(optionLines(options), ['  --x, --no-x  an x (default: false)']);
    assert.deepEqual(yoOptions(options), [{ name: 'x', config: { type: Raw, description: 'an x (default: false)' } }]);
  });
  it('a boolean with negatable: false (init --all) shows no --no-x', () => {
    assert.equal(flagColumn(questionOption({ ...x, negatable: false })), '--x');
  });
  it('every boolean question of every kind is a --no-x option under puruto new, also one a kind adds', () => {
    for (const entry of CATALOG) {
      if (!entry.newRepo) continue;
      const spec = { ...entry.newRepo, table: [...entry.newRepo.table, x] };
      for (const q of spec.table.filter((t) => t.type === 'boolean')) {
        const r = parseOptions([`--no-${q.name}`], newRepoOptions(spec));
        assert.deepEqual(r.values, { [q.name]: false }, `${entry.key} --no-${q.name}: ${r.errors.join('; ')}`);
      }
    }
  });
});

describe('lib/options: kinds and checks', () => {
  const options: Option[] = [
    { name: 'json', kind: 'flag', description: 'json' },
    { name: 'yes', kind: 'boolean', alias: 'y', description: 'yes' },
    {
      name: 'level',
      kind: 'value',
      value: 'N',
      description: 'a level\nfrom 1 to 3',
      check: (v) => (/^[123]$/.test(v) ? undefined : `expects 1, 2 or 3, got ${JSON.stringify(v)}`),
    },
    { name: 'owner', kind: 'value', hidden: true, description: 'internal' },
    HELP_OPTION,
  ];
  it('a flag takes no value; a value option needs one and passes its check', () => {
    assert.deepEqual(parseOptions(['--json=yes'], options).errors, ['--json takes no value']);
    assert.deepEqual(parseOptions(['--json', 'true'], options).errors, ['--json takes no value']);
    assert.deepEqual(parseOptions(['--level'], options).errors, ['--level needs a value']);
    assert.deepEqual(parseOptions(['--level', '7'], options).errors, ['--level expects 1, 2 or 3, got "7"']);
    assert.deepEqual(parseOptions(['--level=2', '-y', '--json', 'p'], options), {
      values: { level: '2', yes: true, json: true },
      positionals: ['p'],
      errors: [],
    });
    assert.deepEqual(parseOptions(['--yes', 'False'], options).values, { yes: false });
    assert.deepEqual(parseOptions(['--yes=perhaps'], options).errors, [
      '--yes expects true or false (any case), got "perhaps"',
    ]);
  });
  it('a hidden option is not on the command line nor in --help, but yo declares it', () => {
    assert.deepEqual(parseOptions(['--owner', 'me'], options).errors, ['unknown option --owner']);
    assert.ok(!optionLines(options).some((l) => l.includes('--owner')));
    assert.deepEqual(
      yoOptions(options).map((o) => [o.name, o.config.type, o.config.hide ?? false, o.config.alias]),
      [
        ['json', Boolean, false, undefined],
        ['yes', Boolean, false, 'y'],
        ['level', String, false, undefined],
        ['owner', String, true, undefined],
      ],
    );
  });
  it('--help rows: one aligned column, continuation lines under the description', () => {
    assert.deepEqual(optionLines(options), [
      '  --json       json',
      '  -y, --yes    yes',
      '  --level <N>  a level',
      '               from 1 to 3',
      '  -h, --help   show this help',
    ]);
  });
});

describe('upgradeRequest: one reading of the upgrade options for puruto upgrade and yo puruto:upgrade', () => {
  const req = (o: Record<string, unknown>) => upgradeRequest((n) => o[n]);
  it('mode: --plan wins, then --dry-run or --check, else apply', () => {
    assert.deepEqual(req({}), { ok: true, request: { mode: 'apply', check: false, json: false, allowDirty: false } });
    const mode = (o: Record<string, unknown>) => {
      const r = req(o);
      return r.ok ? r.request.mode : r.message;
    };
    assert.equal(mode({ plan: true, 'dry-run': true }), 'plan');
    assert.equal(mode({ 'dry-run': true }), 'dry-run');
    assert.equal(mode({ check: true }), 'dry-run');
    assert.deepEqual(req({ 'target-version': STANDARD_VERSION, 'allow-dirty': true, json: true }), {
      ok: true,
      request: { mode: 'apply', check: false, json: true, allowDirty: true, targetVersion: STANDARD_VERSION },
    });
  });
  it('a --target-version that is not a version is an argument error, from yo as from the command line', () => {
    assert.deepEqual(req({ 'target-version': 'latest' }), {
      ok: false,
      message: `--target-version expects a version like ${STANDARD_VERSION}, got "latest"`,
    });
    assert.deepEqual(req({ 'target-version': true }), { ok: false, message: '--target-version needs a value' });
  });
});
