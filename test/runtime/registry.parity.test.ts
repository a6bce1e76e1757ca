import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { py } from '../helpers/python.js';
import { runGenerator, tempDir, withHome } from '../helpers/generators.js';
import { validateRepo } from '../../lib/validate/index.js';
import { DEFAULT_COMMANDS, registerPurutos } from '../../lib/registry.js';
import { RUNTIME_PACKAGE } from '../../generators/shared/runtime-files.js';

/**
 * puruto-data's `registry.json`: `puruto validate --strict` (the `registry` JSON Schema plus
 * unique names), the vault's `vault.py check` and the gateway's reader (registry.py, what
 * GET /purutos serves) must agree on the same file.
 *
 * The rules the test checks, per reader:
 * - validate and `vault.py check` give the same verdict on every file. The disk is set up so
 *   that only the file can be wrong: every entry's vault folder and repo exist (where a path
 *   leads is a fact of the disk that only the runtimes check, not a schema rule), and a
 *   refusal of check must come from the file (a load error or `invalid_entries`).
 * - The gateway is lenient by design (SPEC §8: `repos` and `id` are read for compatibility,
 *   and it needs none of the vault's own fields). A file validate accepts is served whole,
 *   every entry exactly as written. A file without a `purutos` (or `repos`) list falls back
 *   to the sibling folders. A file with a bad field the gateway reads (name, path, kind,
 *   commands), a non-object entry or a duplicate name is never served whole as written: the
 *   entry is skipped, or the bad value replaced by its default. Bad vault-only fields
 *   (`version`, `folder`, `registered_at`, `id` for `name`, `repos` for `purutos`) are served.
 */
type Entry = Record<string, unknown>;
const e = (over: Entry = {}): Entry => ({
  name: 'puruto-notes',
  folder: 'puruto-notes',
  registered_at: '2025-01-31T09:30:00Z',
  path: '../puruto-notes',
  kind: 'standard',
  commands: ['init', 'help', 'list', 'status'],
  ...over,
});
const reg = (...purutos: unknown[]) => JSON.stringify({ version: '1', purutos });
const without = (key: string, over: Entry = {}): Entry => {
  const out = e(over);
  delete out[key];
  return out;
};
const todo = { name: 'puruto-todo', folder: 'puruto-todo', path: '../puruto-todo' };
const long = (n: number) => `puruto-${'a'.repeat(n - 7)}`;

const GOOD: [string, string][] = [
  ["the scaffold's empty registry", reg()],
  ['an entry as vault.py register writes it', reg(e())],
  [
    'an entry older than path, kind and commands',
    reg({ name: 'puruto-notes', folder: 'puruto-notes', registered_at: '2024-01-01T00:00:00' }),
  ],
  [
    'two entries, a null path, a custom kind and commands',
    reg(e(), e({ ...todo, path: null, kind: 'custom', commands: ['help', 'add-note'] })),
  ],
  ['a timestamp with a fraction and an offset', reg(e({ registered_at: '2025-01-31T09:30:00.123+01:00' }))],
  ['unknown fields beside the known ones', JSON.stringify({ version: '1', note: 'x', purutos: [e({ extra: 1 })] })],
  ['a 64-character name', reg(e({ name: long(64), folder: long(64), path: null }))],
];

/** A field the gateway reads is wrong, or the entry as a whole: it is not served as written. */
const BAD_ENTRY: [string, string][] = [
  ['an entry that is a string', reg('puruto-notes')],
  ['a name without puruto-', reg(e({ name: 'notes', folder: 'notes' }))],
  ['an upper-case name', reg(e({ name: 'puruto-Notes' }))],
  ['a name with a lone surrogate (valid JSON, not valid Unicode)', reg(e({ name: 'puruto-a\ud800' }))],
  ['a double hyphen in the name', reg(e({ name: 'puruto--notes' }))],
  ['a trailing hyphen in the name', reg(e({ name: 'puruto-notes-' }))],
  ['a 65-character name', reg(e({ name: long(65), path: null }))],
  ['a name that is a path', reg(e({ name: '../puruto-notes' }))],
  ['a name that is a number', reg(e({ name: 7 }))],
  ['a blank path', reg(e({ path: ' ' }))],
  ['a path that is a number', reg(e({ path: 7 }))],
  ['an empty kind', reg(e({ kind: '' }))],
  ['a kind that is a number', reg(e({ kind: 3 }))],
  ['an empty commands list', reg(e({ commands: [] }))],
  ['commands that are a string', reg(e({ commands: 'help' }))],
  ['a command that is a path', reg(e({ commands: ['../x'] }))],
  ['an upper-case command', reg(e({ commands: ['Status'] }))],
  ['a command that is a number', reg(e({ commands: [1] }))],
  ['the same name twice', reg(e(), e())],
];

/** Only the vault's own fields are wrong: the gateway serves the entries all the same. */
const BAD_VAULT_ONLY: [string, string][] = [
  ['no version', JSON.stringify({ purutos: [e()] })],
  ['a version that is a number', JSON.stringify({ version: 1, purutos: [e()] })],
  ['an empty version', JSON.stringify({ version: '', purutos: [e()] })],
  ['no folder', reg(without('folder'))],
  ['a folder with ".."', reg(e({ folder: 'puruto..notes' }))],
  ['a folder with a slash', reg(e({ folder: 'x/puruto-notes' }))],
  ['no registered_at', reg(without('registered_at'))],
  ['a registered_at that is a number', reg(e({ registered_at: 5 }))],
  ['id instead of name', reg(without('name', { id: 'puruto-notes' }))],
  ['repos instead of purutos', JSON.stringify({ version: '1', repos: [e()] })],
];

/** No list to read: the gateway falls back to the sibling folders. */
const BAD_ROOT: [string, string][] = [
  ['not JSON', '{"version": "1", "purutos": ['],
  ['a list', '[]'],
  ['no purutos list', '{"version": "1"}'],
  ['purutos that is a string', '{"version": "1", "purutos": "puruto-notes"}'],
];

const PLAIN_FOLDER = /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ECOSYSTEM = new Set(['puruto-data', 'puruto-telegram', 'puruto-cron', 'puruto-gateway']);

interface Item {
  name: string;
  path: string | null;
  kind: string;
  commands: string[];
}
type Gateway = 'whole' | 'partial' | 'siblings';

describe('registry.json: puruto validate --strict, vault.py check and the gateway agree', function () {
  this.timeout(300_000);
  let ws = '';
  let vault = '';
  let gateway = '';
  before(async () => {
    ws = path.join(realpathSync(tempDir('puruto-rt-registry-parity-')), 'ws');
    vault = path.join(ws, 'puruto-data');
    gateway = path.join(ws, 'puruto-gateway');
    await withHome(tempDir(), async () => {
      await runGenerator('data', { options: { yes: true, git: false, destination: vault } });
      await runGenerator('gateway', { options: { yes: true, git: false, destination: gateway } });
    });
    for (const repo of ['puruto-notes', 'puruto-todo']) mkdirSync(path.join(ws, repo), { recursive: true });
  });
  after(() => rmSync(path.dirname(ws), { recursive: true, force: true }));

  function entriesOf(text: string): unknown[] {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return [];
    }
    const d = (data ?? {}) as Record<string, unknown>;
    const list = Array.isArray(d['purutos']) ? d['purutos'] : d['repos'];
    return Array.isArray(list) ? list : [];
  }

  /** The disk the entries need: their vault folders (and nothing else puruto-*), their repos. */
  function prepare(text: string): void {
    for (const child of readdirSync(vault, { withFileTypes: true }))
      if (
        child.isDirectory() &&
        !['shared', '.claude', 'tests', RUNTIME_PACKAGE].includes(child.name) &&
        !child.name.startsWith('.')
      )
        rmSync(path.join(vault, child.name), { recursive: true, force: true });
    for (const entry of entriesOf(text)) {
      const folder = (entry as Entry | null)?.['folder'];
      if (typeof folder === 'string' && PLAIN_FOLDER.test(folder))
        mkdirSync(path.join(vault, folder), { recursive: true });
    }
    writeFileSync(path.join(vault, 'registry.json'), text);
  }

  /** What the gateway serves for an entry taken as written. */
  function asWritten(entry: unknown): Item | undefined {
    if (typeof entry !== 'object' || entry === null) return undefined;
    const x = entry as Entry;
    const name = typeof x['name'] === 'string' ? x['name'] : x['id'];
    if (typeof name !== 'string') return undefined;
    const p = x['path'];
    return {
      name,
      path: typeof p === 'string' ? path.resolve(vault, p) : ((p ?? null) as null),
      kind: 'kind' in x ? (x['kind'] as string) : ECOSYSTEM.has(name) ? name : 'standard',
      commands: 'commands' in x ? (x['commands'] as string[]) : [...DEFAULT_COMMANDS],
    };
  }

  async function verdicts(text: string) {
    prepare(text);
    const report = await validateRepo(vault, { strict: true });
    const findings = report.findings.filter((f) => f.path === 'registry.json' && f.level === 'error');
    const check = py(['vault.py', 'check', '--json'], vault, { PURUTO_ECOSYSTEM_ROOTS: '' });
    assert.ok(check.status === 0 || check.status === 1, `check exit ${check.status}: ${check.stdout}${check.stderr}`);
    assert.doesNotMatch(check.stderr, /Traceback/);
    const out = JSON.parse(check.stdout) as Record<string, unknown>;
    if (check.status === 1 && out['status'] !== 'error') {
      // A refusal from the file itself, never from the disk the test prepared.
      assert.ok((out['invalid_entries'] as string[]).length > 0, check.stdout);
      for (const k of ['entries_without_folders', 'folders_without_entries', 'entries_without_repos'])
        assert.deepEqual(out[k], [], `${k}: ${check.stdout}`);
    }
    const gw = py(
      ['-c', 'import json; from registry import Registry; r = Registry(); print(json.dumps([r.source(), r.items()]))'],
      gateway,
      { PURUTO_DATA_PATH: vault, PURUTO_ECOSYSTEM_ROOTS: '', PYTHONDONTWRITEBYTECODE: '1' },
    );
    assert.equal(gw.status, 0, gw.stderr);
    const [source, items] = JSON.parse(gw.stdout) as [string, Item[]];
    const written = entriesOf(text).map(asWritten);
    let served: Gateway = 'partial';
    if (source === 'siblings') served = 'siblings';
    else if (written.every((w) => w !== undefined) && JSON.stringify(items) === JSON.stringify(written))
      served = 'whole';
    return {
      validator: findings.length === 0,
      check: check.status === 0,
      gateway: served,
      detail: `${JSON.stringify(findings.map((f) => f.message))} / ${check.stdout} / ${gw.stdout}`,
    };
  }

  for (const [name, text] of GOOD) {
    it(`all accept ${name}`, async () => {
      const v = await verdicts(text);
      assert.deepEqual([v.validator, v.check, v.gateway], [true, true, 'whole'], v.detail);
    });
  }
  for (const [name, text] of BAD_ENTRY) {
    it(`validate and check refuse ${name}; the gateway does not serve it as written`, async () => {
      const v = await verdicts(text);
      assert.deepEqual([v.validator, v.check, v.gateway], [false, false, 'partial'], v.detail);
    });
  }
  for (const [name, text] of BAD_VAULT_ONLY) {
    it(`validate and check refuse ${name}; the gateway serves the entries`, async () => {
      const v = await verdicts(text);
      assert.deepEqual([v.validator, v.check, v.gateway], [false, false, 'whole'], v.detail);
    });
  }
  for (const [name, text] of BAD_ROOT) {
    it(`validate and check refuse ${name}; the gateway falls back to the sibling folders`, async () => {
      const v = await verdicts(text);
      assert.deepEqual([v.validator, v.check, v.gateway], [false, false, 'siblings'], v.detail);
    });
  }

  it('what `puruto init` (lib/registry.ts) and `vault.py register` write is accepted by all three', async () => {
    prepare(reg());
    const added = registerPurutos(vault, ['puruto-notes']);
    assert.ok(added.ok, JSON.stringify(added));
    const r = py(['vault.py', 'register', 'puruto-todo', '--commands', 'help,add-note'], vault);
    assert.equal(r.status, 0, r.stderr);
    const text = readFileSync(path.join(vault, 'registry.json'), 'utf8');
    assert.equal(entriesOf(text).length, 2);
    const v = await verdicts(text);
    assert.deepEqual([v.validator, v.check, v.gateway], [true, true, 'whole'], v.detail);
  });
});
