import assert from 'node:assert/strict';
import { STANDARD_VERSION } from '../../lib/standard/version.js';
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { puruto } from '../helpers/cli.js';
import { legacyRepo } from '../helpers/tree.js';
import { py } from '../helpers/python.js';
import { callIpc, callInvoker, cleanEnv } from '../helpers/ipc.js';

describe('upgraded legacy repos run (python3)', () => {
  it(
    `puruto-telegram 0.0.0 → ${STANDARD_VERSION}: ` + `the added inbox.py drains cron events beside the legacy db.py`,
    async () => {
      const repo = legacyRepo('telegram-0.0.0/puruto-telegram');
      assert.equal((await puruto(['upgrade', repo])).code, 0);
      const empty = py(['inbox.py'], repo, cleanEnv());
      assert.equal(empty.status, 0, empty.stderr);
      assert.equal(JSON.parse(empty.stdout).pending, 0);
      const event = {
        ts: '2026-01-01T09:00:00Z',
        job_id: 'daily',
        run_id: 'daily-20260101T090000',
        attempt: 1,
        result: { status: 'ok' },
      };
      writeFileSync(path.join(repo, 'inbox/cron-events.jsonl'), `${JSON.stringify(event)}\n`);
      const r = py(['inbox.py', '--deliver'], repo, cleanEnv());
      assert.equal(r.status, 0, r.stderr);
      const kept = JSON.parse(r.stdout);
      assert.equal(kept.skipped_delivery, 1, 'no token in the environment: nothing sent, the event waits, no crash');
      assert.equal(kept.processed, 0);
      const out = JSON.parse(py(['inbox.py'], repo, cleanEnv()).stdout);
      assert.equal(out.processed, 1);
      assert.deepEqual(out.preview, [{ job_id: 'daily', run_id: 'daily-20260101T090000', ts: '2026-01-01T09:00:00Z' }]);
    },
  );

  it('an IPC repo without runtime gets a working ipc.py and invoker.py', async () => {
    const repo = legacyRepo('ipc-0.1.0/puruto-ipc-demo');
    // its allowed target, beside it
    cpSync(legacyRepo('standard-0.0.0/puruto-notes'), path.join(path.dirname(repo), 'puruto-notes'), {
      recursive: true,
    });
    assert.equal((await puruto(['upgrade', repo])).code, 0);
    const ok = callIpc(repo, 'puruto-notes', 'summarize', 'chapter 1', cleanEnv({ PURUTO_AGENT: 'stub' }));
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.json.response['status'], 'ok');
    const denied = callIpc(repo, 'puruto-notes', 'delete', 'all', cleanEnv({ PURUTO_AGENT: 'stub' }));
    assert.equal(denied.status, 1);
    assert.equal(denied.json.response['error'].code, 'DENIED');
  });

  it('puruto-gateway 0.1.0 gets the ecosystem invoker, which reaches a sibling Puruto', async () => {
    const repo = legacyRepo('gateway-0.1.0/puruto-gateway');
    cpSync(legacyRepo('standard-0.0.0/puruto-notes'), path.join(path.dirname(repo), 'puruto-notes'), {
      recursive: true,
    });
    assert.equal((await puruto(['upgrade', repo])).code, 0);
    const r = callInvoker(repo, 'puruto-notes', 'status', 'hello', cleanEnv({ PURUTO_AGENT: 'stub' }));
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.json['status'], 'ok');
  });
});
