import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { puruto } from '../helpers/cli.js';
import { tempDir, withHome } from '../helpers/generators.js';
import { PYTHON, py } from '../helpers/python.js';

const KEY = 'init-runtime-key-0123456789abcdef';
/** Settings of the developer's shell must not replace the wired .env values. */
const CLEAN = { PURUTO_DATA_PATH: '', PURUTO_TELEGRAM_PATH: '', PURUTO_TELEGRAM_OUTBOX_FILE: '', PURUTO_AGENT: 'stub' };

/**
 * The ecosystem `puruto init --all` builds, run for real with python3: every repo's
 * .env is its .env.example (what /init starts with), and the wiring must hold at run
 * time — the gateway discovers the registered repos, puruto-cron's notifications reach
 * the sibling puruto-telegram, and the vault accepts the registry init wrote.
 */
describe('puruto init --all: the wired ecosystem at run time (python3)', () => {
  let eco = '';
  before(async () => {
    eco = path.join(tempDir('puruto-rt-init-'), 'purutos');
    const r = await withHome(tempDir(), () => puruto(['init', eco, '--all', '--no-git']));
    assert.equal(r.code, 0, r.stderr);
    for (const repo of ['puruto-data', 'puruto-telegram', 'puruto-cron', 'puruto-gateway']) {
      fs.copyFileSync(path.join(eco, repo, '.env.example'), path.join(eco, repo, '.env'));
    }
  });

  it("the vault's own vault.py accepts the registry init wrote (check ok; registering again changes nothing)", () => {
    const vault = path.join(eco, 'puruto-data');
    const check = py(['vault.py', 'check', '--json'], vault);
    assert.equal(check.status, 0, check.stderr);
    assert.deepEqual(JSON.parse(check.stdout), {
      ok: true,
      entries: 3,
      entries_without_folders: [],
      folders_without_entries: [],
      invalid_entries: [],
      entries_without_repos: [],
      repairs: [],
    });
    const again = py(['vault.py', 'register', 'puruto-cron', '--json'], vault);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).status, 'already-registered');
  });

  it(
    "the gateway's discovery (PURUTO_DATA_PATH from .env) lists the registered siblings; " +
      'the private vault is not served',
    () => {
      const script = [
        'import json',
        'from fastapi.testclient import TestClient',
        'import app',
        'a = app.create_app()',
        'c = TestClient(a)',
        `h = {"X-API-Key": "${KEY}"}`,
        'print(json.dumps({"list": c.get("/purutos", headers=h).json(), "vault": c.get("/purutos/puruto-data", ' +
          'headers=h).status_code, "source": a.state.registry.source()}))',
      ].join('\n');
      const r = py(['-c', script], path.join(eco, 'puruto-gateway'), { ...CLEAN, PURUTO_GATEWAY_API_KEY: KEY });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.source, path.join(eco, 'puruto-data', 'registry.json'));
      assert.deepEqual(out.list, {
        status: 'ok',
        count: 3,
        items: ['puruto-telegram', 'puruto-cron', 'puruto-gateway'].map((name) => ({
          name,
          path: path.join(eco, name),
          kind: name,
          commands: ['init', 'help', 'list', 'status'],
        })),
      });
      assert.equal(out.vault, 404);
    },
  );

  it(
    "puruto-cron's notifications reach the sibling puruto-telegram (PURUTO_TELEGRAM_PATH), " +
      'whose inbox.py reads them',
    () => {
      const cron = path.join(eco, 'puruto-cron');
      const status = py(['main.py', 'status'], cron, CLEAN);
      assert.equal(status.status, 0, status.stderr);
      assert.deepEqual(JSON.parse(status.stdout).notification_targets, {
        local_events: 'notifications/events.jsonl',
        telegram_outbox: '../puruto-telegram/inbox/cron-events.jsonl',
        telegram_repo_exists: true,
      });
      const jobs = JSON.parse(fs.readFileSync(path.join(cron, '.jobs.json'), 'utf8'));
      jobs.jobs[0].enabled = true;
      fs.writeFileSync(path.join(cron, '.jobs.json'), JSON.stringify(jobs, null, 2));
      assert.equal(py(['main.py', 'sync-jobs'], cron, CLEAN).status, 0);
      const run = py(['main.py', 'run-now', jobs.jobs[0].job_id], cron, CLEAN);
      assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
      assert.equal(JSON.parse(run.stdout).status, 'ok');
      const inbox = py(['inbox.py'], path.join(eco, 'puruto-telegram'), CLEAN);
      assert.equal(inbox.status, 0, inbox.stderr);
      const drained = JSON.parse(inbox.stdout);
      assert.equal(drained.processed, 1);
      assert.equal(drained.preview[0].job_id, jobs.jobs[0].job_id);
    },
  );

  it(
    '`puruto workspace --status` runs each status script: the vault and cron are ready, ' +
      'the others name what to set',
    async () => {
      const saved = process.env['PURUTO_PYTHON'];
      process.env['PURUTO_PYTHON'] = PYTHON;
      try {
        const r = await puruto(['workspace', eco, '--status', '--json']);
        assert.equal(r.code, 0, r.stderr);
        const states = Object.fromEntries(
          JSON.parse(r.stdout).purutos.map((p: { name: string; status: { state: string; summary: string } }) => [
            p.name,
            p.status,
          ]),
        );
        assert.equal(states['puruto-data'].state, 'ok', states['puruto-data'].summary);
        assert.equal(states['puruto-cron'].state, 'ok', states['puruto-cron'].summary);
        assert.equal(states['puruto-telegram'].state, 'problem');
        assert.match(states['puruto-telegram'].summary, /PURUTO_TELEGRAM_BOT_TOKEN/);
        assert.equal(states['puruto-gateway'].state, 'problem');
        assert.match(states['puruto-gateway'].summary, /PURUTO_GATEWAY_API_KEY/);
      } finally {
        if (saved === undefined) delete process.env['PURUTO_PYTHON'];
        else process.env['PURUTO_PYTHON'] = saved;
      }
    },
  );

  it("the wired gateway's own pytest suite still passes", () => {
    const r = py(['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'], path.join(eco, 'puruto-gateway'));
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.doesNotMatch(r.stdout, /failed|error/i);
  });
});
