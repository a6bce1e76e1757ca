/**
 * Agents: the CLIs of invoker.py's own adapter table (`invoker.py --adapters`) found on
 * PATH with their versions; per repo with an invoker, the adapter PURUTO_AGENT selects
 * (or auto-detection picks), its credentials (checked locally: an API key variable or
 * the CLI's login file) and what the invoker needs for it in that folder. --online: one
 * real minimal call through the repo's invoker.py.
 */
import fs from 'node:fs';
import path from 'node:path';
import { lines, type RepoCtx } from './context.js';
import { systemPython } from './python.js';
import type { Check, Probes } from './types.js';

export interface Adapter {
  name: string;
  binary: string;
  skills: string;
  setup: string;
  auto: boolean;
}

/** Where each CLI keeps its login, and which variables carry an API key (README documents it). */
export const CREDENTIALS: Record<
  string,
  { vars: string[]; files: (home: string, env: NodeJS.ProcessEnv) => string[] }
> = {
  claude: {
    vars: ['ANTHROPIC_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN'],
    files: (h, e) => [
      path.join(e['CLAUDE_CONFIG_DIR'] || path.join(h, '.claude'), '.credentials.json'),
      path.join(h, '.claude.json'),
    ],
  },
  // codex exec sends CODEX_API_KEY (or the login file), never OPENAI_API_KEY.
  codex: {
    vars: ['CODEX_API_KEY'],
    files: (h, e) => [path.join(e['CODEX_HOME'] || path.join(h, '.codex'), 'auth.json')],
  },
  gemini: { vars: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], files: (h) => [path.join(h, '.gemini', 'oauth_creds.json')] },
  opencode: {
    vars: ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY'],
    files: (h, e) => [path.join(e['XDG_DATA_HOME'] || path.join(h, '.local', 'share'), 'opencode', 'auth.json')],
  },
  // Qwen Code: the key of the provider its auth type selects, or its Qwen OAuth login file.
  qwen: {
    vars: ['OPENAI_API_KEY', 'DASHSCOPE_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY'],
    files: (h) => [path.join(h, '.qwen', 'oauth_creds.json')],
  },
  // GitHub Copilot CLI: a GitHub token (its README: COPILOT_GITHUB_TOKEN, GH_TOKEN, GITHUB_TOKEN)
  // or a BYOK provider key.
  copilot: { vars: ['COPILOT_GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_TOKEN', 'COPILOT_PROVIDER_API_KEY'], files: () => [] },
};

export function readAdapters(invoker: string, probes: Probes, cwd: string): Adapter[] | string {
  const r = probes.run(systemPython(probes), [invoker, '--adapters'], { cwd, timeoutMs: 15_000 });
  try {
    const data = JSON.parse(r.stdout) as Adapter[];
    if (Array.isArray(data)) return data;
  } catch {
    // below
  }
  return (
    `${invoker} --adapters gave no table ` +
    `(${(r.stderr.trim().split('\n').pop() || `exit ${r.code}`).slice(0, 200)})`
  );
}

export interface Found {
  adapter: Adapter;
  path: string;
  version: string;
}

export function onPath(adapters: readonly Adapter[], probes: Probes, cwd: string): Found[] {
  const found: Found[] = [];
  for (const a of adapters) {
    if (!a.binary) continue;
    const p = probes.which(a.binary);
    if (!p) continue;
    const v = probes.run(p, ['--version'], { cwd, timeoutMs: 15_000 });
    const version = (v.stdout.trim() || v.stderr.trim()).split('\n')[0]?.slice(0, 80) || 'version unknown';
    found.push({ adapter: a, path: p, version });
  }
  return found;
}

export function machineAgents(adapters: readonly Adapter[], found: readonly Found[]): Check[] {
  const l = lines('agents', null);
  const missing = adapters.filter((a) => a.binary && !found.some((f) => f.adapter.name === a.name)).map((a) => a.name);
  if (found.length === 0) {
    l.add(
      'warn',
      'agents.none',
      `no agent CLI on PATH (the invoker knows ${adapters
        .filter((a) => a.binary)
        .map((a) => a.binary)
        .join(', ')})`,
      'npm install -g @anthropic-ai/claude-code   (or another CLI of the table), ' +
        'or set PURUTO_AGENT=stub for a dry run',
    );
  } else {
    l.add(
      'ok',
      'agents.found',
      `on PATH: ` +
        `${found.map((f) => `${f.adapter.name} (${f.version})`).join(', ')}` +
        `${missing.length ? `; not installed: ${missing.join(', ')}` : ''}`,
    );
  }
  return l.out;
}

function credentialsOf(name: string, repo: RepoCtx, probes: Probes): { ok: boolean; where: string } | undefined {
  const spec = CREDENTIALS[name];
  if (!spec) return undefined;
  for (const v of spec.vars) if (repo.setting(v)) return { ok: true, where: `${v} is set` };
  for (const f of spec.files(probes.home, probes.env))
    if (fs.existsSync(f)) return { ok: true, where: `login file ${f}` };
  return { ok: false, where: `${spec.vars.join(' / ')} or ${spec.files(probes.home, probes.env).join(' / ')}` };
}

export function repoAgent(
  repo: RepoCtx,
  adapters: readonly Adapter[],
  found: readonly Found[],
  probes: Probes,
): Check[] {
  const l = lines('agents', repo.name);
  const chosen = repo.setting('PURUTO_AGENT');
  let adapter: Adapter | undefined;
  if (chosen) {
    adapter = adapters.find((a) => a.name === chosen);
    if (!adapter) {
      l.add(
        'error',
        'agents.unknown',
        `PURUTO_AGENT=${chosen} is not an adapter of invoker.py (${adapters.map((a) => a.name).join(', ')})`,
        `edit ${repo.shown}/.env: PURUTO_AGENT=${found[0]?.adapter.name ?? 'claude'}`,
      );
      return l.out;
    }
  } else {
    adapter = adapters.find((a) => a.auto && found.some((f) => f.adapter.name === a.name));
    if (!adapter) {
      l.add(
        'error',
        'agents.no-agent',
        'no PURUTO_AGENT set and no CLI of the auto-detection order on PATH: calls to this repo fail',
        `npm install -g @anthropic-ai/claude-code, or edit ${repo.shown}/.env: PURUTO_AGENT=stub (dry run)`,
      );
      return l.out;
    }
  }
  const how = chosen ? `PURUTO_AGENT=${chosen}` : `auto-detected ${adapter.name}`;
  if (!adapter.binary) {
    if (adapter.name === 'command' && !repo.setting('PURUTO_AGENT_COMMAND'))
      l.add(
        'error',
        'agents.command',
        'PURUTO_AGENT=command without PURUTO_AGENT_COMMAND',
        `edit ${repo.shown}/.env: PURUTO_AGENT_COMMAND=my-agent --cwd {target_path} {message}`,
      );
    else l.add('ok', 'agents.selected', `${how}${adapter.name === 'stub' ? ' (dry run: nothing runs)' : ''}`);
    return l.out;
  }
  if (!found.some((f) => f.adapter.name === adapter.name)) {
    l.add(
      'error',
      'agents.not-installed',
      `${how}, but ${adapter.binary} is not on PATH`,
      `install ${adapter.binary} (README: agent CLIs), or edit ${repo.shown}/.env: PURUTO_AGENT=<one on PATH>`,
    );
    return l.out;
  }
  const cred = credentialsOf(adapter.name, repo, probes);
  if (cred === undefined)
    l.add(
      'warn',
      'agents.credentials-unknown',
      `${how}: its credentials are not checked by doctor (${adapter.setup})`,
      adapter.setup,
    );
  else if (!cred.ok)
    l.add('error', 'agents.credentials', `${how}, but no credentials: none of ${cred.where}`, adapter.setup);
  else l.add('ok', 'agents.credentials', `${how}, credentials: ${cred.where}`);
  // What the invoker needs for it here: the skills folder that CLI reads.
  const skills = adapter.skills && adapter.skills !== '-' ? adapter.skills : '';
  if (skills && !fs.existsSync(path.join(repo.dir, skills))) {
    const fix =
      skills === '.agents/skills'
        ? repo.inRepo('mkdir -p .agents && ln -s ../.claude/skills .agents/skills')
        : `restore ${skills} (puruto update ${repo.shown})`;
    l.add(
      'error',
      'agents.skills-folder',
      `${adapter.name} reads the skills from ${skills}, which is missing or a broken link`,
      fix,
    );
  }
  return l.out;
}

export function online(repo: RepoCtx, probes: Probes): Check[] {
  const l = lines('agents', repo.name);
  const r = probes.run(
    systemPython(probes),
    [
      'invoker.py',
      '--target',
      repo.name,
      '--action',
      'status',
      '--prompt',
      'puruto doctor --online: report status briefly',
      '--timeout',
      '120',
    ],
    { cwd: repo.dir, timeoutMs: 150_000 },
  );
  let status = '';
  let detail: string;
  try {
    const data = JSON.parse(r.stdout) as {
      status?: string;
      error?: { code?: string; message?: string };
      response?: { status?: string; error?: { code?: string; message?: string } };
    };
    const res = data.response ?? data;
    status = res.status ?? '';
    detail = res.error ? `${res.error.code}: ${res.error.message}` : '';
  } catch {
    detail = (r.stderr.trim().split('\n').pop() || r.stdout.slice(0, 200)).slice(0, 300);
  }
  const secs = (r.ms / 1000).toFixed(1);
  if (status === 'ok')
    l.add('ok', 'agents.online', `one real call (/status through invoker.py) answered ok in ${secs} s`);
  else
    l.add(
      'error',
      'agents.online',
      `one real call (/status through invoker.py) failed after ${secs} s: ${detail || `exit ${r.code}`}`,
      repo.inRepo(`python3 invoker.py --target ${repo.name} --action status --prompt test`),
    );
  return l.out;
}
