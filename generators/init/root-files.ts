import { STANDARD_VERSION } from '../../lib/standard/version.js';
import { geminiSettings } from '../shared/context.js';
import type { PlannedFile } from '../shared/spec.js';

/**
 * The framework's skills at the ecosystem root
 * (SPEC §3: /init, /puruto-generator, /validate, /upgrade, /workspace; ours: /doctor).
 */
export const ROOT_SKILLS = ['init', 'puruto-generator', 'validate', 'upgrade', 'workspace', 'doctor'] as const;

/** Where the root's skills are mirrored for Codex / Gemini (same link every Puruto has). */
export const ROOT_SKILLS_LINK = '.agents/skills';

/**
 * The agent mode of the ecosystem root: rules files and skills that tell an agent opened
 * in the folder how to drive the `puruto` command. No .yo-rc.json (Yeoman would take the
 * folder for a project root) and no .puruto-standard-version (it is not a Puruto).
 */
export function rootFiles(): PlannedFile[] {
  const context = { version: STANDARD_VERSION };
  return [
    { dest: 'AGENTS.md', template: 'AGENTS.md.ejs', context },
    { dest: 'CLAUDE.md', template: 'CLAUDE.md.ejs', context },
    { dest: 'agent.md', template: 'agent.md.ejs', context },
    { dest: '.gemini/settings.json', json: geminiSettings() },
    ...ROOT_SKILLS.map((s) => ({
      dest: `.claude/skills/${s}/SKILL.md`,
      template: `skills/${s}/SKILL.md.ejs`,
      context,
    })),
  ];
}
