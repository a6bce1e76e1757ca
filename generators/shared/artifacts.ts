/**
 * The files `puruto upgrade` adds, rendered from the generators' own plans and templates
 * (one source): the plan of the repo's kind with the repo's answers, plus the IPC add-on's
 * plan. No Yeoman here: ejs renders the templates exactly as mem-fs-editor's copyTpl does.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import type { KindName } from '../../lib/standard/kinds.js';
import type { Table } from '../../lib/questions/table.js';
import type { Artifacts, RepoFacts } from '../../lib/upgrade/index.js';
import type { PlannedFile } from './spec.js';
import { titleOf } from './context.js';
import { ipcFiles } from '../ipc/files.js';
import { KIND_REGISTRY } from '../kinds.js';

type Plan = (answers: never) => PlannedFile[];
type KindPlan = { key: string; table: Table; plan: Plan };

/** Each kind: its generator folder (templates), question table (defaults) and plan, from the registry. */
export const KIND_PLANS = Object.fromEntries(
  KIND_REGISTRY.map((k): [KindName, KindPlan] => [
    k.kind,
    { key: k.key, table: k.table, plan: (answers: never) => k.plan(answers) },
  ]),
) as Record<KindName, KindPlan>;

export function templatesDir(key: string): string {
  return fileURLToPath(new URL(`../${key}/templates/`, import.meta.url));
}

/** The answers to render with: the repo's, then the table's defaults, then a fallback description. */
export function renderAnswers(kind: KindName, answers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const q of KIND_PLANS[kind].table) {
    const value = answers[q.name];
    out[q.name] = value !== undefined && value !== '' ? value : q.default;
  }
  if (typeof out['description'] !== 'string' || out['description'] === '') {
    out['description'] = `The ${titleOf(String(out['name']))} Puruto.`;
  }
  if (!Array.isArray(out['skills'])) out['skills'] = [];
  return out;
}

function render(file: PlannedFile, dir: string): string {
  const abs = (p: string): string => (path.isAbsolute(p) ? p : path.join(dir, p));
  if ('template' in file) {
    const from = abs(file.template);
    return ejs.render(readFileSync(from, 'utf8'), file.context, { filename: from });
  }
  if ('copy' in file) return readFileSync(abs(file.copy), 'utf8');
  if ('json' in file) return `${JSON.stringify(file.json, null, 2)}\n`;
  return file.text;
}

/** What `lib/upgrade` calls to get a file of the new version for one repo. */
export function generatorArtifacts(facts: RepoFacts): Artifacts {
  const { key, plan } = KIND_PLANS[facts.kind];
  const answers = renderAnswers(facts.kind, facts.answers);
  const files = new Map<string, { file: PlannedFile; dir: string }>();
  for (const file of plan(answers as never)) files.set(file.dest, { file, dir: templatesDir(key) });
  for (const file of ipcFiles(String(answers['name']))) {
    if (!files.has(file.dest)) files.set(file.dest, { file, dir: templatesDir('ipc') });
  }
  return {
    render(dest) {
      const found = files.get(dest);
      return found ? render(found.file, found.dir) : undefined;
    },
    under(folder) {
      return [...files.keys()].filter((dest) => dest.startsWith(`${folder}/`)).sort();
    },
  };
}
