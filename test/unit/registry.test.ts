import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { newEntry, registeredNames, registerPurutos, timestamp } from '../../lib/registry.js';
import { LOCK_DIR } from '../../lib/registry-lock.js';
import { PYTHON } from '../helpers/python.js';
import { SCHEMAS } from '../../lib/schemas/definitions.js';
import { SCHEMA_DIR, schemaDest } from '../../generators/shared/schema-files.js';
import { sharedTemplate } from '../../generators/shared/templates-path.js';
import { setEnvLine } from '../../lib/env-wiring.js';
import { inspectEcosystem, resolveEcosystemDir } from '../../lib/ecosystem.js';
import { tempDir, validKindRepo, validStandardRepo, writeTree } from '../helpers/repo.js';
import { vendorRuntime } from '../helpers/runtime.js';

const NOW = new Date('2025-03-04T05:06:07.890Z');
const read = (vault: string) => JSON.parse(fs.readFileSync(path.join(vault, 'registry.json'), 'utf8'));

describe('lib/registry: registerPurutos (vault.py register semantics)', () => {
  it(
    "adds vault.py's entry shape, creates <folder>/.gitkeep, " +
      'and writes the file like vault.py (2-space JSON + newline)',
    () => {
      const vault = tempDir();
      fs.writeFileSync(path.join(vault, 'registry.json'), '{"version": "1", "purutos": []}\n');
      const r = registerPurutos(vault, ['puruto-cron', 'puruto-notes'], NOW);
      assert.ok(r.ok);
      assert.deepEqual(r.results, [
        { name: 'puruto-cron', status: 'registered' },
        { name: 'puruto-notes', status: 'registered' },
      ]);
      assert.equal(r.changed, true);
      const data = read(vault);
      assert.deepEqual(data.purutos[0], {
        name: 'puruto-cron',
        folder: 'puruto-cron',
        registered_at: '2025-03-04T05:06:07Z',
        path: '../puruto-cron',
        kind: 'puruto-cron',
        commands: ['init', 'help', 'list', 'status'],
      });
      assert.equal(data.purutos[1].kind, 'standard');
      assert.equal(fs.readFileSync(path.join(vault, 'registry.json'), 'utf8'), `${JSON.stringify(data, null, 2)}\n`);
      assert.equal(fs.readFileSync(path.join(vault, 'puruto-cron', '.gitkeep'), 'utf8'), '');
      assert.deepEqual(
        fs.readdirSync(vault).filter((f) => f.endsWith('.tmp')),
        [],
        'no temp file left',
      );
    },
  );

  it('is idempotent and keeps existing entries (and unknown keys) exactly as they are', () => {
    const vault = tempDir();
    const existing = {
      name: 'puruto-cron',
      folder: 'puruto-cron',
      registered_at: '2020-01-01T00:00:00Z',
      path: '/elsewhere/puruto-cron',
      note: 'mine',
    };
    fs.writeFileSync(
      path.join(vault, 'registry.json'),
      JSON.stringify({ version: '1', purutos: [existing], extra: true }),
    );
    const r = registerPurutos(vault, ['puruto-cron'], NOW);
    assert.ok(r.ok);
    assert.deepEqual(r.results, [{ name: 'puruto-cron', status: 'already-registered' }]);
    assert.equal(r.changed, false);
    assert.deepEqual(read(vault), { version: '1', purutos: [existing], extra: true });
    const twice = registerPurutos(vault, ['puruto-gateway'], NOW);
    const again = registerPurutos(vault, ['puruto-gateway'], new Date());
    assert.ok(twice.ok && again.ok && !again.changed);
    assert.equal(read(vault).purutos.length, 2);
    assert.equal(read(vault).purutos[1].registered_at, '2025-03-04T05:06:07Z');
  });

  it('creates a missing registry.json', () => {
    const vault = tempDir();
    const r = registerPurutos(vault, ['puruto-x'], NOW);
    assert.ok(r.ok);
    assert.deepEqual(read(vault), { version: '1', purutos: [newEntry('puruto-x', NOW)] });
  });

  it('refuses names the vault refuses, and a broken registry, changing nothing', () => {
    const vault = tempDir();
    for (const bad of ['notes', 'puruto-../x', 'puruto-A', '../puruto-x']) {
      const r = registerPurutos(vault, [bad], NOW);
      assert.equal(r.ok, false, bad);
    }
    assert.equal(fs.existsSync(path.join(vault, 'registry.json')), false);
    fs.writeFileSync(path.join(vault, 'registry.json'), '{broken');
    const broken = registerPurutos(vault, ['puruto-x'], NOW);
    assert.ok(!broken.ok && /not valid JSON .*nothing was changed/.test(broken.message));
    assert.equal(fs.readFileSync(path.join(vault, 'registry.json'), 'utf8'), '{broken');
    assert.equal(fs.existsSync(path.join(vault, 'puruto-x')), false);
    fs.writeFileSync(path.join(vault, 'registry.json'), '{"repos": []}');
    const shape = registerPurutos(vault, ['puruto-x'], NOW);
    assert.ok(!shape.ok && /"purutos" list/.test(shape.message));
  });

  it('registeredNames reads names (and ids), undefined without a readable registry', () => {
    const vault = tempDir();
    assert.equal(registeredNames(vault), undefined);
    fs.writeFileSync(
      path.join(vault, 'registry.json'),
      JSON.stringify({ purutos: [{ name: 'puruto-a' }, { id: 'puruto-b' }, 3] }),
    );
    assert.deepEqual([...registeredNames(vault)!], ['puruto-a', 'puruto-b']);
  });

  it('timestamp is UTC to the second with Z, like vault.py', () => {
    assert.equal(timestamp(NOW), '2025-03-04T05:06:07Z');
  });
});

describe('lib/env-wiring: setEnvLine', () => {
  const example =
    '# The vault.\n# Default: ../puruto-data\n# PURUTO_DATA_PATH=../puruto-data\n\n# Other.\nDB_PATH=db/x.db\n';
  it('turns the commented line into KEY=value and touches nothing else', () => {
    const r = setEnvLine(example, 'PURUTO_DATA_PATH', '../puruto-data');
    assert.equal(r.outcome, 'set');
    assert.equal(r.text, example.replace('# PURUTO_DATA_PATH=../puruto-data', 'PURUTO_DATA_PATH=../puruto-data'));
  });
  it('leaves an already set value alone, and reports a missing line', () => {
    const set = 'PURUTO_DATA_PATH=/my/vault\n# PURUTO_DATA_PATH=../puruto-data\n';
    assert.deepEqual(setEnvLine(set, 'PURUTO_DATA_PATH', '../puruto-data'), { text: set, outcome: 'present' });
    assert.deepEqual(setEnvLine('DB_PATH=x\n', 'PURUTO_DATA_PATH', '../puruto-data'), {
      text: 'DB_PATH=x\n',
      outcome: 'missing',
    });
    assert.equal(
      setEnvLine('# X=1\r\n# PURUTO_DATA_PATH=\r\n', 'PURUTO_DATA_PATH', 'v').text,
      '# X=1\r\nPURUTO_DATA_PATH=v\r\n',
      'CRLF kept',
    );
    // A longer name sharing the prefix is another variable.
    assert.equal(setEnvLine('# PURUTO_DATA_PATH_X=1\n', 'PURUTO_DATA_PATH', 'v').outcome, 'missing');
  });
});

/**
 * A vault with the real vault.py and vault_store.py of the data kind (not generated: copied), and
 * the checker and registry schema they read.
 */
function pythonVault(): string {
  const templates = fileURLToPath(new URL('../../generators/data/templates/', import.meta.url));
  const vault = path.join(tempDir('puruto-reg-race-'), 'puruto-data');
  fs.mkdirSync(path.join(vault, SCHEMA_DIR), { recursive: true });
  for (const f of ['vault.py', 'vault_store.py']) fs.copyFileSync(path.join(templates, f), path.join(vault, f));
  fs.copyFileSync(sharedTemplate('json_schema.py'), path.join(vault, 'json_schema.py'));
  vendorRuntime(vault); // json_schema.py is an entry point of the package
  fs.writeFileSync(path.join(vault, schemaDest('registry')), JSON.stringify(SCHEMAS.registry));
  fs.writeFileSync(path.join(vault, 'registry.json'), '{"version": "1", "purutos": []}\n');
  return vault;
}

function runVault(vault: string, args: string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, ['vault.py', ...args], {
      cwd: vault,
      stdio: 'ignore',
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    child.on('exit', (code) => resolve(code));
  });
}

describe("lib/registry: init's writer holds the vault's registry lock (.registry.lock.d)", function () {
  this.timeout(180_000);

  it('racing 30 concurrent `vault.py register` processes, no entry of either side is lost', async () => {
    const vault = pythonVault();
    const pythonNames = Array.from({ length: 30 }, (_, i) => `puruto-py${i}`);
    const done = Promise.all(pythonNames.map((n) => runVault(vault, ['register', n])));
    let finished = false;
    void done.then(() => (finished = true));
    const nodeNames: string[] = [];
    // init's writer, one name per call: at least 15 calls, and on for as long as the Python
    // writers run (bounded). Each call may wait for the lock while they take turns.
    for (let i = 0; i < 2000 && (i < 15 || !finished); i++) {
      const name = `puruto-node${i}`;
      const r = registerPurutos(vault, [name]);
      assert.ok(r.ok, r.ok ? '' : r.message);
      nodeNames.push(name);
      await new Promise((res) => setImmediate(res));
    }
    const codes = await done;
    assert.deepEqual(
      codes,
      pythonNames.map(() => 0),
    );
    const names = new Set(read(vault).purutos.map((e: { name: string }) => e.name));
    const lost = [...pythonNames, ...nodeNames].filter((n) => !names.has(n));
    assert.deepEqual(lost, [], `lost entries (of ${pythonNames.length + nodeNames.length})`);
    assert.deepEqual(
      fs.readdirSync(vault).filter((f) => f.endsWith('.tmp') || f.startsWith(LOCK_DIR)),
      [],
    );
  });

  it('waits for a live lock, says so when it is held too long, and takes over a stale one', () => {
    const vault = pythonVault();
    const lock = path.join(vault, LOCK_DIR);
    fs.mkdirSync(lock);
    fs.writeFileSync(
      path.join(lock, 'owner'),
      JSON.stringify({ pid: process.pid, host: os.hostname(), since: Date.now() / 1000, token: 'live' }),
    );
    const held = registerPurutos(vault, ['puruto-a'], NOW, 300);
    assert.equal(held.ok, false);
    assert.match(
      held.ok ? '' : held.message,
      /locked by another process for over 0 s \(pid \d+\): if no vault\.py or puruto init is running, delete the folder .*\.registry\.lock\.d/,
    );
    assert.deepEqual(read(vault).purutos, [], 'nothing written without the lock');
    // the holder died (kill -9): its lock and half-written temp file are cleaned up
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    fs.writeFileSync(
      path.join(lock, 'owner'),
      JSON.stringify({ pid: dead, host: os.hostname(), since: Date.now() / 1000, token: 'dead' }),
    );
    fs.writeFileSync(path.join(vault, '.registry.json.123.456.tmp'), '{"half":');
    const r = registerPurutos(vault, ['puruto-a'], NOW, 300);
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepEqual(
      read(vault).purutos.map((e: { name: string }) => e.name),
      ['puruto-a'],
    );
    assert.deepEqual(
      fs.readdirSync(vault).filter((f) => f.endsWith('.tmp') || f.startsWith(LOCK_DIR)),
      [],
    );
  });

  it('a lock taken by vault.py is the one init waits for (same folder, same owner file)', () => {
    const vault = pythonVault();
    const script =
      'import sys, time, vault_store\nfrom pathlib import Path\nwith vault_store.registry_lock(Path(".")):\n   ' +
      ' print("held", flush=True)\n    time.sleep(1.5)\n';
    const holder = spawn(PYTHON, ['-c', script], { cwd: vault, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const deadline = Date.now() + 30_000;
      while (!fs.existsSync(path.join(vault, LOCK_DIR, 'owner')) && Date.now() < deadline) spawnSync('sleep', ['0.02']);
      const owner = JSON.parse(fs.readFileSync(path.join(vault, LOCK_DIR, 'owner'), 'utf8'));
      assert.equal(owner.pid, holder.pid);
      const r = registerPurutos(vault, ['puruto-b'], NOW, 60_000);
      assert.ok(r.ok, r.ok ? '' : r.message);
      assert.equal(fs.existsSync(path.join(vault, LOCK_DIR)), false, 'vault.py released it, init took and released it');
    } finally {
      if (holder.exitCode === null) holder.kill('SIGKILL');
    }
  });
});

describe('lib/ecosystem: inspectEcosystem', () => {
  it('absent folder, folder with repos (slots), and the refusals', () => {
    const d = tempDir();
    assert.equal(inspectEcosystem(path.join(d, 'eco')).status, 'absent');
    writeTree(path.join(d, 'eco', 'puruto-data'), validKindRepo('puruto-data'));
    fs.mkdirSync(path.join(d, 'eco', 'puruto-cron'));
    const s = inspectEcosystem(path.join(d, 'eco'));
    assert.equal(s.status, 'folder');
    assert.deepEqual(s.slots, {
      'puruto-data': 'present',
      'puruto-telegram': 'absent',
      'puruto-cron': 'empty',
      'puruto-gateway': 'absent',
    });
    // The root's own agent-mode files do not make it a Puruto.
    writeTree(path.join(d, 'eco'), { 'AGENTS.md': '# x', '.claude/skills/workspace/SKILL.md': 'x' });
    assert.equal(inspectEcosystem(path.join(d, 'eco')).status, 'folder');
    fs.writeFileSync(path.join(d, 'eco', 'puruto-gateway'), 'x');
    assert.match(
      inspectEcosystem(path.join(d, 'eco')).problem!,
      /puruto-gateway is a file, where the repo of that name goes: nothing was written/,
    );
    fs.writeFileSync(path.join(d, 'file'), 'x');
    assert.match(inspectEcosystem(path.join(d, 'file')).problem!, /exists and is not a folder: nothing was written/);
    writeTree(path.join(d, 'puruto-a'), validStandardRepo('puruto-a'));
    assert.match(inspectEcosystem(path.join(d, 'puruto-a')).problem!, /is a Puruto repo, not an ecosystem folder/);
  });

  it('resolveEcosystemDir: ~/purutos by default, ~ expanded, relative to cwd', () => {
    assert.equal(resolveEcosystemDir(undefined, '/w', '/h'), '/h/purutos');
    assert.equal(resolveEcosystemDir('~/eco', '/w', '/h'), '/h/eco');
    assert.equal(resolveEcosystemDir('eco', '/w', '/h'), '/w/eco');
  });
});
