/**
 * The safe path for a repo without a pristine base (made before generation recorded
 * one, or without git): a file equal to this version's rendering is fine, a missing one
 * is added, a differing one gets the new version beside it as `<file>.puruto-new`.
 * Nothing the user has is overwritten; writes go through the upgrade's draft (never
 * through a link leaving the repo: lib/write-guard.ts; all or nothing).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VERSION_FILE } from '../standard/version.js';
import { YO_RC_FILE } from '../validate/kind.js';
import { Draft, UpgradeError } from '../upgrade/draft.js';
import { escapeMessage, escapingLink } from '../write-guard.js';
import { writeChanges } from '../upgrade/write.js';
import type { FileChange } from './index.js';
import type { RenderedFile } from './tree.js';

export const BESIDE_SUFFIX = '.puruto-new';

/** `<file>.puruto-new` files left in the repo (not under .git), sorted. */
export function leftovers(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string, depth: number): void => {
    if (depth > 12) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const sub = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && e.name !== '.git' && e.name !== 'node_modules' && e.name !== '.venv') walk(sub, depth + 1);
      else if (e.isFile() && e.name.endsWith(BESIDE_SUFFIX)) out.push(sub);
    }
  };
  walk('', 0);
  return out.sort();
}

function unifiedDiff(rel: string, before: string, after: string): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'puruto-diff-'));
  try {
    fs.mkdirSync(path.join(tmp, 'a'));
    fs.mkdirSync(path.join(tmp, 'b'));
    fs.writeFileSync(path.join(tmp, 'a', 'f'), before);
    fs.writeFileSync(path.join(tmp, 'b', 'f'), after);
    const r = spawnSync('git', ['diff', '--no-index', '--no-color', '--no-prefix', 'a/f', 'b/f'], {
      cwd: tmp,
      encoding: 'utf8',
    });
    if (r.error) return '';
    // Only the header lines name the files; content lines stay as they are.
    return r.stdout
      .split('\n')
      .map((line) =>
        /^(diff --git|--- |\+\+\+ )/.test(line) ? line.replace('a/f', `a/${rel}`).replace('b/f', `b/${rel}`) : line,
      )
      .join('\n');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export interface SideBySide {
  files: FileChange[];
  stat: string;
  diff: string;
}

export function sideBySide(root: string, rendering: readonly RenderedFile[], dryRun: boolean): SideBySide {
  const draft = new Draft(root, 'puruto update');
  const files: FileChange[] = [];
  const diffs: string[] = [];
  const exec = new Set<string>();
  const links: RenderedFile[] = [];
  for (const f of rendering) {
    // The standard version is puruto upgrade's; the answers record is kept unless missing.
    if (f.path === VERSION_FILE) continue;
    if (f.mode === 'link') {
      let present = true;
      try {
        fs.lstatSync(path.join(root, f.path));
      } catch {
        present = false;
      }
      if (!present) {
        // Made after the files (below): checked now, like every write of the draft.
        const escape = escapingLink(root, f.path);
        if (escape) throw new UpgradeError(escapeMessage(escape, 'puruto update'));
        files.push({ path: f.path, change: 'added' });
        links.push(f);
      }
      continue;
    }
    const entry = draft.entry(f.path);
    if (entry === 'missing') {
      draft.write(f.path, f.content);
      if (f.mode === 'exec') exec.add(f.path);
      files.push({ path: f.path, change: 'added' });
      diffs.push(unifiedDiff(f.path, '', f.content));
      continue;
    }
    if (f.path === YO_RC_FILE) continue;
    const now = draft.read(f.path);
    if (now === f.content) continue;
    const beside = `${f.path}${BESIDE_SUFFIX}`;
    draft.write(beside, f.content);
    files.push({ path: f.path, change: 'beside' });
    diffs.push(unifiedDiff(f.path, now ?? '', f.content));
  }
  if (!dryRun) {
    const changes = draft.changes().map((c) => (exec.has(c.rel) ? { ...c, mode: c.mode ?? 0o755 } : c));
    writeChanges(root, changes);
    for (const f of links) {
      fs.mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true });
      fs.symlinkSync(f.content, path.join(root, f.path));
    }
  }
  const stat = files
    .map((f) => ` ${f.path}${f.change === 'beside' ? ` -> ${f.path}${BESIDE_SUFFIX}` : ' (added)'}`)
    .join('\n');
  return { files, stat, diff: diffs.join('') };
}
