import { requirementsText } from '../shared/pins.js';
import type { PlannedFile } from '../shared/spec.js';

/**
 * Which files `puruto:agent-tests` adds (templates of generators/agent-tests), for the
 * repo `owner` whose skills besides the core four are `skills` (`call` apart: IPC's).
 * Pure, so `puruto update` renders exactly what the generator writes.
 */
export function agentTestsFiles(owner: string, call: boolean, skills: readonly string[]): PlannedFile[] {
  const files = ['mock_runner.py', 'ollama_runner.py', 'test_agent_cases.py', 'conftest.py'];
  return [
    { dest: 'tests/agent/cases.yaml', template: 'agent/cases.yaml.ejs', context: { name: owner, call, skills } },
    ...files.map((f) => ({ dest: `tests/agent/${f}`, copy: `agent/${f}` })),
    {
      dest: 'requirements-dev.txt',
      text: requirementsText(
        ['What `pytest tests/agent` needs (pip install -r requirements-dev.txt)'],
        ['pytest', 'PyYAML'],
      ),
    },
  ];
}

/** The README section merged by `puruto:agent-tests`. */
/* eslint-disable max-len -- README text as users copy it: one shell command per line */
export const AGENT_TESTS_README = `
\`tests/agent/\` checks that requests reach the right skill: each case of
\`tests/agent/cases.yaml\` is a prompt, the skill the agent must choose for it, and text
the answer must contain. Run them (Python 3.10+):

\`\`\`bash
python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt   # Debian/Ubuntu refuse a system-wide pip (PEP 668)
.venv/bin/python -m pytest tests/agent            # every case, with the deterministic mock runner
.venv/bin/python -m pytest tests/agent -k status  # only the cases whose id contains "status"
\`\`\`

With pytest and PyYAML from your system (e.g. \`apt install python3-pytest python3-yaml\`),
\`python3 -m pytest tests/agent\` works without the venv.

The mock runner (\`tests/agent/mock_runner.py\`, no LLM, no network) routes a prompt the
way an agent would, from the \`name\` and \`description\` in each skill's SKILL.md: a skill
invoked as \`/name\` wins, then a skill whose name is written as words in the prompt, then
the best word overlap (rare words weigh more); ties go to the name that sorts first. Its
answer is the chosen skill's instructions. Try a prompt with
\`python3 tests/agent/mock_runner.py "is everything configured? show me the status"\`
(it prints the skill it picks, here \`status\`, and why).

**Adding a case**: append an item to \`cases:\` in \`tests/agent/cases.yaml\`:

\`\`\`yaml
  - id: status-missing-env        # unique; failures start with "case status-missing-env:"
    prompt: "why does nothing work? is .env there?"
    expect_skill: status          # a skill: its folder in .claude/skills/
    expect_text: ["run /init"]    # optional: fragments of the skill's instructions
\`\`\`

A case fails, with a message naming it, when its skill does not exist, another skill (or
none) is chosen, a fragment is missing, or the case itself is malformed. When you write an
extra skill's procedure or change a description, update its case.

**With a local model** (optional): \`PURUTO_AGENT_TESTS=ollama pytest tests/agent -rs\`
asks an [Ollama](https://ollama.com) model which skill fits each prompt. Variables:

| variable | default | meaning |
| --- | --- | --- |
| \`PURUTO_AGENT_TESTS\` | \`mock\` | runner: \`mock\` or \`ollama\` |
| \`OLLAMA_HOST\` | \`http://127.0.0.1:11434\` | Ollama server (\`host:port\` also works) |
| \`PURUTO_AGENT_TESTS_MODEL\` | \`llama3.2\` | model to ask (\`ollama pull llama3.2\` first) |
| \`PURUTO_AGENT_TESTS_TIMEOUT\` | \`120\` | seconds to wait for one answer |

When no server answers within 2 seconds, or the model is not pulled, the cases are skipped
with the reason (shown by \`-rs\`); a malformed case still fails.
`;
/* eslint-enable max-len */
