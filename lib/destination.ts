import { stat, readdir } from 'node:fs/promises';
import path from 'node:path';

export interface DestinationInput {
  name: string;
  cwd: string;
  home: string;
  /** Explicit --destination: the folder the repo is written to (overrides resolution). */
  explicit?: string | undefined;
}

export interface Destination {
  path: string;
  /** How it was chosen, for the summary. */
  reason: 'explicit' | 'home-purutos' | 'sibling-purutos' | 'cwd';
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** SPEC §3: ~/purutos/<name>, else ../purutos/<name>, else <cwd>/<name>; --destination wins. */
export async function resolveDestination(input: DestinationInput): Promise<Destination> {
  if (input.explicit) return { path: path.resolve(input.cwd, input.explicit), reason: 'explicit' };
  const home = path.join(input.home, 'purutos');
  if (await isDir(home)) return { path: path.join(home, input.name), reason: 'home-purutos' };
  const sibling = path.resolve(input.cwd, '..', 'purutos');
  if (await isDir(sibling)) return { path: path.join(sibling, input.name), reason: 'sibling-purutos' };
  return { path: path.join(path.resolve(input.cwd), input.name), reason: 'cwd' };
}

export type DestinationState = 'absent' | 'empty' | 'not-empty' | 'not-a-directory';

/** Whether a destination can receive a new repo ('absent' or 'empty'). */
export async function destinationState(p: string): Promise<DestinationState> {
  let s;
  try {
    s = await stat(p);
  } catch {
    return 'absent';
  }
  if (!s.isDirectory()) return 'not-a-directory';
  return (await readdir(p)).length === 0 ? 'empty' : 'not-empty';
}

/** Why a destination cannot take a new repo (with how to fix it), or undefined. */
export function destinationProblem(dest: Destination, state: DestinationState): string | undefined {
  if (state === 'absent' || state === 'empty') return undefined;
  const what = state === 'not-empty' ? 'already exists and is not empty' : 'already exists and is not a folder';
  const fix =
    dest.reason === 'explicit'
      ? 'Pass another --destination, or remove it.'
      : 'Pick another name, remove it, or pass --destination DIR.';
  return `${dest.path} ${what}: nothing was written. ${fix}`;
}
