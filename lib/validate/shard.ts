/**
 * One slice of a workspace: pick the folders that look like Purutos and validate
 * them, in the given order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readTextFile } from '../safe-read.js';
import { VERSION_FILE } from '../standard/version.js';
import { generatorSection, YO_RC_FILE } from './kind.js';
import type { Report } from './report.js';
import { validateDir } from './repo.js';

/** Ours is a few hundred bytes; a bigger one is not worth parsing to find a folder's kind. */
const YO_RC_MAX_BYTES = 1024 * 1024;

const MARKERS = ['CLAUDE.md', 'agent.md', 'AGENTS.md', VERSION_FILE];

function listDir(dir: string): fs.Dirent[] | undefined {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined; // not a folder, or unreadable: not a Puruto we can see
  }
}

/** The folders directly under `dir` that look like Purutos, sorted; undefined when `dir` cannot be listed. */
export function purutosIn(dir: string): string[] | undefined {
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => !n.startsWith('.'))
      .sort()
      .map((n) => path.join(dir, n))
      .filter((p) => looksLikePuruto(p));
  } catch {
    return undefined;
  }
}

/** A repo's own record: the version file or our `.yo-rc.json` section (rules files alone are not enough). */
export function hasRepoRecord(dir: string): boolean {
  return fs.existsSync(path.join(dir, VERSION_FILE)) || hasGeneratorRecord(dir);
}

/** Our section in the folder's `.yo-rc.json` (an unreadable or foreign one does not count). */
function hasGeneratorRecord(dir: string): boolean {
  // A FIFO or a link to /dev/zero in its place is not a record (and must not hang).
  const read = readTextFile(path.join(dir, YO_RC_FILE), { maxBytes: YO_RC_MAX_BYTES });
  return read.ok && generatorSection(read.text) !== undefined;
}

/**
 * An ecosystem folder (`puruto init`'s ~/purutos) has rules files and skills of its own
 * (the framework's agent mode) but no record of its own, and holds Purutos that have one:
 * it holds Purutos, it is not one.
 */
export function isEcosystemListing(
  dir: string,
  entries: fs.Dirent[],
  names = new Set(entries.map((e) => e.name)),
): boolean {
  if (names.has(VERSION_FILE) || (names.has(YO_RC_FILE) && hasGeneratorRecord(dir))) return false;
  return entries.some((e) => e.isDirectory() && !e.name.startsWith('.') && hasRepoRecord(path.join(dir, e.name)));
}

/** True when `dir` is an ecosystem folder (see isEcosystemListing). */
export function isEcosystemRoot(dir: string): boolean {
  const entries = listDir(dir);
  return entries !== undefined && isEcosystemListing(dir, entries);
}

/**
 * A Puruto has agent rules, a skills folder, a version file, or our `.yo-rc.json`
 * section — and is not an ecosystem folder.
 */
export function isPurutoListing(dir: string, entries: fs.Dirent[]): boolean {
  const names = new Set(entries.map((e) => e.name));
  return looksMarked(dir, names) && !isEcosystemListing(dir, entries, names);
}

function looksMarked(dir: string, names: ReadonlySet<string>): boolean {
  if (MARKERS.some((m) => names.has(m))) return true;
  if (names.has('.claude')) {
    try {
      if (fs.statSync(path.join(dir, '.claude', 'skills')).isDirectory()) return true;
    } catch {
      // no skills folder
    }
  }
  return names.has(YO_RC_FILE) && hasGeneratorRecord(dir);
}

/** True when `dir` is a folder that looks like a Puruto. */
export function looksLikePuruto(dir: string): boolean {
  const entries = listDir(dir);
  return entries !== undefined && isPurutoListing(dir, entries);
}

/** Reports of the Purutos among `dirs` (absolute paths), in the same order. */
export async function validateShard(dirs: readonly string[], strict: boolean): Promise<Report[]> {
  const reports: Report[] = [];
  for (const dir of dirs) {
    const entries = listDir(dir);
    if (entries === undefined || !isPurutoListing(dir, entries)) continue;
    reports.push(await validateDir(dir, strict, entries));
  }
  return reports;
}
