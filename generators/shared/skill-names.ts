import { MESSAGE_ACTION } from '../../lib/standard/actions.js';
import { CORE_SKILLS } from '../../lib/standard/core-skills.js';

const SKILL_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Skills other generators own: asking for them as "extra" would clash. */
const RESERVED = new Set<string>([...CORE_SKILLS, 'call']);

/** Extra skill names follow the Agent Skills spec (they become folder names and /commands). */
export function checkSkillList(skills: readonly string[]): string | undefined {
  for (const s of skills) {
    if (s.length > 64 || !SKILL_RE.test(s)) {
      return `"${s}" is not a valid skill name: 1-64 lowercase letters, digits and single hyphens (e.g. add-expense)`;
    }
    if (s === MESSAGE_ACTION)
      return (
        `"${s}" is reserved: \`${MESSAGE_ACTION}\` is the IPC action for free text (no skill may take that ` +
        `name): pick another name`
      );
    if (RESERVED.has(s)) return `"${s}" is already a skill every Puruto has (or IPC's /call): pick another name`;
  }
  return undefined;
}
