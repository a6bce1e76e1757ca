import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { puruto } from '../helpers/cli.js';
import { legacyRepo, snapshot } from '../helpers/tree.js';
import { tempDir } from '../helpers/repo.js';
import { STANDARD_VERSION, VERSION_CHAIN, type Version } from '../../lib/standard/version.js';
import { RUNTIME_DESTS as RUNTIME } from '../helpers/runtime.js';

/** The steps of the chain the legacy fixtures start from (a step is named by the versions it joins). */
const [V0, V1, V2] = VERSION_CHAIN;
/** `s` matched literally inside a RegExp. */
const re = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const kept = (f: string): string => `Kept \`${f}\`: it already exists with other content (not overwritten)`;
const add = (f: string): string => `Add \`${f}\``;
const version = (v: string): string => `Write \`.puruto-standard-version\` = ${v}`;
const GITIGNORE = 'Add `.env` to `.gitignore`';
const RENAME = 'Rename `PURUTO_BOT_TOKEN` to `PURUTO_TELEGRAM_BOT_TOKEN` in `.env.example`';

/** Every legacy fixture: where it starts, the actions of each step, the files it adds. */
const CASES: { fixture: string; kind: string; from: Version; steps: string[][]; added: string[] }[] = [
  {
    fixture: 'standard-0.0.0/puruto-notes',
    kind: 'standard',
    from: V0,
    steps: [
      [GITIGNORE, version(V1)],
      [add('agent.md'), version(V2)],
    ],
    added: ['.puruto-standard-version', 'agent.md'],
  },
  {
    fixture: 'data-0.0.0/puruto-data',
    kind: 'puruto-data',
    from: V0,
    steps: [[version(V1)], [kept('agent.md'), version(V2)]],
    added: [],
  },
  {
    fixture: 'telegram-0.0.0/puruto-telegram',
    kind: 'puruto-telegram',
    from: V0,
    steps: [
      [RENAME, GITIGNORE, version(V1)],
      [
        add('inbox.py'),
        add('telegram_env.py'),
        add('inbox/.gitkeep'),
        add('.claude/skills/drain-inbox/SKILL.md'),
        ...RUNTIME.map(add),
        add('agent.md'),
        version(V2),
      ],
    ],
    added: [
      '.puruto-standard-version',
      'inbox.py',
      'telegram_env.py',
      'inbox/.gitkeep',
      '.claude/skills/drain-inbox/SKILL.md',
      ...RUNTIME,
      'agent.md',
    ],
  },
  {
    fixture: 'telegram-0.1.0/puruto-telegram',
    kind: 'puruto-telegram',
    from: V1,
    steps: [
      [
        add('inbox.py'),
        add('telegram_env.py'),
        add('inbox/.gitkeep'),
        add('.claude/skills/drain-inbox/SKILL.md'),
        ...RUNTIME.map(add),
        kept('agent.md'),
        version(V2),
      ],
    ],
    added: ['inbox.py', 'telegram_env.py', 'inbox/.gitkeep', '.claude/skills/drain-inbox/SKILL.md', ...RUNTIME],
  },
  {
    fixture: 'cron-0.1.0/puruto-cron',
    kind: 'puruto-cron',
    from: V1,
    steps: [[kept('invoker.py'), kept('agent.md'), version(V2)]],
    added: [],
  },
  {
    fixture: 'gateway-0.1.0/puruto-gateway',
    kind: 'puruto-gateway',
    from: V1,
    steps: [
      [
        add('invoker.py'),
        ...RUNTIME.map(add),
        add('agent.md'),
        version(V2),
        `Set \`standardVersion\` = ${V2} in \`.yo-rc.json\``,
      ],
    ],
    added: ['invoker.py', ...RUNTIME, 'agent.md'],
  },
  {
    fixture: 'ipc-0.1.0/puruto-ipc-demo',
    kind: 'standard',
    from: V1,
    steps: [
      [
        add('ipc.py'),
        add('invoker.py'),
        add('json_schema.py'),
        add('.puruto-schemas/ipc.schema.json'),
        kept('.claude/skills/call/SKILL.md'),
        ...RUNTIME.map(add),
        kept('agent.md'),
        version(V2),
      ],
    ],
    added: ['ipc.py', 'invoker.py', 'json_schema.py', '.puruto-schemas/ipc.schema.json', ...RUNTIME],
  },
];

const json = (stdout: string): Record<string, unknown> => JSON.parse(stdout) as Record<string, unknown>;

describe('puruto upgrade on legacy fixtures (plan → dry run → apply → validate → no-op)', () => {
  for (const c of CASES) {
    it(`${c.fixture}: ${c.from} → ${STANDARD_VERSION}`, async () => {
      const repo = legacyRepo(c.fixture);
      const before = snapshot(repo);
      const chain = VERSION_CHAIN.slice(VERSION_CHAIN.indexOf(c.from));
      const plan = chain.slice(1).map((to, i) => ({ from: chain[i], to }));

      const planned = await puruto(['upgrade', repo, '--plan', '--json']);
      assert.equal(planned.code, 0, planned.stderr);
      assert.deepEqual(json(planned.stdout), {
        path: repo,
        current_version: c.from,
        target_version: STANDARD_VERSION,
        dry_run: true,
        plan,
        applied: plan.map((s) => ({ ...s, actions: [] })),
        final_version: c.from,
      });
      assert.deepEqual(snapshot(repo), before, '--plan wrote nothing');

      const dry = await puruto(['upgrade', repo, '--dry-run', '--json']);
      assert.equal(dry.code, 0, dry.stderr);
      const applied = plan.map((s, i) => ({ ...s, actions: c.steps[i] }));
      assert.deepEqual(json(dry.stdout), {
        path: repo,
        current_version: c.from,
        target_version: STANDARD_VERSION,
        dry_run: true,
        plan,
        applied,
        final_version: c.from,
      });
      assert.deepEqual(snapshot(repo), before, '--dry-run wrote nothing');

      const run = await puruto(['upgrade', repo, '--json']);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(json(run.stdout), {
        path: repo,
        current_version: c.from,
        target_version: STANDARD_VERSION,
        dry_run: false,
        plan,
        applied,
        final_version: STANDARD_VERSION,
      });
      const after = snapshot(repo);
      assert.equal(after['.puruto-standard-version'], `${STANDARD_VERSION}\n`);
      const changed = Object.keys(after)
        .filter((f) => after[f] !== before[f])
        .sort();
      const edited = [
        ...(c.steps.flat().includes(GITIGNORE) ? ['.gitignore'] : []),
        ...(c.steps.flat().includes(RENAME) ? ['.env.example'] : []),
        ...(c.fixture.startsWith('gateway') ? ['.yo-rc.json'] : []),
      ];
      assert.deepEqual(
        changed,
        [...new Set([...c.added, ...edited, '.puruto-standard-version'])].sort(),
        'only the files of the actions changed',
      );
      assert.deepEqual(
        Object.keys(before).filter((f) => !(f in after)),
        [],
        'nothing was deleted',
      );

      const valid = await puruto(['validate', repo, '--json']);
      assert.equal(valid.code, 0, valid.stdout);
      assert.equal(json(valid.stdout)['kind'], c.kind);

      const again = await puruto(['upgrade', repo, '--json']);
      assert.equal(again.code, 0);
      assert.deepEqual(json(again.stdout), {
        path: repo,
        current_version: STANDARD_VERSION,
        target_version: STANDARD_VERSION,
        dry_run: false,
        plan: [],
        applied: [],
        final_version: STANDARD_VERSION,
      });
      assert.deepEqual(snapshot(repo), after, 'the second run is a no-op');
      const check = await puruto(['upgrade', repo, '--check']);
      assert.equal(check.code, 0);
      assert.match(check.stdout, /nothing to do/);
    });
  }

  it('in-place edits touch only their line; user-edited files survive byte for byte', async () => {
    const tg = legacyRepo('telegram-0.0.0/puruto-telegram');
    const env = readFileSync(path.join(tg, '.env.example'), 'utf8');
    assert.equal((await puruto(['upgrade', tg])).code, 0);
    assert.equal(
      readFileSync(path.join(tg, '.env.example'), 'utf8'),
      env.replace('PURUTO_BOT_TOKEN=', 'PURUTO_TELEGRAM_BOT_TOKEN='),
    );
    assert.equal(readFileSync(path.join(tg, '.gitignore'), 'utf8'), '__pycache__/\ndb/*.db\n.env\n');

    const notes = legacyRepo('standard-0.0.0/puruto-notes');
    assert.equal((await puruto(['upgrade', notes])).code, 0);
    // the file had no final newline: the new line goes on a line of its own
    assert.equal(readFileSync(path.join(notes, '.gitignore'), 'utf8'), '# Python\n__pycache__/\ndb/*.db\n.env\n');

    const cron = legacyRepo('cron-0.1.0/puruto-cron');
    const own = readFileSync(path.join(cron, 'invoker.py'), 'utf8');
    const agent = readFileSync(path.join(cron, 'agent.md'), 'utf8');
    const r = await puruto(['upgrade', cron]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Kept `invoker.py`/);
    assert.equal(readFileSync(path.join(cron, 'invoker.py'), 'utf8'), own);
    assert.equal(readFileSync(path.join(cron, 'agent.md'), 'utf8'), agent);
  });

  it('renders added files with the answers recorded in .yo-rc.json, else with values read from the repo', async () => {
    const gw = legacyRepo('gateway-0.1.0/puruto-gateway');
    assert.equal((await puruto(['upgrade', gw])).code, 0);
    const agent = readFileSync(path.join(gw, 'agent.md'), 'utf8');
    assert.match(
      agent,
      /^# puruto-gateway — agent rules\n\nThe REST door to my Purutos, recorded by the generator\.\n/,
    );
    assert.equal(
      JSON.parse(readFileSync(path.join(gw, '.yo-rc.json'), 'utf8'))['generator-puruto'].standardVersion,
      STANDARD_VERSION,
    );

    const notes = legacyRepo('standard-0.0.0/puruto-notes');
    assert.equal((await puruto(['upgrade', notes])).code, 0);
    assert.match(
      readFileSync(path.join(notes, 'agent.md'), 'utf8'),
      /^# puruto-notes — agent rules\n\nKeeps my reading notes and answers questions about them\.\n/,
    );
    const tg = legacyRepo('telegram-0.1.0/puruto-telegram');
    assert.equal((await puruto(['upgrade', tg])).code, 0);
    assert.match(readFileSync(path.join(tg, '.claude/skills/drain-inbox/SKILL.md'), 'utf8'), /^name: drain-inbox$/m);
    assert.doesNotMatch(readFileSync(path.join(tg, '.claude/skills/drain-inbox/SKILL.md'), 'utf8'), /<%|__[A-Z_]+__/);
  });

  it('--target-version stops part way, and a later run finishes the chain', async () => {
    const repo = legacyRepo('telegram-0.0.0/puruto-telegram');
    const first = await puruto(['upgrade', repo, '--target-version', V1, '--json']);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(json(first.stdout)['plan'], [{ from: V0, to: V1 }]);
    assert.equal(json(first.stdout)['final_version'], V1);
    assert.equal(readFileSync(path.join(repo, '.puruto-standard-version'), 'utf8'), `${V1}\n`);
    assert.ok(!snapshot(repo)['inbox.py']);
    const check = await puruto(['upgrade', repo, '--check']);
    assert.equal(check.code, 1);
    assert.match(
      check.stdout,
      new RegExp(`Upgrade pending: the repo is at ${re(V1)}, the target is ${re(STANDARD_VERSION)}`),
    );
    assert.match(check.stdout, /Add `inbox.py`/);
    const second = await puruto(['upgrade', repo, '--json']);
    assert.deepEqual(json(second.stdout)['plan'], [{ from: V1, to: V2 }]);
  });

  it('--check --json prints the dry-run report, exits 1 and says why on stderr', async () => {
    const repo = legacyRepo('cron-0.1.0/puruto-cron');
    const before = snapshot(repo);
    const r = await puruto(['upgrade', repo, '--check', '--json']);
    assert.equal(r.code, 1);
    assert.equal(json(r.stdout)['dry_run'], true);
    assert.match(r.stderr, /Upgrade pending/);
    assert.deepEqual(snapshot(repo), before);
  });

  it('refuses a git repo with uncommitted changes unless --allow-dirty; --plan still works', async () => {
    const repo = legacyRepo('standard-0.0.0/puruto-notes');
    const git = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd: repo,
        encoding: 'utf8',
      });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'legacy');
    writeFileSync(path.join(repo, 'README.md'), '# Notes\n\nchanged but not committed\n');
    const before = snapshot(repo);
    const refused = await puruto(['upgrade', repo, '--json']);
    assert.equal(refused.code, 1);
    assert.equal(refused.stdout, '', 'no JSON on failure');
    assert.match(
      refused.stderr,
      /uncommitted changes \(M README\.md\); commit or stash them first .* or pass --allow-dirty/,
    );
    assert.deepEqual(snapshot(repo), before);
    assert.equal((await puruto(['upgrade', repo, '--plan'])).code, 0);
    const forced = await puruto(['upgrade', repo, '--allow-dirty', '--json']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(json(forced.stdout)['final_version'], STANDARD_VERSION);

    // a clean tree is upgraded without the flag
    const clean = legacyRepo('telegram-0.1.0/puruto-telegram');
    execFileSync('git', ['init', '-q'], { cwd: clean });
    execFileSync(
      'git',
      ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'x', '--allow-empty'],
      { cwd: clean },
    );
    execFileSync('git', ['add', '-A'], { cwd: clean });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'legacy'], {
      cwd: clean,
    });
    assert.equal((await puruto(['upgrade', clean])).code, 0);
  });

  it('applies all steps or none: a blocked file fails the run and leaves the repo as it was', async () => {
    const repo = legacyRepo('telegram-0.0.0/puruto-telegram');
    writeFileSync(path.join(repo, 'inbox'), 'a file where the inbox folder must go\n');
    const before = snapshot(repo);
    const r = await puruto(['upgrade', repo, '--json']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /cannot write inbox\/\.gitkeep: inbox exists and is not a folder; move it away/);
    assert.deepEqual(snapshot(repo), before, `step ${V0} → ${V1} was not written either`);
  });

  it('errors: no such path or not a Puruto → exit 1 without JSON; no supported path → 1; bad flags → 2', async () => {
    const missing = await puruto(['upgrade', path.join(tempDir(), 'nope'), '--json']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, /does not exist; give the path of a Puruto/);

    const empty = await puruto(['upgrade', tempDir(), '--json']);
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /does not look like a Puruto/);

    const repo = legacyRepo('cron-0.1.0/puruto-cron');
    const unknown = await puruto(['upgrade', repo, '--target-version', '0.9.0', '--json']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stdout, '');
    assert.match(
      unknown.stderr,
      new RegExp(
        `no supported migration path .*the target version 0\\.9\\.0 is not one upgrade knows ` +
          `\\(${re(VERSION_CHAIN.join(', '))}\\)`,
      ),
    );
    const down = await puruto(['upgrade', repo, '--target-version', V0]);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /downgrades are not supported/);
    writeFileSync(path.join(repo, '.puruto-standard-version'), '7.0.0\n');
    const future = await puruto(['upgrade', repo]);
    assert.equal(future.code, 1);
    assert.match(future.stderr, /its standard version "7\.0\.0" is not one upgrade knows/);

    for (const argv of [
      ['--frobnicate'],
      ['--target-version', 'latest'],
      ['--target-version'],
      ['--plan=yes'],
      ['a', 'b'],
    ]) {
      const r = await puruto(['upgrade', ...argv]);
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /puruto upgrade: .*\nRun `puruto upgrade --help`/);
    }
    const help = await puruto(['upgrade', '--help']);
    assert.equal(help.code, 0);
    for (const flag of ['--target-version', '--plan', '--dry-run', '--json', '--check', '--allow-dirty'])
      assert.match(help.stdout, new RegExp(flag));
  });

  it('the human output lists each step and its actions, and the next command', async () => {
    const repo = legacyRepo('gateway-0.1.0/puruto-gateway');
    const plan = await puruto(['upgrade', '--plan'], repo);
    assert.match(
      plan.stdout,
      new RegExp(
        `^Plan for .*puruto-gateway \\(puruto-gateway\\): ${re(V1)} → ${re(STANDARD_VERSION)}\\n` +
          ` {2}${re(V1)} → ${re(V2)}\\nNothing written \\(--plan\\)`,
      ),
    );
    const run = await puruto(['upgrade'], repo);
    assert.match(run.stdout, / {4}- Add `invoker.py`\n/);
    assert.match(run.stdout, new RegExp(`Now at ${re(STANDARD_VERSION)}\\. Next: puruto validate `));
  });
});
