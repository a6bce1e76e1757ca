/** The qwen adapter against the real Qwen Code CLI (@qwen-code/qwen-code), speaking Anthropic Messages. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { arr, isObj } from '../helpers/fake-model/protocol.js';
import { realAgentSuite } from '../helpers/agents.js';

realAgentSuite({
  agent: 'qwen',
  binary: 'qwen',
  protocol: 'anthropic',
  // What a user sets once: the auth type in ~/.qwen/settings.json and its provider's
  // variables (here Anthropic's, pointed at the fake server). Usage statistics off: the
  // test machine has no network. Permissions, retries and the skill are the adapter's job.
  setup(fake, home) {
    mkdirSync(path.join(home, '.qwen'), { recursive: true });
    writeFileSync(
      path.join(home, '.qwen', 'settings.json'),
      JSON.stringify({ security: { auth: { selectedType: 'anthropic' } }, privacy: { usageStatisticsEnabled: false } }),
    );
    return { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: 'sk-ant-fake-key', ANTHROPIC_MODEL: 'fake-model' };
  },
  // Qwen Code expands `/name` into the skill's SKILL.md (found through .agents/skills), its
  // arguments after it — the target's skill, not Qwen's built-in command of that name.
  skillInvoked: (skill) =>
    new RegExp(
      `^Base directory for this skill: \\S+/\\.agents/skills/${skill}\\n[\\s\\S]*\\n# ` +
        `/${skill}\\n[\\s\\S]*<skill-args>`,
    ),
  // The text blocks of the first user message after Qwen's <system-reminder> blocks.
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
