/**
 * One version chain (lib/standard/version.ts): upgrade has exactly one migration per step
 * of it, the generator writes its last version, and the generated Python gets that version
 * rendered in (puruto_env.py's SUPPORTED_VERSION), never a copy of its own.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from '../../lib/upgrade/migrations.js';
import { STANDARD_VERSION, VERSION_CHAIN } from '../../lib/standard/version.js';
import { generateRepo } from '../helpers/generators.js';

describe('the standard version chain', () => {
  it('has one migration per step, in order, ending at the generated version', () => {
    assert.deepEqual(
      MIGRATIONS.map((m) => [m.from, m.to]),
      VERSION_CHAIN.slice(1).map((to, i) => [VERSION_CHAIN[i], to]),
    );
    assert.equal(STANDARD_VERSION, VERSION_CHAIN.at(-1));
  });

  it("is rendered into the generated Python's SUPPORTED_VERSION and the version file", async () => {
    const dir = await generateRepo('cron', { yes: true, git: false }, {}, 'puruto-cron');
    const env = readFileSync(path.join(dir, '.claude', 'skills', 'status', 'scripts', 'puruto_env.py'), 'utf8');
    assert.match(env, new RegExp(`^SUPPORTED_VERSION = "${STANDARD_VERSION.replace(/\./g, '\\.')}"`, 'm'));
    assert.doesNotMatch(env, /<%/);
    assert.equal(readFileSync(path.join(dir, '.puruto-standard-version'), 'utf8'), `${STANDARD_VERSION}\n`);
  });
});
