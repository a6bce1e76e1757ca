/** The claude adapter against the real Claude Code CLI (@anthropic-ai/claude-code). */
import { arr, isObj } from '../helpers/fake-model/protocol.js';
import { realAgentSuite } from '../helpers/agents.js';

realAgentSuite({
  agent: 'claude',
  binary: 'claude',
  protocol: 'anthropic',
  setup: (fake) => ({ ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: 'sk-ant-fake-key', DISABLE_AUTOUPDATER: '1' }),
  // Claude Code expands `/name` into the skill: its command tag and the SKILL.md body.
  skillInvoked: (skill) =>
    new RegExp(
      `<command-name>/${skill}</command-name>[\\s\\S]*Base directory for this skill: \\S+/\\.claude/skills/${skill}`,
    ),
  // The prompt is the last text block of the first user message (the ones before it are
  // Claude Code's reminders with CLAUDE.md and AGENTS.md).
  userText(request) {
    const body = isObj(request.body) ? request.body : {};
    const first = arr(body['messages']).find((m) => isObj(m) && m['role'] === 'user');
    const content = isObj(first) ? first['content'] : undefined;
    if (typeof content === 'string') return content;
    const texts = arr(content).filter(
      (b) => isObj(b) && b['type'] === 'text' && !String(b['text']).startsWith('<system-reminder>'),
    );
    return texts.map((b) => String((b as Record<string, unknown>)['text'])).join('\n');
  },
});
