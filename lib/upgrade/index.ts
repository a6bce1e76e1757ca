/**
 * `puruto upgrade` / `yo puruto:upgrade`: plan the chain of migrations from a repo's
 * standard version to the target, run them on a draft, and write the result all at once.
 * Pure in the lib's sense: never prints, never exits; the caller renders the report.
 */
import fs from 'node:fs';
import path from 'node:path';
import { VERSION_FILE } from '../standard/version.js';
import { isEcosystemRoot, looksLikePuruto } from '../validate/workspace.js';
import { uncommittedChanges } from '../git.js';
import { Draft, UpgradeError } from './draft.js';
import { repoFacts, type RepoFacts } from './facts.js';
import { applyMigration, migrationFrom, type Artifacts } from './migrations.js';
import { LATEST, pathBetween, versionFromFile } from './versions.js';
import { writeChanges, type WriteOps } from './write.js';

export { UpgradeError } from './draft.js';
export type { Artifacts } from './migrations.js';
export type { RepoFacts } from './facts.js';

/** The JSON of SPEC §5, keys in its order. */
export interface UpgradeReport {
  path: string;
  current_version: string;
  target_version: string;
  dry_run: boolean;
  plan: { from: string; to: string }[];
  applied: { from: string; to: string; actions: string[] }[];
  final_version: string;
}

export type UpgradeMode = 'apply' | 'dry-run' | 'plan';

export interface UpgradeOptions {
  /** Absolute path of the repo. */
  path: string;
  /** Default: the version this package generates. */
  targetVersion?: string;
  mode: UpgradeMode;
  /** Apply even when git reports uncommitted changes under the repo. */
  allowDirty?: boolean;
  /** Renders the generators' files for a repo (generators/shared/artifacts.ts). */
  artifacts: (facts: RepoFacts) => Artifacts;
  /** For tests: the file operations of the final write. */
  ops?: WriteOps;
}

export type UpgradeOutcome =
  | { ok: true; report: UpgradeReport; kind: string; written: string[] }
  /** exit 1: no such repo, no supported path, dirty tree, or a write that could not be made. */
  | { ok: false; message: string };

export function upgrade(o: UpgradeOptions): UpgradeOutcome {
  const root = path.resolve(o.path);
  let st: fs.Stats;
  try {
    st = fs.statSync(root);
  } catch {
    return { ok: false, message: `${root} does not exist; give the path of a Puruto (default: the current folder)` };
  }
  if (!st.isDirectory()) return { ok: false, message: `${root} is not a folder; give the path of a Puruto` };
  if (isEcosystemRoot(root)) {
    return {
      ok: false,
      message:
        `${root} is an ecosystem folder, not a Puruto: upgrade each Puruto in it (\`puruto workspace\` shows ` +
        `their versions), e.g. puruto upgrade ${path.join(root, '<name>')}`,
    };
  }
  if (!looksLikePuruto(root)) {
    return {
      ok: false,
      message: `${root} does not look like a Puruto (no CLAUDE.md, agent.md or .claude/skills); nothing to upgrade`,
    };
  }
  const draft = new Draft(root);
  const current = versionFromFile(draft.read(VERSION_FILE));
  const target = o.targetVersion ?? LATEST;
  const route = pathBetween(current, target);
  if (!route.ok) return { ok: false, message: `no supported migration path for ${root}: ${route.why}` };
  const base = {
    path: root,
    current_version: current,
    target_version: target,
    dry_run: o.mode !== 'apply',
    plan: route.steps,
  };
  const facts = repoFacts(draft);
  if (o.mode === 'plan') {
    const report = { ...base, applied: route.steps.map((s) => ({ ...s, actions: [] })), final_version: current };
    return { ok: true, report, kind: facts.kind, written: [] };
  }
  if (o.mode === 'apply' && route.steps.length > 0 && !o.allowDirty) {
    const dirty = uncommittedChanges(root);
    if (dirty && dirty.length > 0) {
      const shown = dirty
        .slice(0, 5)
        .map((l) => l.trim())
        .join(', ');
      return {
        ok: false,
        message:
          `${root} has uncommitted changes ` +
          `(${shown}${dirty.length > 5 ? `, and ${dirty.length - 5} more` : ''}); ` +
          `commit or stash them first so the upgrade can be reviewed and undone with git, or pass --allow-dirty`,
      };
    }
  }
  try {
    const artifacts = o.artifacts(facts);
    const applied = route.steps.map((s) => ({
      ...s,
      actions: applyMigration(migrationFrom(s.from), { draft, facts, artifacts }),
    }));
    const changes = draft.changes();
    if (o.mode === 'apply') writeChanges(root, changes, o.ops);
    const report = { ...base, applied, final_version: o.mode === 'apply' ? target : current };
    return { ok: true, report, kind: facts.kind, written: o.mode === 'apply' ? changes.map((c) => c.rel) : [] };
  } catch (error) {
    if (error instanceof UpgradeError) return { ok: false, message: error.message };
    throw error;
  }
}
