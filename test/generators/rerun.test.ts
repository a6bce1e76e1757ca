import assert from 'node:assert/strict';
import fs, { appendFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { generateRepo, recordOf, rejection, runGenerator, tempDir, withHome } from '../helpers/generators.js';
import { puruto } from '../helpers/cli.js';
import { snapshot } from '../helpers/tree.js';
import { validateRepo } from '../../lib/validate/index.js';

/** Issue 13 item 2: `yo puruto` / `puruto new` inside a Puruto work on that repo. */
const BASE = { name: 'puruto-notes', description: 'Keeps notes.', yes: true };
const rerun = (
  cwd: string,
  options: Record<string, unknown> = {},
  extra: { answers?: Record<string, unknown>; args?: string[] } = {},
) =>
  // yeoman-test passes --force by default: a re-run here says it when it means it.
  withHome(tempDir('puruto-home-'), () =>
    runGenerator('app', { cwd, options: { force: false, ...options }, ...extra }),
  );

/** The stored answers (a kept file's hash stays the generator's, so recordOf's check does not apply). */
const answersOf = (dir: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(dir, '.yo-rc.json'), 'utf8'))['generator-puruto'].answers;

/** The tree without .yo-rc.json's hashes (compared separately) for "same as a fresh repo" checks. */
function tree(dir: string): Record<string, string> {
  const t = snapshot(dir);
  t['.yo-rc.json'] = JSON.stringify(recordOf(dir));
  return t;
}

describe('re-running the generator inside a Puruto', () => {
  it(
    'from a folder below the root, adds skills, IPC and agent tests: ' +
      'the repo equals a fresh one with all the answers, nothing nested',
    async () => {
      const dir = await generateRepo('app', BASE);
      await rerun(path.join(dir, '.claude', 'skills'), { skills: 'todo', ipc: true, 'agent-tests': true });
      assert.deepEqual(readdirSync(path.dirname(dir)), ['puruto-notes'], 'no second repo beside it');
      assert.equal(
        existsSync(path.join(dir, '.claude', 'skills', 'puruto-notes')),
        false,
        'nothing nested below the cwd',
      );
      assert.equal(existsSync(path.join(dir, 'puruto-notes')), false);
      const fresh = await generateRepo('app', { ...BASE, skills: 'todo', ipc: true, 'agent-tests': true });
      assert.deepEqual(tree(dir), tree(fresh));
      assert.deepEqual(answersOf(dir), {
        name: 'puruto-notes',
        description: BASE.description,
        db: true,
        skills: ['todo'],
        ipc: true,
        'agent-tests': true,
      });
      assert.equal((await validateRepo(dir, { strict: true })).ok, true);
    },
  );

  it(
    'the stored answers are the defaults: a plain re-run changes nothing; ' +
      'given skills are added to the stored ones',
    async () => {
      const dir = await generateRepo('app', { ...BASE, skills: 'a' });
      const before = snapshot(dir);
      await rerun(dir);
      assert.deepEqual(snapshot(dir), before);
      await rerun(dir, { skills: 'b' });
      assert.deepEqual((recordOf(dir) as { answers: { skills: string[] } }).answers.skills, ['a', 'b']);
      assert.ok(
        existsSync(path.join(dir, '.claude/skills/a/SKILL.md')) &&
          existsSync(path.join(dir, '.claude/skills/b/SKILL.md')),
      );
    },
  );

  it(
    'a file the user changed is never overwritten silently: ' +
      'without a terminal the run refuses naming it and writes nothing',
    async () => {
      const dir = await generateRepo('app', BASE);
      appendFileSync(path.join(dir, 'AGENTS.md'), '\nMy own rule.\n');
      const before = snapshot(dir);
      const e = await rejection(rerun(dir, { skills: 'todo', interactive: false }));
      assert.equal(e.code, 1);
      assert.match(
        e.message,
        /changed since the generator wrote it and would be replaced: AGENTS\.md\. Nothing was written\. Pass --force .*--skip-existing/,
      );
      assert.deepEqual(snapshot(dir), before, 'not one file written');
    },
  );

  it('--skip-existing keeps the changed file (the rest is added); --force overwrites it', async () => {
    const dir = await generateRepo('app', BASE);
    appendFileSync(path.join(dir, 'AGENTS.md'), '\nMy own rule.\n');
    const mine = readFileSync(path.join(dir, 'AGENTS.md'), 'utf8');
    await rerun(dir, { skills: 'todo', 'skip-existing': true });
    assert.equal(readFileSync(path.join(dir, 'AGENTS.md'), 'utf8'), mine);
    assert.ok(existsSync(path.join(dir, '.claude/skills/todo/SKILL.md')));
    await rerun(dir, { force: true });
    const fresh = await generateRepo('app', { ...BASE, skills: 'todo' });
    assert.equal(
      readFileSync(path.join(dir, 'AGENTS.md'), 'utf8'),
      readFileSync(path.join(fresh, 'AGENTS.md'), 'utf8'),
    );
  });

  it('kept README.md still gets the IPC section when IPC is added (the merge only adds)', async () => {
    const dir = await generateRepo('app', BASE);
    appendFileSync(path.join(dir, 'README.md'), '\nMy notes about notes.\n');
    await rerun(dir, { ipc: true, 'skip-existing': true });
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    assert.match(readme, /My notes about notes\./);
    assert.match(readme, /^## IPC \(delegation to other Purutos\)$/m);
    assert.ok(existsSync(path.join(dir, 'ipc.py')));
  });

  it(
    'in a terminal: the conflict is asked before anything is written (keep / overwrite), ' +
      "and the stored answers are the prompts' defaults",
    async () => {
      const dir = await generateRepo('app', BASE);
      appendFileSync(path.join(dir, 'AGENTS.md'), '\nMy own rule.\n');
      const mine = readFileSync(path.join(dir, 'AGENTS.md'), 'utf8');
      // Unanswered prompts take their default: the stored description, db on (not asked), no ipc ...
      await rerun(dir, { interactive: true }, { answers: { skills: 'todo', action: 'keep' } });
      assert.equal(readFileSync(path.join(dir, 'AGENTS.md'), 'utf8'), mine);
      assert.equal(answersOf(dir)['description'], BASE.description);
      assert.deepEqual(answersOf(dir)['skills'], ['todo']);
      await rerun(dir, { interactive: true }, { answers: { action: 'overwrite' } });
      assert.doesNotMatch(readFileSync(path.join(dir, 'AGENTS.md'), 'utf8'), /My own rule/);
      appendFileSync(path.join(dir, 'AGENTS.md'), '\nAgain.\n');
      const before = snapshot(dir);
      const e = await rejection(
        rerun(dir, { interactive: true }, { answers: { skills: 'todo,other', action: 'abort' } }),
      );
      assert.deepEqual(snapshot(dir), before, 'abort writes nothing, not even the new skill');
      assert.match(e.message, /^aborted at AGENTS\.md: nothing was written$/);
    },
  );

  it('yo puruto:ipc run alone records ipc in the answers, so a later re-run keeps its files and sections', async () => {
    const dir = await generateRepo('app', BASE);
    await withHome(tempDir('puruto-home-'), () => runGenerator('ipc', { cwd: dir }));
    assert.equal(answersOf(dir)['ipc'], true);
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    await rerun(dir, { skills: 'todo', 'skip-existing': true });
    assert.ok(
      readFileSync(path.join(dir, 'README.md'), 'utf8').startsWith(readme.trimEnd()),
      'README kept, IPC section and all',
    );
    assert.equal(readFileSync(path.join(dir, 'README.md'), 'utf8').match(/^## IPC/gm)?.length, 1);
    assert.match(readFileSync(path.join(dir, 'AGENTS.md'), 'utf8'), /ipc|\/call/i);
  });

  it('refuses a rename, turning an option off, and a generator of another kind, writing nothing', async () => {
    const dir = await generateRepo('app', { ...BASE, ipc: true });
    const before = snapshot(dir);
    const renamed = await rejection(rerun(dir, {}, { args: ['puruto-other'] }));
    assert.equal(renamed.code, 1);
    assert.match(
      renamed.message,
      /inside the Puruto puruto-notes .* keeps its name, so "puruto-other" cannot be given here.*--destination DIR/,
    );
    const off = await rejection(rerun(dir, { ipc: false }));
    assert.match(off.message, /--ipc is already on in .* a re-run only adds/);
    const other = await rejection(
      withHome(tempDir('puruto-home-'), () => runGenerator('data', { cwd: dir, options: { yes: true } })),
    );
    assert.equal(other.code, 1);
    assert.match(
      other.message,
      /is a Puruto of kind standard .* Run `puruto new` here to add to it, or run this one outside the repo \(or with --destination DIR\)/,
    );
    assert.deepEqual(snapshot(dir), before);
  });

  it('--destination still makes a new repo elsewhere, even from inside a Puruto', async () => {
    const dir = await generateRepo('app', BASE);
    const dest = path.join(tempDir(), 'puruto-second');
    await rerun(path.join(dir, '.claude'), { name: 'puruto-second', description: 'Another.', destination: dest });
    assert.equal((recordOf(dest) as { answers: { name: string } }).answers.name, 'puruto-second');
    assert.equal((recordOf(dir) as { answers: { name: string } }).answers.name, 'puruto-notes');
  });

  it('an ecosystem kind re-run (puruto:cron inside puruto-cron) keeps its repo and adds nothing twice', async () => {
    const dir = await generateRepo('cron', { yes: true });
    const before = snapshot(dir);
    await withHome(tempDir('puruto-home-'), () =>
      runGenerator('cron', { cwd: path.join(dir, 'db'), options: { yes: true } }),
    );
    assert.deepEqual(snapshot(dir), before);
  });
});

/**
 * Issue 19 item 5: a re-run never writes through a symbolic link that leaves the repo. The
 * links are made last, inside the test's own temp folders, pointing into another temp
 * folder of the test; the test never writes through them. Run through `puruto new` in the repo.
 */
describe('re-running `puruto new` inside a Puruto: never through a link out of the repo', () => {
  const newIn = (dir: string, args: string[]) => withHome(tempDir('puruto-home-'), () => puruto(['new', ...args], dir));

  /** A fresh repo, an outside folder (another temp folder), and `link(dir, outside)` made last. */
  async function linked(link: (dir: string, outside: string) => void, options: Record<string, unknown> = {}) {
    const dir = await generateRepo('app', { ...BASE, ...options });
    const outside = tempDir('puruto-outside-');
    link(dir, outside);
    return { dir, outside, before: snapshot(dir), outsideBefore: snapshot(outside) };
  }

  /** Refused (exit 1) naming `rel` and the link, nothing written in the repo or outside it. */
  function refused(
    r: { code: number; stdout: string; stderr: string },
    c: { dir: string; outside: string; before: Record<string, string>; outsideBefore: Record<string, string> },
    rel: string,
    link: string,
  ): void {
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const at = (s: string) => s.replaceAll('.', '\\.');
    assert.match(
      r.stderr,
      new RegExp(`cannot write ${at(rel)}: ${at(link)} is a symbolic link to .*puruto-outside-.*outside the repo`),
    );
    assert.match(r.stderr, /Nothing was written/);
    assert.deepEqual(snapshot(c.dir), c.before, 'nothing written in the repo');
    assert.deepEqual(snapshot(c.outside), c.outsideBefore, 'nothing written outside');
  }

  it('a dangling link where the re-run adds a file: refused, the outside file not created', async () => {
    const c = await linked((dir, outside) => {
      fs.mkdirSync(path.join(dir, '.claude/skills/todo'));
      fs.symlinkSync(path.join(outside, 'SKILL.md'), path.join(dir, '.claude/skills/todo/SKILL.md'));
    });
    refused(
      await newIn(c.dir, ['--skills', 'todo', '--yes']),
      c,
      '.claude/skills/todo/SKILL.md',
      '.claude/skills/todo/SKILL.md',
    );
    assert.equal(existsSync(path.join(c.outside, 'SKILL.md')), false);
  });

  it('a skill folder linked outside: refused, no SKILL.md written there', async () => {
    const c = await linked((dir, outside) => {
      fs.mkdirSync(path.join(outside, 'todo'));
      fs.symlinkSync(path.join(outside, 'todo'), path.join(dir, '.claude/skills/todo'));
    });
    refused(
      await newIn(c.dir, ['--skills', 'todo', '--yes']),
      c,
      '.claude/skills/todo/SKILL.md',
      '.claude/skills/todo',
    );
    assert.deepEqual(readdirSync(path.join(c.outside, 'todo')), []);
  });

  it('--force and AGENTS.md linked to an outside file the user changed: refused, not overwritten', async () => {
    const c = await linked((dir, outside) => {
      fs.writeFileSync(
        path.join(outside, 'AGENTS.md'),
        `${readFileSync(path.join(dir, 'AGENTS.md'), 'utf8')}\nMine.\n`,
      );
      fs.rmSync(path.join(dir, 'AGENTS.md'));
      fs.symlinkSync(path.join(outside, 'AGENTS.md'), path.join(dir, 'AGENTS.md'));
    });
    refused(await newIn(c.dir, ['--skills', 'todo', '--force', '--yes']), c, 'AGENTS.md', 'AGENTS.md');
  });

  it('AGENTS.md linked to an outside file with the generated bytes: refused before anything is written', async () => {
    const c = await linked((dir, outside) => {
      fs.copyFileSync(path.join(dir, 'AGENTS.md'), path.join(outside, 'AGENTS.md'));
      fs.rmSync(path.join(dir, 'AGENTS.md'));
      fs.symlinkSync(path.join(outside, 'AGENTS.md'), path.join(dir, 'AGENTS.md'));
    });
    refused(await newIn(c.dir, ['--skills', 'todo', '--yes']), c, 'AGENTS.md', 'AGENTS.md');
  });

  it('an add-on run alone (puruto new ipc) with README.md linked outside: refused, nothing written', async () => {
    const c = await linked((dir, outside) => {
      fs.copyFileSync(path.join(dir, 'README.md'), path.join(outside, 'README.md'));
      fs.rmSync(path.join(dir, 'README.md'));
      fs.symlinkSync(path.join(outside, 'README.md'), path.join(dir, 'README.md'));
    });
    refused(await newIn(c.dir, ['ipc']), c, 'README.md', 'README.md');
  });

  it("an add-on's skill folder linked outside (not planned again, recorded in fileHashes): refused", async () => {
    const c = await linked(
      (dir, outside) => {
        fs.cpSync(path.join(dir, '.claude/skills/call'), path.join(outside, 'call'), { recursive: true });
        fs.rmSync(path.join(dir, '.claude/skills/call'), { recursive: true });
        fs.symlinkSync(path.join(outside, 'call'), path.join(dir, '.claude/skills/call'));
      },
      { ipc: true },
    );
    refused(
      await newIn(c.dir, ['--skills', 'todo', '--yes']),
      c,
      '.claude/skills/call/SKILL.md',
      '.claude/skills/call',
    );
  });

  it('a skill folder linked outside that the re-run would leave unchanged: refused all the same', async () => {
    // Not read through the link, and no half-written repo left to fail validation on.
    const c = await linked(
      (dir, outside) => {
        fs.cpSync(path.join(dir, '.claude/skills/notes'), path.join(outside, 'notes'), { recursive: true });
        fs.rmSync(path.join(dir, '.claude/skills/notes'), { recursive: true });
        fs.symlinkSync(path.join(outside, 'notes'), path.join(dir, '.claude/skills/notes'));
      },
      { skills: 'notes' },
    );
    refused(
      await newIn(c.dir, ['--skills', 'todo', '--yes']),
      c,
      '.claude/skills/notes/SKILL.md',
      '.claude/skills/notes',
    );
    assert.equal(existsSync(path.join(c.dir, '.claude/skills/todo')), false, 'not even the new skill');
  });
});

/** Issue 19 item 6: a re-run keeps the permission bits the user gave a generated file. */
describe("re-running `puruto new` inside a Puruto: file modes are the user's", () => {
  const newIn = (dir: string, args: string[]) => withHome(tempDir('puruto-home-'), () => puruto(['new', ...args], dir));
  const modeOf = (dir: string, rel: string): string => (fs.statSync(path.join(dir, rel)).mode & 0o7777).toString(8);

  it('unchanged, updated, overwritten (--force) files and .yo-rc.json keep 0600 / 0755 / 0640', async () => {
    const dir = await generateRepo('app', BASE);
    appendFileSync(path.join(dir, 'agent.md'), '\nMine.\n');
    const modes: Record<string, number> = {
      'CLAUDE.md': 0o600, // unchanged by the re-run
      '.gitignore': 0o755, // unchanged
      'AGENTS.md': 0o600, // updated (the new skill is listed)
      'README.md': 0o755, // updated
      '.claude/skills/help/SKILL.md': 0o640, // updated
      'agent.md': 0o600, // changed by the user: overwritten with --force
      '.yo-rc.json': 0o600, // the generator's record, rewritten last
    };
    for (const [rel, m] of Object.entries(modes)) fs.chmodSync(path.join(dir, rel), m);
    const r = await newIn(dir, ['--skills', 'todo', '--force', '--yes']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(readFileSync(path.join(dir, 'AGENTS.md'), 'utf8'), /\/todo/, 'AGENTS.md was updated');
    assert.doesNotMatch(readFileSync(path.join(dir, 'agent.md'), 'utf8'), /Mine\./, 'agent.md was overwritten');
    for (const [rel, m] of Object.entries(modes)) assert.equal(modeOf(dir, rel), m.toString(8), rel);
  });

  it('an executable generated file the user made 0700 stays 0700 when updated', async () => {
    const dir = await generateRepo('cron', { yes: true });
    const run = path.join(dir, 'run');
    assert.equal(fs.statSync(run).mode & 0o111, 0o111, 'run is generated executable');
    appendFileSync(run, '# mine\n');
    fs.chmodSync(run, 0o700);
    const r = await newIn(dir, ['cron', '--force', '--yes']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(readFileSync(run, 'utf8'), /# mine/, 'run was overwritten');
    assert.equal(modeOf(dir, 'run'), '700');
  });
});
