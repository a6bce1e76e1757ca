import assert from 'node:assert/strict';
import { check, coerce, collect, commandLine, withDefaults } from '../../lib/questions/resolve.js';
import { helpText } from '../../lib/questions/help.js';
import { questionOptions } from '../../lib/options/option.js';
import { questions } from '../../generators/app/questions.js';

const q = (name: string) => questions.find((x) => x.name === name)!;

describe('lib/questions', () => {
  it('coerces flag strings, yo booleans and JSON values to the question type', () => {
    assert.deepEqual(coerce(q('db'), 'False'), { value: false });
    assert.deepEqual(coerce(q('db'), true), { value: true });
    assert.match((coerce(q('db'), 'nah') as { error: string }).error, /--db expects true or false/);
    assert.deepEqual(coerce(q('skills'), ' a, b ,,a'), { value: ['a', 'b'] });
    assert.deepEqual(coerce(q('skills'), ['x']), { value: ['x'] });
    assert.match((coerce(q('skills'), 3) as { error: string }).error, /comma-separated list/);
    assert.match((coerce(q('name'), ['x']) as { error: string }).error, /text value/);
  });

  it('collects flags over the answers file, defaults only when asked', () => {
    const got = collect(questions, {
      flags: { name: 'puruto-a', db: 'false' },
      file: { name: 'puruto-b', description: 'D' },
      useDefaults: true,
    });
    assert.deepEqual(got.answers, {
      name: 'puruto-a',
      description: 'D',
      db: false,
      skills: [],
      ipc: false,
      'agent-tests': false,
    });
    assert.deepEqual(got.missing, []);
    const interactive = collect(questions, { flags: {}, useDefaults: false });
    assert.deepEqual(interactive.answers, {});
    assert.deepEqual(
      interactive.missing.map((m) => m.name),
      ['name', 'description'],
    );
  });

  it('separates argument errors (wrong type, unknown key) from invalid values', () => {
    const got = collect(questions, {
      flags: { db: 'perhaps', name: 'Bad Name' },
      file: { extra: 1 },
      useDefaults: true,
    });
    assert.equal(got.argErrors.length, 2);
    assert.match(got.argErrors.join('\n'), /unknown answer "extra"/);
    assert.deepEqual(got.invalid.length, 1);
    assert.match(got.invalid[0]!, /^name: "Bad Name" contains spaces/);
  });

  it('rejects an empty or multi-line description', () => {
    assert.match(String(check(q('description'), '')), /needs a description/);
    assert.match(String(check(q('description'), 'a\nb')), /single line/);
    assert.equal(check(q('description'), 'fine'), undefined);
  });

  it('prints the non-interactive command line of given answers', () => {
    const line = commandLine(
      'puruto new',
      questions,
      withDefaults(questions, { name: 'puruto-a', description: "it's mine" }),
    );
    assert.equal(
      line,
      "puruto new --name puruto-a --description 'it'\\''s mine' --db --skills '' --no-ipc --no-agent-tests",
    );
  });

  it('builds help with every flag, its default and required marks', () => {
    const options = [...questionOptions(questions), { name: 'yes', kind: 'boolean', description: 'y' } as const];
    const text = helpText({ usage: 'x', summary: 's', options });
    assert.match(text, /--name <puruto-notes> +repo name.*\(required\)/);
    assert.match(text, /--db, --no-db +.*\(default: true\)/);
    assert.match(text, /--skills <a,b> +.*\(default: none\)/);
    assert.match(text, /--yes +y/);
  });
});
