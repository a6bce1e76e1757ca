import assert from 'node:assert/strict';
import { VERSION_CHAIN } from '../../lib/standard/version.js';
import fs from 'node:fs';
import path from 'node:path';
import { validateRepo, type Report } from '../../lib/validate/index.js';
import { STD_CODES } from '../../lib/standard/findings.js';
import { repoSandbox, ipcFiles, linkSkillsMirror, skillMd, validKindRepo, validStandardRepo } from '../helpers/repo.js';

const sandbox = repoSandbox('puruto-validate-std-');
const makeRepo = sandbox.make;

function without(files: Record<string, string>, ...remove: string[]): Record<string, string> {
  const out = { ...files };
  for (const r of remove) delete out[r];
  return out;
}

/** The single finding with `code` (and `path` if given); fails when absent or ambiguous. */
function the(report: Report, code: string, at?: string) {
  const hits = report.findings.filter((f) => f.code === code && (at === undefined || f.path === at));
  assert.equal(
    hits.length,
    1,
    `expected one ${code}${at ? ` at ${at}` : ''}, got ${JSON.stringify(report.findings, null, 1)}`,
  );
  return hits[0]!;
}

function codes(report: Report): string[] {
  return report.findings.map((f) => f.code);
}

describe('validate: standard checks [std]', () => {
  it('a valid standard repo with the .agents/skills link has no findings, even strict', async () => {
    const dir = makeRepo(validStandardRepo('puruto-x'));
    linkSkillsMirror(dir);
    const report = await validateRepo(dir, { strict: true });
    assert.deepEqual(report, { path: dir, kind: 'standard', ok: true, errors: 0, warnings: 0, findings: [] });
  });

  it('prints the std JSON with keys in the exact order', async () => {
    const dir = makeRepo(without(validStandardRepo('puruto-x'), 'README.md'));
    const report = await validateRepo(dir);
    assert.deepEqual(Object.keys(report), ['path', 'kind', 'ok', 'errors', 'warnings', 'findings']);
    for (const f of report.findings) assert.deepEqual(Object.keys(f), ['level', 'code', 'path', 'message']);
    const json = JSON.parse(JSON.stringify(report)) as Report;
    assert.equal(json.ok, false);
    assert.equal(json.errors, 1);
  });

  it('resolves a relative path to an absolute report path', async () => {
    const dir = makeRepo(validStandardRepo('puruto-x'));
    const report = await validateRepo(path.relative(process.cwd(), dir));
    assert.equal(report.path, dir);
  });

  it('missing-agent-rules when neither CLAUDE.md nor agent.md exists', async () => {
    const report = await validateRepo(makeRepo(without(validStandardRepo('puruto-x'), 'CLAUDE.md', 'agent.md')));
    const f = the(report, 'missing-agent-rules');
    assert.equal(f.level, 'error');
    assert.equal(f.path, 'CLAUDE.md');
    assert.ok(!codes(report).includes('missing-recommended-file'));
  });

  for (const missing of ['CLAUDE.md', 'agent.md']) {
    it(`missing-recommended-file (warning) when only ${missing} is missing`, async () => {
      const report = await validateRepo(makeRepo(without(validStandardRepo('puruto-x'), missing)));
      const f = the(report, 'missing-recommended-file', missing);
      assert.equal(f.level, 'warning');
      assert.equal(report.ok, true);
      assert.equal(report.warnings, 1);
    });
  }

  for (const missing of ['README.md', '.env.example']) {
    it(`missing-required when ${missing} is missing`, async () => {
      const report = await validateRepo(makeRepo(without(validStandardRepo('puruto-x'), missing)));
      assert.equal(the(report, 'missing-required', missing).level, 'error');
    });
  }

  it('missing-required for .claude/skills, plus each core skill', async () => {
    const files = Object.fromEntries(
      Object.entries(validStandardRepo('puruto-x')).filter(([p]) => !p.startsWith('.claude/')),
    );
    const report = await validateRepo(makeRepo(files));
    assert.equal(the(report, 'missing-required', '.claude/skills').level, 'error');
    assert.equal(report.findings.filter((f) => f.code === 'missing-core-skill').length, 4);
  });

  it('missing-core-skill per missing core skill, with its SKILL.md path', async () => {
    const report = await validateRepo(
      makeRepo(
        without(validStandardRepo('puruto-x'), '.claude/skills/status/SKILL.md', '.claude/skills/help/SKILL.md'),
      ),
    );
    assert.equal(the(report, 'missing-core-skill', '.claude/skills/status/SKILL.md').level, 'error');
    assert.equal(the(report, 'missing-core-skill', '.claude/skills/help/SKILL.md').level, 'error');
    assert.equal(report.errors, 2);
  });

  it('missing-standard-version / empty-standard-version / unsupported-standard-version (warnings)', async () => {
    const base = validStandardRepo('puruto-x');
    const missing = await validateRepo(makeRepo(without(base, '.puruto-standard-version')));
    assert.equal(the(missing, 'missing-standard-version', '.puruto-standard-version').level, 'warning');
    const empty = await validateRepo(makeRepo({ ...base, '.puruto-standard-version': '  \n' }));
    assert.equal(the(empty, 'empty-standard-version', '.puruto-standard-version').level, 'warning');
    const old = await validateRepo(makeRepo({ ...base, '.puruto-standard-version': `${VERSION_CHAIN.at(-2)}\n` }));
    const f = the(old, 'unsupported-standard-version', '.puruto-standard-version');
    assert.equal(f.level, 'warning');
    assert.match(f.message, /puruto upgrade/);
    const newer = await validateRepo(makeRepo({ ...base, '.puruto-standard-version': '9.0.0' }));
    assert.match(the(newer, 'unsupported-standard-version').message, /newer/);
    assert.ok([missing, empty, old, newer].every((r) => r.ok));
  });

  it('missing-gitignore when .env exists without .gitignore (no finding without .env)', async () => {
    const base = without(validStandardRepo('puruto-x'), '.gitignore');
    const report = await validateRepo(makeRepo({ ...base, '.env': 'DB_PATH=db/data.db\n' }));
    assert.equal(the(report, 'missing-gitignore', '.gitignore').level, 'warning');
    const clean = await validateRepo(makeRepo(base));
    assert.deepEqual(clean.findings, []);
  });

  const kindCases = [
    ['puruto-data', 'missing-data-file', 'registry.json'],
    ['puruto-telegram', 'missing-telegram-file', 'inbox/.gitkeep'],
    ['puruto-cron', 'missing-cron-file', '.claude/skills/run-now/SKILL.md'],
    ['puruto-gateway', 'missing-gateway-file', 'auth.py'],
  ] as const;
  for (const [kind, code, file] of kindCases) {
    it(`${kind}: a valid minimal repo has no errors; a missing ${file} is ${code}`, async () => {
      const ok = await validateRepo(makeRepo(validKindRepo(kind), kind));
      assert.equal(ok.kind, kind);
      assert.equal(ok.errors, 0, JSON.stringify(ok.findings));
      const report = await validateRepo(makeRepo(without(validKindRepo(kind), file), kind));
      assert.equal(the(report, code, file).level, 'error');
    });
  }

  it('puruto-cron: a required folder that is a file is reported', async () => {
    const files = without(validKindRepo('puruto-cron'), 'runs/.gitkeep');
    const report = await validateRepo(makeRepo({ ...files, runs: 'not a folder' }, 'puruto-cron'));
    const f = the(report, 'missing-cron-file', 'runs');
    assert.match(f.message, /is a file, expected a folder/);
  });

  it('kind: by folder name first, then .yo-rc.json, else standard', async () => {
    const rc = (kind: unknown) => JSON.stringify({ 'generator-puruto': { kind, name: 'my-vault' } });
    const byRc = await validateRepo(
      makeRepo({ ...validKindRepo('puruto-data', 'my-vault'), '.yo-rc.json': rc('puruto-data') }, 'my-vault'),
    );
    assert.equal(byRc.kind, 'puruto-data');
    assert.equal(byRc.errors, 0);
    const nameWins = await validateRepo(
      makeRepo({ ...validKindRepo('puruto-cron'), '.yo-rc.json': rc('puruto-data') }, 'puruto-cron'),
    );
    assert.equal(nameWins.kind, 'puruto-cron');
    const bogus = await validateRepo(makeRepo({ ...validStandardRepo('x'), '.yo-rc.json': rc('puruto-nope') }, 'x'));
    assert.equal(bogus.kind, 'standard');
    const broken = await validateRepo(makeRepo({ ...validStandardRepo('x'), '.yo-rc.json': '{not json' }, 'x'));
    assert.equal(broken.kind, 'standard');
    assert.equal(broken.errors, 0);
    const standardName = await validateRepo(makeRepo(validStandardRepo('standard'), 'standard'));
    assert.equal(standardName.kind, 'standard');
  });

  describe('IPC', () => {
    const base = () => ({ ...validStandardRepo('puruto-x'), ...ipcFiles('puruto-x') });

    it('a complete IPC setup has no findings', async () => {
      const report = await validateRepo(makeRepo(base()), { strict: true });
      assert.deepEqual(report.findings, []);
    });

    it('invalid-ipc-config for unparsable JSON and for a non-object', async () => {
      const bad = await validateRepo(makeRepo({ ...base(), '.puruto-ipc.json': '{"enabled": true,' }));
      assert.equal(the(bad, 'invalid-ipc-config', '.puruto-ipc.json').level, 'error');
      const list = await validateRepo(makeRepo({ ...base(), '.puruto-ipc.json': '[1, 2]' }));
      assert.match(the(list, 'invalid-ipc-config').message, /JSON object/);
      assert.ok(!codes(list).includes('ipc-config-missing-key'));
    });

    it('ipc-config-missing-key: one warning per missing key', async () => {
      const report = await validateRepo(
        makeRepo({ ...base(), '.puruto-ipc.json': '{"enabled": true, "owner": "puruto-x"}' }),
      );
      const missing = report.findings.filter((f) => f.code === 'ipc-config-missing-key');
      assert.equal(missing.length, 4);
      assert.ok(missing.every((f) => f.level === 'warning' && f.path === '.puruto-ipc.json'));
      for (const key of ['max_hops', 'default_timeout_sec', 'allowed_targets', 'allowed_actions']) {
        assert.ok(
          missing.some((f) => f.message.includes(`"${key}"`)),
          key,
        );
      }
      assert.equal(report.ok, true);
    });

    it('ipc-config-invalid-type per bad key, without a duplicate schema finding', async () => {
      const cfg = {
        enabled: true,
        owner: 'x',
        max_hops: 2,
        default_timeout_sec: 120,
        allowed_targets: 'puruto-data',
        allowed_actions: [],
      };
      const report = await validateRepo(makeRepo({ ...base(), '.puruto-ipc.json': JSON.stringify(cfg) }), {
        strict: true,
      });
      const bad = report.findings.filter((f) => f.code === 'ipc-config-invalid-type');
      assert.equal(bad.length, 2);
      assert.ok(bad.every((f) => f.level === 'error'));
      assert.deepEqual(codes(report), ['ipc-config-invalid-type', 'ipc-config-invalid-type']);
    });

    it('missing-ipc-skill and missing-ipc-runtime (one per file) when the config exists', async () => {
      const report = await validateRepo(
        makeRepo(without(base(), '.claude/skills/call/SKILL.md', 'ipc.py', 'invoker.py')),
      );
      assert.equal(the(report, 'missing-ipc-skill', '.claude/skills/call/SKILL.md').level, 'error');
      assert.equal(the(report, 'missing-ipc-runtime', 'ipc.py').level, 'error');
      assert.equal(the(report, 'missing-ipc-runtime', 'invoker.py').level, 'error');
    });

    it('missing-ipc-config (warning) when /call exists without config', async () => {
      const report = await validateRepo(makeRepo(without(base(), '.puruto-ipc.json')));
      assert.equal(the(report, 'missing-ipc-config', '.puruto-ipc.json').level, 'warning');
      assert.ok(!codes(report).includes('missing-ipc-runtime'));
    });

    it('a folder named .puruto-ipc.json is an invalid config', async () => {
      const dir = makeRepo(without(base(), '.puruto-ipc.json'));
      fs.mkdirSync(path.join(dir, '.puruto-ipc.json'));
      const report = await validateRepo(dir);
      assert.match(the(report, 'invalid-ipc-config').message, /is a folder/);
    });
  });

  it('every std code is provoked by this file with its contract level', () => {
    // Guard against a std code being added without a test here.
    const src = fs.readFileSync(new URL(import.meta.url), 'utf8');
    for (const code of Object.keys(STD_CODES)) assert.ok(src.includes(`'${code}'`), code);
  });

  it('findings are ordered errors first, then by path, then code', async () => {
    const files = without(validStandardRepo('puruto-x'), 'README.md', 'agent.md', '.claude/skills/list/SKILL.md');
    files['.claude/skills/extra/SKILL.md'] = skillMd('other');
    const report = await validateRepo(makeRepo(files));
    const levels = report.findings.map((f) => f.level);
    assert.deepEqual(
      levels,
      [...levels].sort((a, b) => (a === b ? 0 : a === 'error' ? -1 : 1)),
    );
    for (const level of ['error', 'warning']) {
      const paths = report.findings.filter((f) => f.level === level).map((f) => `${f.path}\0${f.code}`);
      assert.deepEqual(paths, [...paths].sort());
    }
    assert.equal(report.errors, 2);
    assert.equal(report.warnings, report.findings.length - 2);
  });
});
