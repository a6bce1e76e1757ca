#!/usr/bin/env node
/**
 * Benchmark of puruto-gateway (issue 4): GET /purutos with 500 registered Purutos vs
 * GET /health on the running server. Target: median latency ratio <= 1.5.
 *
 * Usage: node bench/gateway.mjs [--count 500] [--runs 300]
 * Needs python3 with fastapi, uvicorn and python-dotenv (Debian: /usr/bin/python3 with
 * python3-fastapi python3-uvicorn python3-dotenv; else PURUTO_BENCH_PYTHON). Runs the
 * gateway's templates as they are (no build), uvicorn on a free 127.0.0.1 port, requests
 * from Node's fetch over one keep-alive connection pool, interleaved, after 50 warm-ups.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opt } = parseArgs({ options: { count: { type: 'string', default: '500' }, runs: { type: 'string', default: '300' } } });
const COUNT = Number(opt.count);
const RUNS = Number(opt.runs);
const PYTHON = process.env.PURUTO_BENCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const KEY = 'bench-key-0123456789';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'puruto-bench-gw-'));
const gw = path.join(tmp, 'puruto-gateway');
const vault = path.join(tmp, 'puruto-data');
mkdirSync(gw);
mkdirSync(vault);
for (const f of ['app.py', 'routes.py', 'auth.py', 'registry.py']) copyFileSync(path.join(ROOT, 'generators/gateway/templates', f), path.join(gw, f));
copyFileSync(path.join(ROOT, 'generators/ipc/templates/invoker.py'), path.join(gw, 'invoker.py'));
const purutos = Array.from({ length: COUNT }, (_, i) => ({
  name: `puruto-bench-${String(i).padStart(4, '0')}`,
  folder: `puruto-bench-${i}`,
  registered_at: '2025-01-01T00:00:00Z',
  path: `../puruto-bench-${i}`,
  kind: 'standard',
  commands: ['init', 'help', 'list', 'status'],
}));
writeFileSync(path.join(vault, 'registry.json'), JSON.stringify({ version: '1', purutos }, null, 2));

const port = await new Promise((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const base = `http://127.0.0.1:${port}`;
const server = spawn(PYTHON, ['-m', 'uvicorn', 'app:app', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'], {
  cwd: gw,
  env: { ...process.env, PURUTO_GATEWAY_API_KEY: KEY, PURUTO_DATA_PATH: vault },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const stop = () => {
  if (server.exitCode === null) server.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
};
process.on('SIGINT', () => {
  stop();
  process.exit(130);
});

try {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`uvicorn exited with ${server.exitCode} (are fastapi/uvicorn installed for ${PYTHON}?)`);
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error('uvicorn did not start within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  // Latency = until the whole body has arrived. Parsing it is the client's work, so the
  // content is checked outside the timed region (once, below, and on every warm-up).
  const list = async () => {
    const r = await fetch(`${base}/purutos`, { headers: { 'X-API-Key': KEY } });
    const bytes = await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`GET /purutos: ${r.status}`);
    return bytes;
  };
  const health = async () => {
    const r = await fetch(`${base}/health`);
    const bytes = await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`GET /health: ${r.status}`);
    return bytes;
  };
  const check = (bytes) => {
    const body = JSON.parse(Buffer.from(bytes).toString('utf8'));
    if (body.count !== COUNT || body.items.length !== COUNT) throw new Error(`GET /purutos: count ${body.count}, expected ${COUNT}`);
  };
  const time = async (fn) => {
    const t = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  for (let i = 0; i < 50; i++) {
    await health();
    check(await list());
  }
  const h = [];
  const l = [];
  for (let i = 0; i < RUNS; i++) {
    h.push(await time(health));
    l.push(await time(list));
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const mh = median(h);
  const ml = median(l);
  const ratio = ml / mh;
  console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}, ${PYTHON}`);
  console.log(`GET /health                          median ${mh.toFixed(2)} ms (${RUNS} runs)`);
  console.log(`GET /purutos (${COUNT} registered)       median ${ml.toFixed(2)} ms (${RUNS} runs)`);
  console.log(`ratio ${ratio.toFixed(2)} (target <= 1.5): ${ratio <= 1.5 ? 'PASS' : 'MISS'}`);
} finally {
  stop();
}
