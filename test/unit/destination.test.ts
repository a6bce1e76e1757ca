import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { destinationState, resolveDestination } from '../../lib/destination.js';
import { tempDir } from '../helpers/generators.js';

describe('lib/destination', () => {
  it('follows SPEC §3: ~/purutos, then ../purutos, then cwd; explicit wins', async () => {
    const home = tempDir();
    const base = tempDir();
    const cwd = path.join(base, 'work');
    mkdirSync(cwd);
    assert.deepEqual(await resolveDestination({ name: 'p', cwd, home }), { path: path.join(cwd, 'p'), reason: 'cwd' });
    mkdirSync(path.join(base, 'purutos'));
    assert.deepEqual(await resolveDestination({ name: 'p', cwd, home }), {
      path: path.join(base, 'purutos', 'p'),
      reason: 'sibling-purutos',
    });
    mkdirSync(path.join(home, 'purutos'));
    assert.deepEqual(await resolveDestination({ name: 'p', cwd, home }), {
      path: path.join(home, 'purutos', 'p'),
      reason: 'home-purutos',
    });
    assert.deepEqual(await resolveDestination({ name: 'p', cwd, home, explicit: 'out/q' }), {
      path: path.join(cwd, 'out/q'),
      reason: 'explicit',
    });
  });
  it('reports whether a destination can take a new repo', async () => {
    const d = tempDir();
    assert.equal(await destinationState(path.join(d, 'none')), 'absent');
    assert.equal(await destinationState(d), 'empty');
    writeFileSync(path.join(d, 'f'), '');
    assert.equal(await destinationState(d), 'not-empty');
    assert.equal(await destinationState(path.join(d, 'f')), 'not-a-directory');
  });
});
