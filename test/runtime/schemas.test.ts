import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SCHEMAS, type SchemaId } from '../../lib/schemas/definitions.js';
import { validateRepo } from '../../lib/validate/index.js';
import { SCHEMA_DIR, schemaDest } from '../../generators/shared/schema-files.js';
import { sharedTemplate } from '../../generators/shared/templates-path.js';
import { generateRepo, tempDir } from '../helpers/generators.js';
import { cleanEnv, ipcRepo, runJson, type IpcAnswer } from '../helpers/ipc.js';
import { py } from '../helpers/python.js';

/**
 * One source per config file (issue 12 item 3): each generated runtime reads the JSON Schema
 * `puruto validate` applies, shipped as .puruto-schemas/<id>.schema.json, through json_schema.py.
 * (a) the shipped files are SCHEMAS[id], byte for byte as JSON; (b) each runtime's verdict follows
 * an edit of its shipped schema, so it reads that file and keeps no copy of the rules.
 */
const SHIPPED: Record<string, SchemaId[]> = {
  telegram: ['channels'],
  data: ['registry'],
  gateway: ['registry'],
  cron: ['jobs'],
};

const NO_PYC = { PYTHONDONTWRITEBYTECODE: '1' };

function readSchema(dir: string, id: SchemaId): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(dir, schemaDest(id)), 'utf8')) as Record<string, unknown>;
}

/** Rewrites the repo's shipped schema `id` with `edit` applied to a copy of it. */
type Obj = Record<string, unknown>;

/** The sub-object of a schema at `keys`. */
function at(schema: Obj, ...keys: string[]): Obj {
  return keys.reduce((node, key) => node[key] as Obj, schema);
}

function editSchema(dir: string, id: SchemaId, edit: (s: Obj) => void): void {
  const schema = readSchema(dir, id);
  edit(schema);
  writeFileSync(path.join(dir, schemaDest(id)), `${JSON.stringify(schema, null, 2)}\n`);
}

function restoreSchema(dir: string, id: SchemaId): void {
  writeFileSync(path.join(dir, schemaDest(id)), `${JSON.stringify(SCHEMAS[id], null, 2)}\n`);
}

describe('the runtimes validate with the shipped JSON Schemas (one source: lib/schemas)', function () {
  this.timeout(300_000);
  const repos: Record<string, string> = {};
  before(async () => {
    for (const key of Object.keys(SHIPPED)) repos[key] = await generateRepo(key, { yes: true, git: false });
    repos['ipc'] = await ipcRepo('puruto-a', tempDir('puruto-schemas-ipc-'));
  });

  describe('(a) the shipped schema files are SCHEMAS[id]', () => {
    for (const [key, ids] of [...Object.entries(SHIPPED), ['ipc', ['ipc']] as const]) {
      it(`${key}: ${SCHEMA_DIR}/ holds exactly ${ids.join(', ')}, equal to lib/schemas, and json_schema.py`, () => {
        const dir = repos[key]!;
        assert.deepEqual(
          readdirSync(path.join(dir, SCHEMA_DIR)).sort(),
          ids.map((id) => path.basename(schemaDest(id))),
        );
        for (const id of ids) assert.deepEqual(readSchema(dir, id), SCHEMAS[id]);
        assert.equal(
          readFileSync(path.join(dir, 'json_schema.py'), 'utf8'),
          readFileSync(sharedTemplate('json_schema.py'), 'utf8'),
        );
      });
      it(`${key}: puruto validate --strict is clean with the new files`, async () => {
        const report = await validateRepo(repos[key]!, { strict: true });
        assert.deepEqual(
          report.findings.filter((f) => f.level === 'error'),
          [],
        );
      });
    }
  });

  describe("(b) a runtime's verdict follows an edit of its shipped schema", () => {
    it('telegram: db.load_channels refuses a name the tightened channels schema refuses', () => {
      const dir = repos['telegram']!;
      const load = (names: string[]) => {
        writeFileSync(path.join(dir, '.channels.json'), JSON.stringify({ channels: names }));
        const r = py(
          ['-c', 'import db\ntry:\n    print(db.load_channels())\nexcept db.ChannelsError as e:\n    print("ERR", e)'],
          dir,
          NO_PYC,
        );
        assert.equal(r.status, 0, r.stderr);
        return r.stdout.trim();
      };
      try {
        assert.equal(load(['puruto-notes']), "['puruto-notes']");
        editSchema(dir, 'channels', (s) => (at(s, 'properties', 'channels', 'items')['maxLength'] = 6));
        assert.match(load(['puruto-notes']), /^ERR .*channel #0 'puruto-notes' .*at most 6 characters/);
        assert.equal(load(['notes']), "['notes']");
        editSchema(dir, 'channels', (s) => (at(s, 'properties', 'channels', 'items')['enum'] = ['notes']));
        assert.match(load(['notes']), /^ERR .*'enum' is not supported by json_schema\.py/);
      } finally {
        restoreSchema(dir, 'channels');
        writeFileSync(path.join(dir, '.channels.json'), JSON.stringify({ channels: [] }));
      }
    });

    it("data: vault_store.registry_problems (vault.py check's rules) follow the registry schema", () => {
      const dir = repos['data']!;
      const entry = { name: 'puruto-notes', folder: 'puruto-notes', registered_at: '2025-01-01T00:00:00Z' };
      writeFileSync(path.join(dir, 'registry.json'), JSON.stringify({ version: '1', purutos: [entry] }));
      const problems = (): string[] => {
        const r = py(
          [
            '-c',
            'import json, vault_store\n' +
              'print(json.dumps(vault_store.registry_problems(vault_store.load_registry(vault_store.VAULT))))',
          ],
          dir,
          NO_PYC,
        );
        assert.equal(r.status, 0, r.stderr);
        return JSON.parse(r.stdout) as string[];
      };
      try {
        assert.deepEqual(problems(), []);
        editSchema(dir, 'registry', (s) => (at(s, 'properties', 'purutos', 'items')['required'] = ['name', 'kind']));
        assert.deepEqual(problems(), ['entry 0 (puruto-notes) lacks kind']);
        restoreSchema(dir, 'registry');
        editSchema(
          dir,
          'registry',
          (s) => (at(s, 'properties', 'purutos', 'items', 'properties', 'name')['maxLength'] = 8),
        );
        assert.match(problems().join('\n'), /entry 0 \(puruto-notes\) has an invalid name \(at most 8 characters/);
      } finally {
        restoreSchema(dir, 'registry');
        writeFileSync(path.join(dir, 'registry.json'), JSON.stringify({ version: '1', purutos: [] }));
      }
    });

    it("gateway: registry.py serves an entry only while the schema's name rule accepts it", () => {
      const dir = repos['gateway']!;
      const vault = tempDir('puruto-schemas-vault-');
      mkdirSync(vault, { recursive: true });
      const entry = { name: 'puruto-notes', folder: 'puruto-notes', registered_at: 't', commands: ['help'] };
      writeFileSync(path.join(vault, 'registry.json'), JSON.stringify({ version: '1', purutos: [entry] }));
      const served = (): { name: string; commands: string[] }[] => {
        const r = py(['-c', 'import json; from registry import Registry; print(json.dumps(Registry().items()))'], dir, {
          ...NO_PYC,
          PURUTO_DATA_PATH: vault,
          PURUTO_ECOSYSTEM_ROOTS: '',
        });
        assert.equal(r.status, 0, r.stderr);
        return JSON.parse(r.stdout) as { name: string; commands: string[] }[];
      };
      try {
        assert.deepEqual(
          served().map((i) => [i.name, i.commands]),
          [['puruto-notes', ['help']]],
        );
        const entrySchema = (s: Obj) => at(s, 'properties', 'purutos', 'items', 'properties');
        editSchema(dir, 'registry', (s) => (at(entrySchema(s), 'commands')['minItems'] = 2));
        assert.deepEqual(
          served().map((i) => [i.name, i.commands]),
          [['puruto-notes', ['init', 'help', 'list', 'status']]],
          'commands the schema refuses fall back to the defaults',
        );
        editSchema(dir, 'registry', (s) => (at(entrySchema(s), 'name')['maxLength'] = 8));
        assert.deepEqual(served(), [], 'a name the schema refuses is not served');
      } finally {
        restoreSchema(dir, 'registry');
        rmSync(vault, { recursive: true, force: true });
      }
    });

    it('ipc: ipc.py refuses a .puruto-ipc.json the tightened ipc schema refuses (config_invalid)', () => {
      const dir = repos['ipc']!;
      const reason = (): unknown => {
        const r = runJson<IpcAnswer>(
          dir,
          ['ipc.py', '--target', 'puruto-b', '--action', 'status', '--prompt', 'p'],
          cleanEnv({ PURUTO_AGENT: 'stub' }),
        );
        assert.doesNotMatch(r.stderr, /Traceback/);
        return [r.json.response['error']?.details?.reason, r.json.response['error']?.message];
      };
      try {
        assert.notEqual((reason() as unknown[])[0], 'config_invalid');
        editSchema(dir, 'ipc', (s) => (at(s, 'properties', 'max_hops')['maximum'] = 1));
        assert.deepEqual(reason(), ['config_invalid', ".puruto-ipc.json: 'max_hops' must be at most 1, got 2"]);
      } finally {
        restoreSchema(dir, 'ipc');
      }
    });

    it('cron: jobs.py refuses a job the tightened jobs schema refuses', () => {
      const dir = repos['cron']!;
      const load = (): string => {
        const r = py(
          [
            '-c',
            'import jobs\nfrom pathlib import Path\ntry:\n    print([j.job_id for j in jobs.load_jobs_file(' +
              'Path(".jobs.json"))])\nexcept jobs.JobsError as e:\n    print("ERR", e)',
          ],
          dir,
          NO_PYC,
        );
        assert.equal(r.status, 0, r.stderr);
        return r.stdout.trim();
      };
      try {
        assert.equal(load(), "['daily-status']");
        editSchema(dir, 'jobs', (s) => (at(s, 'properties', 'jobs', 'items', 'properties', 'job_id')['maxLength'] = 5));
        assert.equal(load(), 'ERR .jobs.json: job "daily-status" (#0): field "job_id": at most 5 characters, got 12');
      } finally {
        restoreSchema(dir, 'jobs');
      }
    });
  });
});
