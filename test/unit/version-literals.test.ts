/**
 * Tests read the standard version from lib/standard/version.ts (STANDARD_VERSION,
 * VERSION_CHAIN) instead of spelling it: this guard fails when a test file outside
 * test/fixtures (which holds snapshots of older releases on purpose) contains the current
 * version as a literal, plain (like `1.2.3`) or escaped for a RegExp (`1\.2\.3`).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STANDARD_VERSION } from '../../lib/standard/version.js';
import { renderRepo } from '../../generators/shared/rendering.js';

const TEST_DIR = fileURLToPath(new URL('..', import.meta.url));
const GENERATORS_DIR = fileURLToPath(new URL('../../generators/', import.meta.url));

/**
 * Template files that spell the current version, and why. A template renders the version from
 * the constant (`<%= version %>`, as puruto_env.py's SUPPORTED_VERSION does); an entry here is
 * either history (a version named for what it introduced) or a known copy to remove: when it is
 * fixed, the test below asks for its entry to go too.
 */
const TEMPLATE_LITERALS: Record<string, string> = {
  'telegram/templates/telegram_env.py': 'history: inbox.py came with that version',
};
const SKIPPED = new Set(['fixtures', 'node_modules', '__pycache__']);

/** Every file under `dir`, skipping the fixture snapshots (and caches). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) return SKIPPED.has(e.name) ? [] : filesUnder(abs);
    return e.isFile() ? [abs] : [];
  });
}

/** 1-based numbers of the lines of `text` that spell `version`, plainly or RegExp-escaped. */
function linesWithVersion(text: string, version: string): number[] {
  const parts = version.split('.');
  const pattern = new RegExp(`(?<![\\d.])${parts.join('(?:\\\\\\\\|\\\\)?\\.')}(?![\\d]|\\.\\d)`);
  return text.split('\n').flatMap((line, i) => (pattern.test(line) ? [i + 1] : []));
}

describe('tests read the standard version from its constant', () => {
  it('finds the version plainly and escaped, not inside a longer version', () => {
    const v = '1.2.3';
    assert.deepEqual(linesWithVersion("a '1.2.3'\nb /1\\.2\\.3/\nc `1\\\\.2\\\\.3`\nd 1.2.3.", v), [1, 2, 3, 4]);
    assert.deepEqual(linesWithVersion('11.2.3\n1.2.34\n1.2.3.4\n0.1.2.3\nv1.2\n1.2.30', v), []);
  });

  it(`no test file outside test/fixtures spells ${STANDARD_VERSION}`, () => {
    const files = filesUnder(TEST_DIR);
    assert.ok(
      files.some((f) => f.endsWith(path.join('unit', 'version-literals.test.ts'))),
      'the walk reached test/',
    );
    const found = files.flatMap((f) =>
      linesWithVersion(readFileSync(f, 'utf8'), STANDARD_VERSION).map((n) => `${path.relative(TEST_DIR, f)}:${n}`),
    );
    assert.deepEqual(found, [], 'use STANDARD_VERSION / VERSION_CHAIN from lib/standard/version.ts instead');
  });

  it('templates render the version instead of spelling it (known exceptions listed with their reason)', () => {
    const templates = filesUnder(GENERATORS_DIR).filter((f) => f.split(path.sep).includes('templates'));
    assert.ok(templates.length > 20, 'the walk reached the templates');
    const found = templates
      .filter((f) => linesWithVersion(readFileSync(f, 'utf8'), STANDARD_VERSION).length > 0)
      .map((f) => path.relative(GENERATORS_DIR, f).split(path.sep).join('/'))
      .sort();
    assert.deepEqual(found, Object.keys(TEMPLATE_LITERALS).sort());
  });

  it('the /status example output of app, cron, data and gateway shows the version the repo gets', () => {
    for (const kind of ['standard', 'puruto-cron', 'puruto-data', 'puruto-gateway'] as const) {
      const answers = kind === 'standard' ? { name: 'puruto-notes', description: 'Notes.' } : {};
      const files = renderRepo({ kind, standardVersion: STANDARD_VERSION, generatorVersion: '0.0.0', answers });
      const skill = files.find((f) => f.path === '.claude/skills/status/SKILL.md');
      assert.ok(typeof skill?.content === 'string', `${kind}: a status skill`);
      assert.match(
        skill.content,
        new RegExp(`"/status" → ".* · standard ${STANDARD_VERSION.replaceAll('.', '\\.')}`),
        kind,
      );
    }
  });
});
