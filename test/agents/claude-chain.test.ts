/**
 * A `/call` chain A → B → C → D run by the real Claude Code in each repo (fake model API on
 * 127.0.0.1): B's agent runs ipc.py to C through its Bash tool, C's agent tries D. One
 * correlation id along the chain, the hop growing per delegation, and C's call to D refused
 * by max_hops 2 — D's agent never asked.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AGENTS_PATH, realCli, requireInstalled, runInvoker } from '../helpers/agents.js';
import { startFakeModel, type FakeModel } from '../helpers/fake-model/server.js';
import { tempDir } from '../helpers/generators.js';
import { allow, cleanEnv, ipcRepo } from '../helpers/ipc.js';
import type { JsonObject } from '../helpers/json.js';

const marker = (repo: string) => `CHAIN-MARKER-${repo}`;

describe('real agent chain: claude A → B → C → D through /call', function () {
  this.timeout(240_000);
  const cli = realCli('claude');
  let fake: FakeModel;
  let parent = '';
  const repo: Record<string, string> = {};
  before(async function () {
    requireInstalled(this, 'missing' in cli ? cli.missing : undefined);
    parent = tempDir('puruto-chain-');
    for (const x of ['a', 'b', 'c', 'd']) {
      repo[x] = await ipcRepo(`puruto-${x}`, parent);
      const agents = path.join(repo[x]!, 'AGENTS.md');
      writeFileSync(agents, `${readFileSync(agents, 'utf8')}\n- ${marker(x)}\n`);
    }
    allow(repo['a']!, { 'puruto-b': ['call'] });
    allow(repo['b']!, { 'puruto-c': ['call'] });
    allow(repo['c']!, { 'puruto-d': ['summarize'] });
    fake = await startFakeModel({
      kind: 'route',
      routes: [
        {
          match: marker('b'),
          scenario: {
            kind: 'tool',
            command: "python3 ipc.py --target puruto-c --action call --prompt 'puruto-d summarize x'",
            text: 'B relayed:',
          },
        },
        {
          match: marker('c'),
          scenario: {
            kind: 'tool',
            command: "python3 ipc.py --target puruto-d --action summarize --prompt 'x'",
            text: 'C relayed:',
          },
        },
        { match: marker('d'), scenario: { kind: 'text', text: 'D answered (it should never be asked)' } },
      ],
      fallback: { kind: 'text', text: 'unexpected request' },
    });
  });
  after(async () => {
    if (fake) await fake.stop();
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  it('shares one correlation id, grows the hop, and max_hops stops C → D', async () => {
    const home = tempDir('puruto-home-chain-');
    const env = cleanEnv({
      PATH: AGENTS_PATH,
      HOME: home,
      PURUTO_AGENT: 'claude',
      ANTHROPIC_BASE_URL: fake.url,
      ANTHROPIC_API_KEY: 'sk-ant-fake-key',
      DISABLE_AUTOUPDATER: '1',
    });
    const r = await runInvoker(
      repo['a']!,
      ['--target', 'puruto-b', '--action', 'call', '--prompt', 'puruto-c call puruto-d', '--timeout', '180'],
      env,
      200_000,
    );
    rmSync(home, { recursive: true, force: true });
    assert.equal(r.json['status'], 'ok', JSON.stringify(r.json, null, 1));
    const corr = r.json['correlation_id'] as string;
    const summary = r.json['result'].summary as string;
    // B's Bash printed C's ipc.py answer: {"request": {..., "hop": 1, correlation_id}, "response": ...}
    const bToC = JSON.parse(summary.slice(summary.indexOf('{'))) as {
      request: Record<string, unknown>;
      response: JsonObject;
    };
    assert.deepEqual(
      [bToC.request['caller'], bToC.request['target'], bToC.request['hop'], bToC.request['correlation_id']],
      ['puruto-b', 'puruto-c', 1, corr],
    );
    assert.equal(bToC.response['status'], 'ok', JSON.stringify(bToC.response));
    const cText = bToC.response['result'].summary as string;
    const cToD = JSON.parse(cText.slice(cText.indexOf('{'))) as {
      request: Record<string, unknown>;
      response: JsonObject;
    };
    assert.deepEqual(
      [cToD.request['caller'], cToD.request['target'], cToD.request['hop'], cToD.request['correlation_id']],
      ['puruto-c', 'puruto-d', 2, corr],
    );
    assert.equal(cToD.response['error'].code, 'DENIED');
    assert.deepEqual(cToD.response['error'].details, { rule: 'max_hops', hop: 2, max_hops: 2 });
    const asked = (x: string) => fake.requests.some((q) => q.raw.includes(marker(x)));
    assert.deepEqual(['b', 'c', 'd'].map(asked), [true, true, false], "B's and C's agents were asked, D's never");
  });
});
