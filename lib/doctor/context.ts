/** One Puruto as doctor sees it: folder, kind, its .env and how a runtime reads a setting. */
import fs from 'node:fs';
import path from 'node:path';
import { kindOf, YO_RC_FILE } from '../validate/kind.js';
import { readTextFile } from '../safe-read.js';
import type { KindName } from '../standard/kinds.js';
import { readEnv } from './dotenv.js';
import type { Check, Level, Probes, Section } from './types.js';

/** The script behind /init, runnable without an agent. */
export const INIT = 'python3 .claude/skills/init/scripts/init.py';

export interface RepoCtx {
  dir: string;
  name: string;
  kind: KindName;
  /** The folder as the user would type it (relative to where doctor runs when shorter). */
  shown: string;
  /** The .env file, undefined when missing. */
  env: Map<string, string> | undefined;
  /** A setting as the runtimes read it: the process environment first, then .env. */
  setting(key: string): string | undefined;
  has(rel: string): boolean;
  /** `cd <repo> && <cmd>` as the user types it. */
  inRepo(cmd: string): string;
}

export function repoCtx(dir: string, probes: Probes, shown: (dir: string) => string): RepoCtx {
  const rc = readTextFile(path.join(dir, YO_RC_FILE));
  const kind = kindOf(dir, () => (rc.ok ? rc.text : undefined));
  const env = readEnv(path.join(dir, '.env'));
  return {
    dir,
    name: path.basename(dir),
    kind,
    shown: shown(dir),
    env,
    setting: (key) => {
      const v = probes.env[key];
      return v !== undefined && v !== '' ? v : env?.get(key);
    },
    has: (rel) => fs.existsSync(path.join(dir, rel)),
    inRepo: (cmd) => `cd ${shown(dir)} && ${cmd}`,
  };
}

/** A check line builder bound to a section and repo. */
export function lines(
  section: Section,
  repo: string | null,
): {
  out: Check[];
  add(level: Level, id: string, message: string, fix?: string): void;
} {
  const out: Check[] = [];
  return {
    out,
    add(level, id, message, fix) {
      out.push({ section, repo, level, id, message, ...(level !== 'ok' && fix ? { fix } : {}) });
    },
  };
}
