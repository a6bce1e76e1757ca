import assert from 'node:assert/strict';
import { shellWord, shownPath } from '../../lib/shown-path.js';

describe('shownPath (paths in next steps)', () => {
  it('is relative inside cwd, absolute outside it, "." for cwd, quoted when not a plain word', () => {
    assert.equal(shownPath('/home/u', '/home/u/purutos/puruto-notes'), 'purutos/puruto-notes');
    assert.equal(shownPath('/work/main', '/tmp/eco'), '/tmp/eco');
    assert.equal(shownPath('/tmp/eco', '/tmp/eco'), '.');
    assert.equal(shownPath('/home/u', '/home/u/my notes'), "'my notes'");
    assert.equal(shellWord('/tmp/$x'), "'/tmp/$x'");
    assert.equal(shellWord("it's"), "'it'\\''s'");
  });
});
