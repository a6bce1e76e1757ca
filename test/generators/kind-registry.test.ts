/**
 * The kind registry: a new kind is its folder plus its line in generators/kind-list.ts. A
 * throw-away kind (test/fixtures/kinds/demo: puruto-demo, one required file, one required
 * skill, one boolean question) is added to a copy of the package sources, and that copy,
 * run under tsx, type-checks and gives `puruto new --help`, `puruto new demo --help`,
 * `puruto new demo --yes --no-greeting`, `yo puruto:demo` (found by yeoman-environment's
 * lookup, as yo finds generators), `puruto validate --strict` and `puruto upgrade`.
 * Also: the registry's own kinds agree with what their plans write, and the modules of
 * the registry load in any order (no import cycle reads a binding before it is set).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/generators.js';
import { tempDir } from '../helpers/repo.js';
import { KIND_REGISTRY } from '../../generators/kinds.js';
import { defineKind } from '../../generators/shared/kind-declaration.js';
import { KINDS } from '../../lib/standard/kinds.js';
import { ECOSYSTEM, VAULT_NAME } from '../../lib/ecosystem.js';
import {
  OPTIONAL_KINDS,
  SUMMARY as INIT_SUMMARY,
  questions as initQuestions,
} from '../../generators/init/questions.js';
import { VERSION_CHAIN } from '../../lib/standard/version.js';
import { renderAnswers } from '../../generators/shared/artifacts.js';

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A child process, bounded in time, killed by its pid when it overruns. */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const explain = (r: Run): string => `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;

/** The package sources copied to `dir`, with the demo kind added as its folder plus its line. */
function copyWithDemo(dir: string): void {
  for (const d of ['lib', 'cli', 'generators', 'scripts', 'python'])
    cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true });
  for (const f of ['pins.json', 'package.json', 'tsconfig.json', 'tsconfig.test.json'])
    cpSync(path.join(ROOT, f), path.join(dir, f));
  cpSync(path.join(ROOT, 'test/fixtures/kinds/demo'), path.join(dir, 'generators/demo'), { recursive: true });
  const list = path.join(dir, 'generators/kind-list.ts');
  const text = readFileSync(list, 'utf8');
  // The one line: appended to the list of kinds, nothing else edited.
  writeFileSync(list, `${text}export { default as demo } from './demo/kind.js';\n`);
  // Created last, inside the temp folder: the shared dependencies.
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
}

describe('the kind registry: a throw-away kind is its folder plus its line', function () {
  this.timeout(120_000);
  let pkg: string;
  let work: string;
  let env: NodeJS.ProcessEnv;
  const puruto = (...args: string[]) => run(TSX, ['cli/puruto.ts', ...args], pkg, env);

  before(() => {
    const tmp = tempDir('puruto-kinds-');
    pkg = path.join(tmp, 'generator-puruto');
    work = path.join(tmp, 'work');
    mkdirSync(pkg);
    mkdirSync(path.join(tmp, 'home'));
    mkdirSync(work);
    copyWithDemo(pkg);
    env = { ...process.env, HOME: path.join(tmp, 'home'), PURUTO_DEBUG: '' };
  });

  it('the copy type-checks: the kind name, key and finding code of the new kind are typed', async () => {
    const r = await run(
      process.execPath,
      [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'],
      pkg,
      env,
    );
    assert.equal(r.code, 0, explain(r));
  });

  it('puruto new --help lists it and puruto new demo --help shows its boolean question', async () => {
    const list = await puruto('new', '--help');
    assert.equal(list.code, 0, explain(list));
    assert.match(list.stdout, /^ {2}demo {8}new repo: the throw-away kind of the registry test$/m);
    const help = await puruto('new', 'demo', '--help');
    assert.equal(help.code, 0, explain(help));
    assert.match(help.stdout, /^Usage: puruto new demo \[name\] \[options\]$/m);
    assert.match(help.stdout, /--\[no-\]greeting|--greeting/);
    assert.match(help.stdout, /Create puruto-demo, a throw-away kind/);
  });

  it(
    'puruto new demo --no-greeting honours the boolean; ' + 'validate --strict is clean, then finds the missing file',
    async () => {
      const dest = path.join(work, 'new', 'puruto-demo');
      const r = await puruto('new', 'demo', '--yes', '--no-greeting', '--no-git', '--destination', dest);
      assert.equal(r.code, 0, explain(r));
      assert.ok(existsSync(path.join(dest, 'demo.txt')));
      assert.ok(existsSync(path.join(dest, '.claude/skills/greet/SKILL.md')));
      assert.equal(existsSync(path.join(dest, 'GREETING.md')), false);
      const rc = JSON.parse(readFileSync(path.join(dest, '.yo-rc.json'), 'utf8'))['generator-puruto'];
      assert.equal(rc.kind, 'puruto-demo');
      assert.equal(rc.answers.greeting, false);

      const ok = await puruto('validate', dest, '--strict', '--json');
      assert.equal(ok.code, 0, explain(ok));
      const report = JSON.parse(ok.stdout);
      assert.equal(report.kind, 'puruto-demo');
      assert.deepEqual(report.findings, []);

      unlinkSync(path.join(dest, 'demo.txt'));
      const bad = await puruto('validate', dest, '--strict', '--json');
      assert.equal(bad.code, 1, explain(bad));
      assert.deepEqual(
        JSON.parse(bad.stdout).findings.map((f: { code: string; path: string }) => [f.code, f.path]),
        [['missing-required', 'demo.txt']],
      );
    },
  );

  it(
    "yo puruto:demo: the copy's generator, found by yeoman-environment's lookup; " +
      '--greeting true and --no-greeting',
    async () => {
      // What yo does: look the generators up in the package (yeoman-environment's lookup),
      // then run the namespace. Under plain node yeoman-environment's require() of an ESM
      // file fails and it import()s it; under tsx require() would load the .ts as CommonJS,
      // so the script import()s the looked-up file itself and registers that class there.
      const script = [
        "import { pathToFileURL } from 'node:url';",
        "import { createEnv } from 'yeoman-environment';",
        'const [cwd, ...args] = process.argv.slice(2);',
        'const env = createEnv({ cwd });',
        'await env.lookup({ packagePaths: [process.cwd()] });',
        "const { resolved } = env.getGeneratorMeta('puruto:demo');",
        "console.log('resolved ' + resolved);",
        'const { default: Gen } = await import(pathToFileURL(resolved).href);',
        "env.register(Gen, { namespace: 'puruto:demo', resolved });",
        "await env.run(['puruto:demo', ...args], { skipInstall: true });",
      ].join('\n');
      writeFileSync(path.join(pkg, 'yo-lookup.mjs'), script);
      for (const [flag, greeting] of [
        ['--greeting', true],
        ['--no-greeting', false],
      ] as const) {
        const dest = path.join(work, `yo-${greeting}`, 'puruto-demo');
        const r = await run(TSX, ['yo-lookup.mjs', work, '--yes', flag, '--no-git', '--destination', dest], pkg, env);
        assert.equal(r.code, 0, explain(r));
        assert.match(r.stdout, new RegExp(`^resolved ${path.join(pkg, 'generators/demo/index.ts')}$`, 'm'));
        assert.ok(existsSync(path.join(dest, 'demo.txt')));
        assert.equal(existsSync(path.join(dest, 'GREETING.md')), greeting, flag);
        assert.equal(
          JSON.parse(readFileSync(path.join(dest, '.yo-rc.json'), 'utf8'))['generator-puruto'].answers.greeting,
          greeting,
        );
      }
    },
  );

  it('puruto upgrade --plan / upgrade renders its files from its plan', async () => {
    const dest = path.join(work, 'up', 'puruto-demo');
    assert.equal((await puruto('new', 'demo', '--yes', '--no-git', '--destination', dest)).code, 0);
    const agent = readFileSync(path.join(dest, 'agent.md'), 'utf8');
    // An older repo: the previous version, without agent.md (the step to this version adds it).
    const [previous, current] = VERSION_CHAIN.slice(-2) as [string, string];
    writeFileSync(path.join(dest, '.puruto-standard-version'), `${previous}\n`);
    rmSync(path.join(dest, 'agent.md'));
    const plan = await puruto('upgrade', dest, '--plan');
    assert.equal(plan.code, 0, explain(plan));
    assert.ok(plan.stdout.includes(`${previous} → ${current}`) || plan.stdout.includes(`${previous} -> ${current}`));
    assert.equal(existsSync(path.join(dest, 'agent.md')), false);
    const up = await puruto('upgrade', dest);
    assert.equal(up.code, 0, explain(up));
    assert.match(up.stdout, /Add `agent\.md`/);
    assert.equal(readFileSync(path.join(dest, 'agent.md'), 'utf8'), agent);
    assert.match(agent, /^# puruto-demo — agent rules/);
  });
});

describe('the kind registry: declarations', () => {
  it("every kind's plan (its defaults) writes the files, folders and skills the validator requires of it", () => {
    for (const k of KIND_REGISTRY) {
      const answers = renderAnswers(k.kind, { name: k.kind === 'standard' ? 'puruto-x' : k.kind });
      const written = new Set(k.plan(answers as never).map((f) => f.dest));
      const spec = KINDS[k.kind];
      assert.equal(spec.requiredSkills, k.requiredSkills);
      for (const f of k.requiredFiles) assert.ok(written.has(f), `${k.kind}: ${f}`);
      for (const d of k.requiredDirs)
        assert.ok(
          [...written].some((w) => w.startsWith(`${d}/`)),
          `${k.kind}: ${d}/`,
        );
      for (const s of k.requiredSkills) assert.ok(written.has(`.claude/skills/${s}/SKILL.md`), `${k.kind}: /${s}`);
    }
  });

  it("puruto init's kind flags are the registry's ecosystem kinds besides the vault, in creation order", () => {
    const optional = ECOSYSTEM.filter((k) => k.name !== VAULT_NAME).map((k) => k.key);
    assert.ok(optional.length > 0);
    assert.deepEqual([...OPTIONAL_KINDS], optional);
    const kinds = initQuestions.filter((q) => (optional as string[]).includes(q.name));
    assert.deepEqual(
      kinds.map((q) => [q.name, q.type]),
      optional.map((k) => [k, 'boolean']),
    );
    const all = initQuestions.find((q) => q.name === 'all');
    for (const k of optional) assert.ok(all?.description.includes(`--${k}`), k);
    for (const k of ECOSYSTEM) assert.ok(INIT_SUMMARY.includes(k.name), k.name);
  });

  it('a missing-file code must be a finding code (a typo does not compile)', () => {
    const declare = (code: 'missing-cron-file') =>
      defineKind({
        ...KIND_REGISTRY[0],
        key: 'x',
        kind: 'puruto-x',
        // @ts-expect-error -- not a finding code
        missingCode: `${code.slice(0, 8)}crn-file` as 'missing-crn-file',
      });
    assert.equal(declare('missing-cron-file').missingCode, 'missing-crn-file');
  });

  it(
    'the registry modules load first in a fresh process, in any order ' + '(no cycle reads an unset binding)',
    async function () {
      this.timeout(60_000);
      const entries = [
        'generators/kinds.ts',
        'generators/catalog.ts',
        'generators/classes.ts',
        'generators/app/questions.ts',
        'generators/data/files.ts',
        'generators/cron/kind.ts',
        'generators/shared/common-files.ts',
        'generators/shared/skill-names.ts',
        'generators/shared/artifacts.ts',
        'generators/init/kinds.ts',
        'lib/standard/kinds.ts',
        'lib/names.ts',
        'lib/ecosystem.ts',
        'lib/validate/index.ts',
      ];
      for (const e of entries) {
        const r = await run(
          process.execPath,
          ['--import', 'tsx', '-e', `await import(${JSON.stringify(`./${e}`)})`],
          ROOT,
          process.env,
        );
        assert.equal(r.code, 0, `${e}\n${explain(r)}`);
      }
    },
  );
});
