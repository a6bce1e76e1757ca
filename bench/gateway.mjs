#!/usr/bin/env node
/**
 * Benchmarks of puruto-gateway, on the real uvicorn serving a puruto-gateway made by `puruto
 * new gateway` (bench/kind-repo.mjs), on free 127.0.0.1 ports:
 *
 * 1. (issue 4) GET /purutos with 500 registered Purutos vs GET /health, interleaved over one
 *    keep-alive pool after 50 warm-ups. Target: median latency ratio <= 1.5.
 * 2. (issue 10) 20 concurrent POSTs whose agent (the `command` adapter) sleeps 2 s, with
 *    PURUTO_GATEWAY_MAX_PARALLEL=20: all done within 3 s; GET /health every 10 ms meanwhile:
 *    p99 <= 50 ms. The same 20 POSTs with the default pool (8) are shown too (the bound at work).
 * 3. (issue 10) a 200 MB chunked POST: the server's RSS (from /proc/<pid>/status) grows < 20 MB.
 *
 * Usage: node bench/gateway.mjs [--count 500] [--runs 300]
 * Runs on .deps/venv/latest (fastapi, uvicorn, python-dotenv from PyPI, built by
 * scripts/setup.sh; PURUTO_BENCH_PYTHON picks another Python).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { kindRepo } from './kind-repo.mjs';
import { BENCH_PYTHON } from './python.mjs';

const { values: opt } = parseArgs({
  options: { count: { type: 'string', default: '500' }, runs: { type: 'string', default: '300' } },
});
const COUNT = Number(opt.count);
const RUNS = Number(opt.runs);
const PYTHON = BENCH_PYTHON;
const KEY = 'bench-key-0123456789';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'puruto-bench-gw-'));
const gw = kindRepo('gateway', path.join(tmp, 'puruto-gateway'));
const vault = path.join(tmp, 'puruto-data');
mkdirSync(vault);
const purutos = Array.from({ length: COUNT }, (_, i) => ({
  name: `puruto-bench-${String(i).padStart(4, '0')}`,
  folder: `puruto-bench-${i}`,
  registered_at: '2025-01-01T00:00:00Z',
  path: `../puruto-bench-${i}`,
  kind: 'standard',
  commands: ['init', 'help', 'list', 'status'],
}));
writeFileSync(path.join(vault, 'registry.json'), JSON.stringify({ version: '1', purutos }, null, 2));

// A target with skills (the invoker refuses an action that names no skill of its target).
const target = path.join(tmp, 'puruto-notes');
mkdirSync(path.join(target, '.claude/skills/status'), { recursive: true });
writeFileSync(
  path.join(target, '.claude/skills/status/SKILL.md'),
  '---\nname: status\ndescription: status\nuser-invocable: true\n---\n',
);
purutos.push({
  name: 'puruto-notes',
  folder: 'puruto-notes',
  registered_at: '2025-01-01T00:00:00Z',
  path: '../puruto-notes',
  kind: 'standard',
  commands: ['status'],
});
writeFileSync(path.join(vault, 'registry.json'), JSON.stringify({ version: '1', purutos }, null, 2));
const SLEEPING_AGENT =
  process.env.BENCH_AGENT ?? `${PYTHON} -c "import time,json; time.sleep(2); print(json.dumps({'summary':'x'}))"`;

const servers = new Set();
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}
async function startServer(env = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(
    PYTHON,
    ['-m', 'uvicorn', 'app:app', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'],
    {
      cwd: gw,
      env: { ...process.env, PURUTO_GATEWAY_API_KEY: KEY, PURUTO_DATA_PATH: vault, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  servers.add(server);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null)
      throw new Error(`uvicorn exited with ${server.exitCode} (are fastapi/uvicorn installed for ${PYTHON}?)`);
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error('uvicorn did not start within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const stopServer = async () => {
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      const t = setTimeout(() => server.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
    servers.delete(server);
  };
  return { base, pid: server.pid, stop: stopServer };
}
const stopAll = () => {
  for (const s of servers) if (s.exitCode === null) s.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
};
process.on('SIGINT', () => {
  stopAll();
  process.exit(130);
});
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const verdict = (ok) => (ok ? 'PASS' : 'MISS');

async function listVsHealth() {
  const { base, stop } = await startServer();
  try {
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
      if (body.count !== COUNT + 1 || body.items.length !== COUNT + 1)
        throw new Error(`GET /purutos: count ${body.count}, expected ${COUNT + 1}`);
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
    const mh = median(h);
    const ml = median(l);
    const ratio = ml / mh;
    console.log(`GET /health                          median ${mh.toFixed(2)} ms (${RUNS} runs)`);
    console.log(`GET /purutos (${COUNT + 1} registered)       median ${ml.toFixed(2)} ms (${RUNS} runs)`);
    console.log(`ratio ${ratio.toFixed(2)} (target <= 1.5): ${verdict(ratio <= 1.5)}`);
  } finally {
    await stop();
  }
}

/** n concurrent POSTs to a 2 s agent, with GET /health every 10 ms until they are all done. */
async function concurrentPosts(n, parallel) {
  const env = {
    PURUTO_AGENT: 'command',
    PURUTO_AGENT_COMMAND: SLEEPING_AGENT,
    ...(parallel ? { PURUTO_GATEWAY_MAX_PARALLEL: String(parallel) } : {}),
  };
  const { base, stop } = await startServer(env);
  try {
    const t0 = performance.now();
    const posts = Array.from({ length: n }, async () => {
      const r = await fetch(`${base}/purutos/puruto-notes/status`, {
        method: 'POST',
        headers: { 'X-API-Key': KEY, 'Content-Type': 'application/json' },
        body: '{"prompt": "bench"}',
      });
      const body = await r.json();
      if (r.status !== 200 || body.invocation?.status !== 'ok')
        throw new Error(`POST: ${r.status} ${JSON.stringify(body).slice(0, 300)}`);
      return performance.now() - t0;
    });
    let done = false;
    const all = Promise.all(posts).finally(() => (done = true));
    const health = [];
    for (let i = 0; i < 3000 && !done; i++) {
      const t = performance.now();
      const r = await fetch(`${base}/health`);
      await r.arrayBuffer();
      health.push(performance.now() - t);
      await new Promise((res) => setTimeout(res, 10));
    }
    const finished = await all;
    return { total: Math.max(...finished) / 1000, health };
  } finally {
    await stop();
  }
}

/** One chunked POST of `mb` MB (64 KiB writes); the server's RSS sampled every 20 ms. */
async function hugeChunkedBody(mb) {
  const { base, pid, stop } = await startServer({ PURUTO_AGENT: 'stub' });
  try {
    for (let i = 0; i < 20; i++) await (await fetch(`${base}/health`)).arrayBuffer(); // warm
    const before = rssKb(pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssKb(pid))), 20);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const total = mb * 1024 * 1024;
    const post = () =>
      new Promise((resolve) => {
        const url = new URL(`${base}/purutos/puruto-notes/status`);
        const req = http.request({
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'X-API-Key': KEY, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        });
        let sent = 0;
        let status = null;
        let settled = false;
        const finish = (why) => {
          if (settled) return;
          settled = true;
          resolve({ status, sent, why });
        };
        req.on('response', (res) => {
          status = res.statusCode;
          res.resume();
          res.on('end', () => finish('response'));
        });
        req.on('error', (e) => finish(`socket ${e.code ?? e.message}`));
        // Let the event loop read between writes, so the answer is seen as soon as it comes.
        const pump = async () => {
          while (sent < total && !settled && status === null) {
            sent += chunk.length;
            if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
            await new Promise((r) => setImmediate(r));
          }
          if (sent >= total) req.end();
        };
        void pump();
        setTimeout(() => finish('time limit (60 s)'), 60_000).unref();
      });
    // uvicorn answers 413 and closes while the client still writes: the kernel may reset the socket before
    // the answer is read (ECONNRESET, no status). That race is the client's, not the server's: try again
    // (at most 3 times), and say how many tries it took.
    let result = await post();
    let tries = 1;
    while (result.status === null && result.why.startsWith('socket') && tries < 3) {
      tries += 1;
      result = await post();
    }
    result = { ...result, why: tries > 1 ? `${result.why}, try ${tries}` : result.why };
    await new Promise((r) => setTimeout(r, 200));
    clearInterval(sampler);
    peak = Math.max(peak, rssKb(pid));
    const alive = (await fetch(`${base}/health`)).ok;
    return { ...result, beforeMb: before / 1024, peakMb: peak / 1024, growthMb: (peak - before) / 1024, alive };
  } finally {
    await stop();
  }
}

try {
  console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}, ${PYTHON}`);
  await listVsHealth();

  const wide = await concurrentPosts(20, 20);
  const p99 = percentile(wide.health, 99);
  console.log(
    `20 concurrent POSTs, 2 s agent, PURUTO_GATEWAY_MAX_PARALLEL=20: ` +
      `all done in ${wide.total.toFixed(2)} s (target <= 3 s): ${verdict(wide.total <= 3)}`,
  );
  console.log(
    `GET /health meanwhile: ${wide.health.length} requests, median ${median(wide.health).toFixed(2)} ms, ` +
      `p99 ${p99.toFixed(2)} ms, max ${Math.max(...wide.health).toFixed(2)} ms (target p99 <= 50 ms): ` +
      `${verdict(p99 <= 50)}`,
  );
  const bounded = await concurrentPosts(20, undefined);
  console.log(
    `the same with the default pool (8): all done in ${bounded.total.toFixed(2)} s (expected about ceil(20/8) ` +
      `x 2 s = 6 s: the bound holds); /health p99 ${percentile(bounded.health, 99).toFixed(2)} ms`,
  );

  const huge = await hugeChunkedBody(200);
  console.log(
    `200 MB chunked POST: answer ${huge.status ?? 'none'} (${huge.why}) ` +
      `after ${(huge.sent / 1024 / 1024).toFixed(2)} MB sent; ` +
      `server RSS ${huge.beforeMb.toFixed(1)} MB -> peak ${huge.peakMb.toFixed(1)} MB, ` +
      `growth ${huge.growthMb.toFixed(1)} MB (target < 20 MB): ` +
      `${verdict(huge.status === 413 && huge.growthMb < 20)}; server still answers: ${huge.alive}`,
  );
} finally {
  stopAll();
}
