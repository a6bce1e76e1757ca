import { existsSync, readdirSync } from 'node:fs';
import { CORE_SKILLS } from '../../lib/standard/kinds.js';
import { AddOnGenerator, type Merge } from '../shared/addon.js';
import type { PlannedFile } from '../shared/spec.js';

const CORE = new Set<string>(CORE_SKILLS);
const SKILLS_DIR = '.claude/skills';

/**
 * `yo puruto:agent-tests`: `tests/agent/` with declarative cases (one per skill), a
 * deterministic mock runner and an optional Ollama runner, run with pytest (SPEC §7).
 */
export default class AgentTestsGenerator extends AddOnGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, { label: 'agent tests', marker: 'tests/agent/cases.yaml' });
  }

  protected addOnFlag(): string {
    return 'agent-tests';
  }

  /**
   * The skills besides the core four that get a case: composed, the `skills` option;
   * alone, the skill folders already in the repo. `call` counts when IPC wrote it.
   */
  private extraSkills(): { call: boolean; skills: string[] } {
    const names = new Set<string>();
    if (this.composed) {
      for (const s of String(this.options['skills'] ?? '').split(',')) if (s.trim()) names.add(s.trim());
    } else {
      const dir = this.destinationPath(SKILLS_DIR);
      const entries = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : [];
      for (const e of entries) {
        if (e.isDirectory() && this.fs.exists(this.destinationPath(SKILLS_DIR, e.name, 'SKILL.md'))) names.add(e.name);
      }
    }
    const call = names.delete('call') || this.fs.exists(this.destinationPath(SKILLS_DIR, 'call', 'SKILL.md'));
    return { call, skills: [...names].filter((s) => !CORE.has(s)).sort() };
  }

  protected plan(): PlannedFile[] {
    const files = ['mock_runner.py', 'ollama_runner.py', 'test_agent_cases.py', 'conftest.py'];
    return [
      { dest: 'tests/agent/cases.yaml', template: 'agent/cases.yaml.ejs', context: { name: this.owner, ...this.extraSkills() } },
      ...files.map((f) => ({ dest: `tests/agent/${f}`, copy: `agent/${f}` })),
      { dest: 'requirements-dev.txt', text: '# What `pytest tests/agent` needs (pip install -r requirements-dev.txt)\npytest>=7,<10\nPyYAML>=6,<7\n' },
    ];
  }

  protected merge(): Merge {
    return {
      readme: {
        heading: '## Agent tests',
        body: README_SECTION,
      },
    };
  }
}

const README_SECTION = `
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
