import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { puruto } from '../helpers/cli.js';
import { runGenerator, tempDir, withHome } from '../helpers/generators.js';

async function generated(ws: string, name: string): Promise<string> {
  const dest = path.join(ws, name);
  await withHome(tempDir(), async () =>
    runGenerator('app', { options: { name, description: `The ${name} Puruto`, yes: true, destination: dest } }),
  );
  return dest;
}

describe('puruto validate', () => {
  let ws: string;
  let repo: string;
  before(async () => {
    ws = tempDir('puruto-ws-');
    repo = await generated(ws, 'puruto-one');
    await generated(ws, 'puruto-two');
  });

  it('prints the SPEC §4 JSON with exit 0 on a valid repo', async () => {
    const r = await puruto(['validate', repo, '--json', '--strict']);
    assert.equal(r.code, 0);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(json), ['path', 'kind', 'ok', 'errors', 'warnings', 'findings']);
    assert.deepEqual(json, { path: repo, kind: 'standard', ok: true, errors: 0, warnings: 0, findings: [] });
  });

  it('defaults to the current folder and prints kind and a summary line', async () => {
    const r = await puruto(['validate'], repo);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /kind: standard/);
    assert.match(r.stdout, /0 errors, 0 warnings/);
  });

  it('exits 1 with the finding when a core skill is missing', async () => {
    const broken = await generated(tempDir(), 'puruto-broken');
    rmSync(path.join(broken, '.claude/skills/status'), { recursive: true });
    const r = await puruto(['validate', broken, '--json']);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout);
    assert.equal(json.ok, false);
    assert.ok(
      json.findings.some(
        (f: { code: string; path: string }) =>
          f.code === 'missing-core-skill' && f.path === '.claude/skills/status/SKILL.md',
      ),
    );
    const human = await puruto(['validate', broken]);
    assert.equal(human.code, 1);
    assert.match(human.stdout, /missing-core-skill/);
  });

  it('--strict turns our warnings into errors', async () => {
    const r0 = await generated(tempDir(), 'puruto-placeholder');
    writeFileSync(path.join(r0, 'NOTES.md'), 'fill __TODO_VALUE__ in\n');
    const lax = JSON.parse((await puruto(['validate', r0, '--json'])).stdout);
    assert.equal(lax.ok, true);
    assert.equal(lax.warnings, 1);
    const strict = await puruto(['validate', r0, '--json', '--strict']);
    assert.equal(strict.code, 1);
    assert.equal(JSON.parse(strict.stdout).findings[0].code, 'unresolved-placeholder');
  });

  it('argument errors exit 2 with usage on stderr and no JSON', async () => {
    for (const argv of [
      ['validate', '--bogus', '--json'],
      ['validate', 'a', 'b', '--json'],
      ['validate', '--json=yes'],
      ['validate', '.', '--workspace', '.'],
      ['validate', '--workspace'],
    ]) {
      const r = await puruto(argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /Usage: puruto validate/);
    }
  });

  it('--workspace validates every Puruto under a folder in one report', async () => {
    mkdirSync(path.join(ws, 'not-a-puruto'));
    const r = await puruto(['validate', '--workspace', ws, '--json']);
    assert.equal(r.code, 0);
    const json = JSON.parse(r.stdout);
    assert.equal(json.repos, 2);
    assert.equal(json.ok, true);
    assert.deepEqual(
      json.results.map((x: { path: string }) => path.basename(x.path)),
      ['puruto-one', 'puruto-two'],
    );
    const bad = await generated(ws, 'puruto-three');
    rmSync(path.join(bad, 'README.md'));
    const r2 = await puruto(['validate', '--workspace', ws, '--json']);
    assert.equal(r2.code, 1);
    assert.equal(JSON.parse(r2.stdout).errors, 1);
    rmSync(bad, { recursive: true });
  });

  it('--workspace on a folder without Purutos says so (exit 0)', async () => {
    const r = await puruto(['validate', '--workspace', tempDir()]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /No Purutos found/);
  });

  it('a path that does not exist is a failed validation, not a crash', async () => {
    const r = await puruto(['validate', path.join(ws, 'nope'), '--json']);
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.stdout).ok, false);
  });

  it('a path that does not exist: the human output says only that, on stderr (no kind), exit 1', async () => {
    const missing = path.join(ws, 'nope');
    const r = await puruto(['validate', missing]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim(), `puruto validate: ${missing} does not exist; pass the path of a Puruto repo folder`);
    assert.doesNotMatch(r.stderr, /kind:/);
  });

  it('never loads yeoman on its import path (start-up stays close to bare node)', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const seen = new Set<string>();
    const bare = new Set<string>();
    const walk = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)) {
        const spec = m[1]!;
        if (!spec.startsWith('.')) {
          bare.add(spec);
          continue;
        }
        const ts = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'));
        // Generated modules (the standalone schemas) only have a .d.ts beside the sources.
        walk(existsSync(ts) ? ts : ts.replace(/\.ts$/, '.d.ts'));
      }
    };
    walk(path.join(root, 'cli/puruto.ts'));
    // main.ts imports each command lazily; follow only validate's graph.
    seen.clear();
    bare.clear();
    walk(path.join(root, 'cli/commands/validate.ts'));
    const yeoman = [...bare].filter((s) => s.startsWith('yeoman') || s.startsWith('@yeoman'));
    assert.deepEqual(yeoman, []);
    assert.ok(bare.has('js-yaml'), 'the walk reaches the validator');
    assert.ok(seen.size > 3);
  });
});

describe('puruto (top level)', () => {
  it('--version prints the package version, --help the commands', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.deepEqual(await puruto(['--version']), { code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const help = await puruto(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /new +create a Puruto/);
    assert.match(help.stdout, /validate +check a Puruto/);
  });
  it('unknown command and no command are usage errors (2), with the help on stderr', async () => {
    assert.equal((await puruto(['frobnicate'])).code, 2);
    const none = await puruto([]);
    assert.equal(none.code, 2);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /Usage: puruto <command>/);
  });
  it('every command has --help', async () => {
    for (const c of ['validate', 'new']) {
      const r = await puruto([c, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`Usage: puruto ${c}`));
    }
  });
});
