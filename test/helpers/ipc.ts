/**
 * IPC test helpers: generate Purutos with `--ipc`, configure them, run their real
 * `ipc.py` / `invoker.py` with an exact environment, and put fake agents on PATH.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, runGenerator, tempDir, withHome } from './generators.js';
import type { JsonObject } from './json.js';
import { PYTHON } from './python.js';

export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'ipc');
export const FAKE_AGENT = path.join(FIXTURES, 'fake_agent.py');
export const RELAY = path.join(FIXTURES, 'relay.py');

/** Generates a standard Puruto with `--ipc` at `<parent>/<name>` and returns its path. */
export async function ipcRepo(name: string, parent: string = tempDir('puruto-ipc-')): Promise<string> {
  const destination = path.join(parent, name);
  await withHome(tempDir('puruto-home-'), () =>
    // `summarize` and `relay`: the skills the IPC tests call (the invoker refuses an action
    // that names no skill of the target before any agent starts).
    runGenerator('app', {
      options: {
        name,
        description: 'IPC runtime test',
        yes: true,
        ipc: true,
        db: false,
        skills: 'summarize,relay',
        git: false,
        destination,
      },
    }),
  );
  return destination;
}

export type IpcConfig = Record<string, unknown>;

export function readConfig(dir: string): IpcConfig {
  return JSON.parse(readFileSync(path.join(dir, '.puruto-ipc.json'), 'utf8')) as IpcConfig;
}

/** Merges `patch` into the repo's .puruto-ipc.json. */
export function configure(dir: string, patch: IpcConfig): void {
  writeFileSync(path.join(dir, '.puruto-ipc.json'), JSON.stringify({ ...readConfig(dir), ...patch }, null, 2));
}

/** Allows `actions` of every target listed (and nothing else). */
export function allow(dir: string, actions: Record<string, string[]>, extra: IpcConfig = {}): void {
  configure(dir, { allowed_targets: Object.keys(actions), allowed_actions: actions, ...extra });
}

/** The test process environment without any PURUTO_* variable, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PURUTO_') && v !== undefined) env[k] = v;
  return { ...env, ...extra };
}

/** `python3 <file> --command <template>` as a PURUTO_AGENT_COMMAND word list. */
export function commandOf(script: string, ...words: string[]): string {
  return [PYTHON, script, ...words]
    .map((w) => (/^[\w{}./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

export interface Run<T> {
  status: number | null;
  json: T;
  stdout: string;
  stderr: string;
}

// JSON answers are checked field by field (see JsonObject).
export interface IpcAnswer {
  request: JsonObject;
  response: JsonObject;
}

/** Runs `python3 <args>` in `dir` with exactly `env`. */
export function runRaw(
  dir: string,
  args: string[],
  env: Record<string, string>,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(PYTHON, args, { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a Python script of `dir` with exactly `env`; stdout must be JSON. */
export function runJson<T>(dir: string, args: string[], env: Record<string, string>): Run<T> {
  const r = runRaw(dir, args, env);
  let json: T;
  try {
    json = JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return { status: r.status, json, stdout: r.stdout, stderr: r.stderr };
}

/** `python3 ipc.py --target T --action A --prompt P [...more]` in `dir`. */
export function callIpc(
  dir: string,
  target: string,
  action: string,
  prompt: string,
  env: Record<string, string>,
  more: string[] = [],
): Run<IpcAnswer> {
  return runJson<IpcAnswer>(dir, ['ipc.py', '--target', target, '--action', action, '--prompt', prompt, ...more], env);
}

/** `python3 invoker.py ...` in `dir`: prints an InvocationResult. */
export function callInvoker(
  dir: string,
  target: string,
  action: string,
  prompt: string,
  env: Record<string, string>,
  more: string[] = [],
): Run<JsonObject> {
  return runJson<JsonObject>(
    dir,
    ['invoker.py', '--target', target, '--action', action, '--prompt', prompt, ...more],
    env,
  );
}

/** A folder of fake agent executables (`claude`, `codex`, `gemini`) that run fake_agent.py. */
export function fakeBin(flavors: readonly string[]): string {
  const bin = tempDir('puruto-fakebin-');
  for (const flavor of flavors) {
    const file = path.join(bin, flavor);
    writeFileSync(file, `#!/bin/sh\nexec '${PYTHON}' '${FAKE_AGENT}' ${flavor} "$@"\n`);
    chmodSync(file, 0o755);
  }
  return bin;
}

/** Lines a fake agent or relay appended to a JSON-lines log (none when it never ran). */
export function logLines(file: string): JsonObject[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as JsonObject);
}

/** Whether `pid` is a live process (a zombie waiting to be reaped counts as dead). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** A fresh folder inside `parent` holding only the skills `skills` (a minimal target). */
export function folder(parent: string, name: string, skills: readonly string[] = ['summarize']): string {
  const dir = path.join(parent, name);
  mkdirSync(dir, { recursive: true });
  for (const skill of skills) {
    mkdirSync(path.join(dir, '.claude', 'skills', skill), { recursive: true });
    writeFileSync(
      path.join(dir, '.claude', 'skills', skill, 'SKILL.md'),
      `---\nname: ${skill}\ndescription: test skill\nuser-invocable: true\n---\n# /${skill}\n`,
    );
  }
  return dir;
}
