/**
 * `puruto update --adopt`: a repo without a pristine base gets one. The current files
 * stay exactly as they are; this version's rendering becomes the base, merged into the
 * branch with the `ours` strategy (recorded as merged, nothing changed), so a later
 * update merges only what a newer generator changes. A folder without git (or a git repo
 * without a commit) is committed first.
 *
 * All or nothing: the commits are made with plumbing (objects only), then the branch and
 * refs/puruto/pristine move in one ref transaction, so a kill never leaves a base the
 * branch has not joined. The one thing written before is `.yo-rc.json` (staged), which a
 * later --adopt accepts as its own. A base the branch does not share history with (an
 * adopt interrupted by an older version, or its merge undone by `git reset --hard HEAD^`)
 * is replaced the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { git, uncommittedChanges } from '../git.js';
import { commitEnv } from '../git-init.js';
import { VERSION_FILE } from '../standard/version.js';
import { YO_RC_FILE } from '../validate/kind.js';
import { escapeMessage, escapingLink } from '../write-guard.js';
import {
  commitTree,
  fileAt,
  gitIn,
  must,
  PRISTINE_REF,
  resolveCommit,
  treeOf,
  writeTree,
  type RenderedFile,
} from './tree.js';

type Result = { ok: true } | { ok: false; message: string };

/** Writes `text` at `file` through a temporary file renamed over it, keeping its permission bits. */
function replaceFile(file: string, text: string): void {
  let mode: number | undefined;
  try {
    mode = fs.statSync(file).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.puruto-adopt-${process.pid}.tmp`);
  fs.writeFileSync(tmp, text);
  if (mode !== undefined) fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

export function adopt(
  root: string,
  rendering: readonly RenderedFile[],
  hasGit: boolean,
  version: string,
  /** The base being replaced (one the branch shares no history with), if any. */
  stale?: string,
): Result {
  const name = path.basename(root);
  if (!hasGit) {
    const init = git(['init', '-q'], root);
    if (init.missing)
      return {
        ok: false,
        message:
          'git is not installed: --adopt records the base in git; install git, or merge the .puruto-new files by hand',
      };
    if (!init.ok) return { ok: false, message: `git init: ${init.stderr.trim()}` };
  }
  const env = commitEnv(root);
  const rc = rendering.find((f) => f.path === YO_RC_FILE);
  if (resolveCommit(root, 'HEAD') === undefined) {
    // Nothing committed yet (no git before, or killed before the first commit): commit it all.
    must(root, ['add', '-A']);
    must(root, ['commit', '-q', '--allow-empty', '-m', `Record ${name} before puruto update --adopt`], { env });
  } else {
    // .yo-rc.json staged with this rendering's text is what an interrupted --adopt leaves.
    const own = (line: string): boolean =>
      rc !== undefined &&
      /^[MA ][M ] \.yo-rc\.json$/.test(line) &&
      fs.readFileSync(path.join(root, YO_RC_FILE), 'utf8') === rc.content;
    const dirty = (uncommittedChanges(root) ?? []).filter((l) => !own(l));
    if (dirty.length)
      return {
        ok: false,
        message: `${root} has uncommitted changes (${dirty
          .slice(0, 5)
          .map((l) => l.trim())
          .join(', ')}); commit or stash them first, then run puruto update --adopt`,
      };
  }
  const head = must(root, ['rev-parse', '--verify', 'HEAD^{commit}']);
  let tip = head;
  // .yo-rc.json is the generator's record, not the user's: it names this version now.
  if (rc && fileAt(root, head, YO_RC_FILE)?.content !== rc.content) {
    const escape = escapingLink(root, YO_RC_FILE);
    if (escape) return { ok: false, message: escapeMessage(escape, 'puruto update --adopt') };
    replaceFile(path.join(root, YO_RC_FILE), rc.content);
    must(root, ['add', '--', YO_RC_FILE]);
    tip = commitTree(
      root,
      must(root, ['write-tree']),
      [head],
      `Record generator-puruto ${version} in ${YO_RC_FILE} (puruto update --adopt)`,
    );
  }
  const kept = fileAt(root, 'HEAD', VERSION_FILE);
  const files = rendering.filter((f) => f.path !== VERSION_FILE);
  if (kept) files.push(kept);
  const base = commitTree(
    root,
    writeTree(root, files),
    [],
    `generator-puruto ${version}: ${name} as this version renders it (adopted as the pristine base)`,
  );
  // The `ours` merge: the branch's files, the base as second parent.
  const joined = commitTree(
    root,
    treeOf(root, tip),
    [tip, base],
    `puruto update --adopt: ${name}'s files are based on generator-puruto ${version}`,
  );
  const pristine = stale === undefined ? `create ${PRISTINE_REF} ${base}` : `update ${PRISTINE_REF} ${base} ${stale}`;
  must(root, ['update-ref', '-m', 'puruto update --adopt', '--stdin'], {
    env,
    input: `start\nupdate HEAD ${joined} ${head}\n${pristine}\nprepare\ncommit\n`,
  });
  // The index already holds the new .yo-rc.json; refresh its stat data for a clean status.
  gitIn(root, ['update-index', '-q', '--refresh']);
  return { ok: true };
}
