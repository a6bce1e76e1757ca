/** The codex adapter against the real Codex CLI (@openai/codex). */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { arr, isObj, textOf } from '../helpers/fake-model/protocol.js';
import { startFakeModel, type FakeModel, type LoggedRequest } from '../helpers/fake-model/server.js';
import { AGENTS_PATH, agentRepos, realAgentSuite, realCli, requireInstalled, runInvoker } from '../helpers/agents.js';
import { tempDir } from '../helpers/generators.js';
import { freeTextMessage } from '../helpers/hostile.js';
import { cleanEnv } from '../helpers/ipc.js';

/**
 * An OpenAI-compatible endpoint as a user configures one: a provider table in
 * $CODEX_HOME/config.toml (Codex ignores OPENAI_BASE_URL; its built-in `openai` provider
 * would first try a WebSocket), its key from an env var. No retry settings: the adapter
 * must cap codex's retries itself.
 */
function setup(fake: FakeModel, home: string): Record<string, string> {
  mkdirSync(path.join(home, '.codex'), { recursive: true });
  writeFileSync(
    path.join(home, '.codex', 'config.toml'),
    [
      'model = "gpt-fake"',
      'model_provider = "fake"',
      '',
      '[model_providers.fake]',
      'name = "fake model API"',
      `base_url = "${fake.url}/v1"`,
      'wire_api = "responses"',
      'env_key = "FAKE_OPENAI_API_KEY"',
      '',
    ].join('\n'),
  );
  return { FAKE_OPENAI_API_KEY: 'sk-fake-key' };
}

/** The user's side of a turn: every user message part except codex's context (the AGENTS.md
 * block and the environment context); the prompt comes first, then the skill codex loaded. */
function userText(request: LoggedRequest): string {
  const body = isObj(request.body) ? request.body : {};
  const parts = arr(body['input'])
    .filter((m) => isObj(m) && m['type'] === 'message' && m['role'] === 'user')
    .flatMap((m) => arr((m as Record<string, unknown>)['content']))
    .map((c) => textOf([c]))
    .filter((t) => !t.startsWith('# AGENTS.md instructions for') && !t.startsWith('<environment_context>'));
  return parts.join('\n');
}

realAgentSuite({
  agent: 'codex',
  binary: 'codex',
  protocol: 'openai-responses',
  setup,
  // `$status` in the prompt makes codex load that SKILL.md: it sends the skill's file as a
  // `<skill>` user message right after the prompt.
  skillInvoked: (skill) =>
    new RegExp(
      `^\\$${skill}\\b[\\s\\S]*<skill>\\n<name>${skill}</name>\\n<path>\\S+/\\.claude/skills/${skill}/SKILL\\.m` +
        `d</path>`,
    ),
  userText,
  limits: {
    denied:
      'codex exec always runs with approval policy "never": the read-only sandbox makes the write fail, ' +
      'and codex leaves a sandbox-blocked command out of its --json events (no command_execution item, ' +
      'no declined status), so nothing tells the invoker a tool was denied; ' +
      'the call is ok and the answer carries the tool output. The codex suite below proves the write is blocked',
    api500:
      'codex 0.171 turns an HTTP 500 into its own text ("We’re currently experiencing high demand...") ' +
      "and drops the API's message (not in its JSON events, nor in its stderr even with RUST_LOG=trace); " +
      "the codex suite below proves the 500 is agent_error with codex's text after a capped number of retries",
  },
});

describe('real agent: codex specifics (sandbox and retry cap)', function () {
  this.timeout(180_000);
  const cli = realCli('codex');
  let fake: FakeModel;
  let repos: { parent: string; a: string; b: string };
  let home = '';
  let env: Record<string, string> = {};
  before(async function () {
    requireInstalled(this, 'missing' in cli ? cli.missing : undefined);
    fake = await startFakeModel();
    repos = await agentRepos();
    home = tempDir('puruto-home-codex-');
    env = cleanEnv({
      PATH: AGENTS_PATH,
      HOME: home,
      PURUTO_AGENT: 'codex',
      ...setup(fake, home),
    });
  });
  after(async () => {
    if (fake) await fake.stop();
    if (repos) rmSync(repos.parent, { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
  });
  const call = async (action: string, prompt: string, timeout = 60) => {
    const from = fake.requests.length;
    const r = await runInvoker(
      repos.a,
      ['--target', 'puruto-b', '--action', action, '--prompt', prompt, '--timeout', String(timeout)],
      env,
      (timeout + 30) * 1000,
    );
    return { ...r, requests: fake.requests.slice(from).filter((q) => q.protocol === 'openai-responses') };
  };

  it(
    'a Read-only skill runs in the read-only sandbox: ' + 'the shell write it tries is blocked, nothing is written',
    async () => {
      const marker = path.join(repos.b, 'PWNED');
      rmSync(marker, { force: true });
      fake.scenario = { kind: 'tool', command: `touch ${marker}`, text: 'Peeked:' };
      const r = await call('peek', 'the notes');
      assert.ok(!existsSync(marker), 'the write did not happen');
      const tool = r.requests.find((q) => q.answered === 'tool');
      assert.ok(tool, 'the model asked for the shell');
      assert.match(r.requests.map((q) => q.raw).join('\n'), /sandbox_mode\W+is\W+read-only/);
      assert.match(JSON.stringify(r.json), /Read-only file system/, JSON.stringify(r.json));
    },
  );

  it(
    'a Bash skill runs in the workspace-write sandbox with network: ' + 'its script reaches a server on 127.0.0.1',
    async () => {
      const script =
        `python3 -c "import urllib.request; ` +
        `print(urllib.request.urlopen('${fake.url}/v1/models').read().decode())` +
        `"`;
      fake.scenario = { kind: 'tool', command: script, text: 'Fetched:' };
      const r = await call('status', 'check the network');
      assert.equal(r.json['status'], 'ok', JSON.stringify(r.json, null, 1));
      assert.match(r.json['result'].summary, /"object":"list"/);
    },
  );

  it('a `message` that starts with "-" or names a codex subcommand is still the prompt', async () => {
    for (const text of ['--version of the notes, please', 'resume']) {
      fake.scenario = { kind: 'text', text: 'Noted.' };
      const r = await call('message', text);
      assert.equal(r.json['status'], 'ok', JSON.stringify(r.json, null, 1));
      assert.ok(userText(r.requests[0]!).includes(freeTextMessage(text)), userText(r.requests[0]!).slice(0, 300));
    }
  });

  it(
    'the built-in openai provider with CODEX_API_KEY (codex exec sends no OPENAI_API_KEY): ' +
      'its WebSocket attempts are not cut short, it falls back to HTTPS and answers',
    async () => {
      const openaiHome = tempDir('puruto-home-codex-openai-');
      try {
        mkdirSync(path.join(openaiHome, '.codex'));
        writeFileSync(
          path.join(openaiHome, '.codex', 'config.toml'),
          `model = "gpt-fake"\nopenai_base_url = "${fake.url}/v1"\n`,
        );
        fake.scenario = { kind: 'text', text: 'Answered over HTTPS.' };
        const from = fake.requests.length;
        const r = await runInvoker(
          repos.a,
          ['--target', 'puruto-b', '--action', 'summarize', '--prompt', 'x', '--timeout', '60'],
          cleanEnv({
            PATH: AGENTS_PATH,
            HOME: openaiHome,
            PURUTO_AGENT: 'codex',
            CODEX_API_KEY: 'sk-openai-fake',
          }),
          90_000,
        );
        assert.equal(r.json['status'], 'ok', JSON.stringify(r.json, null, 1));
        assert.equal(r.json['result'].summary, 'Answered over HTTPS.');
        const requests = fake.requests.slice(from);
        assert.ok(
          requests.some((q) => q.method === 'GET' && q.headers['upgrade'] === 'websocket'),
          'codex tried a WebSocket first',
        );
        const post = requests.find((q) => q.protocol === 'openai-responses');
        assert.equal(post?.headers['authorization'], 'Bearer sk-openai-fake', JSON.stringify(post?.headers));
      } finally {
        rmSync(openaiHome, { recursive: true, force: true });
      }
    },
  );

  it(
    "an API 500 is agent_error with codex's own text, and codex is stopped at its second reconnect (bounded " +
      'requests)',
    async () => {
      fake.scenario = { kind: 'error', status: 500, message: 'fake API refuses this request (500-x9)' };
      const r = await call('summarize', 'x');
      assert.equal(r.json['status'], 'error', JSON.stringify(r.json, null, 1));
      const error = r.json['error'];
      assert.deepEqual([error.code, error.details.reason], ['IPC_ERROR', 'agent_error'], JSON.stringify(error));
      assert.match(
        error.message,
        /codex reported an error: We’re currently experiencing high demand.*codex was stopped at its reconnect 2\/5/,
      );
      assert.equal(error.details.reconnect, '2/5');
      // Uncapped, codex makes 6 turns of 5 HTTP tries (30 requests); capped: 2 turns.
      assert.ok(r.requests.length >= 2 && r.requests.length <= 10, `${r.requests.length} requests`);
    },
  );
});
