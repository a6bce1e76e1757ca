/**
 * Existing repos follow (issue 18, item 8): repos made by the release before the runtime
 * package (generator-puruto at d40c081: one 1,401-line invoker.py, json_schema.py, .flake8)
 * reach the package layout through `puruto update`. The fixtures are git bundles of a real
 * `puruto init --all` ecosystem plus `puruto new puruto-notes --ipc --agent-tests` made by that
 * release, pristine base included (test/fixtures/update/release-0.1.0-d40c081). A user edit
 * is committed first; update must bring the vendored package and the thin entry files, keep
 * the edit, and leave a repo whose own code runs.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { puruto } from '../helpers/cli.js';
import { tempDir } from '../helpers/generators.js';
import { PYTHON, py } from '../helpers/python.js';
import { INVOKER_TEMPLATE } from '../../generators/ipc/files.js';
import { RUNTIME_DIR, RUNTIME_PACKAGE, runtimeModules } from '../../generators/shared/runtime-files.js';
import { PRISTINE_REF } from '../../lib/update/tree.js';
import { git } from '../helpers/git.js';

const BUNDLES = fileURLToPath(new URL('../fixtures/update/release-0.1.0-d40c081/', import.meta.url));

/** The repo of `bundle` checked out under `eco`, its pristine base fetched too. */
function restore(eco: string, name: string): string {
  const dir = path.join(eco, name);
  execFileSync('git', ['clone', '-q', path.join(BUNDLES, `${name}.bundle`), dir], { stdio: 'pipe' });
  git(dir, 'fetch', '-q', path.join(BUNDLES, `${name}.bundle`), 'refs/puruto/*:refs/puruto/*');
  git(dir, 'remote', 'remove', 'origin');
  return dir;
}

const USER_LINE = 'My own note: this repo runs on the kitchen laptop.';

/** The user's edit: a line of their own right under the README's title (a region no release rewrites). */
function addNote(readme: string): void {
  const [title, ...rest] = fs.readFileSync(readme, 'utf8').split('\n');
  fs.writeFileSync(readme, [title, '', USER_LINE, ...rest].join('\n'));
}

const REPOS: { name: string; invoker: boolean; suite: boolean }[] = [
  { name: 'puruto-notes', invoker: true, suite: false },
  { name: 'puruto-data', invoker: false, suite: false },
  { name: 'puruto-cron', invoker: true, suite: true },
  { name: 'puruto-gateway', invoker: true, suite: true },
  { name: 'puruto-telegram', invoker: true, suite: false },
];

describe('puruto update: a repo of the previous release reaches the runtime package layout', function () {
  this.timeout(600_000);
  const eco = path.join(tempDir('puruto-release-layout-'), 'purutos');

  before(() => {
    fs.mkdirSync(eco, { recursive: true });
    for (const { name } of REPOS) restore(eco, name);
  });

  for (const { name, invoker, suite } of REPOS) {
    it(`${name}: the package arrives, the entry files are thin, the user's edit stays`, async () => {
      const dir = path.join(eco, name);
      // The previous release's layout: no package, the monolithic invoker, flake8's config.
      assert.equal(fs.existsSync(path.join(dir, RUNTIME_PACKAGE)), false);
      assert.ok(fs.existsSync(path.join(dir, '.flake8')));
      if (invoker) assert.ok(fs.readFileSync(path.join(dir, 'invoker.py'), 'utf8').split('\n').length > 1000);
      const before = git(dir, 'rev-parse', PRISTINE_REF);

      addNote(path.join(dir, 'README.md'));
      git(dir, 'commit', '-qam', 'My note');

      const r = await puruto(['update', dir]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /updated/);

      for (const rel of runtimeModules()) {
        assert.deepEqual(
          fs.readFileSync(path.join(dir, RUNTIME_PACKAGE, rel)),
          fs.readFileSync(path.join(RUNTIME_DIR, rel)),
          `${RUNTIME_PACKAGE}/${rel}`,
        );
      }
      if (invoker)
        assert.equal(fs.readFileSync(path.join(dir, 'invoker.py'), 'utf8'), fs.readFileSync(INVOKER_TEMPLATE, 'utf8'));
      assert.ok(
        fs.readFileSync(path.join(dir, 'README.md'), 'utf8').split('\n').includes(USER_LINE),
        'the edit is kept',
      );
      assert.equal(fs.existsSync(path.join(dir, '.flake8')), false, '.flake8 went with the old rendering');
      assert.ok(fs.existsSync(path.join(dir, '.ruff.toml')));
      assert.equal(git(dir, 'status', '--porcelain'), '', 'the update is committed');
      assert.notEqual(git(dir, 'rev-parse', PRISTINE_REF), before, 'the base moved to this rendering');
      git(dir, 'merge-base', '--is-ancestor', PRISTINE_REF, 'HEAD'); // throws when the branch has not joined it

      const valid = await puruto(['validate', dir, '--strict']);
      assert.equal(valid.code, 0, valid.stdout + valid.stderr);

      // The package is what runs now: the entry answers through it.
      if (invoker) {
        const facts = py(['invoker.py', '--adapters'], dir, { PYTHONDONTWRITEBYTECODE: '1' });
        assert.equal(facts.status, 0, facts.stderr);
        const names = (JSON.parse(facts.stdout) as { name: string }[]).map((f) => f.name);
        assert.ok(names.includes('claude') && names.includes('stub'), facts.stdout);
      }
      if (suite) {
        const t = py(['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'], dir);
        assert.equal(t.status, 0, `${PYTHON}\n${t.stdout}\n${t.stderr}`);
      }
    });
  }
});
