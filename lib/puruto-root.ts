/**
 * Yeoman's convention: the nearest folder at or above the current one that holds a
 * `.yo-rc.json` is the project's root. When that file is ours (a `generator-puruto`
 * record), the folder is a Puruto and `yo puruto` / `puruto new` run there work on it
 * instead of nesting a new repo inside. Never prints; problems come back as values.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export const RECORD_KEY = 'generator-puruto';

export interface PurutoRecord {
  kind: string;
  standardVersion?: string;
  answers: Record<string, unknown>;
  /** sha256 of each file as the generator last wrote it (relative posix path → hex). */
  fileHashes: Record<string, string>;
}

export type RootLookup =
  | { found: false }
  | { found: true; root: string; record: PurutoRecord }
  | { found: 'broken'; root: string; message: string };

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The record of a `.yo-rc.json` text: ours, another generator's, or unreadable. */
export function parseRecord(text: string): { ours: true; record: PurutoRecord } | { ours: false } | { broken: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { broken: `it is not valid JSON (${(error as Error).message})` };
  }
  if (!isObject(json) || !(RECORD_KEY in json)) return { ours: false };
  const rec = json[RECORD_KEY];
  if (!isObject(rec) || typeof rec['kind'] !== 'string' || !isObject(rec['answers'])) {
    return { broken: `its "${RECORD_KEY}" entry has no "kind" text and "answers" object` };
  }
  const hashes = isObject(rec['fileHashes']) ? rec['fileHashes'] : {};
  const fileHashes: Record<string, string> = {};
  for (const [k, v] of Object.entries(hashes)) if (typeof v === 'string') fileHashes[k] = v;
  return {
    ours: true,
    record: {
      kind: rec['kind'],
      ...(typeof rec['standardVersion'] === 'string' ? { standardVersion: rec['standardVersion'] } : {}),
      answers: rec['answers'],
      fileHashes,
    },
  };
}

/** Walks up from `cwd` to the first `.yo-rc.json`; a Puruto root when that file is ours. */
export async function findPurutoRoot(cwd: string): Promise<RootLookup> {
  let dir = path.resolve(cwd);
  for (let depth = 0; depth < 256; depth++) {
    const rc = path.join(dir, '.yo-rc.json');
    if (await isFile(rc)) {
      let text: string;
      try {
        text = await readFile(rc, 'utf8');
      } catch (error) {
        return {
          found: 'broken',
          root: dir,
          message: `cannot read ${rc} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        };
      }
      const parsed = parseRecord(text);
      if ('broken' in parsed) {
        // Only a file that mentions us is ours to complain about; another tool's is not our business.
        if (!text.includes(RECORD_KEY)) return { found: false };
        return {
          found: 'broken',
          root: dir,
          message:
            `${rc} cannot be read as a Puruto record: ${parsed.broken}; fix it, or remove it to treat the ` +
            `folder as a plain one`,
        };
      }
      return parsed.ours ? { found: true, root: dir, record: parsed.record } : { found: false };
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return { found: false };
}
