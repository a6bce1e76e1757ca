/**
 * Telegram plain text end to end with a real agent: a user's text reaches the generated
 * bot.py through the connector's own fake Bot API, router.py sends it to the active
 * channel's Puruto as the action `message` through invoker.py, the real Claude Code runs
 * there against our fake model API on 127.0.0.1, and its answer is sent back to the user.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AGENTS_PATH, realCli, requireInstalled, runAsync } from '../helpers/agents.js';
import { arr, isObj } from '../helpers/fake-model/protocol.js';
import { startFakeModel, type FakeModel } from '../helpers/fake-model/server.js';
import { ROOT, runGenerator, tempDir, withHome } from '../helpers/generators.js';
import { messageLead } from '../helpers/hostile.js';
import { cleanEnv } from '../helpers/ipc.js';
import { PYTHON } from '../helpers/python.js';

const DRIVER = path.join(ROOT, 'test', 'fixtures', 'telegram', 'drive_bot.py');

describe('real agent via Telegram: plain text → fake Bot API → bot.py → router → real claude → reply', function () {
  this.timeout(240_000);
  const cli = realCli('claude');
  let fake: FakeModel;
  let parent = '';
  before(async function () {
    requireInstalled(this, 'missing' in cli ? cli.missing : undefined);
    parent = tempDir('puruto-tg-agent-');
    await withHome(tempDir('puruto-home-'), async () => {
      await runGenerator('telegram', {
        options: { yes: true, git: false, destination: path.join(parent, 'puruto-telegram') },
      });
      await runGenerator('app', {
        options: {
          name: 'puruto-notes',
          description: 'Notes of the team',
          yes: true,
          git: false,
          destination: path.join(parent, 'puruto-notes'),
        },
      });
    });
    writeFileSync(
      path.join(parent, 'puruto-telegram', '.channels.json'),
      JSON.stringify({ channels: ['puruto-notes'] }),
    );
    fake = await startFakeModel({ kind: 'text', text: 'Noted: the meeting is on **Friday** now.' });
  });
  after(async () => {
    if (fake) await fake.stop();
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  it("the user's text reaches the channel's agent as plain text and its answer comes back", async () => {
    const home = tempDir('puruto-home-tg-');
    const env = cleanEnv({
      PATH: AGENTS_PATH,
      HOME: home,
      PYTHONDONTWRITEBYTECODE: '1',
      PURUTO_AGENT: 'claude',
      ANTHROPIC_BASE_URL: fake.url,
      ANTHROPIC_API_KEY: 'sk-ant-fake-key',
      DISABLE_AUTOUPDATER: '1',
    });
    const text = 'the team meeting moved to Friday, please note it';
    const r = await runAsync(
      PYTHON,
      [DRIVER, path.join(parent, 'puruto-telegram'), 'puruto-notes', text],
      { env },
      200_000,
    );
    rmSync(home, { recursive: true, force: true });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const out = JSON.parse(r.stdout) as { sent: string[]; actions: string[] };
    assert.match(out.sent[0]!, /Active channel: puruto-notes/);
    // The agent's Markdown is sent as Telegram HTML.
    assert.equal(out.sent.at(-1), 'Noted: the meeting is on <b>Friday</b> now.', JSON.stringify(out.sent));
    assert.ok(out.actions.includes('typing'), 'typing was shown while the agent worked');
    // The model was asked by Claude Code running in puruto-notes, with the text as it was typed.
    const turn = fake.requests.find((q) => q.protocol === 'anthropic' && q.raw.includes(text));
    assert.ok(turn, 'the text reached the model');
    const body = turn.body as Record<string, unknown>;
    const first = arr(body['messages']).find((m) => isObj(m) && m['role'] === 'user') as Record<string, unknown>;
    const prompt = arr(first['content'])
      .map((b) => (isObj(b) ? String(b['text'] ?? '') : ''))
      .filter((t) => !t.startsWith('<system-reminder>'))
      .join('\n');
    assert.ok(prompt.includes(`${messageLead('puruto-telegram')}\n\n${text}\n\n`), prompt.slice(0, 300));
    assert.ok(turn.raw.includes(path.join(parent, 'puruto-notes')), "claude ran in the channel's folder");
  });
});
