/** The real machine behind doctor's Probes: processes, PATH, HTTP and TCP on 127.0.0.1. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Probes } from './types.js';

export function realProbes(env: NodeJS.ProcessEnv = process.env): Probes {
  return {
    env,
    home: env['HOME'] || os.homedir(),
    now: () => Date.now(),
    run(cmd, args, o) {
      const start = Date.now();
      const r = spawnSync(cmd, args, {
        cwd: o.cwd,
        env: o.env ?? env,
        encoding: 'utf8',
        timeout: o.timeoutMs,
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 8 * 1024 * 1024,
      });
      return {
        code: r.error ? null : r.status,
        stdout: r.stdout ?? '',
        stderr: r.stderr ?? (r.error ? r.error.message : ''),
        ms: Date.now() - start,
      };
    },
    async http(url, timeoutMs) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
        return { status: res.status, body: (await res.text()).slice(0, 4096) };
      } catch {
        return undefined;
      }
    },
    listening(host, port) {
      return new Promise((resolve) => {
        const socket = net.connect({ host, port });
        const done = (v: boolean): void => {
          socket.destroy();
          resolve(v);
        };
        socket.setTimeout(1000, () => done(false));
        socket.once('connect', () => done(true));
        socket.once('error', () => done(false));
      });
    },
    alive(pid) {
      try {
        process.kill(pid, 0);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
    which(name) {
      for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
        if (!dir) continue;
        const p = path.join(dir, name);
        try {
          fs.accessSync(p, fs.constants.X_OK);
          if (fs.statSync(p).isFile()) return p;
        } catch {
          // not here
        }
      }
      return undefined;
    },
  };
}
