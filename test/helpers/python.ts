import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The Python that runs generated code in tests: PURUTO_TEST_PYTHON, else Debian's
 * /usr/bin/python3 (it sees the apt-installed pytest and PyYAML), else python3.
 */
export const PYTHON =
  process.env['PURUTO_TEST_PYTHON'] ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

export interface PyRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function py(args: string[], cwd: string, env: Record<string, string> = {}): PyRun {
  const r = spawnSync(PYTHON, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
