import { AddOnGenerator, type Merge } from '../shared/addon.js';
import type { PlannedFile } from '../shared/spec.js';

/** `yo puruto:agent-tests`: declarative agent test cases run with pytest and a mock runner. */
export default class AgentTestsGenerator extends AddOnGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, { label: 'agent tests', marker: 'tests/agent/cases.yaml' });
  }

  protected addOnFlag(): string {
    return 'agent-tests';
  }

  protected plan(): PlannedFile[] {
    return [
      { dest: 'tests/agent/cases.yaml', template: 'agent/cases.yaml.ejs', context: { name: this.owner } },
      { dest: 'tests/agent/mock_runner.py', copy: 'agent/mock_runner.py' },
      { dest: 'tests/agent/test_agent_cases.py', copy: 'agent/test_agent_cases.py' },
      { dest: 'tests/agent/conftest.py', copy: 'agent/conftest.py' },
      { dest: 'requirements-dev.txt', text: 'pytest>=8\nPyYAML>=6\n' },
    ];
  }

  protected merge(): Merge {
    return {
      readme: {
        heading: '## Agent tests',
        body: [
          '`tests/agent/cases.yaml` lists prompts and the skill the agent must choose for each.',
          'Run them with `pip install -r requirements-dev.txt && pytest tests/agent` (a deterministic',
          'mock runner, no LLM). Add a case: a new item with `id`, `prompt`, `expect_skill` and',
          'optional `expect_text` fragments that must appear in that skill\'s SKILL.md.',
        ].join('\n'),
      },
    };
  }
}
