import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { looksLikePuruto, validateRepo, validateWorkspace } from '../../lib/validate/index.js';
import { formatReport, formatWorkspaceReport } from '../../lib/validate/format.js';
import { tempDir, validKindRepo, validStandardRepo, writeTree } from '../helpers/repo.js';

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
    writeTree(path.join(ws, 'only-version'), { '.puruto-standard-version': '0.2.0\n' });
    writeTree(path.join(ws, 'only-yo-rc'), { '.yo-rc.json': JSON.stringify({ 'generator-puruto': { kind: 'standard' } }) });
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
    assert.equal(report.errors, report.results.reduce((n, r) => n + r.errors, 0));
    assert.equal(report.warnings, report.results.reduce((n, r) => n + r.warnings, 0));
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
    assert.doesNotMatch(text, /\x1b\[/);
    assert.match(formatReport(await validateRepo(path.join(ws, 'puruto-b'))), /\nOK: 0 errors, 0 warnings$/);
    const all = formatWorkspaceReport(await validateWorkspace(ws));
    assert.match(all, /^Workspace /);
    assert.match(all, /\nok {3}puruto-b \(standard\): 0 errors, 0 warnings\n/);
    assert.match(all, /\nFAIL puruto-a \(standard\): 1 error, 1 warning\n/);
    assert.match(all, /\nFAILED: 7 Purutos checked, \d+ with errors; \d+ errors, \d+ warnings$/);
  });
});
