/**
 * Wiring: PURUTO_DATA_PATH reaches a vault; registry entries ↔ folders; Telegram channels
 * and cron job targets exist and have the skill they name; cron's telegram path exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readTextFile } from '../safe-read.js';
import { isObject } from '../validate/kind.js';
import { lines, type RepoCtx } from './context.js';
import type { Check } from './types.js';

const USES_VAULT = new Set(['puruto-telegram', 'puruto-cron', 'puruto-gateway']);

function json(file: string): unknown {
  const r = readTextFile(file);
  if (!r.ok) return undefined;
  try {
    return JSON.parse(r.text) as unknown;
  } catch {
    return undefined;
  }
}

export interface Vault {
  dir: string;
  entries: { name: string; folder: string; path: string | undefined }[];
}

export function readVault(dir: string): Vault | undefined {
  const reg = json(path.join(dir, 'registry.json'));
  if (!isObject(reg)) return undefined;
  const list = Array.isArray(reg['purutos']) ? reg['purutos'] : Array.isArray(reg['repos']) ? reg['repos'] : [];
  const entries = list.filter(isObject).map((e) => {
    const name = String(e['name'] ?? e['id'] ?? '');
    return { name, folder: String(e['folder'] ?? name), path: typeof e['path'] === 'string' ? e['path'] : undefined };
  });
  return { dir, entries };
}

export function vaultPath(repo: RepoCtx): string {
  return path.resolve(repo.dir, repo.setting('PURUTO_DATA_PATH') || '../puruto-data');
}

/** Where a named Puruto is for this repo's invoker: the registry's path, else the sibling folder. */
function locate(repo: RepoCtx, name: string): string {
  const vault = readVault(vaultPath(repo));
  const entry = vault?.entries.find((e) => e.name === name && e.path);
  return entry?.path ? path.resolve(vault!.dir, entry.path) : path.join(path.dirname(repo.dir), name);
}

const isDir = (p: string): boolean => {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
};

export function repoWiring(repo: RepoCtx): Check[] {
  const l = lines('wiring', repo.name);
  if (USES_VAULT.has(repo.kind) || repo.setting('PURUTO_DATA_PATH')) {
    const v = vaultPath(repo);
    if (readVault(v)) l.add('ok', 'wiring.vault', `PURUTO_DATA_PATH reaches the vault ${v}`);
    else
      l.add(
        'error',
        'wiring.vault',
        `PURUTO_DATA_PATH${repo.setting('PURUTO_DATA_PATH') ? '' : ' (default ../puruto-data)'} is ${v}, ` +
          `which has no readable registry.json`,
        `edit ${repo.shown}/.env: PURUTO_DATA_PATH=<your puruto-data folder>   (or create it: ` +
          `puruto init ${path.dirname(repo.dir)})`,
      );
  }
  if (repo.kind === 'puruto-telegram') {
    const data = json(path.join(repo.dir, '.channels.json'));
    const channels =
      isObject(data) && Array.isArray(data['channels'])
        ? data['channels'].map((c) => (isObject(c) ? String(c['name'] ?? '') : String(c)))
        : [];
    const gone = channels.filter((c) => !isDir(locate(repo, c)));
    for (const c of gone)
      l.add(
        'error',
        'wiring.channel',
        `channel ${c} has no Puruto folder (${locate(repo, c)})`,
        `remove it from ${repo.shown}/.channels.json, or create it: puruto new ${c} --destination ${locate(repo, c)}`,
      );
    if (channels.length && !gone.length)
      l.add('ok', 'wiring.channels', `every channel's Puruto exists (${channels.join(', ')})`);
  }
  if (repo.kind === 'puruto-cron') {
    const data = json(path.join(repo.dir, '.jobs.json'));
    const jobs = isObject(data) && Array.isArray(data['jobs']) ? data['jobs'].filter(isObject) : [];
    let bad = 0;
    for (const j of jobs) {
      const id = String(j['job_id'] ?? '?');
      const target = String(j['puruto_target'] ?? '');
      const where = locate(repo, target);
      if (!isDir(where)) {
        bad++;
        l.add(
          'error',
          'wiring.job-target',
          `job ${id}: its target ${target} has no folder (${where})`,
          `edit ${repo.shown}/.jobs.json: puruto_target of ${id}, then ${repo.inRepo('python3 main.py sync-jobs')}`,
        );
        continue;
      }
      const action = typeof j['action'] === 'string' && j['action'] !== '' ? j['action'] : 'message';
      if (action !== 'message' && !fs.existsSync(path.join(where, '.claude', 'skills', action, 'SKILL.md'))) {
        bad++;
        l.add(
          'error',
          'wiring.job-skill',
          `job ${id}: ${target} has no skill ${action} (.claude/skills/${action}/SKILL.md)`,
          `edit ${repo.shown}/.jobs.json: the action of ${id} (a skill of ${target}, or none for free text), ` +
            `then ${repo.inRepo('python3 main.py sync-jobs')}`,
        );
      }
    }
    if (jobs.length && !bad)
      l.add(
        'ok',
        'wiring.jobs',
        `every job's target exists and has its skill (${jobs.length} job${jobs.length > 1 ? 's' : ''})`,
      );
    const tg = repo.setting('PURUTO_TELEGRAM_PATH');
    if (tg) {
      const p = path.resolve(repo.dir, tg);
      if (isDir(p)) l.add('ok', 'wiring.telegram-path', `PURUTO_TELEGRAM_PATH reaches ${p}`);
      else
        l.add(
          'error',
          'wiring.telegram-path',
          `PURUTO_TELEGRAM_PATH is ${p}, which is not a folder`,
          `edit ${repo.shown}/.env: PURUTO_TELEGRAM_PATH=<your puruto-telegram folder> (or comment it out)`,
        );
    }
  }
  return l.out;
}

/** The registry against the ecosystem's folders: every entry has both, every client is listed. */
export function registryWiring(vault: Vault, purutos: readonly string[]): Check[] {
  const l = lines('wiring', path.basename(vault.dir));
  const eco = path.dirname(vault.dir);
  const shownVault = path.basename(vault.dir);
  let bad = 0;
  for (const e of vault.entries) {
    if (!isDir(path.join(vault.dir, e.folder))) {
      bad++;
      l.add(
        'error',
        'wiring.registry-folder',
        `registry entry ${e.name} has no folder ${e.folder}/ in the vault`,
        `cd ${shownVault} && mkdir -p ${e.folder} && touch ${e.folder}/.gitkeep`,
      );
    }
    const repo = e.path ? path.resolve(vault.dir, e.path) : path.join(eco, e.name);
    if (!isDir(repo)) {
      bad++;
      l.add(
        'error',
        'wiring.registry-repo',
        `registry entry ${e.name} points to ${repo}, which does not exist`,
        `restore the repo at ${repo}, or remove the entry ${e.name} from ${shownVault}/registry.json`,
      );
    }
  }
  const listed = new Set(vault.entries.map((e) => e.name));
  for (const p of purutos) {
    if (p === path.basename(vault.dir) || listed.has(p) || !p.startsWith('puruto-')) continue;
    bad++;
    l.add(
      'warn',
      'wiring.unregistered',
      `${p} is in the ecosystem but not in registry.json (the gateway and invoker find it only as a sibling)`,
      `cd ${shownVault} && python3 vault.py register ${p}`,
    );
  }
  if (!bad)
    l.add(
      'ok',
      'wiring.registry',
      `registry.json ↔ folders agree (${vault.entries.length} entr${vault.entries.length === 1 ? 'y' : 'ies'})`,
    );
  return l.out;
}
