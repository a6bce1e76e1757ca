import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import helpers from 'yeoman-test';
import { generateRepo, generatorPath, readIn as read, rejection, tempDir, withHome } from '../helpers/generators.js';
import InitGenerator from '../../generators/init/index.js';
import { questions } from '../../generators/init/questions.js';
import { ROOT_SKILLS } from '../../generators/init/root-files.js';
import { validateRepo, validateWorkspace } from '../../lib/validate/index.js';
import { gitAvailable, FALLBACK_IDENTITY } from '../../lib/git-init.js';

const HAS_GIT = gitAvailable();
const KINDS = ['puruto-data', 'puruto-telegram', 'puruto-cron', 'puruto-gateway'];

interface Run {
  home: string;
  dir: string;
  log: string;
  asked: string[];
}

/** Runs puruto:init with HOME isolated; the report it logs is captured. */
async function init(
  options: Record<string, unknown>,
  extra: { args?: string[]; answers?: Record<string, unknown>; home?: string; cwd?: string } = {},
): Promise<Run> {
  const home = extra.home ?? tempDir('puruto-home-');
  const lines: string[] = [];
  let ctx = helpers
    .run(InitGenerator as never, { namespace: 'puruto:init', resolved: generatorPath('init') })
    .withOptions({ skipInstall: true, ...options } as never)
    .onGenerator((g) => {
      (g as unknown as { log: (m: unknown) => void }).log = (m) => lines.push(String(m));
    });
  if (extra.cwd) ctx = ctx.cd(extra.cwd);
  if (extra.args) ctx = ctx.withArguments(extra.args);
  if (extra.answers) ctx = ctx.withAnswers(extra.answers as never);
  const result = await withHome(home, async () => ctx);
  const asked = ((result as unknown as { askedQuestions?: { name: string }[] }).askedQuestions ?? []).map(
    (q) => q.name,
  );
  const dir = typeof options['dir'] === 'string' ? options['dir'] : (extra.args?.[0] ?? path.join(home, 'purutos'));
  return { home, dir, log: lines.join('\n'), asked };
}

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
const isLink = (p: string) => fs.lstatSync(p).isSymbolicLink();

describe('yo puruto:init (ecosystem folder)', () => {
  it(
    '--yes: the folder with only puruto-data (valid, .yo-rc.json, .agents/skills link, first commit) ' +
      'and the root agent mode',
    async () => {
      const { dir, log } = await init({ yes: true }, { args: [path.join(tempDir(), 'eco')] });
      assert.deepEqual(
        fs.readdirSync(dir).sort(),
        ['.agents', '.claude', '.gemini', 'AGENTS.md', 'CLAUDE.md', 'agent.md', 'puruto-data'],
        'only puruto-data without a kind flag, no .yo-rc.json and no .git at the root',
      );
      const data = path.join(dir, 'puruto-data');
      assert.deepEqual((await validateRepo(data, { strict: true })).findings, []);
      assert.equal(JSON.parse(read(data, '.yo-rc.json'))['generator-puruto'].kind, 'puruto-data');
      assert.ok(isLink(path.join(data, '.agents/skills')));
      // Nothing to register yet: the vault does not list itself.
      assert.deepEqual(JSON.parse(read(data, 'registry.json')), { version: '1', purutos: [] });
      if (HAS_GIT) {
        assert.equal(git(data, 'log', '--format=%s'), 'Create puruto-data (generator-puruto: puruto init)');
        assert.equal(git(data, 'status', '--porcelain'), '', 'everything generated is committed');
        assert.match(git(data, 'ls-files'), /^\.yo-rc\.json$/m);
        assert.match(git(data, 'ls-files'), /^\.agents\/skills$/m);
      }
      assert.match(log, /^ {2}created +puruto-data +the private data vault/m);
      assert.match(log, /^ {2}created +AGENTS\.md$/m);
      assert.match(log, /more kinds later: puruto init .* --telegram --cron --gateway/);
    },
  );

  it(
    '--all: four valid repos, each .env.example wired to its siblings (only those lines), ' +
      'the others registered in puruto-data',
    async () => {
      const { dir, log } = await init({ all: true, yes: true, dir: path.join(tempDir(), 'eco') });
      const ws = await validateWorkspace(dir, { strict: true });
      assert.deepEqual(
        ws.results.map((r) => [path.basename(r.path), r.kind, r.ok, r.findings.length]),
        [
          ['puruto-cron', 'puruto-cron', true, 0],
          ['puruto-data', 'puruto-data', true, 0],
          ['puruto-gateway', 'puruto-gateway', true, 0],
          ['puruto-telegram', 'puruto-telegram', true, 0],
        ],
      );
      for (const kind of KINDS) {
        assert.ok(isLink(path.join(dir, kind, '.agents/skills')), kind);
        assert.equal(JSON.parse(read(path.join(dir, kind), '.yo-rc.json'))['generator-puruto'].kind, kind);
      }
      // The same .env.example the kind generator writes alone, but for the sibling lines.
      const wired: Record<string, string[]> = {
        'puruto-telegram': ['PURUTO_DATA_PATH=../puruto-data'],
        'puruto-cron': ['PURUTO_DATA_PATH=../puruto-data', 'PURUTO_TELEGRAM_PATH=../puruto-telegram'],
        'puruto-gateway': ['PURUTO_DATA_PATH=../puruto-data'],
      };
      for (const [kind, lines] of Object.entries(wired)) {
        const alone = read(await generateRepo(kind.replace('puruto-', ''), { yes: true }, {}, kind), '.env.example');
        const expected = lines.reduce((text, line) => text.replace(`# ${line}\n`, `${line}\n`), alone);
        assert.notEqual(expected, alone, `${kind}: the template has the commented line`);
        assert.equal(read(path.join(dir, kind), '.env.example'), expected, kind);
      }
      assert.equal(read(path.join(dir, 'puruto-data'), '.env.example').includes('PURUTO_DATA_PATH'), false);
      const registry = JSON.parse(read(path.join(dir, 'puruto-data'), 'registry.json'));
      assert.deepEqual(
        registry.purutos.map((e: Record<string, unknown>) => [e['name'], e['folder'], e['path'], e['kind']]),
        [
          ['puruto-telegram', 'puruto-telegram', '../puruto-telegram', 'puruto-telegram'],
          ['puruto-cron', 'puruto-cron', '../puruto-cron', 'puruto-cron'],
          ['puruto-gateway', 'puruto-gateway', '../puruto-gateway', 'puruto-gateway'],
        ],
      );
      for (const e of registry.purutos) {
        assert.deepEqual(e.commands, ['init', 'help', 'list', 'status']);
        assert.match(e.registered_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.ok(
          fs.existsSync(path.join(dir, 'puruto-data', e.folder, '.gitkeep')),
          `${e.folder}/.gitkeep in the vault`,
        );
      }
      if (HAS_GIT) {
        for (const kind of KINDS)
          assert.equal(
            git(path.join(dir, kind), 'status', '--porcelain'),
            '',
            `${kind}: wiring and registry are in the first commit`,
          );
      }
      assert.match(
        log,
        /puruto-cron\/\.env\.example +PURUTO_DATA_PATH=\.\.\/puruto-data, PURUTO_TELEGRAM_PATH=\.\.\/puruto-telegram/,
      );
      assert.match(log, /puruto-data\/registry\.json +registered puruto-telegram, puruto-cron, puruto-gateway/);
    },
  );

  it(
    'run again, it adds only what is missing and keeps the rest: repos, ' + 'user-edited root files, registry entries',
    async () => {
      const eco = path.join(tempDir(), 'eco');
      const first = await init({ telegram: true, yes: true }, { args: [eco] });
      const telegram = path.join(eco, 'puruto-telegram');
      fs.writeFileSync(path.join(telegram, 'README.md'), 'my own readme\n');
      fs.writeFileSync(path.join(eco, 'AGENTS.md'), '# my rules\n');
      fs.rmSync(path.join(eco, '.claude/skills/upgrade'), { recursive: true });
      const registeredAt = JSON.parse(read(path.join(eco, 'puruto-data'), 'registry.json')).purutos[0].registered_at;
      const dataHead = HAS_GIT ? git(path.join(eco, 'puruto-data'), 'rev-parse', 'HEAD') : '';

      const second = await init({ all: true, yes: true }, { args: [eco], home: first.home });
      assert.equal(read(telegram, 'README.md'), 'my own readme\n', 'a kept repo is not touched');
      assert.equal(read(eco, 'AGENTS.md'), '# my rules\n', 'a user-edited root file is kept');
      assert.ok(fs.existsSync(path.join(eco, '.claude/skills/upgrade/SKILL.md')), 'a missing root file is added back');
      assert.match(second.log, /^ {2}kept +puruto-data +.*already there, not touched$/m);
      assert.match(second.log, /^ {2}kept +puruto-telegram +.*already there, not touched$/m);
      assert.match(second.log, /^ {2}created +puruto-cron /m);
      assert.match(second.log, /^ {2}created +puruto-gateway /m);
      assert.match(second.log, /^ {2}kept +AGENTS\.md$/m);
      assert.match(second.log, /^ {2}created +\.claude\/skills\/upgrade\/SKILL\.md$/m);
      assert.match(second.log, /registered puruto-cron, puruto-gateway; already registered: puruto-telegram/);
      const registry = JSON.parse(read(path.join(eco, 'puruto-data'), 'registry.json'));
      assert.deepEqual(
        registry.purutos.map((e: { name: string }) => e.name),
        ['puruto-telegram', 'puruto-cron', 'puruto-gateway'],
      );
      assert.equal(registry.purutos[0].registered_at, registeredAt, 'the existing entry is kept as it was');
      // The new cron repo points at the telegram repo that was already there.
      assert.match(
        read(path.join(eco, 'puruto-cron'), '.env.example'),
        /^PURUTO_TELEGRAM_PATH=\.\.\/puruto-telegram$/m,
      );
      if (HAS_GIT) {
        assert.equal(
          git(path.join(eco, 'puruto-data'), 'rev-parse', 'HEAD'),
          dataHead,
          'no commit is made in a kept repo',
        );
        assert.match(second.log, /puruto-data: registry\.json gained entries; commit them/);
      }

      const third = await init({ yes: true }, { args: [eco], home: first.home });
      assert.equal((third.log.match(/^ {2}kept +puruto-/gm) ?? []).length, 4, third.log);
      assert.doesNotMatch(third.log, /^ {2}created /m);
      assert.deepEqual(
        JSON.parse(read(path.join(eco, 'puruto-data'), 'registry.json')),
        registry,
        'nothing changes the third time',
      );
    },
  );

  it(
    'a kept vault with a broken registry.json: the new repos are created, the registry is left alone, ' +
      'exit 1 says how to finish',
    async () => {
      const eco = path.join(tempDir(), 'eco');
      const first = await init({ yes: true, git: false }, { args: [eco] });
      fs.writeFileSync(path.join(eco, 'puruto-data', 'registry.json'), '{broken');
      const err = await rejection(init({ gateway: true, yes: true, git: false }, { args: [eco], home: first.home }));
      assert.equal(err.code, 1);
      assert.match(err.message, /registry\.json was not updated: .*not valid JSON.*run puruto init again/);
      assert.equal(read(path.join(eco, 'puruto-data'), 'registry.json'), '{broken');
      assert.ok(fs.existsSync(path.join(eco, 'puruto-gateway', 'app.py')));
      fs.writeFileSync(path.join(eco, 'puruto-data', 'registry.json'), '{"version": "1", "purutos": []}');
      const fixed = await init({ yes: true, git: false }, { args: [eco], home: first.home });
      assert.match(fixed.log, /registered puruto-gateway/);
    },
  );

  it('--no-git: no repository is created anywhere', async () => {
    const { dir, log } = await init({ cron: true, git: false, yes: true }, { args: [path.join(tempDir(), 'eco')] });
    for (const d of [dir, path.join(dir, 'puruto-data'), path.join(dir, 'puruto-cron')])
      assert.equal(fs.existsSync(path.join(d, '.git')), false, d);
    assert.match(log, /valid, not committed \(--no-git\)/);
    assert.deepEqual(
      JSON.parse(read(path.join(dir, 'puruto-data'), 'registry.json')).purutos.map((e: { name: string }) => e.name),
      ['puruto-cron'],
    );
    // Without puruto-telegram, cron keeps its default (no link to a repo that is not there).
    assert.match(read(path.join(dir, 'puruto-cron'), '.env.example'), /^# PURUTO_TELEGRAM_PATH=/m);
  });

  it(
    "git: the user's identity when configured, else the named fallback; " + 'git config is never written',
    async function () {
      if (!HAS_GIT) this.skip();
      const home = tempDir('puruto-home-');
      const plain = await init({ yes: true }, { args: [path.join(tempDir(), 'eco')], home });
      assert.equal(fs.existsSync(path.join(home, '.gitconfig')), false, 'no global config written');
      const data = path.join(plain.dir, 'puruto-data');
      assert.equal(
        fs.existsSync(path.join(data, '.git', 'config')) && /\[user\]/.test(read(data, '.git/config')),
        false,
        'no local identity written',
      );
      assert.equal(
        withEnvHome(home, () => git(data, 'log', '--format=%an <%ae>')),
        `${FALLBACK_IDENTITY.name} <${FALLBACK_IDENTITY.email}>`,
      );
      assert.match(plain.log, /first commits are by "puruto init </);

      const withUser = tempDir('puruto-home-');
      fs.writeFileSync(path.join(withUser, '.gitconfig'), '[user]\n\tname = Ada\n\temail = ada@example.org\n');
      const own = await init({ yes: true }, { args: [path.join(tempDir(), 'eco')], home: withUser });
      assert.equal(git(path.join(own.dir, 'puruto-data'), 'log', '--format=%an <%ae>'), 'Ada <ada@example.org>');
      assert.doesNotMatch(own.log, /fallback/);
    },
  );

  it('asks which kinds to add when interactive and no kind flag was given', async () => {
    const run = await init(
      { interactive: true },
      { args: [path.join(tempDir(), 'eco')], answers: { telegram: true, cron: false, gateway: true } },
    );
    assert.deepEqual(run.asked.sort(), ['cron', 'gateway', 'telegram']);
    assert.deepEqual(
      fs
        .readdirSync(run.dir)
        .filter((n) => n.startsWith('puruto-'))
        .sort(),
      ['puruto-data', 'puruto-gateway', 'puruto-telegram'],
    );
  });

  it('a kind flag means no question, and a kind already there is not asked about', async () => {
    const flagged = await init({ interactive: true, cron: true }, { args: [path.join(tempDir(), 'eco')] });
    assert.deepEqual(flagged.asked, []);
    assert.ok(fs.existsSync(path.join(flagged.dir, 'puruto-cron')));
    const again = await init(
      { interactive: true },
      { args: [flagged.dir], home: flagged.home, answers: { telegram: false, gateway: false } },
    );
    assert.deepEqual(again.asked.sort(), ['gateway', 'telegram']);
  });

  it(
    'refuses before writing anything: the folder is a file or a Puruto, a repo slot is a file (code 1); ' +
      'bad flags (code 2)',
    async () => {
      const d = tempDir();
      fs.writeFileSync(path.join(d, 'file'), 'x');
      const file = await rejection(init({ yes: true }, { args: [path.join(d, 'file')] }));
      assert.equal(file.code, 1);
      assert.match(file.message, /exists and is not a folder: nothing was written/);
      assert.equal(read(d, 'file'), 'x');

      const repo = await generateRepo('app', { name: 'puruto-notes', description: 'Notes', yes: true });
      const before = fs.readdirSync(repo).sort();
      const puruto = await rejection(init({ yes: true }, { args: [repo] }));
      assert.equal(puruto.code, 1);
      assert.match(puruto.message, /is a Puruto repo, not an ecosystem folder/);
      assert.deepEqual(fs.readdirSync(repo).sort(), before);

      const eco = path.join(d, 'eco');
      fs.mkdirSync(eco);
      fs.writeFileSync(path.join(eco, 'puruto-gateway'), 'x');
      const slot = await rejection(init({ all: true, yes: true }, { args: [eco] }));
      assert.equal(slot.code, 1);
      assert.deepEqual(fs.readdirSync(eco), ['puruto-gateway']);

      for (const bad of [{ colour: 'red' }, { telegram: 'maybe' }]) {
        const err = await rejection(init({ yes: true, ...bad }, { args: [path.join(d, 'none')] }));
        assert.equal(err.code, 2, JSON.stringify(bad));
      }
      assert.equal(fs.existsSync(path.join(d, 'none')), false);
    },
  );

  it(
    "the root's skills and rules are valid for agents: skill frontmatter passes the validator, " +
      'the mirror link resolves, CLAUDE.md imports AGENTS.md',
    async () => {
      const { dir } = await init({ yes: true }, { args: [path.join(tempDir(), 'eco')] });
      assert.deepEqual(fs.readdirSync(path.join(dir, '.claude/skills')).sort(), [...ROOT_SKILLS].sort());
      // The root is not a Puruto (no README, no core skills), but its skills must meet the same rules.
      const report = await validateRepo(dir, { strict: true });
      const skillFindings = report.findings.filter(
        (f) => f.path.startsWith('.claude/skills/') && f.code !== 'missing-core-skill',
      );
      assert.deepEqual(skillFindings, []);
      assert.deepEqual(
        report.findings.filter((f) => f.path.startsWith('.agents')),
        [],
      );
      assert.equal(fs.readlinkSync(path.join(dir, '.agents/skills')), path.join('..', '.claude', 'skills'));
      assert.match(read(dir, 'CLAUDE.md'), /^@AGENTS\.md$/m);
      const agents = read(dir, 'AGENTS.md');
      for (const cmd of [
        'puruto new',
        'puruto validate',
        'puruto upgrade <path> --plan',
        'puruto workspace',
        'vault.py register',
      ])
        assert.ok(
          agents.includes(cmd) ||
            read(dir, '.claude/skills/upgrade/SKILL.md').includes(cmd.replace('<path>', '<name>')),
          cmd,
        );
      const ws = read(dir, '.claude/skills/workspace/SKILL.md');
      assert.match(ws, /puruto workspace \. --status/);
      assert.match(ws, /\/workspace <name>/);
      assert.match(JSON.parse(read(dir, '.gemini/settings.json')).context.fileName.join(','), /AGENTS\.md/);
      assert.doesNotMatch(agents + ws, /<%|__[A-Z_]+__/, 'no template leftovers');
    },
  );

  it('--help is generated from the question table', () => {
    const text = InitGenerator.prototype.help.call({} as never);
    for (const q of questions) assert.match(text, new RegExp(`--${q.name}\\b`));
    for (const f of ['yo puruto:init [dir]', '--no-git', '--yes', '(default: ~/purutos)', 'Exit codes'])
      assert.ok(text.includes(f), f);
  });
});

/** Runs fn with HOME set (git reads the identity from it). */
function withEnvHome<T>(home: string, fn: () => T): T {
  const saved = process.env['HOME'];
  process.env['HOME'] = home;
  try {
    return fn();
  } finally {
    process.env['HOME'] = saved;
  }
}
