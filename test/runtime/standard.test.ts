import assert from 'node:assert/strict';
import { STANDARD_VERSION } from '../../lib/standard/version.js';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { py } from '../helpers/python.js';
import { runGenerator, tempDir, withHome } from '../helpers/generators.js';

async function generate(options: Record<string, unknown>): Promise<string> {
  const dest = path.join(tempDir('puruto-rt-'), String(options['name']));
  await withHome(tempDir(), async () =>
    runGenerator('app', { options: { description: 'Runtime test', yes: true, destination: dest, ...options } }),
  );
  return dest;
}

const INIT = '.claude/skills/init/scripts/init.py';
const STATUS = '.claude/skills/status/scripts/status.py';
const LIST = '.claude/skills/list/scripts/list_skills.py';

describe('generated standard Puruto runtime (python3)', () => {
  it('/status before /init reports what is missing and never crashes', async () => {
    const dir = await generate({ name: 'puruto-rt' });
    const r = py([STATUS, '--json'], dir);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.puruto, 'puruto-rt');
    assert.equal(s.env_file, 'missing');
    assert.deepEqual(s.database, { path: 'db/data.db', exists: false, tables: [] });
    assert.equal(s.standard_version, STANDARD_VERSION);
    assert.equal(s.data_path.source, 'default');
    assert.equal(s.data_path.exists, false);
    assert.match(s.problems[0], /\.env is missing: run \/init/);
    const human = py([STATUS], dir);
    assert.equal(human.status, 0);
    assert.match(human.stdout, /next: \.env is missing: run \/init/);
  });

  it('/init creates .env and the SQLite db with a meta table, keeps them on a second run', async () => {
    const dir = await generate({ name: 'puruto-init' });
    const r = py([INIT, '--json'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout).steps.map((s: { result: string; path: string }) => [s.result, s.path]),
      [
        ['created', '.env'],
        ['created', 'db/data.db'],
        ['skipped', '.venv'],
      ],
    );
    assert.equal(readFileSync(path.join(dir, '.env'), 'utf8'), readFileSync(path.join(dir, '.env.example'), 'utf8'));
    const meta = py(
      [
        '-c',
        "import sqlite3;print(dict(sqlite3.connect('db/data.db').execute('select key, value from meta').fetchall()))",
      ],
      dir,
    );
    assert.match(meta.stdout, /'puruto': 'puruto-init'/);
    assert.ok(meta.stdout.includes(`'standard_version': '${STANDARD_VERSION}'`), meta.stdout);
    writeFileSync(path.join(dir, '.env'), 'DB_PATH=db/data.db\nMINE=1\n');
    const again = py([INIT, '--json'], dir);
    assert.deepEqual(
      JSON.parse(again.stdout).steps.map((s: { result: string }) => s.result),
      ['kept', 'kept', 'skipped'],
    );
    assert.match(readFileSync(path.join(dir, '.env'), 'utf8'), /MINE=1/);
    const status = JSON.parse(py([STATUS, '--json'], dir).stdout);
    assert.equal(status.env_file, 'present');
    assert.deepEqual(status.database.tables, ['meta']);
    assert.deepEqual(
      status.problems.filter((p: string) => !p.startsWith('data vault')),
      [],
    );
  });

  it('/status resolves PURUTO_DATA_PATH and whether this Puruto is registered there', async () => {
    const dir = await generate({ name: 'puruto-reg', db: false });
    const vault = path.join(path.dirname(dir), 'vault');
    mkdirSync(vault);
    writeFileSync(
      path.join(vault, 'registry.json'),
      JSON.stringify({ version: '1', purutos: [{ name: 'puruto-reg', folder: 'puruto-reg' }] }),
    );
    writeFileSync(path.join(dir, '.env'), `PURUTO_DATA_PATH=../vault\n`);
    const s = JSON.parse(py([STATUS, '--json'], dir).stdout);
    assert.deepEqual(s.data_path, { path: vault, source: 'PURUTO_DATA_PATH', exists: true, registered: true });
    assert.equal(s.database, null);
    assert.deepEqual(s.problems, []);
  });

  it('/status survives a corrupt database, a missing version file and an unreadable .env.example', async () => {
    const dir = await generate({ name: 'puruto-broken' });
    mkdirSync(path.join(dir, 'db'), { recursive: true });
    writeFileSync(path.join(dir, 'db/data.db'), 'this is not sqlite');
    rmSync(path.join(dir, '.puruto-standard-version'));
    writeFileSync(path.join(dir, '.env'), 'DB_PATH=db/data.db\n');
    rmSync(path.join(dir, '.env.example'));
    mkdirSync(path.join(dir, '.env.example'));
    const r = py([STATUS, '--json'], dir);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.ok(s.database.error);
    assert.equal(s.standard_version, null);
    assert.ok(s.problems.some((p: string) => /cannot be read/.test(p)));
    assert.ok(s.problems.some((p: string) => /standard-version is missing/.test(p)));
  });

  it('/init with a requirements.txt it cannot install reports an error line and exits 1', async () => {
    const dir = await generate({ name: 'puruto-req', db: false });
    writeFileSync(path.join(dir, 'requirements.txt'), 'this-package-does-not-exist-puruto==0.0.0\n');
    const r = py([INIT, '--json'], dir, {
      PIP_INDEX_URL: 'http://127.0.0.1:9/simple',
      PIP_NO_INPUT: '1',
      PIP_RETRIES: '0',
      PIP_TIMEOUT: '2',
    });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const venv = JSON.parse(r.stdout).steps.find((s: { path: string }) => s.path === '.venv');
    assert.equal(venv.result, 'error');
    assert.match(
      venv.detail,
      /^pip could not install requirements\.txt: .*the unfinished \.venv was removed.*--no-venv/,
    );
    assert.equal(existsSync(path.join(dir, '.venv')), false, 'the half-built .venv is removed');
  });

  it('/list prints every skill from its frontmatter, also through .agents/skills', async () => {
    const dir = await generate({ name: 'puruto-list', skills: 'plan-day' });
    const r = py([LIST, '--json'], dir);
    assert.equal(r.status, 0, r.stderr);
    const skills = JSON.parse(r.stdout) as { name: string; user_invocable: boolean }[];
    assert.deepEqual(
      skills.map((s) => s.name),
      ['help', 'init', 'list', 'plan-day', 'status'],
    );
    assert.ok(skills.every((s) => s.user_invocable));
    const viaLink = py(['.agents/skills/list/scripts/list_skills.py'], dir);
    assert.match(viaLink.stdout, /^\/plan-day +invocable/m);
  });

  it('the agent-tests scaffold passes pytest on a fresh repo and names a broken case', async () => {
    const dir = await generate({ name: 'puruto-at', 'agent-tests': true });
    const ok = py(['-m', 'pytest', '-q', 'tests/agent'], dir);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /4 passed/);
    const cases = path.join(dir, 'tests/agent/cases.yaml');
    writeFileSync(
      cases,
      `${readFileSync(cases, 'utf8')}  - id: broken-case\n    prompt: "list every skill"\n    expect_skill: ` +
        `nonexistent\n`,
    );
    const bad = py(['-m', 'pytest', '-q', 'tests/agent'], dir);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /case broken-case: unknown skill 'nonexistent'/);
  });

  it('the IPC client is deny-by-default and answers with structured JSON', async () => {
    const dir = await generate({ name: 'puruto-ipc', ipc: true });
    const denied = py(['ipc.py', '--target', 'puruto-notes', '--action', 'summarize', '--prompt', 'hi'], dir);
    assert.equal(denied.status, 1);
    const d = JSON.parse(denied.stdout);
    assert.equal(d.response.status, 'error');
    assert.equal(d.response.error.code, 'DENIED');
    assert.equal(d.request.caller, 'puruto-ipc');
    assert.equal(d.request.timeout_sec, 120);
    const cfg = path.join(dir, '.puruto-ipc.json');
    writeFileSync(
      cfg,
      JSON.stringify({
        ...JSON.parse(readFileSync(cfg, 'utf8')),
        allowed_targets: ['puruto-notes'],
        allowed_actions: { 'puruto-notes': ['summarize'] },
      }),
    );
    // The stub still resolves its target and checks that it has the skill asked for.
    mkdirSync(path.join(path.dirname(dir), 'puruto-notes', '.claude', 'skills', 'summarize'), { recursive: true });
    writeFileSync(
      path.join(path.dirname(dir), 'puruto-notes', '.claude', 'skills', 'summarize', 'SKILL.md'),
      '---\nname: summarize\ndescription: x\nuser-invocable: true\n---\n',
    );
    const ok = py(['ipc.py', '--target', 'puruto-notes', '--action', 'summarize', '--prompt', 'hi'], dir, {
      PURUTO_AGENT: 'stub',
    });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.equal(JSON.parse(ok.stdout).response.status, 'ok');
    rmSync(cfg);
    const broken = py(['ipc.py', '--target', 'puruto-notes', '--action', 'summarize', '--prompt', 'hi'], dir);
    assert.equal(broken.status, 1);
    assert.equal(JSON.parse(broken.stdout).response.error.code, 'IPC_ERROR');
    assert.ok(!existsSync(path.join(dir, '.env')));
  });
});
