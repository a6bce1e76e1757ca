/**
 * The Purutos of an ecosystem folder, one entry each, for `puruto workspace` and the
 * `/workspace` skill: name, kind, standard version, validation, description, skills,
 * whether puruto-data lists it, and (optionally) its runtime state from its /status
 * script. Which folders count and how they validate is lib/validate's business
 * (validateWorkspace / looksLikePuruto); this only gathers. Never prints, never exits.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readTextFile } from './safe-read.js';
import { looksLikePuruto, validateWorkspace } from './validate/index.js';
import { generatorSection, isObject, YO_RC_FILE } from './validate/kind.js';
import { versionFromFile } from './upgrade/versions.js';
import { VAULT_NAME } from './ecosystem.js';
import type { KindName } from './standard/kinds.js';
import { STANDARD_VERSION, VERSION_FILE } from './standard/version.js';
import { registeredNames } from './registry.js';
import { runtimeStatuses, type RuntimeStatus, type StatusOptions } from './workspace-status.js';

export interface WorkspacePuruto {
  name: string;
  path: string;
  kind: KindName;
  /** Content of .puruto-standard-version; null when the file is missing, "" when empty. */
  version: string | null;
  /** The version upgrade works from: `version`, or 0.0.0 when missing or empty. */
  effective_version: string;
  /** effective_version is the one this package generates. */
  current: boolean;
  validation: { ok: boolean; errors: number; warnings: number };
  /** From .yo-rc.json answers, when the generator recorded one. */
  description: string | null;
  /** Folder names under .claude/skills. */
  skills: string[];
  /** Listed in puruto-data/registry.json (null when the folder has no readable registry). */
  registered: boolean | null;
  /** Only with the status option. */
  status?: RuntimeStatus;
}

export interface WorkspaceListing {
  path: string;
  standard_version: string;
  count: number;
  /** Every listed Puruto passes validation. */
  ok: boolean;
  registry: string | null;
  purutos: WorkspacePuruto[];
}

export type ListResult =
  | { ok: true; listing: WorkspaceListing }
  | { ok: false; reason: 'absent' | 'not-a-directory' | 'unreadable'; message: string };

export interface ListOptions {
  strict?: boolean;
  /** Run each Puruto's status script (see workspace-status.ts). */
  status?: boolean | StatusOptions;
}

/**
 * DIR of `puruto workspace` when none is given: cwd if it directly holds Purutos, else
 * ~/purutos. An ecosystem folder under cwd (e.g. ~/purutos seen from ~) is not a Puruto.
 */
export function defaultWorkspaceDir(cwd: string, home: string = os.homedir()): string {
  let names: string[];
  try {
    names = fs.readdirSync(cwd);
  } catch {
    names = [];
  }
  const holds = names.some((n) => !n.startsWith('.') && looksLikePuruto(path.join(cwd, n)));
  return holds ? path.resolve(cwd) : path.join(home, 'purutos');
}

function readText(file: string): string | null {
  // Regular files only, size-capped: a FIFO or /dev/zero link must not hang the listing.
  const read = readTextFile(file);
  return read.ok ? read.text : null;
}

function description(dir: string): string | null {
  const rc = readText(path.join(dir, YO_RC_FILE));
  const answers = rc === null ? undefined : generatorSection(rc)?.['answers'];
  const d = isObject(answers) ? answers['description'] : undefined;
  return typeof d === 'string' && d.trim() !== '' ? d.trim() : null;
}

/** Folder names under .claude/skills; none when that folder leads outside the repo (never listed). */
function skills(dir: string): string[] {
  try {
    const folder = fs.realpathSync.native(path.join(dir, '.claude', 'skills'));
    const root = fs.realpathSync.native(dir);
    if (!folder.startsWith(`${root}${path.sep}`)) return [];
    return fs
      .readdirSync(folder, { withFileTypes: true })
      .filter((e) => !e.name.startsWith('.') && (e.isDirectory() || e.isSymbolicLink()))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

export async function listWorkspace(dir: string, options: ListOptions = {}): Promise<ListResult> {
  const abs = path.resolve(dir);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    return {
      ok: false,
      reason: 'absent',
      message:
        `${abs} does not exist: create an ecosystem with \`puruto init ${abs}\`, or give the folder that ` +
        `holds your Purutos`,
    };
  }
  if (!st.isDirectory())
    return {
      ok: false,
      reason: 'not-a-directory',
      message: `${abs} is not a folder: give the folder that holds your Purutos (e.g. ~/purutos)`,
    };
  try {
    fs.readdirSync(abs);
  } catch (error) {
    return {
      ok: false,
      reason: 'unreadable',
      message: `${abs} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): check its permissions`,
    };
  }
  const report = await validateWorkspace(abs, { strict: options.strict === true });
  const vault = path.join(abs, VAULT_NAME);
  const registered = registeredNames(vault);
  const purutos = report.results.map((r): WorkspacePuruto => {
    const raw = readText(path.join(r.path, VERSION_FILE));
    const version = raw === null ? null : raw.trim();
    // SPEC §5: a missing or empty version file counts as 0.0.0, as upgrade reads it.
    const effective = versionFromFile(raw ?? undefined);
    const name = path.basename(r.path);
    return {
      name,
      path: r.path,
      kind: r.kind,
      version,
      effective_version: effective,
      current: effective === STANDARD_VERSION,
      validation: { ok: r.ok, errors: r.errors, warnings: r.warnings },
      description: description(r.path),
      skills: skills(r.path),
      registered: registered === undefined ? null : registered.has(name),
    };
  });
  if (options.status) {
    const statusOptions = typeof options.status === 'object' ? options.status : {};
    // Each script is its own process: a few run side by side (bounded), results kept in listing order.
    const states = await runtimeStatuses(
      purutos.map((p) => p.path),
      statusOptions,
    );
    purutos.forEach((p, i) => (p.status = states[i]));
  }
  return {
    ok: true,
    listing: {
      path: abs,
      standard_version: STANDARD_VERSION,
      count: purutos.length,
      ok: purutos.every((p) => p.validation.ok),
      registry: registered === undefined ? null : path.join(vault, 'registry.json'),
      purutos,
    },
  };
}
