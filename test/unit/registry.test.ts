import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { newEntry, registeredNames, registerPurutos, timestamp } from '../../lib/registry.js';
import { setEnvLine } from '../../lib/env-wiring.js';
import { inspectEcosystem, resolveEcosystemDir } from '../../lib/ecosystem.js';
import { tempDir, validKindRepo, validStandardRepo, writeTree } from '../helpers/repo.js';

const NOW = new Date('2025-03-04T05:06:07.890Z');
const read = (vault: string) => JSON.parse(fs.readFileSync(path.join(vault, 'registry.json'), 'utf8'));

describe('lib/registry: registerPurutos (vault.py register semantics)', () => {
  it("adds vault.py's entry shape, creates <folder>/.gitkeep, and writes the file like vault.py (2-space JSON + newline)", () => {
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
    assert.deepEqual(fs.readdirSync(vault).filter((f) => f.endsWith('.tmp')), [], 'no temp file left');
  });

  it('is idempotent and keeps existing entries (and unknown keys) exactly as they are', () => {
    const vault = tempDir();
    const existing = { name: 'puruto-cron', folder: 'puruto-cron', registered_at: '2020-01-01T00:00:00Z', path: '/elsewhere/puruto-cron', note: 'mine' };
    fs.writeFileSync(path.join(vault, 'registry.json'), JSON.stringify({ version: '1', purutos: [existing], extra: true }));
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
    fs.writeFileSync(path.join(vault, 'registry.json'), JSON.stringify({ purutos: [{ name: 'puruto-a' }, { id: 'puruto-b' }, 3] }));
    assert.deepEqual([...registeredNames(vault)!], ['puruto-a', 'puruto-b']);
  });

  it('timestamp is UTC to the second with Z, like vault.py', () => {
    assert.equal(timestamp(NOW), '2025-03-04T05:06:07Z');
  });
});

describe('lib/env-wiring: setEnvLine', () => {
  const example = '# The vault.\n# Default: ../puruto-data\n# PURUTO_DATA_PATH=../puruto-data\n\n# Other.\nDB_PATH=db/x.db\n';
  it('turns the commented line into KEY=value and touches nothing else', () => {
    const r = setEnvLine(example, 'PURUTO_DATA_PATH', '../puruto-data');
    assert.equal(r.outcome, 'set');
    assert.equal(r.text, example.replace('# PURUTO_DATA_PATH=../puruto-data', 'PURUTO_DATA_PATH=../puruto-data'));
  });
  it('leaves an already set value alone, and reports a missing line', () => {
    const set = 'PURUTO_DATA_PATH=/my/vault\n# PURUTO_DATA_PATH=../puruto-data\n';
    assert.deepEqual(setEnvLine(set, 'PURUTO_DATA_PATH', '../puruto-data'), { text: set, outcome: 'present' });
    assert.deepEqual(setEnvLine('DB_PATH=x\n', 'PURUTO_DATA_PATH', '../puruto-data'), { text: 'DB_PATH=x\n', outcome: 'missing' });
    assert.equal(setEnvLine('# X=1\r\n# PURUTO_DATA_PATH=\r\n', 'PURUTO_DATA_PATH', 'v').text, '# X=1\r\nPURUTO_DATA_PATH=v\r\n', 'CRLF kept');
    // A longer name sharing the prefix is another variable.
    assert.equal(setEnvLine('# PURUTO_DATA_PATH_X=1\n', 'PURUTO_DATA_PATH', 'v').outcome, 'missing');
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
    assert.deepEqual(s.slots, { 'puruto-data': 'present', 'puruto-telegram': 'absent', 'puruto-cron': 'empty', 'puruto-gateway': 'absent' });
    // The root's own agent-mode files do not make it a Puruto.
    writeTree(path.join(d, 'eco'), { 'AGENTS.md': '# x', '.claude/skills/workspace/SKILL.md': 'x' });
    assert.equal(inspectEcosystem(path.join(d, 'eco')).status, 'folder');
    fs.writeFileSync(path.join(d, 'eco', 'puruto-gateway'), 'x');
    assert.match(inspectEcosystem(path.join(d, 'eco')).problem!, /puruto-gateway is a file, where the repo of that name goes: nothing was written/);
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
