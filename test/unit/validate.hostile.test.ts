/**
 * Hostile repos (issue 11, items 2 and 3): each is an ordinary finding — never a
 * "validator bug", a stack overflow, a followed link out of the repo, or raw control
 * characters on the terminal.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { validateRepo, type Report } from '../../lib/validate/index.js';
import { formatReport } from '../../lib/validate/format.js';
import { escapeControls } from '../../lib/validate/format.js';
import { importedPaths } from '../../lib/validate/imports.js';
import { ignoresRootFile, invalidPatterns } from '../../lib/validate/gitignore.js';
import { jsonDepth } from '../../lib/validate/json-text.js';
import { ipcFiles, repoSandbox, skillMd, validKindRepo, validStandardRepo } from '../helpers/repo.js';

const sandbox = repoSandbox('puruto-validate-hostile-');
const std = () => validStandardRepo('puruto-x');

function codes(report: Report): string[] {
  return report.findings.map((f) => f.code);
}

function noValidatorBug(report: Report): void {
  for (const f of report.findings) assert.doesNotMatch(f.message, /validator bug|unexpectedly/, JSON.stringify(f));
}

describe('validate: hostile repos are ordinary findings', () => {
  it('a .gitignore line [z-a] is a finding, and the env checks (gateway key) still run', async () => {
    const files = validKindRepo('puruto-gateway');
    files['.gitignore'] = '.env\n[z-a]\ndb/\n';
    files['.env'] = 'PURUTO_GATEWAY_API_KEY=changeme\n';
    const report = await validateRepo(sandbox.make(files, 'puruto-gateway'));
    noValidatorBug(report);
    const bad = report.findings.find((f) => f.code === 'invalid-gitignore-pattern');
    assert.ok(bad, JSON.stringify(report.findings));
    assert.equal(bad.path, '.gitignore');
    assert.match(bad.message, /line 2: "\[z-a\]"/);
    assert.ok(codes(report).includes('gateway-default-key'), 'the gateway key warning is kept');
    assert.ok(!codes(report).includes('env-not-ignored'), '.env is still ignored by line 1');
    assert.equal(ignoresRootFile('[z-a]\n', '.env'), false);
    assert.deepEqual(invalidPatterns('ok\n# [z-a]\n/[z-a]/\n'), [{ line: 3, pattern: '/[z-a]/' }]);
  });

  it('a registry.json nested 20,000 deep is invalid-json, not a stack overflow', async () => {
    const files = validKindRepo('puruto-data');
    files['registry.json'] = `{"version": "1", "purutos": [${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}]}`;
    const report = await validateRepo(sandbox.make(files, 'puruto-data'));
    noValidatorBug(report);
    const f = report.findings.find((x) => x.code === 'invalid-json');
    assert.ok(f, JSON.stringify(report.findings));
    assert.match(f.message, /nested more than 64 levels/);
    assert.equal(jsonDepth('["[[[", {"a": [1]}]'), 3, 'brackets inside strings do not count');
  });

  it('a .puruto-ipc.json nested 20,000 deep is invalid-ipc-config', async () => {
    const files = { ...std(), ...ipcFiles('puruto-x') };
    files['.puruto-ipc.json'] = `{"enabled": true, "allowed_actions": ${'['.repeat(20000)}${']'.repeat(20000)}}`;
    const report = await validateRepo(sandbox.make(files));
    noValidatorBug(report);
    assert.ok(
      report.findings.some((f) => f.code === 'invalid-ipc-config' && /nested/.test(f.message)),
      JSON.stringify(report.findings),
    );
  });

  it('CLAUDE.md imports @AGENTS.md but AGENTS.md is missing: an error (not only under --strict)', async () => {
    const files: Record<string, string> = {
      ...std(),
      'CLAUDE.md': '@AGENTS.md\n\n## Claude Code\n- Use the skills.\n',
      'AGENTS.md': '# rules\n',
    };
    assert.equal(
      (await validateRepo(sandbox.make(files))).findings.filter((f) => f.code === 'broken-import').length,
      0,
    );
    delete files['AGENTS.md'];
    const report = await validateRepo(sandbox.make(files));
    const f = report.findings.find((x) => x.code === 'broken-import');
    assert.ok(f, JSON.stringify(report.findings));
    assert.equal(f.level, 'error');
    assert.equal(f.path, 'AGENTS.md');
    assert.match(f.message, /CLAUDE\.md imports @AGENTS\.md but AGENTS\.md is missing/);
    assert.equal(report.ok, false);
    assert.deepEqual(
      importedPaths(
        '@AGENTS.md\n```\n@in-code.md\n```\n@~/x.md\n@/etc/x\n@../up.md\n@./docs/a.md\nmail @someone here\n',
      ),
      ['AGENTS.md', 'docs/a.md'],
    );
  });

  it('.claude/skills linked outside the repo is a finding and is not followed (no /bin, /boot as skills)', async () => {
    const outside = sandbox.at('outside-skills');
    for (const name of ['bin', 'boot']) {
      fs.mkdirSync(path.join(outside, name), { recursive: true });
    }
    fs.mkdirSync(path.join(outside, 'init'), { recursive: true });
    fs.writeFileSync(path.join(outside, 'init', 'SKILL.md'), skillMd('init'));
    const files = std();
    for (const k of Object.keys(files)) if (k.startsWith('.claude/')) delete files[k];
    const dir = sandbox.make(files);
    fs.mkdirSync(path.join(dir, '.claude'));
    fs.symlinkSync(outside, path.join(dir, '.claude', 'skills'));
    const report = await validateRepo(dir);
    noValidatorBug(report);
    assert.ok(
      report.findings.some((f) => f.code === 'link-outside-repo' && f.path === '.claude/skills'),
      JSON.stringify(report.findings),
    );
    assert.ok(
      report.findings.some(
        (f) => f.code === 'missing-required' && f.path === '.claude/skills' && /outside the repo/.test(f.message),
      ),
    );
    assert.ok(
      !report.findings.some((f) => /\bbin\b|\bboot\b/.test(f.path)),
      'the outside folder is never listed as skills',
    );
    assert.equal(report.ok, false);
  });

  it('one skill linked outside the repo is a finding, not read', async () => {
    const outside = sandbox.at('outside-one');
    fs.mkdirSync(outside, { recursive: true });
    fs.writeFileSync(path.join(outside, 'SKILL.md'), 'no frontmatter here');
    const dir = sandbox.make(std());
    fs.symlinkSync(outside, path.join(dir, '.claude', 'skills', 'extra'));
    const report = await validateRepo(dir);
    const f = report.findings.filter((x) => x.path.startsWith('.claude/skills/extra'));
    assert.deepEqual(
      f.map((x) => x.code),
      ['link-outside-repo'],
      JSON.stringify(report.findings),
    );
    assert.match(f[0]!.message, /outside the repo/);
  });

  it('control characters in file names are escaped in human output (JSON keeps the real name)', async () => {
    const dir = sandbox.make(std());
    const name = 'evil\u001b[2J\u0007\u202e.md';
    fs.writeFileSync(path.join(dir, name), 'still __PLACEHOLDER__ here\n');
    const report = await validateRepo(dir);
    assert.ok(
      report.findings.some((f) => f.path === name),
      'the finding names the real file',
    );
    const text = formatReport(report);
    assert.doesNotMatch(
      text,
      // eslint-disable-next-line no-control-regex -- the assertion is about control characters
      /[\u0000-\u0008\u000b-\u001f\u007f\u202e]/,
      'no raw control character reaches the terminal',
    );
    assert.ok(text.includes('evil\\x1b[2J\\x07\\u{202e}.md'), text);
    assert.equal(escapeControls('a\tb\nc'), 'a\\x09b\\x0ac');
  });
});
