/** Where the CLI writes; injectable so tests can capture output. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  cwd: process.cwd(),
};

/** Exit codes of every `puruto` command (README documents them). */
export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;
