import assert from 'node:assert/strict';
import { parseArgv } from '../../lib/argv.js';

const specs = [
  { name: 'db', boolean: true },
  { name: 'name', boolean: false },
  { name: 'yes', boolean: true, alias: 'y' },
];

describe('lib/argv', () => {
  it('reads the boolean forms of the original CLI', () => {
    assert.deepEqual(parseArgv(['--db'], specs).flags, { db: true });
    assert.deepEqual(parseArgv(['--no-db'], specs).flags, { db: false });
    assert.deepEqual(parseArgv(['--db', 'FALSE'], specs).flags, { db: 'FALSE' });
    assert.deepEqual(parseArgv(['--db=true'], specs).flags, { db: 'true' });
    assert.deepEqual(parseArgv(['-y'], specs).flags, { yes: true });
  });
  it('keeps a non-boolean word after a boolean flag as a positional', () => {
    assert.deepEqual(parseArgv(['--db', 'puruto-x'], specs), {
      flags: { db: true },
      positionals: ['puruto-x'],
      errors: [],
    });
  });
  it('reads string values in both forms and after --', () => {
    assert.deepEqual(parseArgv(['--name', 'a', 'pos', '--', '--db'], specs), {
      flags: { name: 'a' },
      positionals: ['pos', '--db'],
      errors: [],
    });
    assert.deepEqual(parseArgv(['--name=a b'], specs).flags, { name: 'a b' });
  });
  it('reports unknown options, missing values and misused negations', () => {
    assert.deepEqual(parseArgv(['--colour', 'red'], specs).errors, ['unknown option --colour']);
    assert.deepEqual(parseArgv(['--name'], specs).errors, ['--name needs a value']);
    assert.deepEqual(parseArgv(['--name', '--db'], specs).errors, ['--name needs a value']);
    assert.deepEqual(parseArgv(['--no-db=1'], specs).errors, ['--no-db takes no value']);
    assert.deepEqual(parseArgv(['--no-name'], specs).errors, ['unknown option --no-name']);
    assert.deepEqual(parseArgv(['-x'], specs).errors, ['unknown option -x']);
  });
});

describe('lib/argv: boolean answers', () => {
  const answers = [
    { name: 'db', boolean: true, answer: true },
    { name: 'name', boolean: false },
  ];
  it('a word after a boolean answer that is not true/false is an argument error', () => {
    const r = parseArgv(['--name', 'puruto-notes', '--db', 'maybe'], answers);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0]!, /--db expects true or false, got "maybe"/);
    assert.deepEqual(r.positionals, [], 'the word is not taken as the repo name');
  });
  it('true/false, a following flag, or nothing are still fine', () => {
    assert.deepEqual(parseArgv(['--db', 'False'], answers), { flags: { db: 'False' }, positionals: [], errors: [] });
    assert.deepEqual(parseArgv(['--db', '--name', 'x'], answers), {
      flags: { db: true, name: 'x' },
      positionals: [],
      errors: [],
    });
    assert.deepEqual(parseArgv(['x', '--db'], answers), { flags: { db: true }, positionals: ['x'], errors: [] });
  });
});
