/**
 * End-to-end tier: the package as users get it. `npm pack` the built tree, install it
 * with yo@7 into a temp npm prefix (once, in `before`), then run the installed
 * `puruto` and `yo puruto` binaries: non-interactively, and `yo` in a real
 * pseudo-terminal typing answers to the prompts.
 */
import assert from 'node:assert/strict';
import { STANDARD_VERSION, VERSION_CHAIN } from '../../lib/standard/version.js';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  E2E_USER,
  PTY_DRIVER,
  PYTHON,
  ROOT,
  cleanEnv,
  explain,
  giveTo,
  makeTmp,
  packAndInstall,
  packageVersion,
  run,
  tarEntries,
  yoRunner,
  type Installed,
  type PtyResult,
  type PtyStep,
  type Run,
  type YoRunner,
} from './support.js';

const DESC = 'End-to-end test Puruto';
const FIELDS = ['path', 'kind', 'ok', 'errors', 'warnings', 'findings'];

describe('e2e: the packed package, real `puruto` and `yo`', function () {
  this.timeout(60_000);
  let tmp: string;
  let inst: Installed;
  let home: string;

  before(function () {
    this.timeout(360_000); // npm install of yo@7 takes ~45 s on a cold cache
    tmp = makeTmp('puruto-e2e-');
    home = path.join(tmp, 'home');
    mkdirSync(home);
    inst = packAndInstall(tmp);
  });

  after(function () {
    if (tmp && !process.env['PURUTO_E2E_KEEP']) rmSync(tmp, { recursive: true, force: true });
    else if (tmp) console.log(`    e2e files kept in ${tmp}`);
  });

  const puruto = (args: string[], cwd = tmp): Run => run('puruto', args, { cwd, env: cleanEnv(inst, home) });

  describe('npm pack', () => {
    it('ships only package.json, README.md, LICENSE and dist/**', () => {
      const entries = tarEntries(inst.tarball);
      const stray = entries.filter((e) => !/^package\/(package\.json|README\.md|LICENSE|dist\/.+)$/.test(e));
      assert.deepEqual(stray, [], `unexpected entries in ${path.basename(inst.tarball)}`);
      assert.deepEqual(
        entries.filter((e) => /\.(ts|mts|cts)$/.test(e)),
        [],
        'TypeScript sources in the tarball',
      );
      for (const must of [
        'package/dist/cli/puruto.cjs',
        'package/dist/generators/app/index.js',
        'package/dist/generators/app/templates/AGENTS.md.ejs',
        'package/dist/generators/shared/templates/CLAUDE.md.ejs',
        'package/dist/cli/yeoman.mjs',
        'package/dist/cli/upgrade.mjs',
      ]) {
        assert.ok(entries.includes(must), `${must} missing from the tarball`);
      }
    });
  });

  describe('installed `puruto` bin', () => {
    let ws: string;
    let repo: string;

    before(() => {
      ws = path.join(tmp, 'ws');
      repo = path.join(ws, 'puruto-e2e');
    });

    it('--version prints the package.json version', () => {
      const r = puruto(['--version']);
      assert.equal(r.code, 0, explain(r));
      assert.equal(r.stdout.trim(), packageVersion());
    });

    for (const args of [
      ['--help'],
      ['new', '--help'],
      ['validate', '--help'],
      ['upgrade', '--help'],
      ['init', '--help'],
      ['workspace', '--help'],
    ]) {
      it(`puruto ${args.join(' ')} exits 0 with a usage text`, () => {
        const r = puruto(args);
        assert.equal(r.code, 0, explain(r));
        assert.match(r.stdout, /Usage: puruto/);
      });
    }

    it('new <name> --description --yes --destination generates, printing the path, the files and next steps', () => {
      const r = puruto(['new', 'puruto-e2e', '--description', DESC, '--yes', '--destination', repo]);
      assert.equal(r.code, 0, explain(r));
      // The result (path, files, next steps) is the command's output: stdout.
      assert.ok(r.stdout.includes(`Created ${repo}`), `the path ${repo} is not printed on stdout:\n${explain(r)}`);
      for (const f of ['CLAUDE.md', 'AGENTS.md', '.claude/skills/status/SKILL.md', '.env.example']) {
        assert.ok(r.stdout.includes(f), `file ${f} not listed:\n${explain(r)}`);
      }
      assert.match(r.stdout, /Next steps/);
      assert.match(r.stdout, /cp \.env\.example \.env/);
      assert.equal(r.stderr.trim(), '', explain(r));
      assert.ok(existsSync(path.join(repo, '.claude/skills/status/SKILL.md')));
    });

    it('validate --strict --json passes it, with the SPEC §4 keys in order', () => {
      const r = puruto(['validate', repo, '--strict', '--json']);
      assert.equal(r.code, 0, explain(r));
      const report = JSON.parse(r.stdout) as Record<string, unknown>;
      assert.deepEqual(Object.keys(report), FIELDS);
      assert.deepEqual(report, { path: repo, kind: 'standard', ok: true, errors: 0, warnings: 0, findings: [] });
    });

    it('new --ipc --agent-tests composes both add-ons (bundled command) and the repo passes --strict', () => {
      const full = path.join(tmp, 'puruto-full');
      const r = puruto([
        'new',
        'puruto-full',
        '--description',
        DESC,
        '--ipc',
        '--agent-tests',
        '--skills',
        'a,b',
        '--yes',
        '--destination',
        full,
      ]);
      assert.equal(r.code, 0, explain(r));
      for (const f of [
        '.puruto-ipc.json',
        'ipc.py',
        'invoker.py',
        '.claude/skills/call/SKILL.md',
        'tests/agent/cases.yaml',
        '.claude/skills/b/SKILL.md',
      ]) {
        assert.ok(existsSync(path.join(full, f)), `${f} missing:\n${explain(r)}`);
      }
      const v = puruto(['validate', full, '--strict', '--json']);
      assert.equal(v.code, 0, explain(v));
      // Run alone on it: nothing changes, and it says so.
      const again = puruto(['new', 'ipc'], full);
      assert.equal(again.code, 0, explain(again));
      assert.match(again.all, /IPC is already set up here/);
    });

    it('new data creates the vault from the installed bundle; it validates --strict and its vault.py runs', () => {
      const vault = path.join(tmp, 'eco', 'puruto-data');
      const r = puruto(['new', 'data', '--yes', '--destination', vault]);
      assert.equal(r.code, 0, explain(r));
      const v = puruto(['validate', vault, '--strict', '--json']);
      assert.equal(v.code, 0, explain(v));
      assert.equal((JSON.parse(v.stdout) as { kind: string }).kind, 'puruto-data');
      const reg = run(PYTHON, ['vault.py', 'register', 'puruto-notes', '--json'], { cwd: vault, env: process.env });
      assert.equal(reg.code, 0, explain(reg));
      assert.equal((JSON.parse(reg.stdout) as { status: string }).status, 'registered');
    });

    it('validate --json on a repo missing a core skill exits 1 with missing-core-skill', () => {
      const broken = path.join(tmp, 'broken', 'puruto-e2e');
      cpSync(repo, broken, { recursive: true, verbatimSymlinks: true });
      unlinkSync(path.join(broken, '.claude/skills/status/SKILL.md'));
      const r = puruto(['validate', broken, '--json']);
      assert.equal(r.code, 1, explain(r));
      const report = JSON.parse(r.stdout) as {
        ok: boolean;
        findings: { level: string; code: string; path?: string }[];
      };
      assert.equal(report.ok, false);
      const f = report.findings.find((x) => x.code === 'missing-core-skill');
      assert.ok(f, `no missing-core-skill finding in ${r.stdout}`);
      assert.equal(f.level, 'error');
      assert.equal(f.path, '.claude/skills/status/SKILL.md');
    });

    it('validate --bogus exits 2 and prints nothing on stdout (even with --json)', () => {
      const r = puruto(['validate', '--bogus', '--json']);
      assert.equal(r.code, 2, explain(r));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /--bogus/);
    });

    it('validate --workspace --json on a folder of two generated repos: exit 0, repos: 2', () => {
      const second = path.join(ws, 'puruto-e2e-two');
      const g = puruto([
        'new',
        'puruto-e2e-two',
        '--description',
        DESC,
        '--yes',
        '--no-db',
        '--skills',
        'notes',
        '--destination',
        second,
      ]);
      assert.equal(g.code, 0, explain(g));
      const r = puruto(['validate', '--workspace', ws, '--json']);
      assert.equal(r.code, 0, explain(r));
      const report = JSON.parse(r.stdout) as { ok: boolean; repos: number; errors: number };
      assert.equal(report.ok, true);
      assert.equal(report.repos, 2);
      assert.equal(report.errors, 0);
    });

    it(
      `upgrade --plan, then apply, then validate: a legacy 0.0.0 puruto-telegram reaches ${STANDARD_VERSION} ` +
        `(bundled templates)`,
      () => {
        const legacy = path.join(tmp, 'legacy', 'puruto-telegram');
        cpSync(path.join(ROOT, 'test/fixtures/legacy/telegram-0.0.0/puruto-telegram'), legacy, { recursive: true });
        const plan = puruto(['upgrade', legacy, '--plan', '--json']);
        assert.equal(plan.code, 0, explain(plan));
        // the fixture is at the first version: the plan is every step of the chain
        assert.deepEqual(
          (JSON.parse(plan.stdout) as { plan: unknown }).plan,
          VERSION_CHAIN.slice(1).map((to, i) => ({ from: VERSION_CHAIN[i], to })),
        );
        const r = puruto(['upgrade', legacy]);
        assert.equal(r.code, 0, explain(r));
        assert.match(r.stdout, /Add `inbox\.py`/);
        assert.equal(
          readFileSync(path.join(legacy, 'inbox.py'), 'utf8'),
          readFileSync(path.join(ROOT, 'generators/telegram/templates/inbox.py'), 'utf8'),
        );
        const v = puruto(['validate', legacy, '--json']);
        assert.equal(v.code, 0, explain(v));
        assert.equal(puruto(['upgrade', legacy, '--check']).code, 0);
      },
    );

    it(
      'init --all then workspace --json: four valid, registered repos from the installed bundle; ' +
        'a re-run keeps them',
      () => {
        const eco = path.join(tmp, 'purutos-e2e');
        const r = puruto(['init', eco, '--all']);
        assert.equal(r.code, 0, explain(r));
        for (const k of ['data', 'telegram', 'cron', 'gateway'])
          assert.match(r.stdout, new RegExp(`created +puruto-${k} `));
        const w = puruto(['workspace', eco, '--json']);
        assert.equal(w.code, 0, explain(w));
        const listing = JSON.parse(w.stdout) as {
          count: number;
          purutos: { name: string; version: string; validation: { ok: boolean }; registered: boolean | null }[];
        };
        assert.equal(listing.count, 4);
        for (const p of listing.purutos) {
          assert.equal(p.version, STANDARD_VERSION, p.name);
          assert.equal(p.validation.ok, true, p.name);
          assert.equal(p.registered, p.name !== 'puruto-data', p.name);
        }
        const table = puruto(['workspace'], eco);
        assert.match(table.stdout, /^NAME +KIND +VERSION +VALIDATION\n/);
        assert.match(table.stdout, /4 Purutos in .*, 4 valid, 0 with errors/);
        const again = puruto(['init', eco, '--all']);
        assert.equal(again.code, 0, explain(again));
        assert.match(again.stdout, /kept +puruto-gateway/);
      },
    );

    it('new with a bad name exits 1, naming the problem, and writes nothing', () => {
      const dest = path.join(tmp, 'bad-name');
      const r = puruto(['new', 'Bad Name', '--description', DESC, '--yes', '--destination', dest]);
      assert.equal(r.code, 1, explain(r));
      assert.match(r.stderr, /contains spaces/);
      // Refused before Yeoman runs: no Yeoman error banner, nothing on stdout.
      assert.doesNotMatch(r.all, /An error occured/);
      assert.equal(r.stdout, '');
      assert.equal(existsSync(dest), false);
    });

    it('new with an unknown flag exits 2', () => {
      const r = puruto(['new', 'puruto-x', '--description', DESC, '--bogus']);
      assert.equal(r.code, 2, explain(r));
      assert.match(r.stderr, /--bogus/);
    });

    it('new without a TTY and without answers exits 1 naming `name, description`, creating nothing', () => {
      const d2 = path.join(tmp, 'd2');
      const r = puruto(['new', '--destination', d2]); // stdin is /dev/null
      assert.equal(r.code, 1, explain(r));
      assert.match(r.stderr, /name, description/);
      assert.match(r.stderr, /puruto new --name puruto-notes/);
      assert.match(r.stderr, /yo puruto --name puruto-notes/);
      assert.equal(existsSync(d2), false, `${d2} was created`);
    });
  });

  describe(`installed \`yo puruto\` (as an ordinary user: ${E2E_USER} when root)`, () => {
    let yo: Extract<YoRunner, { ok: true }>;
    let work: string;
    let yoHome: string;

    before(function () {
      const r = yoRunner();
      if (!r.ok) {
        console.log(`    skipping the yo tests: ${r.reason}`);
        this.skip();
      }
      yo = r;
      work = giveTo(path.join(tmp, 'yo'), yo);
      yoHome = giveTo(path.join(tmp, 'yo-home'), yo);
    });

    const yoEnv = (extra: Record<string, string> = {}) => cleanEnv(inst, yoHome, extra);
    const runYo = (args: string[]): Run => run(...yo.wrap(['yo', ...args], yoEnv()), { cwd: work, env: process.env });

    it('yo puruto --help exits 0 and lists the options', () => {
      const r = runYo(['puruto', '--help']);
      assert.equal(r.code, 0, explain(r));
      for (const flag of [
        '--name',
        '--description',
        '--db',
        '--skills',
        '--ipc',
        '--agent-tests',
        '--yes',
        '--destination',
      ]) {
        assert.ok(r.stdout.includes(flag), `${flag} not in yo puruto --help:\n${explain(r)}`);
      }
    });

    it('yo puruto <name> --description --yes --destination generates a repo that passes validate --strict', () => {
      const d3 = path.join(work, 'puruto-yo');
      const r = runYo(['puruto', 'puruto-yo', '--description', DESC, '--yes', '--destination', d3]);
      assert.equal(r.code, 0, explain(r));
      const v = puruto(['validate', d3, '--strict']);
      assert.equal(v.code, 0, explain(v));
    });

    for (const kind of ['data', 'telegram', 'cron', 'gateway']) {
      it(`yo puruto:${kind} --yes --destination generates puruto-${kind}, valid under --strict`, () => {
        const dest = path.join(work, 'eco', `puruto-${kind}`);
        const r = runYo([`puruto:${kind}`, '--yes', '--destination', dest]);
        assert.equal(r.code, 0, explain(r));
        const v = puruto(['validate', dest, '--strict', '--json']);
        assert.equal(v.code, 0, explain(v));
        assert.equal((JSON.parse(v.stdout) as { kind: string }).kind, `puruto-${kind}`);
      });
    }

    it('yo puruto:upgrade <path> --json migrates a legacy 0.1.0 puruto-cron, keeping its own invoker.py', () => {
      const legacy = path.join(work, 'legacy', 'puruto-cron');
      cpSync(path.join(ROOT, 'test/fixtures/legacy/cron-0.1.0/puruto-cron'), legacy, { recursive: true });
      if (process.getuid?.() === 0)
        run('chown', ['-R', `${yo.uid}:${yo.gid}`, path.join(work, 'legacy')], { cwd: work, env: process.env });
      const r = runYo(['puruto:upgrade', legacy, '--json']);
      assert.equal(r.code, 0, explain(r));
      const report = JSON.parse(r.stdout) as { final_version: string; applied: { actions: string[] }[] };
      assert.equal(report.final_version, STANDARD_VERSION);
      assert.match(report.applied[0]!.actions[0]!, /^Kept `invoker\.py`/);
      assert.equal(puruto(['validate', legacy]).code, 0);
    });

    it('yo puruto:init <dir> --telegram --no-git --yes: puruto-data and puruto-telegram, wired and valid', () => {
      const eco = path.join(work, 'eco-init');
      const r = runYo(['puruto:init', eco, '--telegram', '--no-git', '--yes']);
      assert.equal(r.code, 0, explain(r));
      assert.deepEqual(
        readdirSync(eco)
          .filter((n) => n.startsWith('puruto-'))
          .sort(),
        ['puruto-data', 'puruto-telegram'],
      );
      assert.match(
        readFileSync(path.join(eco, 'puruto-telegram/.env.example'), 'utf8'),
        /^PURUTO_DATA_PATH=\.\.\/puruto-data$/m,
      );
      assert.ok(existsSync(path.join(eco, '.claude/skills/workspace/SKILL.md')));
      const v = puruto(['validate', '--workspace', eco, '--strict', '--json']);
      assert.equal(v.code, 0, explain(v));
    });

    it('yo puruto --destination <existing non-empty folder> exits 1 and leaves it alone', () => {
      const full = giveTo(path.join(work, 'full'), yo);
      writeFileSync(path.join(full, 'keep.txt'), 'mine\n');
      const r = runYo(['puruto', 'puruto-full', '--description', DESC, '--yes', '--destination', full]);
      assert.equal(r.code, 1, explain(r));
      assert.match(r.all, /already exists and is not empty/);
      assert.deepEqual(readdirSync(full), ['keep.txt']);
    });

    it('yo puruto with an unknown flag exits 2 and writes nothing', () => {
      const dest = path.join(work, 'puruto-bogus');
      const r = runYo(['puruto', 'puruto-bogus', '--description', DESC, '--yes', '--bogus', '--destination', dest]);
      assert.equal(r.code, 2, explain(r));
      assert.match(r.all, /unknown option --bogus/);
      assert.equal(existsSync(dest), false);
    });

    it('interactive yo puruto in a pty: re-asks after an invalid name, then generates a valid repo', () => {
      const dest = path.join(work, 'puruto-tty');
      const steps: PtyStep[] = [
        { expect: 'Repo name', send: 'Bad Name\r', timeout: 40 },
        // The prompt stays open with the rejected text in its input line: Ctrl-U clears it.
        { expect: 'contains spaces', send: '\u0015puruto-tty\r', timeout: 10 },
        { expect: '[✔√] Repo name[^\n]*puruto-tty', timeout: 10 }, // the same prompt took the new name
        { expect: 'One-line description', send: 'Typed in a pseudo-terminal\r' },
        { expect: 'Local SQLite database', send: 'n\r' },
        { expect: 'Extra skills', send: 'notes,todo\r' },
        { expect: 'IPC:', send: 'y\r' },
        { expect: 'Agent tests scaffold', send: 'y\r' },
        { expect: 'Created ', timeout: 40 },
        { expect_eof: true, timeout: 30 },
      ];
      const res = pty(['yo', 'puruto', '--destination', dest], steps);
      const screen = `--- screen ---\n${res.screen}\n--- end of screen ---`;
      assert.ok(res.ok, `step ${res.failed_step}: ${res.reason}\n${screen}`);
      assert.equal(res.exit_code, 0, screen);
      // The invalid name was never accepted; the next prompt came only after the valid one.
      assert.doesNotMatch(res.screen, /[✔√] Repo name[^\n]*Bad Name/, screen);
      assert.ok(res.screen.indexOf('One-line description') > res.screen.lastIndexOf('contains spaces'), screen);
      for (const f of [
        '.claude/skills/notes/SKILL.md',
        '.claude/skills/todo/SKILL.md',
        '.puruto-ipc.json',
        'ipc.py',
        'tests/agent/cases.yaml',
      ]) {
        assert.ok(existsSync(path.join(dest, f)), `${f} not generated\n${screen}`);
      }
      assert.equal(existsSync(path.join(dest, 'db')), false, 'db/ generated although the answer was no');
      const v = puruto(['validate', dest, '--strict', '--json']);
      assert.equal(v.code, 0, explain(v));
      assert.equal((JSON.parse(v.stdout) as { ok: boolean }).ok, true);
    });

    it(
      'yo puruto: a refusal is only our message (stderr, exit 1); the result goes to stdout; ' +
        'no colour without a terminal',
      () => {
        const dest = path.join(work, 'puruto-streams');
        const ok = runYo(['puruto', 'puruto-streams', '--description', DESC, '--yes', '--destination', dest]);
        assert.equal(ok.code, 0, explain(ok));
        assert.match(ok.stdout, new RegExp(`^Created ${dest}$`, 'm'), 'the summary on stdout');
        assert.match(ok.stdout, /^Next steps:$/m);
        assert.match(
          ok.stderr,
          new RegExp(`^Creating puruto-streams in ${dest} \\(from --destination\\)\\.$`, 'm'),
          'where it goes, before writing',
        );
        assert.doesNotMatch(ok.all, /^\s+(create|force)\s|No change to package\.json|puruto-new-/m);
        assert.ok(!ok.all.includes('\u001b'), 'no escape codes without a terminal');
        const no = runYo(['puruto', 'puruto-streams', '--description', DESC, '--yes', '--destination', dest]);
        assert.equal(no.code, 1, explain(no));
        assert.equal(no.stdout, '');
        assert.equal(
          no.stderr,
          `${dest} already exists and is not empty: nothing was written. Pass another --destination, or remove it.\n`,
        );
      },
    );

    it(
      'yo puruto inside a Puruto (from a subfolder) works on it: ' + 'stored answers, a skill added, nothing nested',
      () => {
        const dest = path.join(work, 'puruto-inside');
        assert.equal(runYo(['puruto', 'puruto-inside', '--description', DESC, '--yes', '--destination', dest]).code, 0);
        const r = run(...yo.wrap(['yo', 'puruto', '--skills', 'later'], yoEnv()), {
          cwd: path.join(dest, '.claude'),
          env: process.env,
        });
        assert.equal(r.code, 0, explain(r));
        assert.match(r.stdout, new RegExp(`^Updated ${dest}$`, 'm'));
        assert.ok(existsSync(path.join(dest, '.claude/skills/later/SKILL.md')));
        assert.equal(existsSync(path.join(dest, '.claude', 'puruto-inside')), false);
        const rc = JSON.parse(readFileSync(path.join(dest, '.yo-rc.json'), 'utf8'))['generator-puruto'];
        assert.deepEqual(rc.answers.skills, ['later']);
        assert.equal(rc.answers.description, DESC);
      },
    );

    for (const argv of [
      ['yo', 'puruto'],
      ['puruto', 'new'],
    ]) {
      it(`Ctrl-C at a prompt of ${argv.join(' ')}: "cancelled, nothing written", exit 130`, () => {
        const before = readdirSync(work)
          .filter((f) => !f.startsWith('pty-'))
          .sort();
        const res = pty(argv, [
          { expect: 'Repo name', send: 'puruto-cancel\r', timeout: 40 },
          { expect: 'One-line description', send: '\u0003' },
          { expect_eof: true, timeout: 30 },
        ]);
        const screen = `--- screen ---\n${res.screen}\n--- end of screen ---`;
        assert.ok(res.ok, `step ${res.failed_step}: ${res.reason}\n${screen}`);
        assert.equal(res.exit_code, 130, screen);
        assert.match(res.screen, /cancelled, nothing written/, screen);
        assert.doesNotMatch(res.screen, /force closed|An error occured|Error puruto/, screen);
        assert.deepEqual(
          readdirSync(work)
            .filter((f) => !f.startsWith('pty-'))
            .sort(),
          before,
          'nothing written',
        );
      });
    }

    /** Runs argv (as the yo user) under the Python pty driver, following `steps`. */
    function pty(argv: string[], steps: PtyStep[]): PtyResult {
      const script = path.join(work, `pty-${Date.now()}.json`);
      writeFileSync(script, JSON.stringify({ timeout: 120, steps }));
      const [cmd, args] = yo.wrap(argv, yoEnv({ TERM: 'xterm' }));
      const r = run(PYTHON, [PTY_DRIVER, script, '--', cmd, ...args], {
        cwd: work,
        env: process.env,
        timeoutMs: 150_000,
      });
      assert.equal(r.code, 0, `the pty driver failed: ${explain(r)}`);
      return JSON.parse(r.stdout) as PtyResult;
    }
  });
});
