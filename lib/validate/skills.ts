/**
 * [ours] Every skill folder under .claude/skills has a SKILL.md whose frontmatter
 * follows the Agent Skills spec and the Puruto fields, and whose name is its folder's.
 */
import { MESSAGE_ACTION } from '../standard/actions.js';
import { ours, type Finding } from '../standard/findings.js';
import { CORE_SKILLS, KINDS, skillPath } from '../standard/kinds.js';
import { describeCode, whyNot, type RepoContext, unreadableFinding } from './context.js';
import { checkFrontmatter, parseFrontmatter } from './frontmatter.js';
import { SKILLS_DIR } from './structure.js';

/** Skills whose absence a std check already reports (no second finding for them). */
function stdRequiredSkills(ctx: RepoContext): Set<string> {
  const names = new Set<string>([...CORE_SKILLS, ...KINDS[ctx.kind].requiredSkills]);
  if (ctx.state('.puruto-ipc.json').type !== 'missing') names.add('call');
  return names;
}

function checkSkill(ctx: RepoContext, name: string, required: Set<string>): Finding[] {
  const rel = skillPath(name);
  const state = ctx.state(rel);
  if (state.type !== 'file') {
    if (required.has(name)) return [];
    return [
      ours(
        'invalid-skill-frontmatter',
        rel,
        `${whyNot(rel, state, 'file')}: the skill folder ${SKILLS_DIR}/${name}/ needs a SKILL.md with ` +
          `frontmatter (name, description, user-invocable); add one or remove the folder`,
        ctx.strict,
      ),
    ];
  }
  const read = ctx.read(rel);
  if (!read.ok) return [unreadableFinding(ctx, rel, read.code, 'fix its permissions so agents can load the skill')];
  const parsed = parseFrontmatter(read.text);
  if (!parsed.ok) return [ours('invalid-skill-frontmatter', rel, `${rel}: ${parsed.problem}`, ctx.strict)];
  const findings: Finding[] = [];
  if (name === MESSAGE_ACTION) {
    findings.push(
      ours(
        'reserved-skill-name',
        rel,
        `the skill "${MESSAGE_ACTION}" cannot exist: \`${MESSAGE_ACTION}\` is the IPC action reserved for free ` +
          `text (Telegram messages, cron jobs without an action), so this skill could never be called; ` +
          `rename its folder and its \`name\``,
        ctx.strict,
      ),
    );
  }
  const problems = checkFrontmatter(parsed.data);
  if (problems.length > 0)
    findings.push(ours('invalid-skill-frontmatter', rel, `${rel}: ${problems.join('; ')}`, ctx.strict));
  const declared = parsed.data['name'];
  if (typeof declared === 'string' && declared !== name) {
    findings.push(
      ours(
        'skill-name-mismatch',
        rel,
        `${rel} declares \`name: ${declared}\` but its folder is "${name}"; ` +
          `set \`name: ${name}\` or rename the folder to ${SKILLS_DIR}/${declared}/`,
        ctx.strict,
      ),
    );
  }
  return findings;
}

export function checkSkills(ctx: RepoContext): Finding[] {
  if (!ctx.isDir(SKILLS_DIR)) return [];
  const listing = ctx.list(SKILLS_DIR);
  if (!listing.ok)
    return [
      ours(
        'unreadable-path',
        SKILLS_DIR,
        `${SKILLS_DIR} cannot be listed: ${describeCode(listing.code)}; fix its permissions`,
        ctx.strict,
      ),
    ];
  const required = stdRequiredSkills(ctx);
  const names = [...listing.entries.keys()].filter((n) => !n.startsWith('.') && ctx.isDir(`${SKILLS_DIR}/${n}`)).sort();
  return names.flatMap((name) => checkSkill(ctx, name, required));
}
