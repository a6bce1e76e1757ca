import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { validateRepo, type Report } from '../../lib/validate/index.js';
import { repoSandbox, ipcFiles, validKindRepo, validStandardRepo } from '../helpers/repo.js';

const sandbox = repoSandbox('puruto-validate-broken-');
const makeRepo = sandbox.make;

const std = () => validStandardRepo('puruto-x');

function findingAt(report: Report, at: string) {
  const hits = report.findings.filter((f) => f.path === at);
  assert.equal(hits.length, 1, `expected one finding at ${at}: ${JSON.stringify(report.findings, null, 1)}`);
  return hits[0]!;
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('validate: broken repos never throw', () => {
  it('a path that does not exist', async () => {
    const report = await validateRepo(sandbox.at('nope'));
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.findings.map((f) => [f.level, f.code, f.path]),
      [['error', 'missing-required', '.']],
    );
    assert.match(report.findings[0]!.message, /does not exist/);
  });

  it('a path that is a file', async () => {
    const file = sandbox.at('plain.txt');
    fs.writeFileSync(file, 'x');
    const report = await validateRepo(file);
    assert.equal(findingAt(report, '.').code, 'missing-required');
    assert.match(report.findings[0]!.message, /is not a folder/);
  });

  it('an empty folder: only std findings, no crash', async () => {
    const dir = sandbox.at('empty');
    fs.mkdirSync(dir);
    const report = await validateRepo(dir);
    assert.equal(report.ok, false);
    assert.ok(report.findings.every((f) => !f.message.includes('validator bug')));
  });

  it('.claude/skills is a file: missing-required says so', async () => {
    const files = Object.fromEntries(Object.entries(std()).filter(([p]) => !p.startsWith('.claude/')));
    const report = await validateRepo(makeRepo({ ...files, '.claude/skills': 'oops' }));
    const f = findingAt(report, '.claude/skills');
    assert.equal(f.code, 'missing-required');
    assert.match(f.message, /is a file, expected a folder/);
  });

  it('CLAUDE.md is a folder: treated as missing, and said so', async () => {
    const files = std();
    delete files['CLAUDE.md'];
    const dir = makeRepo({ ...files, 'CLAUDE.md/x.md': 'x' });
    const f = findingAt(await validateRepo(dir), 'CLAUDE.md');
    assert.equal(f.code, 'missing-recommended-file');
    assert.match(f.message, /is a folder, expected a file/);
  });

  it('both agent files are folders: missing-agent-rules mentions it', async () => {
    const files = std();
    delete files['CLAUDE.md'];
    delete files['agent.md'];
    const dir = makeRepo({ ...files, 'CLAUDE.md/x': 'x', 'agent.md/y': 'y' });
    const f = findingAt(await validateRepo(dir), 'CLAUDE.md');
    assert.equal(f.code, 'missing-agent-rules');
    assert.match(f.message, /CLAUDE\.md is a folder/);
  });

  it('a core SKILL.md that is a folder is a missing core skill', async () => {
    const files = std();
    delete files['.claude/skills/init/SKILL.md'];
    const dir = makeRepo({ ...files, '.claude/skills/init/SKILL.md/x': 'x' });
    const f = findingAt(await validateRepo(dir), '.claude/skills/init/SKILL.md');
    assert.equal(f.code, 'missing-core-skill');
    assert.match(f.message, /is a folder/);
  });

  it('symlink loops: at a std path (std code) and elsewhere (unreadable-path)', async () => {
    const files = std();
    delete files['README.md'];
    const dir = makeRepo(files);
    fs.symlinkSync('README.md', path.join(dir, 'README.md'));
    fs.mkdirSync(path.join(dir, 'docs'));
    fs.symlinkSync('b', path.join(dir, 'docs/a'));
    fs.symlinkSync('a', path.join(dir, 'docs/b'));
    const report = await validateRepo(dir);
    const readme = findingAt(report, 'README.md');
    assert.equal(readme.code, 'missing-required');
    assert.match(readme.message, /symbolic link loop/);
    for (const p of ['docs/a', 'docs/b']) {
      const f = findingAt(report, p);
      assert.equal(f.code, 'unreadable-path');
      assert.equal(f.level, 'warning');
      assert.match(f.message, /ELOOP/);
    }
    assert.equal((await validateRepo(dir, { strict: true })).findings.find((f) => f.path === 'docs/a')!.level, 'error');
  });

  it('a SKILL.md that is a symlink loop', async () => {
    const dir = makeRepo(std());
    fs.mkdirSync(path.join(dir, '.claude/skills/extra'));
    fs.symlinkSync('SKILL.md', path.join(dir, '.claude/skills/extra/SKILL.md'));
    const f = findingAt(await validateRepo(dir), '.claude/skills/extra/SKILL.md');
    assert.equal(f.code, 'invalid-skill-frontmatter');
    assert.match(f.message, /symbolic link loop/);
  });

  it('dangling symlinks: a required file and an ordinary one', async () => {
    const files = std();
    delete files['.env.example'];
    const dir = makeRepo(files);
    fs.symlinkSync('../shared/.env.example', path.join(dir, '.env.example'));
    fs.symlinkSync('missing.md', path.join(dir, 'notes.md'));
    const report = await validateRepo(dir);
    const example = findingAt(report, '.env.example');
    assert.equal(example.code, 'missing-required');
    assert.match(example.message, /broken symbolic link/);
    const notes = findingAt(report, 'notes.md');
    assert.equal(notes.code, 'unreadable-path');
    assert.match(notes.message, /"missing\.md" does not exist/);
  });

  it('a skills folder that links back up does not recurse forever', async () => {
    const dir = makeRepo(std());
    fs.symlinkSync('..', path.join(dir, '.claude/skills/up'));
    fs.symlinkSync('.', path.join(dir, 'self'));
    const report = await validateRepo(dir);
    assert.equal(findingAt(report, '.claude/skills/up/SKILL.md').code, 'invalid-skill-frontmatter');
  });

  it('a FIFO is never opened (no hang)', async function () {
    if (process.platform === 'win32') this.skip();
    const dir = makeRepo(std());
    execFileSync('mkfifo', [path.join(dir, 'pipe'), path.join(dir, '.env')]);
    fs.symlinkSync('pipe', path.join(dir, 'pipe-link.md'));
    const report = await validateRepo(dir, { strict: true });
    assert.ok(report.findings.every((f) => f.code !== 'gateway-default-key'));
  });

  it('invalid JSON everywhere, invalid YAML frontmatter: findings, no throw', async () => {
    const dir = makeRepo(
      {
        ...validKindRepo('puruto-cron'),
        ...ipcFiles('puruto-cron'),
        '.puruto-ipc.json': '{',
        '.jobs.json': 'null',
        '.yo-rc.json': '{',
        '.claude/skills/init/SKILL.md': '---\nname: "init\n---\n',
      },
      'puruto-cron',
    );
    const report = await validateRepo(dir);
    const codes = new Set(report.findings.map((f) => f.code));
    for (const code of ['invalid-ipc-config', 'schema-violation', 'invalid-skill-frontmatter'])
      assert.ok(codes.has(code), code);
  });

  it('unreadable files and folders (EACCES) are unreadable-path', async function () {
    if (asRoot) this.skip(); // root reads anything: chmod 000 cannot provoke EACCES
    const dir = makeRepo({ ...std(), 'docs/a.md': 'a', 'notes.md': 'n', '.claude/skills/extra/SKILL.md': 'x' });
    fs.chmodSync(path.join(dir, 'notes.md'), 0o000);
    fs.chmodSync(path.join(dir, 'docs'), 0o000);
    fs.chmodSync(path.join(dir, '.claude/skills/extra/SKILL.md'), 0o000);
    const report = await validateRepo(dir);
    for (const p of ['notes.md', 'docs', '.claude/skills/extra/SKILL.md']) {
      const f = findingAt(report, p);
      assert.equal(f.code, 'unreadable-path');
      assert.match(f.message, /EACCES/);
    }
  });
});
