import assert from 'node:assert/strict';
import { checkName } from '../../lib/names.js';
import { parseBoolean } from '../../lib/booleans.js';

describe('lib/names', () => {
  it('accepts puruto-<x> names silently', () => {
    assert.deepEqual(checkName('puruto-notes'), { ok: true });
    assert.deepEqual(checkName('puruto-a1-b2'), { ok: true });
  });
  it('accepts other names with a one-line recommendation', () => {
    const r = checkName('notes');
    assert.equal(r.ok, true);
    assert.match(r.note ?? '', /puruto-notes/);
    assert.equal(r.note?.includes('\n'), false);
  });
  it('selects the ecosystem kinds by name', () => {
    for (const k of ['puruto-data', 'puruto-telegram', 'puruto-cron', 'puruto-gateway']) {
      assert.equal(checkName(k).ecosystemKind, k);
    }
  });
  const refused: [string, RegExp][] = [
    ['', /empty/],
    ['my notes', /spaces.*my-notes/],
    ['a/b', /path separator/],
    ['a\\b', /path separator/],
    ['..', /"\.\."/],
    ['a..b', /"\.\."/],
    ['.hidden', /starts with a dot/],
    ['-x', /starts with a hyphen/],
    ['x-', /ends with a hyphen/],
    ['a--b', /consecutive hyphens/],
    ['Notes', /lowercase letters.*puruto-notes/],
    ['a_b', /lowercase letters/],
    ['a'.repeat(65), /65 characters long: the limit is 64/],
  ];
  for (const [name, why] of refused) {
    it(`refuses ${JSON.stringify(name.length > 20 ? `${name.length} chars` : name)}`, () => {
      const r = checkName(name);
      assert.equal(r.ok, false);
      assert.match(r.error ?? '', why);
    });
  }
  it('accepts exactly 64 characters', () => assert.equal(checkName(`p${'a'.repeat(63)}`).ok, true));
});

describe('lib/booleans', () => {
  it('parses booleans and true/false in any case', () => {
    for (const [v, want] of [
      [true, true],
      [false, false],
      ['TRUE', true],
      ['False', false],
      [' true ', true],
      ['', true],
    ] as const) {
      assert.equal(parseBoolean(v), want);
    }
    for (const v of ['yes', '1', 0, null, undefined, {}]) assert.equal(parseBoolean(v), undefined);
  });
});
