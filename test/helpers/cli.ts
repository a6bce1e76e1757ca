import { main } from '../../cli/main.js';
import type { Io } from '../../cli/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `puruto <argv>` in-process with captured output. */
export async function puruto(argv: string[], cwd = process.cwd()): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (t) => (stdout += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => (stderr += t.endsWith('\n') ? t : `${t}\n`),
    cwd,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
