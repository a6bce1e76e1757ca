import assert from 'node:assert/strict';
import { appendEnvBlock, appendLines, appendSection } from '../../lib/merge.js';

describe('lib/merge', () => {
  it('appends a README section once', () => {
    const once = appendSection('# x\n\ntext', '## IPC', 'body\n\n');
    assert.equal(once, '# x\n\ntext\n\n## IPC\nbody\n');
    assert.equal(appendSection(once, '## IPC', 'other'), once);
  });
  it('appends env variables unless all are declared (commented counts)', () => {
    const base = 'A=1\n';
    const block = '# what\n# PURUTO_AGENT=stub';
    const merged = appendEnvBlock(base, block);
    assert.equal(merged, 'A=1\n\n# what\n# PURUTO_AGENT=stub\n');
    assert.equal(appendEnvBlock(merged, block), merged);
    assert.equal(appendEnvBlock('PURUTO_AGENT=claude', block), 'PURUTO_AGENT=claude');
  });
  it('adds only the paragraphs of a block whose variables are missing, with its comment-only notes', () => {
    const block = '# agent\n# PURUTO_AGENT=stub\n\n# roots\n# PURUTO_ECOSYSTEM_ROOTS=\n\n# note: never set X here';
    assert.equal(
      appendEnvBlock('PURUTO_AGENT=claude\n', block),
      'PURUTO_AGENT=claude\n\n# roots\n# PURUTO_ECOSYSTEM_ROOTS=\n\n# note: never set X here\n',
    );
  });
  it('appends only missing lines', () => {
    assert.equal(appendLines('.env\nnode_modules/', ['.env', 'db/*']), '.env\nnode_modules/\ndb/*\n');
    assert.equal(appendLines('a\n', ['a']), 'a\n');
  });
});
