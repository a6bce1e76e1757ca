/**
 * [ours] `.agents/skills` (read by Codex, OpenCode, Gemini CLI) must be the relative
 * symbolic link `../.claude/skills`, so both agents always see the same skills. A copy
 * works today and drifts tomorrow; anything else is broken.
 */
import path from 'node:path';
import { ours, type Finding } from '../standard/findings.js';
import { whyNot, type RepoContext } from './context.js';
import { SKILLS_DIR } from './structure.js';

export const MIRROR = '.agents/skills';
const EXPECTED_TARGET = '../.claude/skills';
const FIX =
  `replace it with the link: \`rm -rf ${MIRROR} && ln -s ../.claude/skills ${MIRROR}\` (on Windows enable git ` +
  `symlinks: \`git config core.symlinks true\`)`;

/** `name → SKILL.md text` of every `<name>/SKILL.md` under a skills folder. */
function skillFiles(ctx: RepoContext, dir: string): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  const listing = ctx.list(dir);
  if (!listing.ok) return out;
  for (const name of listing.entries.keys()) {
    const rel = `${dir}/${name}/SKILL.md`;
    if (!ctx.isDir(`${dir}/${name}`) || !ctx.isFile(rel)) continue;
    const read = ctx.read(rel);
    out.set(name, read.ok ? read.text : undefined);
  }
  return out;
}

function compareCopy(ctx: RepoContext): string {
  const mirror = skillFiles(ctx, MIRROR);
  const source = ctx.isDir(SKILLS_DIR) ? skillFiles(ctx, SKILLS_DIR) : new Map<string, string | undefined>();
  const missing = [...source.keys()].filter((n) => !mirror.has(n)).sort();
  const extra = [...mirror.keys()].filter((n) => !source.has(n)).sort();
  const changed = [...source.keys()].filter((n) => mirror.has(n) && mirror.get(n) !== source.get(n)).sort();
  if (missing.length + extra.length + changed.length === 0) {
    return `${MIRROR} is a copy of ${SKILLS_DIR} (identical today, but it will drift as skills change); ${FIX}`;
  }
  const parts = [
    missing.length > 0 ? `missing ${missing.join(', ')}` : '',
    extra.length > 0 ? `extra ${extra.join(', ')}` : '',
    changed.length > 0 ? `different ${changed.join(', ')}` : '',
  ].filter(Boolean);
  return (
    `${MIRROR} is a folder that differs from ${SKILLS_DIR} (${parts.join('; ')}), ` +
    `so agents other than Claude Code see other skills; ${FIX}`
  );
}

function problem(ctx: RepoContext): string | undefined {
  const state = ctx.state(MIRROR);
  if (state.type === 'missing' && !state.dangling) return undefined;
  const link = ctx.isLink(MIRROR);
  if (state.type === 'dir' && link) {
    const target = ctx.readlink(MIRROR) ?? '';
    // Fast path, no realpath: the expected relative link inside real folders.
    if (
      path.posix.normalize(target).replace(/\/$/, '') === EXPECTED_TARGET &&
      !ctx.isLink('.agents') &&
      !ctx.isLink('.claude') &&
      !ctx.isLink(SKILLS_DIR) &&
      ctx.isDir(SKILLS_DIR)
    ) {
      return undefined;
    }
    const real = ctx.realpath(MIRROR);
    const expected = ctx.isDir(SKILLS_DIR) ? ctx.realpath(SKILLS_DIR) : undefined;
    if (real === undefined || real !== expected) return `${MIRROR} links to "${target}", not to ${SKILLS_DIR}; ${FIX}`;
    if (path.isAbsolute(target))
      return `${MIRROR} is an absolute link ("${target}") that breaks when the repo is cloned or moved; ${FIX}`;
    return undefined;
  }
  if (state.type === 'dir') return compareCopy(ctx);
  if (state.type === 'file' && !link) {
    return (
      `${MIRROR} is a plain file (probably a git checkout without symlink support), ` +
      `so other agents see no skills; ${FIX}`
    );
  }
  return `${whyNot(MIRROR, state, 'dir')}${link ? ` (link target "${ctx.readlink(MIRROR) ?? '?'}")` : ''}; ${FIX}`;
}

export function checkMirror(ctx: RepoContext): Finding[] {
  const message = problem(ctx);
  return message === undefined ? [] : [ours('skills-mirror-drift', MIRROR, message, ctx.strict)];
}
