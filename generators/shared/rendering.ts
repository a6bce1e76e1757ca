import { createHash } from 'node:crypto';
/**
 * A whole repo as this generator version writes it, in memory: the kind's plan with the
 * recorded answers, the composed add-ons (ipc, agent-tests) with their README and
 * .env.example merges, the .agents/skills link and .yo-rc.json. `puruto new` records it
 * as the pristine base and `puruto update` renders it again to merge the difference.
 * test/generators/rendering.test.ts keeps it byte-equal to what the generators write.
 * No Yeoman here: ejs renders the templates as mem-fs-editor's copyTpl does.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { CORE_SKILLS, type KindName } from '../../lib/standard/kinds.js';
import { appendEnvBlock, appendSection } from '../../lib/merge.js';
import { GENERATOR_KEY, YO_RC_FILE } from '../../lib/validate/kind.js';
import type { RenderedFile } from '../../lib/update/tree.js';
import type { PlannedFile } from './spec.js';
import { KIND_PLANS, renderAnswers, templatesDir } from './artifacts.js';
import { ipcFiles } from '../ipc/files.js';
import { ipcEnv, ipcReadme } from '../ipc/index.js';
import { AGENT_TESTS_README, agentTestsFiles } from '../agent-tests/files.js';

/** The link every Puruto gets so Codex, Gemini and OpenCode find the skills. */
export const SKILLS_LINK = { path: '.agents/skills', target: '../.claude/skills' } as const;

function renderOne(file: PlannedFile, dir: string): RenderedFile {
  const abs = (p: string): string => (path.isAbsolute(p) ? p : path.join(dir, p));
  if ('template' in file) {
    const from = abs(file.template);
    return {
      path: file.dest,
      content: ejs.render(readText(from), file.context, { filename: from }),
      mode: modeOf(from),
    };
  }
  if ('copy' in file) {
    const from = abs(file.copy);
    return { path: file.dest, content: readText(from), mode: modeOf(from) };
  }
  if ('json' in file) return { path: file.dest, content: `${JSON.stringify(file.json, null, 2)}\n`, mode: 'file' };
  return { path: file.dest, content: file.text, mode: 'file' };
}

function readText(file: string): string {
  return readFileSync(file, 'utf8');
}

function modeOf(file: string): 'file' | 'exec' {
  return (statSync(file).mode & 0o111) !== 0 ? 'exec' : 'file';
}

/** The `.yo-rc.json` a generation writes (Yeoman's storage: 2-space JSON, final newline). */
export function yoRcText(section: Record<string, unknown>): string {
  return `${JSON.stringify({ [GENERATOR_KEY]: section }, null, 2)}\n`;
}

export interface RepoRecord {
  kind: KindName;
  standardVersion: string;
  generatorVersion: string;
  /** The answers as .yo-rc.json records them. */
  answers: Record<string, unknown>;
}

/** Every file a generation writes for `record`, sorted by path. */
export function renderRepo(record: RepoRecord): RenderedFile[] {
  const { kind } = record;
  const answers = renderAnswers(kind, record.answers);
  const files = new Map<string, RenderedFile>();
  const add = (planned: readonly PlannedFile[], key: string, keep: boolean): void => {
    for (const f of planned) {
      if (keep && files.has(f.dest)) continue;
      files.set(f.dest, renderOne(f, templatesDir(key)));
    }
  };
  const merge = (dest: string, change: (text: string) => string): void => {
    const file = files.get(dest);
    const before = typeof file?.content === 'string' ? file.content : '';
    files.set(dest, { path: dest, content: change(before), mode: file?.mode ?? 'file' });
  };
  add(KIND_PLANS[kind].plan(answers as never), KIND_PLANS[kind].key, false);
  const name = String(answers['name']);
  const skills = (answers['skills'] as string[]).map(String);
  if (kind === 'standard' && answers['ipc'] === true) {
    // Composed after the app's own files (Yeoman's order): existing files are kept.
    add(ipcFiles(name), 'ipc', true);
    merge('README.md', (t) => appendSection(t, '## IPC (delegation to other Purutos)', ipcReadme()));
    merge('.env.example', (t) => appendEnvBlock(t, ipcEnv()));
  }
  if (kind === 'standard' && answers['agent-tests'] === true) {
    const core = new Set<string>(CORE_SKILLS);
    const extra = new Set(skills);
    const call = extra.delete('call') || files.has('.claude/skills/call/SKILL.md');
    add(agentTestsFiles(name, call, [...extra].filter((s) => !core.has(s)).sort()), 'agent-tests', true);
    merge('README.md', (t) => appendSection(t, '## Agent tests', AGENT_TESTS_README));
  }
  files.set(SKILLS_LINK.path, { path: SKILLS_LINK.path, content: SKILLS_LINK.target, mode: 'link' });
  // fileHashes: the sha256 of each file as written, the record a re-run inside the repo uses
  // to tell the files the user changed (generators/shared/base.ts writes the same).
  const fileHashes = Object.fromEntries(
    [...files.values()]
      .filter((f) => f.mode !== 'link' && f.path !== YO_RC_FILE)
      .map((f) => [f.path, createHash('sha256').update(f.content, 'utf8').digest('hex')] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  files.set(YO_RC_FILE, {
    path: YO_RC_FILE,
    content: yoRcText({
      kind,
      standardVersion: record.standardVersion,
      generatorVersion: record.generatorVersion,
      answers: record.answers,
      fileHashes,
    }),
    mode: 'file',
  });
  return [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
