/**
 * `puruto update --adopt`: a repo without a pristine base gets one. The current files
 * stay exactly as they are; this version's rendering becomes the base, merged into the
 * branch with the `ours` strategy (recorded as merged, nothing changed), so a later
 * update merges only what a newer generator changes. A folder without git is made a git
 * repo with its files committed first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { git, uncommittedChanges } from '../git.js';
import { commitEnv } from '../git-init.js';
import { VERSION_FILE } from '../standard/version.js';
import { YO_RC_FILE } from '../validate/kind.js';
import { commitTree, fileAt, gitIn, must, PRISTINE_REF, resolveCommit, writeTree, type RenderedFile } from './tree.js';

export function adopt(
  root: string,
  rendering: readonly RenderedFile[],
  hasGit: boolean,
  version: string,
): { ok: true } | { ok: false; message: string } {
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
  } else {
    const dirty = uncommittedChanges(root) ?? [];
    if (dirty.length)
      return {
        ok: false,
        message: `${root} has uncommitted changes (${dirty
          .slice(0, 5)
          .map((l) => l.trim())
          .join(', ')}); commit or stash them first, then run puruto update --adopt`,
      };
  }
  const env = commitEnv(root);
  const commitAll = (message: string): void => {
    must(root, ['add', '-A']);
    if (!gitIn(root, ['diff', '--cached', '--quiet']).ok || !resolveCommit(root, 'HEAD'))
      must(root, ['commit', '-q', '--allow-empty', '-m', message], { env });
  };
  if (!resolveCommit(root, 'HEAD')) commitAll(`Record ${name} before puruto update --adopt`);
  // .yo-rc.json is the generator's record, not the user's: it names this version now.
  const rc = rendering.find((f) => f.path === YO_RC_FILE);
  if (rc) {
    const file = path.join(root, YO_RC_FILE);
    const now = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (now !== rc.content) {
      fs.writeFileSync(file, rc.content);
      commitAll(`Record generator-puruto ${version} in ${YO_RC_FILE} (puruto update --adopt)`);
    }
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
  must(root, ['update-ref', PRISTINE_REF, base]);
  must(
    root,
    [
      'merge',
      '-q',
      '-s',
      'ours',
      '--allow-unrelated-histories',
      '--no-edit',
      '-m',
      `puruto update --adopt: ${name}'s files are based on generator-puruto ${version}`,
      base,
    ],
    { env },
  );
  return { ok: true };
}
