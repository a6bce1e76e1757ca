/**
 * `yo puruto:ipc`, composed by `--ipc` and alone inside an existing Puruto: what it
 * writes, what it merges (once), that a second run changes nothing, that the result is
 * clean under `puruto validate --strict`, and that the validator notices a broken setup.
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, runGenerator, tempDir, withHome } from '../helpers/generators.js';
import { puruto } from '../helpers/cli.js';
import { ipcRepo } from '../helpers/ipc.js';
import { listFiles } from '../../generators/shared/list-files.js';
import { validateRepo } from '../../lib/validate/index.js';
import { ipcConfig } from '../../generators/ipc/index.js';

const TEMPLATES = path.join(ROOT, 'generators', 'ipc', 'templates');
const IPC_VARS = ['PURUTO_AGENT', 'PURUTO_AGENT_COMMAND', 'PURUTO_AGENT_ARGS'];
const read = (dir: string, f: string) => readFileSync(path.join(dir, f), 'utf8');
/** How many lines of an env file declare `name` (commented or not). */
const declarations = (text: string, name: string) =>
  text.split('\n').filter((l) => new RegExp(`^\\s*#?\\s*${name}=`).test(l)).length;

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await listFiles(dir)) if (f !== '.agents/skills') out[f] = read(dir, f);
  return out;
}

/** Runs fn while collecting what the yeoman logger writes to the process streams. */
async function capture<T>(fn: () => Promise<T>): Promise<{ value: T; printed: string }> {
  let printed = '';
  const streams = [process.stdout, process.stderr];
  const saved = streams.map((s) => s.write.bind(s));
  for (const s of streams) {
    s.write = ((chunk: string | Uint8Array) => {
      printed += String(chunk);
      return true;
    }) as typeof s.write;
  }
  try {
    return { value: await fn(), printed };
  } finally {
    streams.forEach((s, i) => (s.write = saved[i]!));
  }
}

async function standardRepo(name: string): Promise<string> {
  const destination = path.join(tempDir('puruto-ipc-gen-'), name);
  await withHome(tempDir('puruto-home-'), () =>
    runGenerator('app', { options: { name, description: 'Host', yes: true, destination } }),
  );
  return destination;
}

describe('yo puruto:ipc (generator)', () => {
  it(
    'composed by --ipc: runtime copied verbatim, /call, SPEC config, variables and README merged once, ' +
      '--strict clean',
    async () => {
      const dir = await ipcRepo('puruto-gen');
      for (const f of ['ipc.py', 'invoker.py']) assert.equal(read(dir, f), read(TEMPLATES, f), f);
      assert.deepEqual(JSON.parse(read(dir, '.puruto-ipc.json')), ipcConfig('puruto-gen'));
      const skill = read(dir, '.claude/skills/call/SKILL.md');
      assert.match(skill, /^name: call$/m);
      assert.match(skill, /python3 ipc\.py --target <target> --action <action> --prompt='<prompt>'/);
      assert.match(skill, /--prompt-file - <<'PURUTO_PROMPT'/);
      for (const code of ['DENIED', 'TARGET_NOT_FOUND', 'TIMEOUT', 'INVALID_RESPONSE', 'IPC_ERROR'])
        assert.ok(skill.includes(`\`${code}\``), code);
      const env = read(dir, '.env.example');
      for (const v of [...IPC_VARS, 'PURUTO_DATA_PATH']) assert.equal(declarations(env, v), 1, v);
      assert.match(env, /PURUTO_IPC_CORRELATION_ID, PURUTO_IPC_HOP and PURUTO_IPC_CALLER are set/);
      const readme = read(dir, 'README.md');
      assert.equal(readme.split('\n').filter((l) => l === '## IPC (delegation to other Purutos)').length, 1);
      for (const word of [
        'PURUTO_AGENT_COMMAND',
        'PURUTO_IPC_CORRELATION_ID',
        'PURUTO_IPC_HOP',
        '{target_path}',
        'registry.json',
        'max_hops',
      ]) {
        assert.ok(readme.includes(word), word);
      }
      assert.deepEqual((await validateRepo(dir, { strict: true })).findings, []);
    },
  );

  it('alone on an existing Puruto adds IPC; a second run changes nothing and says so', async () => {
    const dir = await standardRepo('puruto-host');
    const envBefore = read(dir, '.env.example');
    await runGenerator('ipc', { cwd: dir });
    assert.equal(JSON.parse(read(dir, '.puruto-ipc.json')).owner, 'puruto-host');
    const env = read(dir, '.env.example');
    assert.ok(env.startsWith(envBefore), 'the existing variables are kept as they were');
    for (const v of IPC_VARS) assert.equal(declarations(env, v), 1, v);
    assert.deepEqual((await validateRepo(dir, { strict: true })).findings, []);
    const before = await snapshot(dir);
    await runGenerator('ipc', { cwd: dir });
    assert.deepEqual(await snapshot(dir), before);
    const { value: cli, printed } = await capture(() =>
      withHome(tempDir('puruto-home-'), () => puruto(['new', 'ipc'], dir)),
    );
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout + printed, /IPC is already set up here \(\.puruto-ipc\.json exists\): nothing changed\./);
    assert.deepEqual(await snapshot(dir), before);
  });

  it('alone: README section and variables the repo already has are not added twice', async () => {
    const dir = await standardRepo('puruto-doc');
    writeFileSync(
      path.join(dir, '.env.example'),
      `${read(dir, '.env.example')}# agent\nPURUTO_AGENT=claude\n# c\n# PURUTO_AGENT_COMMAND=x\n# a\n# ` +
        `PURUTO_AGENT_ARGS=\n# r\n# PURUTO_ECOSYSTEM_ROOTS=\n`,
    );
    writeFileSync(
      path.join(dir, 'README.md'),
      `${read(dir, 'README.md')}\n## IPC (delegation to other Purutos)\nMy own words.\n`,
    );
    const env = read(dir, '.env.example');
    const readme = read(dir, 'README.md');
    await runGenerator('ipc', { cwd: dir });
    assert.equal(read(dir, '.env.example'), env);
    assert.equal(read(dir, 'README.md'), readme);
    assert.ok(read(dir, 'ipc.py').length > 0);
  });

  it('the validator reports each deleted or corrupted IPC artifact', async () => {
    const dir = await ipcRepo('puruto-break');
    const cases: [string, (d: string) => void, string, string][] = [
      ['.puruto-ipc.json', (d) => rmSync(path.join(d, '.puruto-ipc.json')), 'missing-ipc-config', 'warning'],
      [
        '.puruto-ipc.json',
        (d) => writeFileSync(path.join(d, '.puruto-ipc.json'), '{"enabled": true,'),
        'invalid-ipc-config',
        'error',
      ],
      [
        '.claude/skills/call/SKILL.md',
        (d) => rmSync(path.join(d, '.claude/skills/call/SKILL.md')),
        'missing-ipc-skill',
        'error',
      ],
      ['ipc.py', (d) => rmSync(path.join(d, 'ipc.py')), 'missing-ipc-runtime', 'error'],
      ['invoker.py', (d) => rmSync(path.join(d, 'invoker.py')), 'missing-ipc-runtime', 'error'],
    ];
    for (const [file, breakIt, code, level] of cases) {
      const copy = path.join(tempDir('puruto-ipc-broken-'), 'puruto-break');
      cpSync(dir, copy, { recursive: true, verbatimSymlinks: true });
      breakIt(copy);
      const findings = (await validateRepo(copy, { strict: true })).findings;
      const hit = findings.find((f) => f.code === code && f.path === file);
      assert.ok(hit, `${code} for ${file}: ${JSON.stringify(findings)}`);
      assert.equal(hit.level, level);
      rmSync(path.dirname(copy), { recursive: true, force: true });
    }
  });
});
