import assert from 'node:assert/strict';
import { STANDARD_VERSION, VERSION_CHAIN } from '../../lib/standard/version.js';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateRepo, rejection, runGenerator } from '../helpers/generators.js';
import { legacyRepo, snapshot } from '../helpers/tree.js';
import { puruto } from '../helpers/cli.js';

/** The version before the current one: the last migration goes from it to STANDARD_VERSION. */
const PREVIOUS = VERSION_CHAIN.at(-2)!;

/** Files the last migration adds to a repo of that generator (and `.yo-rc.json` follows the version). */
const ADDED: Record<string, string[]> = {
  app: [
    'agent.md',
    'ipc.py',
    'invoker.py',
    'json_schema.py',
    '.puruto-schemas/ipc.schema.json',
    '.claude/skills/call/SKILL.md',
  ],
  data: ['agent.md'],
  telegram: ['agent.md', 'inbox.py', 'telegram_env.py', 'inbox/.gitkeep', '.claude/skills/drain-inbox/SKILL.md'],
  cron: ['agent.md', 'invoker.py'],
  gateway: ['agent.md', 'invoker.py'],
};

describe('yo puruto:upgrade (upgrade generator) and the one source of added files', () => {
  for (const [key, files] of Object.entries(ADDED)) {
    it(
      `${key}: a generated repo taken back to ${PREVIOUS} is upgraded to ` + `exactly what the generator writes`,
      async () => {
        const folder = key === 'app' ? 'puruto-notes' : `puruto-${key}`;
        const options =
          key === 'app'
            ? { name: folder, description: 'Keeps my notes.', ipc: true, yes: true, git: false }
            : { yes: true, git: false };
        const repo = await generateRepo(key, options, {}, folder);
        const generated = snapshot(repo);
        for (const f of files) rmSync(path.join(repo, f));
        writeFileSync(path.join(repo, '.puruto-standard-version'), `${PREVIOUS}\n`);
        const rc = JSON.parse(readFileSync(path.join(repo, '.yo-rc.json'), 'utf8'));
        rc['generator-puruto'].standardVersion = PREVIOUS;
        writeFileSync(path.join(repo, '.yo-rc.json'), `${JSON.stringify(rc, null, 2)}\n`);

        await runGenerator('upgrade', { cwd: repo, options: {} });
        assert.deepEqual(snapshot(repo), generated);
      },
    );
  }

  it('takes a path, --plan and --json like the CLI, and prints the same report', async () => {
    const a = legacyRepo('telegram-0.1.0/puruto-telegram');
    const b = legacyRepo('telegram-0.1.0/puruto-telegram');
    const before = snapshot(a);
    const logged: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (logged.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      await runGenerator('upgrade', { args: [a], options: { plan: true, json: true } });
    } finally {
      process.stdout.write = write;
    }
    assert.deepEqual(snapshot(a), before);
    const viaCli = await puruto(['upgrade', b, '--plan', '--json']);
    assert.deepEqual(JSON.parse(logged.join('')), { ...JSON.parse(viaCli.stdout), path: a });

    await runGenerator('upgrade', { args: [a], options: {} });
    assert.equal(readFileSync(path.join(a, '.puruto-standard-version'), 'utf8'), `${STANDARD_VERSION}\n`);
  });

  it('fails with exit code 1 on a pending --check or a missing path, and 2 on bad flags', async () => {
    const repo = legacyRepo('cron-0.1.0/puruto-cron');
    const pending = await rejection(runGenerator('upgrade', { args: [repo], options: { check: true } }));
    assert.equal(pending.code, 1);
    // the fixture is at 0.1.0
    assert.ok(pending.message.includes(`upgrade pending: 0.1.0 → ${STANDARD_VERSION}`), pending.message);
    const bad = await rejection(runGenerator('upgrade', { args: [repo], options: { targetVersion: 'newest' } }));
    assert.equal(bad.code, 2);
    const unknown = await rejection(runGenerator('upgrade', { args: [repo], options: { frobnicate: true } }));
    assert.equal(unknown.code, 2);
    const missing = await rejection(runGenerator('upgrade', { args: [path.join(repo, 'nope')], options: {} }));
    assert.equal(missing.code, 1);
    assert.match(missing.message, /does not exist/);
  });
});
