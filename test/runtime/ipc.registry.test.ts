/**
 * Target resolution of the generated invoker.py: `$PURUTO_DATA_PATH/registry.json`
 * entries with a `path` (relative to the vault), then `../<target>`; names that could
 * escape (`..`, `/`) are refused before anything runs.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/generators.js';
import {
  FAKE_AGENT,
  allow,
  callInvoker,
  callIpc,
  cleanEnv,
  commandOf,
  folder,
  ipcRepo,
  logLines,
} from '../helpers/ipc.js';

describe('IPC runtime: target resolution (registry, siblings, escaping names)', () => {
  let parent = '';
  let a = '';
  before(async () => {
    parent = tempDir('puruto-ipc-reg-');
    a = await ipcRepo('puruto-a', parent);
  });
  after(() => rmSync(parent, { recursive: true, force: true }));

  const entry = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    folder: name,
    registered_at: '2026-01-01T00:00:00Z',
    ...extra,
  });
  function registry(vault: string, purutos: unknown[]): void {
    mkdirSync(vault, { recursive: true });
    writeFileSync(path.join(vault, 'registry.json'), JSON.stringify({ version: '1', purutos }, null, 2));
  }
  /** Where the stub says `target` resolves (or the error). */
  function where(target: string, env: Record<string, string> = {}) {
    const r = callInvoker(a, target, 'summarize', 'p', cleanEnv({ PURUTO_AGENT: 'stub', ...env }));
    return r.json['status'] === 'ok' ? (r.json['result'].target_path as string) : r.json['error'];
  }

  it('a registry entry with a relative path resolves against the vault folder, before a sibling', () => {
    const vault = path.join(parent, 'vault1');
    const elsewhere = folder(parent, 'elsewhere/notes-repo');
    folder(parent, 'puruto-notes'); // a sibling of the same name loses to the registry
    registry(vault, [
      entry('puruto-other', { path: '../nowhere' }),
      entry('puruto-notes', { path: '../elsewhere/notes-repo' }),
    ]);
    assert.equal(where('puruto-notes', { PURUTO_DATA_PATH: vault }), elsewhere);
    // PURUTO_DATA_PATH from .env, relative to the repo
    writeFileSync(path.join(a, '.env'), 'PURUTO_DATA_PATH=../vault1\n');
    try {
      assert.equal(where('puruto-notes'), elsewhere);
    } finally {
      rmSync(path.join(a, '.env'));
    }
  });

  it('the compatibility forms the gateway discovers (root `repos`, items by `id`) resolve too', () => {
    const vault = path.join(parent, 'vault-repos');
    const target = folder(parent, 'far/away-repo');
    mkdirSync(vault, { recursive: true });
    writeFileSync(
      path.join(vault, 'registry.json'),
      JSON.stringify({ repos: [{ id: 'puruto-far', path: '../far/away-repo' }] }),
    );
    assert.equal(where('puruto-far', { PURUTO_DATA_PATH: vault }), target);
  });

  it('an absolute path works; the default vault is ../puruto-data', () => {
    const target = folder(parent, 'abs/target');
    registry(path.join(parent, 'puruto-data'), [entry('puruto-abs', { path: target })]);
    try {
      assert.equal(where('puruto-abs'), target);
    } finally {
      rmSync(path.join(parent, 'puruto-data'), { recursive: true });
    }
  });

  it('an entry without path, with path null, or with a missing path falls back to the sibling folder', () => {
    const vault = path.join(parent, 'vault2');
    const sibling = folder(parent, 'puruto-side');
    for (const extra of [{}, { path: null }, { path: '' }, { path: '../does-not-exist' }]) {
      registry(vault, [entry('puruto-side', extra)]);
      assert.equal(where('puruto-side', { PURUTO_DATA_PATH: vault }), sibling, JSON.stringify(extra));
    }
    writeFileSync(path.join(vault, 'registry.json'), '{ corrupt');
    assert.equal(where('puruto-side', { PURUTO_DATA_PATH: vault }), sibling, 'a corrupt registry is skipped');
  });

  it('TARGET_NOT_FOUND lists what was tried, and says when the registry was unreadable', () => {
    const vault = path.join(parent, 'vault3');
    registry(vault, [entry('puruto-gone', { path: 'gone' })]);
    const err = where('puruto-gone', { PURUTO_DATA_PATH: vault });
    assert.equal(err.code, 'TARGET_NOT_FOUND');
    assert.deepEqual(err.details.tried, [path.join(vault, 'gone'), path.join(parent, 'puruto-gone')]);
    assert.match(err.message, /no Puruto named 'puruto-gone'/);
    writeFileSync(path.join(vault, 'registry.json'), '[');
    assert.match(where('puruto-gone', { PURUTO_DATA_PATH: vault }).details.notes[0], /registry\.json is unreadable/);
  });

  it('names that could escape are refused (DENIED) by invoker.py, even when allowed in .puruto-ipc.json', () => {
    folder(parent, 'x');
    for (const name of ['../x', '..', '.', 'a/b', '/etc', '.hidden', '']) {
      const err = where(name);
      assert.equal(err.code, 'DENIED', name);
      assert.match(err.message, /is refused: a target is a plain repo name/);
    }
    const log = path.join(tempDir(), 'agent.log');
    allow(a, { '../x': ['run'] });
    const r = callIpc(
      a,
      '../x',
      'run',
      'p',
      cleanEnv({ PURUTO_AGENT: 'command', PURUTO_AGENT_COMMAND: commandOf(FAKE_AGENT, 'plain'), FAKE_AGENT_LOG: log }),
    );
    assert.equal(r.status, 1);
    assert.equal(r.json.response['error'].code, 'DENIED');
    assert.deepEqual(logLines(log), [], 'no agent ran');
  });
});
