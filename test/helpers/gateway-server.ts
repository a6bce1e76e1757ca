import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { PYTHON } from './python.js';
import { runGenerator, tempDir, withHome } from './generators.js';

/** Generates puruto-gateway into <tmp>/ws (HOME isolated) and returns its path. */
export async function generateGateway(): Promise<string> {
  const dest = path.join(tempDir('puruto-rt-gateway-'), 'ws', 'puruto-gateway');
  await withHome(tempDir(), async () => runGenerator('gateway', { options: { yes: true, destination: dest } }));
  return dest;
}

/** A Puruto folder beside the gateway with these skills (the invoker runs only a skill the target has). */
export function siblingPuruto(gateway: string, name: string, skills: readonly string[]): string {
  const folder = path.join(gateway, '..', name);
  for (const skill of skills) {
    mkdirSync(path.join(folder, '.claude', 'skills', skill), { recursive: true });
    writeFileSync(
      path.join(folder, '.claude', 'skills', skill, 'SKILL.md'),
      `---\nname: ${skill}\ndescription: ${skill} of ${name}\nuser-invocable: true\n---\n`,
    );
  }
  return folder;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface GatewayServer {
  base: string;
  /** What uvicorn wrote so far (its access log included). */
  log(): string;
  /** SIGTERM to the uvicorn process started here (by its pid), SIGKILL after 5 s. */
  stop(): Promise<void>;
}

/**
 * Starts `python -m uvicorn app:app` (test/helpers/python.ts's PYTHON) in the gateway folder on
 * 127.0.0.1 and a free port with `env` on top of the test's environment; resolves once /health
 * answers. Its output goes to a file (never a pipe nobody reads), so a long run cannot block it.
 */
export async function startGateway(dir: string, env: Record<string, string>): Promise<GatewayServer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logFile = path.join(tempDir('puruto-gateway-log-'), 'uvicorn.log');
  const fd = openSync(logFile, 'w');
  let server: ChildProcess;
  try {
    server = spawn(PYTHON, ['-m', 'uvicorn', 'app:app', '--host', '127.0.0.1', '--port', String(port)], {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  const log = (): string => readFileSync(logFile, 'utf8');
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    server.kill('SIGTERM');
    const hard = setTimeout(() => server.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(hard);
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`uvicorn exited (${server.exitCode}):\n${log()}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return { base, log, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`uvicorn did not start within 30 s:\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
