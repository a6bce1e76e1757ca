/**
 * A delegation chain across generated Purutos side by side: the `command` adapter runs
 * test/fixtures/ipc/relay.py as each target's agent, and that "agent" calls the next
 * Puruto through its own repo's ipc.py, exactly as /call does. Real processes all along.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/generators.js';
import { RELAY, allow, callIpc, cleanEnv, commandOf, configure, ipcRepo, logLines } from '../helpers/ipc.js';

describe('IPC runtime: a chain A → B → C (→ D) of generated Purutos', () => {
  let parent = '';
  const repo: Record<string, string> = {};
  before(async () => {
    parent = tempDir('puruto-ipc-chain-');
    for (const x of ['a', 'b', 'c', 'd']) repo[x] = await ipcRepo(`puruto-${x}`, parent);
    // each Puruto allows the next one's `relay` action; max_hops keeps its default, 2
    allow(repo['a']!, { 'puruto-b': ['relay'] });
    allow(repo['b']!, { 'puruto-c': ['relay'] });
    allow(repo['c']!, { 'puruto-d': ['relay'] });
  });
  after(() => rmSync(parent, { recursive: true, force: true }));

  /** A calls B with `prompt` = the rest of the chain; returns A's answer and the relay log. */
  function chain(prompt: string, extra: Record<string, string> = {}) {
    const log = path.join(tempDir(), 'relay.log');
    const env = cleanEnv({
      PURUTO_AGENT: 'command',
      PURUTO_AGENT_COMMAND: commandOf(RELAY, '{prompt}'),
      RELAY_LOG: log,
      ...extra,
    });
    const r = callIpc(repo['a']!, 'puruto-b', 'relay', prompt, env);
    return { r, log: logLines(log) };
  }

  it('A → B → C: one correlation id along the chain, the hop growing by one per delegation', () => {
    const { r, log } = chain('puruto-c');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const { request, response } = r.json;
    const corr = request['correlation_id'] as string;
    assert.match(corr, /^corr-[0-9a-f]{32}$/);
    assert.deepEqual([request['caller'], request['target'], request['hop']], ['puruto-a', 'puruto-b', 0]);
    // what each agent saw, in order: B at hop 1 called by A, C at hop 2 called by B
    assert.deepEqual(log, [
      { repo: 'puruto-b', hop: '1', correlation_id: corr, caller: 'puruto-a' },
      { repo: 'puruto-c', hop: '2', correlation_id: corr, caller: 'puruto-b' },
    ]);
    // B's own ipc.py call to C, carried back inside B's answer
    const b = response['result'];
    assert.equal(b.summary, 'puruto-b relayed to puruto-c');
    assert.equal(b.exit_code, 0);
    const { request: bc, response: bcAnswer } = b.downstream;
    assert.deepEqual([bc.caller, bc.target, bc.hop, bc.correlation_id], ['puruto-b', 'puruto-c', 1, corr]);
    assert.notEqual(bc.request_id, request['request_id']);
    assert.equal(bcAnswer.status, 'ok');
    assert.equal(bcAnswer.correlation_id, corr);
    assert.deepEqual(bcAnswer.result, {
      summary: 'puruto-c done',
      repo: 'puruto-c',
      hop: '2',
      correlation_id: corr,
      caller: 'puruto-b',
    });
  });

  it("A → B → C → D: C's call to D is at hop 2 and max_hops 2 refuses it; D never runs", () => {
    const { r, log } = chain('puruto-c puruto-d');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const corr = r.json.request['correlation_id'];
    assert.deepEqual(
      log.map((l) => [l['repo'], l['hop'], l['correlation_id']]),
      [
        ['puruto-b', '1', corr],
        ['puruto-c', '2', corr],
      ],
    );
    const c = r.json.response['result'].downstream.response.result;
    assert.equal(c.summary, 'puruto-c relayed to puruto-d');
    assert.equal(c.exit_code, 1, 'ipc.py exits 1 on an error answer');
    const { request: cd, response: refused } = c.downstream;
    assert.deepEqual([cd.caller, cd.target, cd.hop, cd.correlation_id], ['puruto-c', 'puruto-d', 2, corr]);
    assert.equal(refused.status, 'error');
    assert.equal(refused.error.code, 'DENIED');
    assert.deepEqual(refused.error.details, { rule: 'max_hops', hop: 2, max_hops: 2 });
  });

  it("the limit is each caller's own max_hops: C with max_hops 3 lets D run at hop 3", () => {
    configure(repo['c']!, { max_hops: 3 });
    try {
      const { r, log } = chain('puruto-c puruto-d');
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.deepEqual(
        log.map((l) => [l['repo'], l['hop'], l['caller']]),
        [
          ['puruto-b', '1', 'puruto-a'],
          ['puruto-c', '2', 'puruto-b'],
          ['puruto-d', '3', 'puruto-c'],
        ],
      );
      assert.ok(log.every((l) => l['correlation_id'] === r.json.request['correlation_id']));
      assert.equal(
        r.json.response['result'].downstream.response.result.downstream.response.result.summary,
        'puruto-d done',
      );
    } finally {
      configure(repo['c']!, { max_hops: 2 });
    }
  });

  it('an agent that strips PURUTO_IPC_* from its child cannot reset the hop: max_hops still refuses D', () => {
    // Each relay removes the chain variables before calling ipc.py (`env -u PURUTO_IPC_HOP ...`);
    // the hop is still read from the environment the agent itself was started with.
    const { r, log } = chain('puruto-c puruto-d', { RELAY_STRIP: '1' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.deepEqual(
      log.map((l) => l['repo']),
      ['puruto-b', 'puruto-c'],
      'puruto-d never ran',
    );
    const c = r.json.response['result'].downstream.response.result;
    const { request: cd, response: refused } = c.downstream;
    assert.equal(cd.hop, 2);
    assert.equal(refused.error.code, 'DENIED');
    assert.deepEqual(refused.error.details, { rule: 'max_hops', hop: 2, max_hops: 2 });
  });
});
