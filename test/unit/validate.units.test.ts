import assert from 'node:assert/strict';
import { ignoresRootFile } from '../../lib/validate/gitignore.js';
import { isPlaceholder, mask, parseEnv } from '../../lib/validate/env.js';
import { findPlaceholders } from '../../lib/validate/tree.js';
import { checkFrontmatter, parseFrontmatter } from '../../lib/validate/frontmatter.js';
import { compareFindings, tidy } from '../../lib/validate/report.js';
import type { Finding } from '../../lib/standard/findings.js';

describe('validate: helpers', () => {
  it('gitignore: root .env matching rules', () => {
    const yes = [
      '.env',
      '/.env',
      '.env*',
      '*.env',
      '**/.env',
      '.e?v',
      '.[e]nv',
      '.env\n!.env.example',
      '#c\n\n.env   ',
    ];
    const no = [
      '',
      '.env/',
      'config/.env',
      '.env.local',
      '.env\n!.env',
      '.env*\n!/.env',
      '# .env',
      '\\#.env',
      'sub/**/.env',
    ];
    for (const g of yes) assert.equal(ignoresRootFile(g, '.env'), true, JSON.stringify(g));
    for (const g of no) assert.equal(ignoresRootFile(g, '.env'), false, JSON.stringify(g));
  });

  it('parseEnv: export, quotes, inline comments, commented assignments', () => {
    const entries = parseEnv('export A=1\nB="two words" # c\nC=\'3\'\n# D=4\nE=5 # note\nnot a line\n');
    assert.deepEqual(
      entries.map((e) => [e.name, e.value, e.commented, e.line]),
      [
        ['A', '1', false, 1],
        ['B', 'two words', false, 2],
        ['C', '3', false, 3],
        ['D', '4', true, 4],
        ['E', '5', false, 5],
      ],
    );
  });

  it('placeholders and masking', () => {
    for (const v of [
      '',
      'changeme',
      'CHANGE_ME',
      'your-token',
      '<token>',
      'xxxx',
      '...',
      '${TOKEN}',
      '0000000000000000000000',
    ])
      assert.ok(isPlaceholder(v), v);
    for (const v of ['s3cr3t-v4lue-that-is-long', '123456:abc']) assert.ok(!isPlaceholder(v), v);
    assert.equal(mask('sk-abcdefghijklmnopqrstuvwxyz'), 'sk-a… (29 chars)');
  });

  it('template placeholders, not dunders', () => {
    assert.deepEqual(findPlaceholders('__NAME__ __init__ __X__ __A1__ __PURUTO_NAME__ __name__ __NAME__'), [
      '__A1__',
      '__NAME__',
      '__PURUTO_NAME__',
    ]);
    assert.deepEqual(findPlaceholders('no underscores'), []);
  });

  it('frontmatter parse and check', () => {
    const parsed = parseFrontmatter('---\nname: a-b\ndescription: One line.\nuser-invocable: true\n---\n# body\n---\n');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.ok && checkFrontmatter(parsed.data), []);
    const dash = parseFrontmatter('---\nname: -ab\ndescription: ""\nuser-invocable: yes\n---\n');
    assert.ok(dash.ok);
    const problems = dash.ok ? checkFrontmatter(dash.data) : [];
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.equal(checkFrontmatter({ name: 'x'.repeat(65), description: 'd', 'user-invocable': true }).length, 1);
  });

  it('tidy: unreadable-path only where nothing else explains the path; sorted', () => {
    const f = (level: 'error' | 'warning', code: string, path: string): Finding => ({
      level,
      code,
      path,
      message: 'm',
    });
    const out = tidy([
      f('warning', 'unreadable-path', 'b'),
      f('error', 'missing-required', 'b'),
      f('warning', 'unreadable-path', 'a'),
      f('warning', 'unreadable-path', 'a'),
      f('error', 'x', 'c'),
    ]);
    assert.deepEqual(
      out.map((x) => [x.level, x.code, x.path]),
      [
        ['error', 'missing-required', 'b'],
        ['error', 'x', 'c'],
        ['warning', 'unreadable-path', 'a'],
      ],
    );
    assert.ok(compareFindings(f('warning', 'a', 'a'), f('error', 'z', 'z')) > 0);
  });
});
