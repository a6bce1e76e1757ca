import assert from 'node:assert/strict';
import { STANDARD_VERSION } from '../../lib/standard/version.js';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { looksLikePuruto, validateRepo, validateWorkspace } from '../../lib/validate/index.js';
import { formatReport, formatWorkspaceReport } from '../../lib/validate/format.js';
import { ipcFiles, tempDir, validKindRepo, validStandardRepo, writeTree } from '../helpers/repo.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The compiled tree to compare with (another build folder can be given for checks).
const distDir = path.resolve(repoRoot, process.env['PURUTO_TEST_DIST'] ?? 'dist');

/** True when dist/ holds a CLI bundle built from the current sources. */
function freshDist(): boolean {
  const built = path.join(distDir, 'cli/puruto.cjs');
  if (!fs.existsSync(built)) return false;
  const builtAt = fs.statSync(built).mtimeMs;
  return ['lib/validate', 'lib/schemas', 'lib/standard'].every((d) =>
    fs.readdirSync(path.join(repoRoot, d)).every((f) => fs.statSync(path.join(repoRoot, d, f)).mtimeMs <= builtAt),
  );
}

describe('validate: workspace', () => {
  let ws: string;
  before(() => {
    ws = tempDir('puruto-ws-');
    writeTree(path.join(ws, 'puruto-b'), validStandardRepo('puruto-b'));
    writeTree(path.join(ws, 'puruto-data'), validKindRepo('puruto-data'));
    const broken = validStandardRepo('puruto-a');
    delete broken['README.md'];
    delete broken['agent.md'];
    writeTree(path.join(ws, 'puruto-a'), broken);
    // Puruto markers, one each.
    writeTree(path.join(ws, 'only-agents'), { 'AGENTS.md': '# x\n' });
    writeTree(path.join(ws, 'only-skills'), { '.claude/skills/init/SKILL.md': 'x' });
    writeTree(path.join(ws, 'only-version'), { '.puruto-standard-version': `${STANDARD_VERSION}\n` });
    writeTree(path.join(ws, 'only-yo-rc'), {
      '.yo-rc.json': JSON.stringify({ 'generator-puruto': { kind: 'standard' } }),
    });
    // Not Purutos.
    writeTree(path.join(ws, 'other-yo-rc'), { '.yo-rc.json': JSON.stringify({ 'generator-other': {} }) });
    writeTree(path.join(ws, 'plain'), { 'README.md': '# not a puruto\n' });
    writeTree(path.join(ws, 'empty-claude'), { '.claude/settings.json': '{}' });
    writeTree(path.join(ws, '.hidden'), validStandardRepo('.hidden'));
    fs.writeFileSync(path.join(ws, 'CLAUDE.md'), '# a file at the top is not a repo\n');
  });
  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('validates only direct, non-hidden sub-folders that look like Purutos, sorted by name', async () => {
    const report = await validateWorkspace(ws);
    assert.deepEqual(Object.keys(report), ['path', 'ok', 'repos', 'errors', 'warnings', 'results']);
    assert.equal(report.path, ws);
    assert.deepEqual(
      report.results.map((r) => path.basename(r.path)),
      ['only-agents', 'only-skills', 'only-version', 'only-yo-rc', 'puruto-a', 'puruto-b', 'puruto-data'],
    );
    assert.equal(report.repos, 7);
    assert.equal(report.results.find((r) => r.path.endsWith('puruto-data'))!.kind, 'puruto-data');
  });

  it('sums errors and warnings; ok is false when any repo has an error', async () => {
    const report = await validateWorkspace(ws);
    assert.equal(
      report.errors,
      report.results.reduce((n, r) => n + r.errors, 0),
    );
    assert.equal(
      report.warnings,
      report.results.reduce((n, r) => n + r.warnings, 0),
    );
    assert.equal(report.ok, false);
    assert.deepEqual(report.results.find((r) => r.path.endsWith('puruto-b'))!.findings, []);
  });

  it('a workspace of valid repos is ok; strict is passed down', async () => {
    const clean = tempDir('puruto-ws-clean-');
    try {
      writeTree(path.join(clean, 'puruto-x'), { ...validStandardRepo('puruto-x'), 'notes.md': '__TODO_NAME__\n' });
      const loose = await validateWorkspace(clean);
      assert.deepEqual([loose.ok, loose.repos, loose.errors, loose.warnings], [true, 1, 0, 1]);
      const strict = await validateWorkspace(clean, { strict: true });
      assert.deepEqual([strict.ok, strict.errors, strict.warnings], [false, 1, 0]);
      const empty = await validateWorkspace(path.join(clean, 'puruto-x', '.claude'));
      assert.deepEqual([empty.ok, empty.repos, empty.results.length], [true, 0, 0]);
    } finally {
      fs.rmSync(clean, { recursive: true, force: true });
    }
  });

  it('a missing workspace folder is an error report, not a throw', async () => {
    const report = await validateWorkspace(path.join(ws, 'nope'));
    assert.deepEqual([report.ok, report.repos, report.errors, report.results.length], [false, 0, 1, 1]);
    assert.equal(report.results[0]!.findings[0]!.code, 'missing-required');
  });

  it('looksLikePuruto', () => {
    assert.equal(looksLikePuruto(path.join(ws, 'puruto-b')), true);
    assert.equal(looksLikePuruto(path.join(ws, 'plain')), false);
    assert.equal(looksLikePuruto(path.join(ws, 'nope')), false);
  });

  it('formats reports as text with kind and a summary line', async () => {
    const repo = await validateRepo(path.join(ws, 'puruto-a'));
    const text = formatReport(repo);
    assert.match(text, /^Puruto .*puruto-a\nkind: standard\n/);
    assert.match(text, /ERROR {3}missing-required \[README\.md\]\n {10}README\.md is missing/);
    assert.match(text, /warning missing-recommended-file \[agent\.md\]/);
    assert.match(text, /\nFAILED: 1 error, 1 warning$/);
    // eslint-disable-next-line no-control-regex -- no ANSI escape reaches the report
    assert.doesNotMatch(text, /\x1b\[/);
    assert.match(formatReport(await validateRepo(path.join(ws, 'puruto-b'))), /\nOK: 0 errors, 0 warnings$/);
    const all = formatWorkspaceReport(await validateWorkspace(ws));
    assert.match(all, /^Workspace /);
    assert.match(all, /\nok {3}puruto-b \(standard\): 0 errors, 0 warnings\n/);
    assert.match(all, /\nFAIL puruto-a \(standard\): 1 error, 1 warning\n/);
    assert.match(all, /\nFAILED: 7 Purutos checked, \d+ with errors; \d+ errors, \d+ warnings$/);
  });

  it('the shipped CLI bundle (standalone schemas) reports exactly what the sources do', async function () {
    if (!freshDist()) this.skip(); // needs `npm run build`; covered by `npm test`
    const mixed = tempDir('puruto-ws-dist-');
    try {
      for (let i = 0; i < 30; i++) {
        const name = `puruto-m${String(i).padStart(2, '0')}`;
        const files = { ...validStandardRepo(name), ...(i % 2 ? ipcFiles(name) : {}) };
        if (i % 3 === 0)
          files['.puruto-ipc.json'] = JSON.stringify({
            enabled: 'yes',
            max_hops: -1,
            allowed_targets: [1],
            allowed_actions: { a: 'b' },
          });
        if (i % 5 === 0) files['README.md'] = '__NAME__\n';
        writeTree(path.join(mixed, name), files);
      }
      writeTree(path.join(mixed, 'puruto-cron'), {
        ...validKindRepo('puruto-cron'),
        '.jobs.json': JSON.stringify({ jobs: [{ job_id: '-x', schedule: '0 0 0 * * *', timeout_sec: 0 }] }),
      });
      writeTree(path.join(mixed, 'puruto-telegram'), {
        ...validKindRepo('puruto-telegram'),
        '.channels.json': '{"channels": ["a", "a", "../b"]}',
      });
      writeTree(path.join(mixed, 'puruto-data'), {
        ...validKindRepo('puruto-data'),
        'registry.json': '{"version": 1, "purutos": [{"name": "x"}]}',
      });
      const expected = await validateWorkspace(mixed, { strict: true });
      assert.ok(expected.results.some((r) => r.findings.some((f) => f.code === 'schema-violation')));
      let out = '';
      try {
        execFileSync(
          process.execPath,
          [path.join(distDir, 'cli/puruto.cjs'), 'validate', '--workspace', mixed, '--json', '--strict'],
          { encoding: 'utf8' },
        );
        assert.fail('the workspace has errors: expected exit 1');
      } catch (error) {
        const e = error as { status?: number; stdout?: string };
        assert.equal(e.status, 1);
        out = e.stdout ?? '';
      }
      assert.deepEqual(JSON.parse(out), expected);
    } finally {
      fs.rmSync(mixed, { recursive: true, force: true });
    }
  });
});

describe('validate: an ecosystem folder is not a Puruto', () => {
  it(
    'is skipped by --workspace on its parent, ' + 'validated as a workspace by `validate <it>`, and refused by upgrade',
    async () => {
      const home = tempDir('puruto-home-');
      const eco = path.join(home, 'purutos');
      writeTree(eco, {
        'AGENTS.md': '# ecosystem\n',
        'CLAUDE.md': '@AGENTS.md\n',
        '.claude/skills/workspace/SKILL.md': 'x',
      });
      writeTree(path.join(eco, 'puruto-notes'), validStandardRepo('puruto-notes'));
      assert.equal(looksLikePuruto(eco), false);
      assert.equal(looksLikePuruto(path.join(eco, 'puruto-notes')), true);
      // a legacy repo (no version file) with rules and skills is still a Puruto
      const legacy = validStandardRepo('puruto-old');
      delete legacy['.puruto-standard-version'];
      writeTree(path.join(home, 'puruto-old'), legacy);
      assert.equal(looksLikePuruto(path.join(home, 'puruto-old')), true);
      assert.deepEqual(
        (await validateWorkspace(home)).results.map((r) => path.basename(r.path)),
        ['puruto-old'],
      );

      const { puruto } = await import('../helpers/cli.js');
      const r = await puruto(['validate', '--json'], eco);
      assert.equal(r.code, 0, r.stdout);
      assert.match(
        r.stderr,
        /is an ecosystem folder \(it holds Purutos, it is not one\): validating each of them, as --workspace/,
      );
      const report = JSON.parse(r.stdout);
      assert.equal(report.repos, 1);
      assert.equal(report.results[0].path, path.join(eco, 'puruto-notes'));
      const up = await puruto(['upgrade', eco]);
      assert.equal(up.code, 1);
      assert.match(up.stderr, /is an ecosystem folder, not a Puruto: upgrade each Puruto in it/);
    },
  );
});
