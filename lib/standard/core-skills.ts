/**
 * The four core skills every Puruto has (SPEC §2), apart from the kind registry: the
 * kinds' file plans and the validator both read it, and the registry (lib/standard/kinds.ts
 * → generators/kinds.ts → the plans) must not be needed to load it.
 */
export const CORE_SKILLS = ['init', 'help', 'list', 'status'] as const;

/** Relative path of a skill's SKILL.md. */
export function skillPath(name: string): string {
  return `.claude/skills/${name}/SKILL.md`;
}
