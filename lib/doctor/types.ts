/** What `puruto doctor` reports: one line per check, each with the fix as a command. */
export type Level = 'ok' | 'warn' | 'error';
export type Section = 'python' | 'env' | 'agents' | 'wiring' | 'services';

export interface Check {
  section: Section;
  /** The Puruto it is about (folder name), or null for the machine / the ecosystem. */
  repo: string | null;
  level: Level;
  /** A stable id, e.g. env.placeholder, for scripts. */
  id: string;
  message: string;
  /** The command (or one-line step) that fixes it; absent on ✓ lines. */
  fix?: string;
}

export interface DoctorReport {
  path: string;
  ok: boolean;
  errors: number;
  warnings: number;
  checks: Check[];
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Everything doctor asks of the machine, injectable for tests. */
export interface Probes {
  env: NodeJS.ProcessEnv;
  home: string;
  now(): number;
  run(cmd: string, args: readonly string[], o: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): RunResult;
  /** GET url; undefined when nothing answers within the time. */
  http(url: string, timeoutMs: number): Promise<{ status: number; body: string } | undefined>;
  /** Whether something accepts TCP connections on host:port. */
  listening(host: string, port: number): Promise<boolean>;
  alive(pid: number): boolean;
  /** Absolute path of an executable on env.PATH, or undefined. */
  which(name: string): string | undefined;
}
