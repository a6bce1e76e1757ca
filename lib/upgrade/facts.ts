/**
 * What a migration needs to know about a repo: its kind and the answers its files are
 * rendered with — the ones recorded in `.yo-rc.json` when the generator made it, else
 * values read from the repo itself (folder name, README, which folders exist).
 */
import path from 'node:path';
import { CORE_SKILLS, KINDS, type KindName } from '../standard/kinds.js';
import { generatorSection, isObject, kindOf, YO_RC_FILE } from '../validate/kind.js';
import type { Draft } from './draft.js';

export interface RepoFacts {
  root: string;
  kind: KindName;
  /** Answers of the kind's question table (recorded ones win over derived ones). */
  answers: Record<string, unknown>;
  /** Where each answer came from, for the report: recorded in .yo-rc.json or derived. */
  recorded: boolean;
}

/** First line of prose of a Markdown text: not a heading, an import, a badge or a rule. */
export function firstProseLine(markdown: string | undefined): string {
  for (const raw of (markdown ?? '').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || /^(#|@|!\[|\[!\[|---|<|```|>|\||[-*] )/.test(line)) continue;
    return line.length > 300 ? `${line.slice(0, 297)}...` : line;
  }
  return '';
}

export function repoFacts(draft: Draft): RepoFacts {
  const name = path.basename(draft.root);
  const rc = draft.read(YO_RC_FILE);
  const section = generatorSection(rc ?? '');
  const kind = kindOf(draft.root, () => rc);
  const recorded = isObject(section?.['answers']) ? (section!['answers'] as Record<string, unknown>) : undefined;
  const own = new Set<string>([...CORE_SKILLS, ...KINDS[kind].requiredSkills, 'call']);
  const derived: Record<string, unknown> = {
    name,
    description:
      firstProseLine(draft.read('README.md')) ||
      firstProseLine(draft.read('agent.md')) ||
      firstProseLine(draft.read('CLAUDE.md')),
  };
  if (kind === 'standard') {
    derived['db'] = draft.entry('db') === 'dir';
    derived['skills'] = skillFolders(draft).filter((s) => !own.has(s));
    derived['ipc'] = draft.entry('.puruto-ipc.json') === 'file';
    derived['agent-tests'] = draft.entry('tests/agent') === 'dir';
  }
  return { root: draft.root, kind, answers: { ...derived, ...recorded }, recorded: recorded !== undefined };
}

function skillFolders(draft: Draft): string[] {
  return draft.list('.claude/skills').filter((s) => draft.entry(`.claude/skills/${s}/SKILL.md`) === 'file');
}
