/**
 * Registering Purutos in puruto-data's registry.json from TypeScript, with the exact
 * semantics of the vault's own `python3 vault.py register <name>` (vault_store.py /
 * vault.py): the name is `puruto-<name>`; a new entry is {name, folder, registered_at,
 * path, kind, commands} with path `../<name>` (relative to the vault, which is how the
 * gateway's registry.py and invoker.py read it); `<folder>/.gitkeep` is created; an
 * existing entry is kept as it is (idempotent); the file is replaced atomically.
 *
 * `puruto init` uses it instead of running vault.py so that wiring works without Python.
 * Its read-modify-write holds the vault's registry lock (registry-lock.ts: the folder
 * `.registry.lock.d`, the protocol vault_store.py uses), so concurrent `vault.py register`
 * calls never lose an entry; the atomic rename keeps readers from seeing half a file.
 * Never prints; problems come back as values.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeReadFailure, readTextFile } from './safe-read.js';
import { kindFromName } from './standard/kinds.js';
import { withRegistryLock } from './registry-lock.js';
import { REGISTRY_NAME_MAX, REGISTRY_NAME_PATTERN } from './schemas/definitions.js';

export const REGISTRY_FILE = 'registry.json';
/** vault_store.NAME_RE: the registry schema's name rule. */
export const REGISTRY_NAME = new RegExp(REGISTRY_NAME_PATTERN);
/** vault_store.DEFAULT_COMMANDS: what the gateway accepts as POST /purutos/{name}/{command}. */
export const DEFAULT_COMMANDS = ['init', 'help', 'list', 'status'] as const;

export interface RegistryEntry {
  name: string;
  folder: string;
  registered_at: string;
  path: string;
  kind: string;
  commands: string[];
}

export interface Registration {
  name: string;
  status: 'registered' | 'already-registered';
}

export type RegisterResult =
  { ok: true; results: Registration[]; changed: boolean; file: string } | { ok: false; message: string };

/** vault.py's timestamp: UTC, seconds, `Z` (e.g. 2025-01-31T09:30:00Z). */
export function timestamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The entry vault.py would add for `name` without --path/--commands. */
export function newEntry(name: string, now: Date): RegistryEntry {
  return {
    name,
    folder: name,
    registered_at: timestamp(now),
    path: `../${name}`,
    kind: kindFromName(name),
    commands: [...DEFAULT_COMMANDS],
  };
}

type Registry = { purutos: unknown[] } & Record<string, unknown>;

function readRegistry(file: string): { ok: true; data: Registry } | { ok: false; message: string } {
  const read = readTextFile(file);
  if (!read.ok) {
    if (read.code === 'ENOENT') return { ok: true, data: { version: '1', purutos: [] } };
    return {
      ok: false,
      message:
        `cannot read ${file} (${describeReadFailure(read.code)}): it must be a regular JSON file; ` +
        `check it and its permissions`,
    };
  }
  const text = read.text;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      message:
        `${file} is not valid JSON (${(error as Error).message}): ` +
        `fix it or restore it with \`git checkout ${REGISTRY_FILE}\`; nothing was changed`,
    };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !Array.isArray((data as Registry).purutos)) {
    return {
      ok: false,
      message:
        `${file} must be an object with a "purutos" list, e.g. {"version": "1", "purutos": []}; ` +
        `nothing was changed`,
    };
  }
  return { ok: true, data: data as Registry };
}

/** Readers see the old file or the new one: a temp file beside it, then a rename. */
function writeAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let mode: number | undefined;
  try {
    mode = fs.statSync(file).mode & 0o777;
  } catch {
    mode = undefined;
  }
  try {
    fs.writeFileSync(tmp, text, mode === undefined ? undefined : { mode });
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

/** The names registered in a vault's registry.json (undefined when it cannot be read). */
export function registeredNames(vault: string): Set<string> | undefined {
  const file = path.join(vault, REGISTRY_FILE);
  if (!fs.existsSync(file)) return undefined;
  const read = readRegistry(file);
  if (!read.ok) return undefined;
  const names = read.data.purutos.flatMap((e) => {
    if (typeof e !== 'object' || e === null) return [];
    const n = (e as Record<string, unknown>)['name'] ?? (e as Record<string, unknown>)['id'];
    return typeof n === 'string' ? [n] : [];
  });
  return new Set(names);
}

/** Registers each name in the vault at `vault` (a puruto-data folder), in order. */
export function registerPurutos(
  vault: string,
  names: readonly string[],
  now: Date = new Date(),
  lockWaitMs?: number,
): RegisterResult {
  const bad = names.find((n) => !REGISTRY_NAME.test(n) || n.length > REGISTRY_NAME_MAX);
  if (bad !== undefined)
    return {
      ok: false,
      message:
        `"${bad}" is not a Puruto name the vault accepts: use puruto-<name> (lowercase letters, digits, ` +
        `single hyphens)`,
    };
  const file = path.join(vault, REGISTRY_FILE);
  let locked;
  try {
    locked = withRegistryLock(vault, () => registerLocked(vault, file, names, now), lockWaitMs);
  } catch (error) {
    return {
      ok: false,
      message: `cannot update ${file} (${(error as Error).message}): check the permissions of ${vault}`,
    };
  }
  return locked.ok ? locked.value : locked;
}

/** The read-modify-write itself; the caller holds the registry lock. */
function registerLocked(vault: string, file: string, names: readonly string[], now: Date): RegisterResult {
  const read = readRegistry(file);
  if (!read.ok) return read;
  const registry = read.data;
  const results: Registration[] = [];
  for (const name of names) {
    const existing = registry.purutos.find(
      (e) => typeof e === 'object' && e !== null && (e as Record<string, unknown>)['name'] === name,
    ) as Record<string, unknown> | undefined;
    const folder = typeof existing?.['folder'] === 'string' ? existing['folder'] : name;
    if (existing === undefined) registry.purutos.push(newEntry(name, now));
    results.push({ name, status: existing === undefined ? 'registered' : 'already-registered' });
    // Like vault.py: the Puruto's private folder exists once it is registered.
    if (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(folder) && !folder.includes('..')) {
      fs.mkdirSync(path.join(vault, folder), { recursive: true });
      fs.writeFileSync(path.join(vault, folder, '.gitkeep'), '', { flag: 'a' });
    }
  }
  const changed = results.some((r) => r.status === 'registered');
  if (changed) writeAtomic(file, `${JSON.stringify(registry, null, 2)}\n`);
  return { ok: true, results, changed, file };
}
