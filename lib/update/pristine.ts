/**
 * Generation's git step: `git init`, the generator's own output committed as the
 * pristine base (kept at refs/puruto/pristine, not a branch), the branch started on it.
 * What differs on disk from that rendering (puruto init's wiring of .env.example and
 * registry.json) becomes a second commit on the branch, so `puruto update` later merges
 * only what the generator changes. Never prints; the outcome is a value.
 */
import fs from 'node:fs';
import path from 'node:path';
import { git } from '../git.js';
import { hasIdentity, type FirstCommit } from '../git-init.js';
import { commitTree, GitFailure, must, PRISTINE_REF, writeTree, type RenderedFile } from './tree.js';

export function initWithPristine(
  dir: string,
  rendering: readonly RenderedFile[],
  message: string,
  extraMessage = 'Local changes made while generating',
): FirstCommit {
  if (fs.existsSync(path.join(dir, '.git'))) return { status: 'skipped', reason: 'already a git repository' };
  const init = git(['init', '-q'], dir);
  if (init.missing) return { status: 'skipped', reason: 'git is not installed' };
  if (!init.ok) return { status: 'failed', message: `git init: ${init.stderr.trim().split('\n').pop() ?? ''}` };
  try {
    const tree = writeTree(dir, rendering);
    const pristine = commitTree(dir, tree, [], message);
    must(dir, ['update-ref', PRISTINE_REF, pristine]);
    must(dir, ['add', '-A']);
    const work = must(dir, ['write-tree']);
    let head = pristine;
    if (work !== tree) head = commitTree(dir, work, [pristine], extraMessage);
    must(dir, ['update-ref', 'HEAD', head]);
    return { status: 'committed', commit: head.slice(0, 7), identity: hasIdentity(dir) ? 'user' : 'fallback' };
  } catch (error) {
    if (error instanceof GitFailure) return { status: 'failed', message: error.message };
    throw error;
  }
}
