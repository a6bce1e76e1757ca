/**
 * [ours] `@file` imports of CLAUDE.md. Claude Code reads CLAUDE.md and pulls each
 * imported file in; the generated CLAUDE.md is `@AGENTS.md` plus a few Claude-specific
 * lines, so with AGENTS.md gone Claude Code silently runs without the repo's rules. An
 * import of a missing file is therefore an error, even without --strict.
 */
import path from 'node:path';
import { ours, type Finding } from '../standard/findings.js';
import { whyNot, type RepoContext } from './context.js';

export const RULES_FILE = 'CLAUDE.md';
const MAX_REPORTED = 5;

/** Relative paths imported by a Markdown text: `@path` at the start of a line, outside code fences. */
export function importedPaths(markdown: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const raw of markdown.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('```') || line.startsWith('~~~')) fenced = !fenced;
    if (fenced) continue;
    const m = /^@(\S+)$/.exec(line);
    if (!m) continue;
    const target = m[1]!;
    // Home (~/...) and absolute imports are the user's machine, not the repo: not checked.
    if (target.startsWith('~') || path.posix.isAbsolute(target)) continue;
    const rel = path.posix.normalize(target);
    if (rel === '.' || rel.startsWith('../') || rel === '..') continue;
    out.push(rel.replace(/\/$/, ''));
  }
  return [...new Set(out)];
}

export function checkImports(ctx: RepoContext): Finding[] {
  if (!ctx.isFile(RULES_FILE)) return [];
  const read = ctx.read(RULES_FILE);
  if (!read.ok || read.binary) return [];
  const findings: Finding[] = [];
  for (const rel of importedPaths(read.text).slice(0, MAX_REPORTED * 4)) {
    const state = ctx.state(rel);
    if (state.type === 'file') continue;
    findings.push(
      ours(
        'broken-import',
        rel,
        `${RULES_FILE} imports @${rel} but ${whyNot(rel, state, 'file')}, ` +
          `so Claude Code runs without those rules; restore ${rel} (e.g. \`git checkout -- ${rel}\`, ` +
          `or copy agent.md to it) or remove the import line`,
        ctx.strict,
      ),
    );
    if (findings.length >= MAX_REPORTED) break;
  }
  return findings;
}
