/**
 * The pristine base is the in-memory rendering (generators/shared/rendering.ts) that
 * `puruto update` re-renders: it must be byte-for-byte what the generators write. Each
 * generation's first commit is that rendering, so a clean `git status` with HEAD at
 * refs/puruto/pristine proves the two agree for every kind and option mix.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateRepo } from '../helpers/generators.js';
import { generatorVersion } from '../../lib/package-version.js';
import { PRISTINE_REF } from '../../lib/update/tree.js';

const git = (dir: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();

const CASES: { key: string; options: Record<string, unknown> }[] = [
  { key: 'app', options: { name: 'puruto-plain', description: 'Plain.', yes: true } },
  {
    key: 'app',
    options: {
      name: 'puruto-full',
      description: 'Full.',
      ipc: true,
      'agent-tests': true,
      skills: 'summarize,call-home',
      db: false,
      yes: true,
    },
  },
  { key: 'app', options: { name: 'puruto-tests', description: 'Tests only.', 'agent-tests': true, yes: true } },
  { key: 'data', options: { yes: true } },
  { key: 'telegram', options: { yes: true } },
  { key: 'cron', options: { yes: true } },
  { key: 'gateway', options: { yes: true } },
];

describe('generation records a pristine base equal to the rendering puruto update uses', () => {
  for (const c of CASES) {
    it(`${c.key} ${JSON.stringify(c.options)}: first commit = ${PRISTINE_REF}, clean tree`, async () => {
      const dir = await generateRepo(c.key, c.options, {}, c.key === 'app' ? undefined : `puruto-${c.key}`);
      assert.equal(git(dir, 'status', '--porcelain', '--untracked-files=all'), '', 'everything generated is committed');
      assert.equal(
        git(dir, 'rev-parse', 'HEAD'),
        git(dir, 'rev-parse', PRISTINE_REF),
        'the first commit is the pristine base itself',
      );
      assert.equal(git(dir, 'rev-list', '--count', 'HEAD'), '1');
      const rc = JSON.parse(readFileSync(path.join(dir, '.yo-rc.json'), 'utf8')) as Record<
        string,
        { generatorVersion?: string }
      >;
      assert.equal(rc['generator-puruto']?.generatorVersion, generatorVersion());
      assert.match(git(dir, 'ls-tree', 'HEAD', '.agents/skills'), /^120000 /, 'the skills link is in the base');
    });
  }

  it('--no-git (git: false) leaves a plain folder', async () => {
    const dir = await generateRepo('app', { name: 'puruto-nogit', description: 'x', yes: true, git: false });
    assert.throws(() =>
      execFileSync('git', ['rev-parse', '--show-toplevel'], {
        cwd: dir,
        stdio: 'pipe',
        env: { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(dir) },
      }),
    );
  });
});
