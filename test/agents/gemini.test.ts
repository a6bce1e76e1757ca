/** The gemini adapter against the real Gemini CLI (@google/gemini-cli). */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { arr, isObj } from '../helpers/fake-model/protocol.js';
import { realAgentSuite } from '../helpers/agents.js';

realAgentSuite({
  agent: 'gemini',
  binary: 'gemini',
  protocol: 'gemini',
  setup(fake, home) {
    // What `gemini` writes after an API-key login; a base URL alone does not select the auth type.
    mkdirSync(path.join(home, '.gemini'), { recursive: true });
    writeFileSync(path.join(home, '.gemini', 'settings.json'), JSON.stringify({ security: { auth: { selectedType: 'gemini-api-key' } } }));
    return { GEMINI_API_KEY: 'fake-gemini-key', GOOGLE_GEMINI_BASE_URL: fake.url };
  },
  // Gemini has no slash command for a skill: the message names it for the activate_skill tool,
  // which the invoker's policy allows (headless Gemini denies it by default).
  skillInvoked: (skill) => new RegExp(`^Activate the "${skill}" skill \\(activate_skill\\) for:[\\s\\S]*\\.claude/skills/${skill}/SKILL\\.md`),
  // The user's text: the text parts of the first user turn after Gemini's <session_context>.
  userText(request) {
    const body = isObj(request.body) ? request.body : {};
    const first = arr(body['contents']).find((c) => isObj(c) && c['role'] === 'user');
    const parts = isObj(first) ? arr(first['parts']) : [];
    return parts
      .map((p) => (isObj(p) && typeof p['text'] === 'string' ? p['text'] : ''))
      .filter((t) => t && !t.startsWith('<session_context>'))
      .join('\n');
  },
});
