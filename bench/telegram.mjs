#!/usr/bin/env node
/**
 * Benchmark of puruto-telegram at agent speed (issue 10): the real bot.py (of a repo made by
 * `puruto new telegram`, bench/kind-repo.mjs) against a fake Bot API on 127.0.0.1 written here (long polling,
 * every call timestamped on arrival), with invoker.py's `command` adapter running an
 * agent that sleeps S seconds (the prompt "S:label").
 *
 * 1. User B's /status while user A's 5 s call runs: push -> sendMessage to B. Target <= 0.3 s.
 * 2. 10 users send one text each at once, 2 s agent: push -> the last answer. Target <= 2.5 s.
 *
 * Usage: node bench/telegram.mjs [--samples 5] [--runs 3] [--keep]
 * Runs on .deps/venv/latest (python-telegram-bot and python-dotenv from PyPI, built by
 * scripts/setup.sh; PURUTO_BENCH_PYTHON picks another Python). The bot is stopped by its pid
 * (SIGTERM, then SIGKILL after 20 s).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { kindRepo } from './kind-repo.mjs';
import { BENCH_PYTHON } from './python.mjs';

const { values: opt } = parseArgs({
  options: {
    samples: { type: 'string', default: '5' },
    runs: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const SAMPLES = Number(opt.samples);
const RUNS = Number(opt.runs);
const PYTHON = BENCH_PYTHON;
const TOKEN = '123:BENCH';
const A = 1;
const B = 2;
const USERS = Array.from({ length: 10 }, (_, i) => 11 + i);
const now = () => Number(process.hrtime.bigint()) / 1e9;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --- the workspace: puruto-telegram (the templates) beside the channel puruto-bench ------
const tmp = mkdtempSync(path.join(os.tmpdir(), 'puruto-bench-tg-'));
const tg = kindRepo('telegram', path.join(tmp, 'puruto-telegram'));
mkdirSync(path.join(tmp, 'puruto-bench'));
writeFileSync(path.join(tg, '.channels.json'), JSON.stringify({ channels: ['puruto-bench'] }));
const agent = path.join(tmp, 'agent.py');
writeFileSync(
  agent,
  'import json, sys, ' +
    'time\nlabel = sys.argv[1]\ntime.sleep(float(label.split(":")[0]))\nprint(json.dumps({"summary": ' +
    '"done " + label}))\n',
);

// --- the fake Bot API ----------------------------------------------------------------------
const updates = [];
const waiting = new Set();
const log = []; // {method, params, t}
let nextMessage = 1;
const serve = (offset) => updates.filter((u) => u.update_id >= offset);
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const t = now();
    const url = new URL(req.url, 'http://127.0.0.1');
    const [prefix, method] = url.pathname.replace(/^\//, '').split('/');
    const body = Buffer.concat(chunks).toString('utf8');
    const params = Object.fromEntries(url.searchParams);
    if (body)
      Object.assign(
        params,
        (req.headers['content-type'] ?? '').includes('json')
          ? JSON.parse(body)
          : Object.fromEntries(new URLSearchParams(body)),
      );
    const reply = (result) => {
      const raw = JSON.stringify({ ok: true, result });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(raw) });
      res.end(raw);
    };
    if (prefix !== `bot${TOKEN}`) {
      res.writeHead(404).end('{"ok":false,"error_code":404,"description":"Not Found"}');
      return;
    }
    log.push({ method, params, t });
    if (method === 'getMe') return reply({ id: 42, is_bot: true, first_name: 'Bench', username: 'bench_bot' });
    if (method === 'getUpdates') {
      const offset = Number(params.offset ?? 0);
      if (serve(offset).length) return reply(serve(offset));
      const waiter = {
        offset,
        done: () => {
          waiting.delete(waiter);
          clearTimeout(waiter.timer);
          reply(serve(offset));
        },
      };
      waiter.timer = setTimeout(waiter.done, Math.min(Number(params.timeout ?? 0), 1) * 1000);
      waiting.add(waiter);
      return undefined;
    }
    if (method === 'sendMessage') {
      return reply({
        message_id: nextMessage++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: Number(params.chat_id), type: 'private' },
        text: params.text,
      });
    }
    return reply(true);
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

function push(user, text) {
  const id = 100 + updates.length;
  const message = {
    message_id: id,
    date: Math.floor(Date.now() / 1000),
    text,
    chat: { id: user, type: 'private' },
    from: { id: user, is_bot: false, first_name: 'U' },
  };
  if (text.startsWith('/')) message.entities = [{ type: 'bot_command', offset: 0, length: text.split(' ')[0].length }];
  updates.push({ update_id: id, message });
  for (const w of [...waiting]) w.done();
  return now();
}
/** The first sendMessage to `user` whose text contains `needle`, arrived after `since` (bounded wait). */
async function sent(user, needle, since, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = log.find(
      (c) =>
        c.method === 'sendMessage' &&
        Number(c.params.chat_id) === user &&
        c.t >= since &&
        String(c.params.text).includes(needle),
    );
    if (hit) return hit.t;
    if (Date.now() > deadline)
      throw new Error(`no message to ${user} containing ${JSON.stringify(needle)} within ${timeoutMs / 1000} s`);
    await sleep(5);
  }
}

// --- the bot ---------------------------------------------------------------------------------
const bot = spawn(PYTHON, ['bot.py'], {
  cwd: tg,
  env: {
    ...process.env,
    PURUTO_TELEGRAM_BOT_TOKEN: TOKEN,
    PURUTO_TELEGRAM_API_BASE: base,
    PURUTO_TELEGRAM_ALLOWED_USERS: [A, B, ...USERS].join(','),
    PURUTO_AGENT: 'command',
    PURUTO_AGENT_COMMAND: `${PYTHON} ${agent} {prompt}`,
    PURUTO_DATA_PATH: path.join(tmp, 'no-vault'),
  },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let stderr = '';
bot.stderr.on('data', (d) => {
  stderr += d;
});
async function stopBot() {
  if (bot.exitCode !== null || bot.signalCode !== null) return;
  const exited = new Promise((r) => bot.once('exit', r));
  bot.kill('SIGTERM');
  const timer = setTimeout(() => bot.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}
async function cleanup() {
  await stopBot();
  for (const w of [...waiting]) w.done();
  await new Promise((r) => server.close(r));
  if (!opt.keep) rmSync(tmp, { recursive: true, force: true });
  else console.log(`kept ${tmp}`);
}
process.on('SIGINT', () => {
  cleanup().finally(() => process.exit(130));
});

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (s) => `${(s * 1000).toFixed(0)} ms`;

try {
  const deadline = Date.now() + 60_000;
  while (!log.some((c) => c.method === 'getUpdates')) {
    if (bot.exitCode !== null) throw new Error(`bot.py exited with ${bot.exitCode}: ${stderr.trim()}`);
    if (Date.now() > deadline) throw new Error(`bot.py did not poll within 60 s: ${stderr.trim()}`);
    await sleep(20);
  }
  // Every user picks the channel; one warm-up call (imports, first agent start).
  for (const u of [A, B, ...USERS]) await sent(u, 'Active channel: puruto-bench', push(u, '/puruto_bench'));
  await sent(A, 'done 0:warm', push(A, '0:warm'));

  // 1. B's /status while A's 5 s call runs.
  const startA = push(A, '5:a');
  await sleep(300); // A's agent is running
  const status = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t = push(B, '/status');
    status.push((await sent(B, 'Active channel', t)) - t);
    await sleep(500);
  }
  const doneA = await sent(A, 'done 5:a', startA, 60_000);
  const lastStatus = log.filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === B).at(-1).t;
  if (lastStatus > doneA)
    throw new Error("A answered before the last /status sample: the samples did not overlap A's call");

  // 2. 10 users, one text each, 2 s agent.
  const rounds = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = now();
    for (const u of USERS) push(u, `2:u${u}r${r}`);
    const each = await Promise.all(USERS.map((u) => sent(u, `done 2:u${u}r${r}`, t0)));
    rounds.push(each.map((t) => t - t0));
  }
  const lasts = rounds.map((each) => Math.max(...each));

  console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}, ${PYTHON}`);
  console.log(
    `B's /status while A's 5 s call runs: ${status.map(ms).join(', ')}; median ${ms(median(status))}, ` +
      `max ${ms(Math.max(...status))} (A answered after ${(doneA - startA).toFixed(2)} s)`,
  );
  console.log(`  target max <= 300 ms: ${Math.max(...status) <= 0.3 ? 'PASS' : 'MISS'}`);
  for (const [r, each] of rounds.entries()) {
    console.log(
      `10 users x one text, 2 s agent, run ${r + 1}: first answer ${Math.min(...each).toFixed(2)} s, ` +
        `last ${Math.max(...each).toFixed(2)} s`,
    );
  }
  console.log(
    `  target all answered <= 2.5 s: worst run ${Math.max(...lasts).toFixed(2)} s: ` +
      `${Math.max(...lasts) <= 2.5 ? 'PASS' : 'MISS'}`,
  );
} catch (err) {
  console.error(`bench/telegram.mjs: ${err.message}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
