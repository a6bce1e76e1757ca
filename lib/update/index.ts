/**
 * `puruto update` / `yo puruto:update`: bring a repo's generated files to this
 * generator version without losing the user's edits.
 * - With a pristine base (refs/puruto/pristine, recorded at generation): re-render from
 *   the recorded answers, commit that on top of the base, move the ref, merge into the
 *   current branch; conflicts stay ordinary git conflicts (pristine.ts records the base).
 * - Without one (older repos, no git): files equal to the rendering are fine, missing ones
 *   are added, differing ones get `<file>.puruto-new` beside them; nothing is overwritten
 *   (side-by-side.ts). `--adopt` records the current state as based on this version.
 * The standard version (.puruto-standard-version) is left to `puruto upgrade`.
 * Pure in the lib's sense: never prints, never exits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { uncommittedChanges } from '../git.js';
import { commitEnv } from '../git-init.js';
import { STANDARD_VERSION, VERSION_FILE } from '../standard/version.js';
import { isEcosystemRoot, looksLikePuruto } from '../validate/workspace.js';
import { UpgradeError } from '../upgrade/draft.js';
import { versionFromFile } from '../upgrade/versions.js';
import { readRecord, type Recorded } from './record.js';
import { sideBySide, leftovers } from './side-by-side.js';
import { adopt } from './adopt.js';
import { escapeMessage, firstEscape } from '../write-guard.js';
import {
  commitTree,
  fileAt,
  gitIn,
  GitFailure,
  lastLine,
  must,
  ownWorkTree,
  PRISTINE_REF,
  resolveCommit,
  scratchObjects,
  treeOf,
  writeTree,
  type RenderedFile,
} from './tree.js';

export interface RenderRecord {
  kind: Recorded['kind'];
  standardVersion: string;
  generatorVersion: string;
  answers: Record<string, unknown>;
}

export interface UpdateOptions {
  /** Absolute path of the repo. */
  path: string;
  dryRun: boolean;
  adopt: boolean;
  /** Merge (or adopt) even on a detached HEAD. */
  force: boolean;
  /** This generator's version (package.json). */
  generatorVersion: string;
  /** The whole repo as this generator writes it (generators/shared/rendering.ts). */
  render: (record: RenderRecord) => RenderedFile[];
}

export type UpdateStatus = 'up-to-date' | 'updated' | 'would-update' | 'conflicts' | 'side-by-side' | 'adopted';

export interface FileChange {
  path: string;
  /** added / modified / deleted by the generator; beside = written as <path>.puruto-new. */
  change: 'added' | 'modified' | 'deleted' | 'beside';
}

export interface UpdateReport {
  path: string;
  kind: string;
  /** pristine: merged through git; none: side by side (no base recorded). */
  base: 'pristine' | 'none';
  dry_run: boolean;
  from_version: string | null;
  to_version: string;
  status: UpdateStatus;
  files: FileChange[];
  /** Files left with git conflict markers (status conflicts). */
  conflicts: string[];
  /** dry run: files git would leave in conflict. */
  would_conflict: string[];
  /** dry run: `git diff --stat` and the diff of what the generator changes. */
  stat: string;
  diff: string;
  /** The standard version is behind: `puruto upgrade` is pending too. */
  upgrade_pending: { current: string; target: string } | null;
  /** What to run next, one command or step per line. */
  next: string[];
}

export type UpdateOutcome = { ok: true; report: UpdateReport } | { ok: false; message: string };

function fail(message: string): UpdateOutcome {
  return { ok: false, message };
}

/** Refusals shared with the other commands: not there, an ecosystem folder, not a Puruto. */
function checkRepo(root: string): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(root);
  } catch {
    return `${root} does not exist; give the path of a Puruto (default: the current folder)`;
  }
  if (!st.isDirectory()) return `${root} is not a folder; give the path of a Puruto`;
  if (isEcosystemRoot(root))
    return (
      `${root} is an ecosystem folder, not a Puruto: run puruto update --workspace ${root}, ` +
      `or give one Puruto's path`
    );
  if (!looksLikePuruto(root))
    return `${root} does not look like a Puruto (no CLAUDE.md, agent.md or .claude/skills); nothing to update`;
  return undefined;
}

export function update(o: UpdateOptions): UpdateOutcome {
  const root = path.resolve(o.path);
  const refused = checkRepo(root);
  if (refused) return fail(refused);
  const rec = readRecord(root);
  let versionText: string | undefined;
  try {
    versionText = fs.readFileSync(path.join(root, VERSION_FILE), 'utf8');
  } catch {
    versionText = undefined;
  }
  const current = versionFromFile(versionText);
  const base = {
    path: root,
    kind: rec.kind,
    dry_run: o.dryRun,
    from_version: rec.generatorVersion,
    to_version: o.generatorVersion,
    conflicts: [] as string[],
    would_conflict: [] as string[],
    stat: '',
    diff: '',
    upgrade_pending: current === STANDARD_VERSION ? null : { current, target: STANDARD_VERSION },
  };
  const record: RenderRecord = {
    kind: rec.kind,
    standardVersion: rec.standardVersion,
    generatorVersion: o.generatorVersion,
    answers: rec.answers,
  };
  const hasGit = ownWorkTree(root);
  const pristine = hasGit ? resolveCommit(root, PRISTINE_REF) : undefined;
  const stale = pristine !== undefined && unrelated(root, pristine) ? pristine : undefined;
  try {
    if (o.adopt) {
      if (pristine && !stale)
        return fail(`${root} already has a pristine base (${PRISTINE_REF}): run puruto update without --adopt`);
      const left = leftovers(root);
      if (left.length)
        return fail(
          `${root} still has ${left.join(', ')}: merge each into the file beside it and delete it, ` +
            `then run puruto update --adopt`,
        );
      const detached = hasGit && detachedHead(root);
      if (o.dryRun)
        return {
          ok: true,
          report: {
            ...base,
            base: 'none',
            status: 'would-update',
            files: [],
            next: [...(detached && !o.force ? [SWITCH_FIRST] : []), `puruto update --adopt ${root}`],
          },
        };
      if (detached && !o.force) return fail(detachedRefusal(root, 'puruto update --adopt'));
      const done = adopt(root, o.render(record), hasGit, o.generatorVersion, stale);
      if (!done.ok) return fail(done.message);
      return {
        ok: true,
        report: { ...base, base: 'pristine', status: 'adopted', files: [], next: detached ? [DETACHED_NOTE] : [] },
      };
    }
    if (!pristine) {
      const side = sideBySide(root, o.render(record), o.dryRun);
      const pending = side.files.some((f) => f.change === 'beside');
      const next = pending
        ? [
            'merge each <file>.puruto-new into <file> (your editor, or: ' +
              'git merge-file <file> /dev/null <file>.puruto-new), then delete the .puruto-new files',
            `then record this state as the base for later updates: puruto update --adopt ${root}`,
          ]
        : side.files.length && !o.dryRun
          ? [`record this state as the base for later updates: puruto update --adopt ${root}`]
          : [];
      const status: UpdateStatus = pending
        ? 'side-by-side'
        : side.files.length
          ? o.dryRun
            ? 'would-update'
            : 'updated'
          : 'up-to-date';
      return {
        ok: true,
        report: { ...base, base: 'none', status, files: side.files, diff: side.diff, stat: side.stat, next },
      };
    }
    if (stale)
      return fail(
        `${root}: ${PRISTINE_REF} (the generator's base) shares no history with your branch: a ` +
          '`puruto update --adopt` was interrupted, or its merge undone (e.g. git reset --hard HEAD^), so git ' +
          `cannot merge from it. Record the base again (your files stay as they are): puruto update --adopt ${root}; ` +
          'then run puruto update',
      );
    return merged(root, pristine, record, o, base);
  } catch (error) {
    if (error instanceof GitFailure || error instanceof UpgradeError) return fail(`${root}: ${error.message}`);
    throw error;
  }
}

/** Whether HEAD names a commit but no branch (`git checkout <commit>`, a rebase stopped half way ...). */
function detachedHead(root: string): boolean {
  return resolveCommit(root, 'HEAD') !== undefined && gitIn(root, ['symbolic-ref', '-q', 'HEAD']).code === 1;
}

const SWITCH_FIRST = 'git switch <branch>   (HEAD is detached: check out your branch first, or pass --force)';
const DETACHED_NOTE =
  'HEAD is detached: the merge commit belongs to no branch; keep it with git switch -c <new-branch>, ' +
  'or git switch <branch> && git merge <that commit>';

function detachedRefusal(root: string, command: string): string {
  return (
    `${root}: HEAD is detached (no branch is checked out), so the merge commit would belong to no branch and be ` +
    `lost at the next checkout. Check out your branch first (git switch <branch>), then run ${command} again; ` +
    `or pass --force to merge here anyway`
  );
}

/** Whether `commit` shares no history with HEAD (`git merge` would refuse "unrelated histories"). */
function unrelated(root: string, commit: string): boolean {
  if (!resolveCommit(root, 'HEAD')) return false;
  return gitIn(root, ['merge-base', commit, 'HEAD']).code === 1;
}

type Base = Omit<UpdateReport, 'base' | 'status' | 'files' | 'next'>;

function nameStatus(root: string, from: string, to: string, env?: NodeJS.ProcessEnv): FileChange[] {
  const out = must(root, ['diff', '--no-renames', '--name-status', from, to], env ? { env } : {});
  const kinds: Record<string, FileChange['change']> = { A: 'added', M: 'modified', D: 'deleted', T: 'modified' };
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [k, file] = line.split('\t');
      return { path: file!, change: kinds[k!.charAt(0)] ?? 'modified' };
    });
}

function merged(root: string, pristine: string, record: RenderRecord, o: UpdateOptions, b: Base): UpdateOutcome {
  if (fs.existsSync(path.resolve(root, must(root, ['rev-parse', '--git-path', 'MERGE_HEAD'])))) {
    return fail(
      `${root} has a merge in progress: finish it (resolve, git add, git commit) ` +
        `or undo it (git merge --abort), then run puruto update again`,
    );
  }
  const head = resolveCommit(root, 'HEAD');
  if (!head)
    return fail(
      `${root} has no commit yet: commit your files first (git add -A && git commit), then run puruto update again`,
    );
  if (!o.dryRun) {
    const dirty = uncommittedChanges(root) ?? [];
    if (dirty.length) {
      const shown = dirty
        .slice(0, 5)
        .map((l) => l.trim())
        .join(', ');
      return fail(
        `${root} has uncommitted changes ` +
          `(${shown}${dirty.length > 5 ? `, and ${dirty.length - 5} more` : ''}); ` +
          `commit or stash them first (git stash), then run puruto update again`,
      );
    }
  }
  const detached = detachedHead(root);
  const scratch = o.dryRun ? scratchObjects(root) : undefined;
  const env = scratch?.env;
  try {
    // The standard version stays as the base has it: migrating it is puruto upgrade's job.
    const kept = fileAt(root, pristine, VERSION_FILE);
    const files = o.render(record).filter((f) => f.path !== VERSION_FILE);
    if (kept) files.push(kept);
    const tree = writeTree(root, files, env);
    const inBranch = gitIn(root, ['merge-base', '--is-ancestor', pristine, 'HEAD']).ok;
    const same = tree === treeOf(root, pristine, env);
    if (same && inBranch)
      return { ok: true, report: { ...b, base: 'pristine', status: 'up-to-date', files: [], next: [] } };
    const from = b.from_version ?? 'an earlier version';
    const target = same
      ? pristine
      : commitTree(
          root,
          tree,
          [pristine],
          `generator-puruto ${o.generatorVersion}: ${path.basename(root)} re-rendered (puruto update, from ${from})`,
          env,
        );
    const files2 = nameStatus(root, pristine, target, env);
    // git itself never writes through a link; the refusal comes first and says so (lib/write-guard.ts).
    const escape = firstEscape(
      root,
      files2.map((f) => f.path),
    );
    if (escape) return fail(`${root}: ${escapeMessage(escape, 'puruto update')}`);
    if (o.dryRun) {
      const opts = env ? { env } : {};
      const stat = gitIn(root, ['diff', '--no-renames', '--stat', pristine, target], opts).stdout;
      const diff = gitIn(root, ['diff', '--no-renames', '--no-color', pristine, target], opts).stdout;
      const mt = gitIn(root, ['merge-tree', '--write-tree', '--name-only', '--no-messages', 'HEAD', target], opts);
      const wouldConflict = mt.code === 1 ? mt.stdout.split('\n').slice(1).filter(Boolean) : [];
      return {
        ok: true,
        report: {
          ...b,
          base: 'pristine',
          status: 'would-update',
          files: files2,
          stat,
          diff,
          would_conflict: wouldConflict,
          next: [...(detached && !o.force ? [SWITCH_FIRST] : []), `puruto update ${root}`],
        },
      };
    }
    if (detached && !o.force) return fail(detachedRefusal(root, 'puruto update'));
    must(root, ['update-ref', '-m', 'puruto update', PRISTINE_REF, target, pristine]);
    const message = `puruto update: generator-puruto ${from} → ${o.generatorVersion}`;
    const m = gitIn(root, ['merge', '--no-ff', '--no-edit', '-m', message, target], { env: commitEnv(root) });
    if (m.ok)
      return {
        ok: true,
        report: { ...b, base: 'pristine', status: 'updated', files: files2, next: detached ? [DETACHED_NOTE] : [] },
      };
    const conflicts = gitIn(root, ['diff', '--name-only', '--diff-filter=U']).stdout.split('\n').filter(Boolean);
    if (conflicts.length) {
      return {
        ok: true,
        report: {
          ...b,
          base: 'pristine',
          status: 'conflicts',
          files: files2,
          conflicts,
          next: [
            `cd ${root}`,
            'edit each conflicted file (between the <<<<<<< and >>>>>>> markers), then: git add <file>',
            'finish the update: git commit --no-edit',
            'or undo it: git merge --abort (the next puruto update offers the same changes again)',
          ],
        },
      };
    }
    must(root, ['update-ref', PRISTINE_REF, pristine]);
    return fail(`${root}: git merge failed (${lastLine(m.stderr || m.stdout)}); nothing was changed`);
  } finally {
    scratch?.dispose();
  }
}
