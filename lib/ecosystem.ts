/**
 * The ecosystem folder (SPEC §1 layer 5, §3 "/init"): independent repos side by side,
 * by default in ~/purutos, the folder itself not a repo. What `puruto init` needs to
 * know about it before writing anything. Reads the disk, never writes, never prints.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasRepoRecord as isPurutoRepo } from './validate/workspace.js';
import { KIND_REGISTRY, isEcosystemKind, type EcosystemKind } from '../generators/kinds.js';

export type EcosystemKey = EcosystemKind['key'];
export type EcosystemName = EcosystemKind['kind'];

/**
 * The ecosystem kinds in creation order, the vault first (the others point at it): the
 * registered kinds that declare an ecosystem slot (generators/<key>/kind.ts), by its order.
 */
export const ECOSYSTEM: readonly { key: EcosystemKey; name: EcosystemName }[] = KIND_REGISTRY.filter(isEcosystemKind)
  .sort((a, b) => a.ecosystem.order - b.ecosystem.order)
  .map((k) => ({ key: k.key, name: k.kind }));

type VaultName = Extract<EcosystemKind, { ecosystem: { vault: true } }>['kind'];

/** The vault (the one kind whose slot says so): the others point at it and are registered in its registry.json. */
export const VAULT_NAME: VaultName = vaultName();

function vaultName(): VaultName {
  const vaults = KIND_REGISTRY.filter(isEcosystemKind).filter((k) => 'vault' in k.ecosystem);
  if (vaults.length !== 1) throw new Error(`the kind registry must declare one vault, got ${vaults.length}`);
  return vaults[0]!.kind as VaultName;
}

/** The vault's key (`puruto init` always creates it). */
export const VAULT_KEY: EcosystemKey = ECOSYSTEM.find((k) => k.name === VAULT_NAME)!.key;

export const DEFAULT_ECOSYSTEM = '~/purutos';

/** `~` and `~/x` are the user's home (a quoted default reaches us unexpanded). */
export function expandHome(p: string, home: string = os.homedir()): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return p;
}

/** The absolute ecosystem folder of `puruto init [dir]`. */
export function resolveEcosystemDir(dir: string | undefined, cwd: string, home: string = os.homedir()): string {
  return path.resolve(cwd, expandHome(dir ?? DEFAULT_ECOSYSTEM, home));
}

export type RepoSlot = 'absent' | 'empty' | 'present' | 'not-a-directory';

export interface EcosystemState {
  dir: string;
  /** absent = will be created; folder = exists; refused = cannot be used (see problem). */
  status: 'absent' | 'folder' | 'refused';
  problem?: string;
  /** What is at `<dir>/<name>` for each ecosystem kind. */
  slots: Record<EcosystemName, RepoSlot>;
}

function slot(p: string): RepoSlot {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return 'absent';
  }
  if (!st.isDirectory()) return 'not-a-directory';
  try {
    return fs.readdirSync(p).length === 0 ? 'empty' : 'present';
  } catch {
    return 'present';
  }
}

/**
 * A folder is a Puruto (not an ecosystem folder) when it carries a repo's own record (the
 * version file or our `.yo-rc.json` section); an ecosystem folder has rules files and
 * skills of its own but holds such repos. The validator decides both (lib/validate/shard).
 */
export { hasRepoRecord as isPurutoRepo, isEcosystemRoot } from './validate/workspace.js';
/** Whether `dir` can be (or already is) an ecosystem folder, and what it already holds. */
export function inspectEcosystem(dir: string): EcosystemState {
  const slots = Object.fromEntries(ECOSYSTEM.map((k) => [k.name, 'absent'])) as Record<EcosystemName, RepoSlot>;
  const here = slot(dir);
  if (here === 'absent') return { dir, status: 'absent', slots };
  if (here === 'not-a-directory') {
    return {
      dir,
      status: 'refused',
      slots,
      problem:
        `${dir} exists and is not a folder: nothing was written. Remove it, or give another folder: puruto ` +
        `init <dir>`,
    };
  }
  if (isPurutoRepo(dir)) {
    return {
      dir,
      status: 'refused',
      slots,
      problem:
        `${dir} is a Puruto repo, not an ecosystem folder: nothing was written. Run it on the folder that ` +
        `holds your Purutos, e.g. puruto init ${path.dirname(dir)}`,
    };
  }
  for (const k of ECOSYSTEM) slots[k.name] = slot(path.join(dir, k.name));
  const blocked = ECOSYSTEM.filter((k) => slots[k.name] === 'not-a-directory').map((k) => k.name);
  if (blocked.length) {
    return {
      dir,
      status: 'refused',
      slots,
      problem:
        `${blocked.map((b) => path.join(dir, b)).join(', ')} ` +
        `${blocked.length > 1 ? 'are files' : 'is a file'}, where the repo of that name goes: nothing was written. ` +
        'Move it aside and run puruto init again',
    };
  }
  return { dir, status: 'folder', slots };
}
