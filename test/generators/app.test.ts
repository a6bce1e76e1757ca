import { generatorVersion } from '../../lib/package-version.js';
import assert from 'node:assert/strict';
import { STANDARD_VERSION } from '../../lib/standard/version.js';
import { existsSync, lstatSync, mkdirSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import helpers from 'yeoman-test';
import {
  generateRepo,
  generatorPath,
  readIn,
  rejection,
  runGenerator,
  tempDir,
  withHome,
  recordOf,
} from '../helpers/generators.js';
import { listFiles } from '../../generators/shared/list-files.js';
import { validateRepo } from '../../lib/validate/index.js';
import { questions } from '../../generators/app/questions.js';
import { check } from '../../lib/questions/resolve.js';
import AppGenerator from '../../generators/app/index.js';
import { RUNTIME_DESTS } from '../helpers/runtime.js';

const DESC = 'Track personal notes and reminders';

const generate = (
  options: Record<string, unknown>,
  extra: { answers?: Record<string, unknown>; args?: string[] } = {},
) => generateRepo('app', options, extra);
const read = readIn;

describe('yo puruto (app generator)', () => {
  it('--yes with name and description writes a complete standard Puruto that passes --strict', async () => {
    const dir = await generate({ name: 'puruto-notes', description: DESC, yes: true });
    assert.deepEqual(await listFiles(dir), [
      '.agents/skills',
      '.claude/skills/help/SKILL.md',
      '.claude/skills/init/SKILL.md',
      '.claude/skills/init/scripts/init.py',
      '.claude/skills/list/SKILL.md',
      '.claude/skills/list/scripts/list_skills.py',
      '.claude/skills/status/SKILL.md',
      '.claude/skills/status/scripts/puruto_env.py',
      '.claude/skills/status/scripts/status.py',
      '.env.example',
      '.gemini/settings.json',
      '.gitignore',
      '.mypy.ini',
      '.puruto-standard-version',
      '.ruff.toml',
      '.vermin',
      '.yo-rc.json',
      'AGENTS.md',
      'CLAUDE.md',
      'README.md',
      'agent.md',
      'db/.gitkeep',
      ...RUNTIME_DESTS,
    ]);
    assert.equal(read(dir, '.puruto-standard-version'), `${STANDARD_VERSION}\n`);
    assert.ok(lstatSync(path.join(dir, '.agents/skills')).isSymbolicLink());
    assert.equal(readlinkSync(path.join(dir, '.agents/skills')), path.join('..', '.claude', 'skills'));
    assert.match(read(dir, 'CLAUDE.md'), /^@AGENTS\.md$/m);
    assert.match(read(dir, 'AGENTS.md'), new RegExp(DESC));
    assert.match(read(dir, 'agent.md'), /AGENTS\.md/);
    assert.deepEqual(JSON.parse(read(dir, '.gemini/settings.json')), {
      context: { fileName: ['AGENTS.md', 'GEMINI.md'] },
      general: { maxAttempts: 2 },
    });
    assert.match(read(dir, '.env.example'), /^DB_PATH=db\/data\.db$/m);
    assert.match(read(dir, '.env.example'), /^# PURUTO_DATA_PATH=/m);
    assert.match(read(dir, '.gitignore'), /^\.env$/m);
    assert.deepEqual(recordOf(dir), {
      kind: 'standard',
      standardVersion: STANDARD_VERSION,
      generatorVersion: generatorVersion(),
      answers: { name: 'puruto-notes', description: DESC, db: true, skills: [], ipc: false, 'agent-tests': false },
    });
    const report = await validateRepo(dir, { strict: true });
    assert.deepEqual(report.findings, []);
    assert.equal(report.ok, true);
  });

  it('keeps a description with Markdown/HTML characters verbatim (no HTML escaping)', async () => {
    const text = 'Notes & <reminders> for "Ana\'s" team';
    const dir = await generate({ name: 'puruto-esc', description: text, yes: true });
    for (const f of ['AGENTS.md', 'README.md', 'agent.md', '.claude/skills/help/SKILL.md'])
      assert.ok(read(dir, f).includes(text), f);
  });

  it('--no-db leaves out db/ and DB_PATH', async () => {
    const dir = await generate({ name: 'puruto-nodb', description: DESC, db: false, yes: true });
    assert.equal(existsSync(path.join(dir, 'db')), false);
    assert.doesNotMatch(read(dir, '.env.example'), /DB_PATH/);
    assert.doesNotMatch(read(dir, '.claude/skills/init/SKILL.md'), /SQLite/);
  });

  it('boolean flags accept true/false strings in any case', async () => {
    const dir = await generate({
      name: 'puruto-bools',
      description: DESC,
      db: 'FALSE',
      ipc: 'True',
      'agent-tests': 'false',
      yes: true,
    });
    assert.equal(existsSync(path.join(dir, 'db')), false);
    assert.ok(existsSync(path.join(dir, '.puruto-ipc.json')));
    assert.equal(existsSync(path.join(dir, 'tests/agent')), false);
  });

  it('an invalid boolean value is an argument error (code 2) and writes nothing', async () => {
    const out = tempDir();
    const err = await rejection(
      generate({ name: 'puruto-bad', description: DESC, db: 'maybe', yes: true, destination: path.join(out, 'x') }),
    );
    assert.equal(err.code, 2);
    assert.match(err.message, /--db expects true or false/);
    assert.equal(existsSync(path.join(out, 'x')), false);
  });

  it('an unknown option is an argument error (code 2), as under puruto new', async () => {
    const err = await rejection(
      generate({ name: 'puruto-u', description: DESC, yes: true, colour: 'red', agentTests: false }),
    );
    assert.equal(err.code, 2);
    assert.match(err.message, /^unknown option --colour: see `yo puruto --help`$/);
  });

  it('extra skills get their own valid SKILL.md', async () => {
    const dir = await generate({
      name: 'puruto-skills',
      description: DESC,
      skills: 'add-note, search-notes,add-note',
      yes: true,
    });
    for (const s of ['add-note', 'search-notes']) {
      const text = read(dir, `.claude/skills/${s}/SKILL.md`);
      assert.match(text, new RegExp(`^name: ${s}$`, 'm'));
      assert.match(text, /^user-invocable: true$/m);
    }
    assert.match(read(dir, 'AGENTS.md'), /`\/search-notes`/);
    assert.deepEqual((await validateRepo(dir, { strict: true })).findings, []);
  });

  it('refuses bad skill names like a typed answer', async () => {
    const err = await rejection(generate({ name: 'puruto-s', description: DESC, skills: 'Bad Skill', yes: true }));
    assert.equal(err.code, 1);
    assert.match(err.message, /not a valid skill name/);
  });

  it('takes the name as a positional argument', async () => {
    const dir = await generate({ description: DESC, yes: true }, { args: ['puruto-positional'] });
    assert.equal(JSON.parse(read(dir, '.yo-rc.json'))['generator-puruto'].answers.name, 'puruto-positional');
  });

  it('--answers file feeds a whole run', async () => {
    const f = path.join(tempDir(), 'answers.json');
    writeFileSync(f, JSON.stringify({ name: 'puruto-fromfile', description: DESC, db: false, skills: ['track'] }));
    const dir = await generate({ answers: f });
    assert.equal(existsSync(path.join(dir, 'db')), false);
    assert.ok(existsSync(path.join(dir, '.claude/skills/track/SKILL.md')));
  });

  it('--answers with an unknown key or broken JSON is an argument error', async () => {
    const f = path.join(tempDir(), 'a.json');
    writeFileSync(f, JSON.stringify({ name: 'puruto-a', description: DESC, colour: 'red' }));
    const err = await rejection(generate({ answers: f }));
    assert.equal(err.code, 2);
    assert.match(err.message, /unknown answer "colour"/);
    writeFileSync(f, '{"name": ');
    const err2 = await rejection(generate({ answers: f }));
    assert.equal(err2.code, 2);
    assert.match(err2.message, /not valid JSON/);
  });

  for (const bad of ['My Notes', 'notes/x', '../escape', '.hidden', '-lead', 'UPPER', 'a'.repeat(65)]) {
    it(
      `refuses the name ${JSON.stringify(bad.length > 20 ? `${bad.slice(0, 8)}…(${bad.length})` : bad)} (code ` +
        `1), writing nothing`,
      async () => {
        const out = tempDir();
        const err = await rejection(
          generate({ name: bad, description: DESC, yes: true, destination: path.join(out, 'dest') }),
        );
        assert.equal(err.code, 1);
        assert.match(err.message, /^name: /);
        assert.equal(existsSync(path.join(out, 'dest')), false);
      },
    );
  }

  it('points the ecosystem names to their own generator', async () => {
    const err = await rejection(generate({ name: 'puruto-data', description: DESC, yes: true }));
    assert.equal(err.code, 1);
    assert.match(err.message, /yo puruto:data/);
  });

  it('accepts a name without the puruto- prefix', async () => {
    const dir = await generate({ name: 'notes', description: DESC, yes: true });
    assert.ok(existsSync(path.join(dir, 'AGENTS.md')));
  });

  it('refuses an existing non-empty destination and leaves it untouched', async () => {
    const dest = path.join(tempDir(), 'puruto-taken');
    mkdirSync(dest);
    writeFileSync(path.join(dest, 'keep.txt'), 'mine');
    const err = await rejection(generate({ name: 'puruto-taken', description: DESC, yes: true, destination: dest }));
    assert.equal(err.code, 1);
    assert.match(err.message, /already exists and is not empty: nothing was written/);
    assert.deepEqual(await listFiles(dest), ['keep.txt']);
  });

  it('without a TTY, names every missing required answer (code 1) and shows the command line', async () => {
    const out = tempDir();
    const err = await rejection(generate({ interactive: false, destination: path.join(out, 'd') }));
    assert.equal(err.code, 1);
    assert.match(err.message, /missing required answers: name, description/);
    assert.match(
      err.message,
      /puruto new --name puruto-notes --description text --db --skills '' --no-ipc --no-agent-tests/,
    );
    assert.equal(existsSync(path.join(out, 'd')), false);
  });

  it('--yes does not invent a description: it is required for a standard Puruto', async () => {
    const err = await rejection(generate({ name: 'puruto-nodesc', yes: true }));
    assert.equal(err.code, 1);
    assert.match(err.message, /missing required answer: description/);
  });

  it('prompts for what flags did not give, and validates typed answers', async () => {
    const dir = await generate(
      { interactive: true, name: 'puruto-prompted' },
      { answers: { description: DESC, db: false, skills: 'plan-day', ipc: true, 'agent-tests': false } },
    );
    assert.equal(existsSync(path.join(dir, 'db')), false);
    assert.ok(existsSync(path.join(dir, '.claude/skills/plan-day/SKILL.md')));
    assert.ok(existsSync(path.join(dir, 'ipc.py')));
    const nameQ = questions.find((q) => q.name === 'name')!;
    assert.match(String(check(nameQ, 'Bad Name')), /contains spaces/);
    assert.equal(check(nameQ, 'puruto-ok'), undefined);
  });

  it('resolves the destination from ~/purutos, then ../purutos, then the cwd', async () => {
    const home = tempDir('puruto-home-');
    mkdirSync(path.join(home, 'purutos'));
    await withHome(home, () => runGenerator('app', { options: { name: 'puruto-h', description: DESC, yes: true } }));
    assert.ok(existsSync(path.join(home, 'purutos', 'puruto-h', 'AGENTS.md')));

    const home2 = tempDir('puruto-home-');
    const base = tempDir('puruto-ws-');
    mkdirSync(path.join(base, 'purutos'));
    mkdirSync(path.join(base, 'work'));
    await withHome(home2, () =>
      runGenerator('app', {
        cwd: path.join(base, 'work'),
        options: { name: 'puruto-s', description: DESC, yes: true },
      }),
    );
    assert.ok(existsSync(path.join(base, 'purutos', 'puruto-s', 'AGENTS.md')));

    const cwd = tempDir('puruto-cwd-');
    await withHome(home2, () =>
      runGenerator('app', { cwd, options: { name: 'puruto-c', description: DESC, yes: true } }),
    );
    assert.ok(existsSync(path.join(cwd, 'puruto-c', 'AGENTS.md')));
  });

  it('--ipc and --agent-tests compose their generators and merge into README and .env.example', async () => {
    const dir = await generate({ name: 'puruto-full', description: DESC, ipc: true, 'agent-tests': true, yes: true });
    for (const f of [
      '.puruto-ipc.json',
      'ipc.py',
      'invoker.py',
      '.claude/skills/call/SKILL.md',
      'tests/agent/cases.yaml',
      'requirements-dev.txt',
    ]) {
      assert.ok(existsSync(path.join(dir, f)), f);
    }
    assert.deepEqual(JSON.parse(read(dir, '.puruto-ipc.json')), {
      enabled: true,
      owner: 'puruto-full',
      max_hops: 2,
      default_timeout_sec: 120,
      allowed_targets: [],
      allowed_actions: {},
    });
    const readme = read(dir, 'README.md');
    assert.match(readme, /^# puruto-full$/m);
    assert.match(readme, /^## IPC \(delegation to other Purutos\)$/m);
    assert.match(readme, /^## Agent tests$/m);
    assert.match(read(dir, '.env.example'), /^DB_PATH=db\/data\.db$/m);
    assert.match(read(dir, '.env.example'), /^# PURUTO_AGENT=stub$/m);
    assert.deepEqual((await validateRepo(dir, { strict: true })).findings, []);
  });

  it('the validation hook fails the run (code 1) when what was written has an error', async () => {
    class BrokenApp extends AppGenerator {
      protected override plan() {
        return super.plan().filter((f) => f.dest !== '.claude/skills/status/SKILL.md');
      }
    }
    const dest = path.join(tempDir(), 'puruto-broken');
    const err = await rejection(
      withHome(tempDir(), async () =>
        helpers.run(BrokenApp as never, { namespace: 'puruto:app', resolved: generatorPath('app') }).withOptions({
          skipInstall: true,
          name: 'puruto-broken',
          description: DESC,
          yes: true,
          destination: dest,
        } as never),
      ),
    );
    assert.equal(err.code, 1);
    assert.match(err.message, /fails validation with 1 error/);
    assert.ok(existsSync(path.join(dest, 'AGENTS.md')), 'the files stay on disk for inspection');
  });

  it('--help is generated from the question table', () => {
    const text = AppGenerator.prototype.help.call({
      spec: { kind: 'standard', summary: 's', table: questions },
    } as never);
    for (const q of questions) assert.match(text, new RegExp(`--${q.name}\\b`));
    for (const f of ['--yes', '--answers', '--destination', '--no-db', 'Exit codes']) assert.ok(text.includes(f), f);
  });
});
