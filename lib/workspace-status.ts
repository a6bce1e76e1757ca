/**
 * The runtime state of one Puruto, as its own /status script reports it. Every kind
 * (and the standard app) ships `.claude/skills/status/scripts/status.py [--json]`: it is
 * read-only, always exits 0 and prints a report whose `problems` list says what to fix
 * (puruto_env.py `collect_status`). This runs it with a timeout and boils it down to one
 * state and one line. It never throws: no Python, a crash, a timeout or garbage output
 * are reported as the state `unknown` with the reason.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const STATUS_SCRIPT = '.claude/skills/status/scripts/status.py';

export interface RuntimeStatus {
  /** ok = no problem reported; problem = the script listed problems; unknown = it could not tell. */
  state: 'ok' | 'problem' | 'unknown';
  /** One line: "ready", the first problem, or why the state is unknown. */
  summary: string;
  /** How many problems the script listed (0 when unknown). */
  problems: number;
}

export interface StatusOptions {
  /** Python executable (default python3). */
  python?: string;
  timeoutMs?: number;
  /** How many status scripts run at once (default DEFAULT_STATUS_PARALLEL). */
  parallel?: number;
}

/** Status scripts at once: each is a Python process doing a few file reads. */
export const DEFAULT_STATUS_PARALLEL = 4;

/**
 * `fn` over `items`, at most `limit` at a time; results in the order of `items`, whatever
 * order they finish in.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  const width = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

/** The runtime state of each repo, `parallel` scripts at a time, in the order given. */
export function runtimeStatuses(repos: readonly string[], options: StatusOptions = {}): Promise<RuntimeStatus[]> {
  return mapBounded(repos, options.parallel ?? DEFAULT_STATUS_PARALLEL, (repo) => runtimeStatus(repo, options));
}

function oneLine(text: string, max = 160): string {
  const line = text.trim().split('\n').filter(Boolean).pop() ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function runtimeStatus(repo: string, options: StatusOptions = {}): Promise<RuntimeStatus> {
  const script = path.join(repo, STATUS_SCRIPT);
  if (!fs.existsSync(script))
    return Promise.resolve({ state: 'unknown', summary: `no status script (${STATUS_SCRIPT})`, problems: 0 });
  const python = options.python ?? 'python3';
  const timeout = options.timeoutMs ?? 60_000;
  return new Promise((resolve) => {
    execFile(
      python,
      [script, '--json'],
      // No __pycache__ left behind in the repos by a read-only listing.
      {
        cwd: repo,
        timeout,
        killSignal: 'SIGKILL',
        maxBuffer: 4 * 1024 * 1024,
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      },
      (error, stdout, stderr) => {
        if (error) {
          const e = error as NodeJS.ErrnoException & { killed?: boolean };
          if (e.code === 'ENOENT')
            return resolve({
              state: 'unknown',
              summary: `${python} not found: install Python 3 (or set PURUTO_PYTHON) to see runtime status`,
              problems: 0,
            });
          if (e.killed)
            return resolve({
              state: 'unknown',
              summary: `status.py gave no answer within ${Math.round(timeout / 1000)}s`,
              problems: 0,
            });
          return resolve({
            state: 'unknown',
            summary: `status.py failed: ${oneLine(String(stderr || stdout)) || e.message}`,
            problems: 0,
          });
        }
        let report: unknown;
        try {
          report = JSON.parse(String(stdout));
        } catch {
          return resolve({
            state: 'unknown',
            summary: `status.py printed no JSON report: ${oneLine(String(stdout)) || 'empty output'}`,
            problems: 0,
          });
        }
        const problems = (report as { problems?: unknown }).problems;
        if (!Array.isArray(problems))
          return resolve({ state: 'unknown', summary: 'status.py report has no "problems" list', problems: 0 });
        if (problems.length === 0) return resolve({ state: 'ok', summary: 'ready', problems: 0 });
        resolve({ state: 'problem', summary: oneLine(String(problems[0])), problems: problems.length });
      },
    );
  });
}
