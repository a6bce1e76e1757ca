/** The opencode adapter against the real OpenCode CLI (opencode-ai), speaking Anthropic Messages. */
import { arr, isObj } from '../helpers/fake-model/protocol.js';
import { realAgentSuite } from '../helpers/agents.js';

realAgentSuite({
  agent: 'opencode',
  binary: 'opencode',
  protocol: 'anthropic',
  // A custom provider on OpenCode's bundled @ai-sdk/anthropic module, pointed at the fake
  // server; no models.dev download. Everything else (permissions, retries, the skill, the
  // folder) is the adapter's job.
  setup: (fake) => ({
    OPENCODE_CONFIG_CONTENT: JSON.stringify({
      $schema: 'https://opencode.ai/config.json',
      provider: {
        fake: {
          npm: '@ai-sdk/anthropic',
          name: 'Fake',
          options: { baseURL: `${fake.url}/v1`, apiKey: 'sk-ant-fake-key' },
          models: { 'fake-model': { name: 'Fake model' } },
        },
      },
      model: 'fake/fake-model',
      autoupdate: false,
      share: 'disabled',
    }),
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_AUTOUPDATE: '1',
  }),
  // The adapter attaches the skill's SKILL.md: OpenCode puts it in the user turn as a Read
  // of that file, before the text that names the skill.
  skillInvoked: (skill) =>
    new RegExp(
      `<path>\\S+/\\.claude/skills/${skill}/SKILL\\.md</path>[\\s\\S]*name: ` +
        `${skill}\\n[\\s\\S]*Use the skill "${skill}"`,
    ),
  // The text blocks of the first user message.
  userText(request) {
    const body = isObj(request.body) ? request.body : {};
    const first = arr(body['messages']).find((m) => isObj(m) && m['role'] === 'user');
    const content = isObj(first) ? first['content'] : undefined;
    if (typeof content === 'string') return content;
    return arr(content)
      .filter((b) => isObj(b) && b['type'] === 'text')
      .map((b) => String((b as Record<string, unknown>)['text']))
      .join('\n');
  },
});
