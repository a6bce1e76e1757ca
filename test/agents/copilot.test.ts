/** The copilot adapter against the real GitHub Copilot CLI (@github/copilot), speaking Anthropic Messages. */
import { arr, isObj } from '../helpers/fake-model/protocol.js';
import { realAgentSuite } from '../helpers/agents.js';

realAgentSuite({
  agent: 'copilot',
  binary: 'copilot',
  protocol: 'anthropic',
  // A model provider of one's own (BYOK) pointed at the fake server, offline (no GitHub
  // login, telemetry or update check). Permissions and the skill are the adapter's job.
  setup: (fake) => ({
    COPILOT_OFFLINE: 'true',
    COPILOT_PROVIDER_BASE_URL: fake.url,
    COPILOT_PROVIDER_TYPE: 'anthropic',
    COPILOT_PROVIDER_API_KEY: 'sk-ant-fake-key',
    COPILOT_MODEL: 'claude-sonnet-4',
  }),
  // In prompt mode Copilot takes `/name` as plain text: the message names the skill for its
  // skill tool (which lists the target's skills), with where the SKILL.md is.
  skillInvoked: (skill) =>
    new RegExp(`^Invoke the "${skill}" skill \\(skill tool\\) for:[\\s\\S]*\\.claude/skills/${skill}/SKILL\\.md`),
  // The first user message, without the <current_datetime> Copilot puts before it.
  userText(request) {
    const body = isObj(request.body) ? request.body : {};
    const first = arr(body['messages']).find((m) => isObj(m) && m['role'] === 'user');
    const content = isObj(first) ? first['content'] : undefined;
    const text =
      typeof content === 'string'
        ? content
        : arr(content)
            .filter((b) => isObj(b) && b['type'] === 'text')
            .map((b) => String((b as Record<string, unknown>)['text']))
            .join('\n');
    return text.replace(/^<current_datetime>[^<]*<\/current_datetime>\s*/, '');
  },
});
