/**
 * `puruto doctor`: one report over a Puruto or a whole ecosystem of what breaks the
 * local runtime — Python, .env, agents, wiring, services — each line ✓ / ⚠ / ✗ with the
 * fix as a command. Reads only (plus the probes: subprocesses, 127.0.0.1 HTTP/TCP);
 * never prints, never exits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isEcosystemRoot, looksLikePuruto, purutosIn } from '../validate/workspace.js';

import { repoCtx } from './context.js';
import { machinePython, repoPython } from './python.js';
import { envChecks } from './env.js';
import { machineAgents, online, onPath, readAdapters, repoAgent, type Adapter } from './agents.js';
import { readVault, registryWiring, repoWiring } from './wiring.js';
import { repoServices } from './services.js';
import { realProbes } from './probes.js';
import type { Check, DoctorReport, Probes } from './types.js';

export type { Check, DoctorReport, Probes } from './types.js';

export interface DoctorOptions {
  /** A Puruto, or an ecosystem folder (then as workspace). */
  path: string;
  workspace?: boolean;
  online?: boolean;
  /** The adapter table when no repo has an invoker.py to ask (the generator's adapters.json). */
  adapters: Adapter[];
  probes?: Probes;
  /** Where doctor runs, to show folders as the user types them. */
  cwd?: string;
}

export type DoctorOutcome = { ok: true; report: DoctorReport } | { ok: false; message: string };

/** The Purutos under `dir` (none when it cannot be listed). */
const children = (dir: string): string[] => purutosIn(dir) ?? [];

export async function doctor(o: DoctorOptions): Promise<DoctorOutcome> {
  const probes = o.probes ?? realProbes();
  const root = path.resolve(o.path);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory())
    return { ok: false, message: `${root} is not a folder; give a Puruto or an ecosystem folder (e.g. ~/purutos)` };
  const asWorkspace = o.workspace === true || isEcosystemRoot(root);
  const repos = asWorkspace ? children(root) : looksLikePuruto(root) ? [root] : [];
  if (repos.length === 0) {
    return {
      ok: false,
      message: asWorkspace
        ? `${root} holds no Purutos; create them with puruto init ${root}`
        : `${root} does not look like a Puruto (no CLAUDE.md, agent.md or .claude/skills); ` +
          `for an ecosystem use --workspace ${root}`,
    };
  }
  const cwd = o.cwd ?? root;
  const shown = (dir: string): string => {
    const rel = path.relative(cwd, dir);
    return rel === '' ? '.' : rel.startsWith('..') && rel.split(path.sep).length > 3 ? dir : rel;
  };
  const checks: Check[] = [...machinePython(probes, root)];
  const withInvoker = repos.filter((r) => fs.existsSync(path.join(r, 'invoker.py')));
  const table = withInvoker[0] ? readAdapters(path.join(withInvoker[0], 'invoker.py'), probes, root) : o.adapters;
  let adapters: Adapter[] = [];
  if (typeof table === 'string')
    checks.push({
      section: 'agents',
      repo: null,
      level: 'error',
      id: 'agents.table',
      message: table,
      fix: `puruto update ${shown(withInvoker[0] ?? root)}`,
    });
  else adapters = table;
  const found = onPath(adapters, probes, root);
  if (adapters.length) checks.push(...machineAgents(adapters, found));
  for (const dir of repos) {
    const repo = repoCtx(dir, probes, shown);
    checks.push(...repoPython(repo, probes), ...envChecks(repo, probes));
    const hasInvoker = withInvoker.includes(dir);
    if (hasInvoker && adapters.length) checks.push(...repoAgent(repo, adapters, found, probes));
    if (hasInvoker && o.online) checks.push(...online(repo, probes));
    checks.push(...repoWiring(repo));
    if (repo.kind === 'puruto-data') {
      const vault = readVault(dir);
      const names = (asWorkspace ? repos : children(path.dirname(dir))).map((r) => path.basename(r));
      if (vault) checks.push(...registryWiring(vault, names));
      else
        checks.push({
          section: 'wiring',
          repo: repo.name,
          level: 'error',
          id: 'wiring.registry',
          message: 'registry.json is missing or not valid JSON',
          fix: repo.inRepo('python3 .claude/skills/init/scripts/init.py'),
        });
    }
    checks.push(...(await repoServices(repo, probes)));
  }

  const errors = checks.filter((c) => c.level === 'error').length;
  const warnings = checks.filter((c) => c.level === 'warn').length;
  return { ok: true, report: { path: root, ok: errors === 0, errors, warnings, checks } };
}
