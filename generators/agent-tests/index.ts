import { existsSync, readdirSync } from 'node:fs';
import { CORE_SKILLS } from '../../lib/standard/kinds.js';
import { AddOnGenerator, type Merge } from '../shared/addon.js';
import type { PlannedFile } from '../shared/spec.js';
import { AGENT_TESTS_README, agentTestsFiles } from './files.js';

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
    const { call, skills } = this.extraSkills();
    return agentTestsFiles(this.owner, call, skills);
  }

  protected merge(): Merge {
    return {
      readme: {
        heading: '## Agent tests',
        body: AGENT_TESTS_README,
      },
    };
  }
}
