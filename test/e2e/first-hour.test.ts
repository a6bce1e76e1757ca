/**
 * The first hour of a newcomer (issues 13 and 18), end to end: the packed package installed,
 * `puruto init` answered in a pseudo-terminal, then the next steps it printed followed
 * literally in every repo — `cp .env.example .env`, the /init script, `./run` — and each
 * runtime answers. /init builds its real .venv with pip from the wheelhouse scripts/setup.sh
 * filled from PyPI, through pip's own settings (PIP_NO_INDEX, PIP_FIND_LINKS: no network at
 * test time), with the Python the venvs were made from as `python3`. Every process it starts
 * is stopped by pid; the gateway and the fake Bot API listen on 127.0.0.1 on free ports.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import {
  PTY_DRIVER,
  PYTHON,
  ROOT,
  cleanEnv,
  explain,
  makeTmp,
  packAndInstall,
  run,
  tarEntries,
  type Installed,
  type PtyResult,
  type PtyStep,
  type Run,
} from './support.js';
import { BASE_PYTHON_BIN, WHEELHOUSE } from '../helpers/python.js';

const RUNTIMES = ['puruto-telegram', 'puruto-cron', 'puruto-gateway'];

/** pip from the wheelhouse alone: no config files, no index (and a closed port if one were asked). */
const WHEELHOUSE_PIP = {
  PIP_CONFIG_FILE: '/dev/null',
  PIP_NO_INDEX: '1',
  PIP_FIND_LINKS: WHEELHOUSE,
  PIP_INDEX_URL: 'http://127.0.0.1:9/',
  PIP_NO_INPUT: '1',
  PIP_DISABLE_PIP_VERSION_CHECK: '1',
};

/** The bot's token and the user it answers in the test (the fake Bot API knows both). */
const TOKEN = '123456789:FIRSThourFIRSThourFIRSThour';
const USER = 4242;

/**
 * A fake Telegram Bot API on 127.0.0.1: getMe, long-polled getUpdates serving the queued
 * updates, sendMessage answered with a Message; every call logged by method.
 */
async function fakeBotApi(): Promise<{
  base: string;
  calls: { method: string; params: Record<string, unknown> }[];
  push: (text: string) => void;
  close: () => Promise<void>;
}> {
  const calls: { method: string; params: Record<string, unknown> }[] = [];
  const updates: Record<string, unknown>[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const [prefix, method = ''] = url.pathname.replace(/^\//, '').split('/');
      const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
      if (body) {
        const json = (req.headers['content-type'] ?? '').includes('json');
        Object.assign(params, json ? JSON.parse(body) : Object.fromEntries(new URLSearchParams(body)));
      }
      const reply = (result: unknown): void => {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
      };
      if (prefix !== `bot${TOKEN}`) {
        res.writeHead(404).end('{"ok":false,"error_code":404,"description":"Not Found"}');
        return;
      }
      calls.push({ method, params });
      if (method === 'getMe') return reply({ id: 42, is_bot: true, first_name: 'First', username: 'first_hour_bot' });
      if (method === 'getUpdates') {
        const offset = Number(params['offset'] ?? 0);
        const due = updates.filter((u) => Number(u['update_id']) >= offset);
        // Long polling, kept short: answer within 0.5 s even when nothing is queued.
        if (due.length) return reply(due);
        setTimeout(() => reply(updates.filter((u) => Number(u['update_id']) >= offset)), 500);
        return;
      }
      if (method === 'sendMessage') {
        const chat = { id: Number(params['chat_id']), type: 'private' };
        return reply({ message_id: calls.length, date: Math.floor(Date.now() / 1000), chat, text: params['text'] });
      }
      return reply(true);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  const push = (text: string): void => {
    const id = 100 + updates.length;
    const from = { id: USER, is_bot: false, first_name: 'U' };
    const entities = text.startsWith('/') ? [{ type: 'bot_command', offset: 0, length: text.length }] : undefined;
    const message = { message_id: id, date: Math.floor(Date.now() / 1000), text, chat: { id: USER, type: 'private' } };
    updates.push({ update_id: id, message: { ...message, from, ...(entities ? { entities } : {}) } });
  };
  const close = () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
  return { base: `http://127.0.0.1:${port}`, calls, push, close };
}

/** The command lines of `pid` and every process under it (from /proc). */
function commandLines(pid: number): string[] {
  const lines: string[] = [];
  const walk = (p: number): void => {
    try {
      lines.push(readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ').trim());
      for (const t of readdirSync(`/proc/${p}/task`)) {
        for (const c of readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(' ').filter(Boolean))
          walk(Number(c));
      }
    } catch {
      // gone meanwhile
    }
  };
  walk(pid);
  return lines;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function get(
  port: number,
  route: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: route, headers, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** A started runtime: its output so far, and whether it exited (with which code). */
interface Started {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

function start(cmd: string, cwd: string, env: NodeJS.ProcessEnv): Started {
  // The next step is a shell line (`./run`): run it as the user would, through sh.
  const child = spawn('sh', ['-c', cmd], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

/** Stops a started process group by its pid (SIGTERM, then SIGKILL after 5 s). */
async function stop(s: Started): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  try {
    process.kill(-s.child.pid!, 'SIGTERM');
  } catch {
    return;
  }
  const killed = setTimeout(() => {
    try {
      process.kill(-s.child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, 5000);
  await s.exited;
  clearTimeout(killed);
}

/**
 * Waits (bounded: 60 s in 100 ms polls; a runtime importing its libraries on a busy machine
 * takes seconds) until ready() or the process exits.
 */
async function until(s: Started, ready: () => boolean | Promise<boolean>): Promise<'ready' | 'exited'> {
  for (let i = 0; i < 600; i++) {
    if (await ready()) return 'ready';
    if (s.child.exitCode !== null) return 'exited';
    await new Promise((r) => setTimeout(r, 100));
  }
  if (s.child.exitCode !== null) return 'exited';
  throw new Error(`neither ready nor exited after 60 s:\n${s.out()}${s.err()}`);
}

describe('e2e: the first hour (puruto init → its next steps, literally → every runtime)', function () {
  this.timeout(600_000); // three real .venv installs (from the wheelhouse) and four runtimes
  let tmp: string;
  let inst: Installed;
  let home: string;
  let env: Record<string, string>;

  before(function () {
    this.timeout(360_000);
    tmp = makeTmp('puruto-firsthour-');
    home = path.join(tmp, 'home');
    mkdirSync(home);
    inst = packAndInstall(tmp);
    // `python3` is the Python the test venvs were made from (3.10+ with venv and pip, like a
    // user's); pip installs from the wheelhouse only.
    assert.ok(existsSync(WHEELHOUSE), `no wheelhouse at ${WHEELHOUSE}: run scripts/setup.sh`);
    env = cleanEnv(inst, home, WHEELHOUSE_PIP);
    env['PATH'] = [BASE_PYTHON_BIN, env['PATH']].join(path.delimiter);
  });

  after(function () {
    if (tmp && !process.env['PURUTO_E2E_KEEP']) rmSync(tmp, { recursive: true, force: true });
    else if (tmp) console.log(`    first-hour files kept in ${tmp}`);
  });

  it('the tarball ships the LICENSE package.json names', () => {
    assert.ok(tarEntries(inst.tarball).includes('package/LICENSE'));
    assert.equal(
      (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { license: string }).license,
      'MIT',
    );
    assert.match(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8'), /^MIT License/);
  });

  it(
    'puruto init in a terminal, then every printed step in every repo: ' +
      '/init builds each .venv from the wheelhouse, each runtime answers from it',
    async () => {
      // 1. puruto init, answered in a pseudo-terminal.
      const steps: PtyStep[] = [
        { expect: 'Add puruto-telegram', send: 'y\r', timeout: 40 },
        { expect: 'Add puruto-cron', send: 'y\r' },
        { expect: 'Add puruto-gateway', send: 'y\r' },
        { expect: 'Next steps:', timeout: 60 },
        { expect_eof: true, timeout: 30 },
      ];
      const script = path.join(tmp, 'init-pty.json');
      writeFileSync(script, JSON.stringify({ timeout: 100, steps }));
      const r = run(PYTHON, [PTY_DRIVER, script, '--', 'puruto', 'init', 'eco'], { cwd: tmp, env, timeoutMs: 110_000 });
      assert.equal(r.code, 0, `the pty driver failed: ${explain(r)}`);
      const res = JSON.parse(r.stdout) as PtyResult;
      const screen = `--- screen ---\n${res.screen}\n--- end ---`;
      assert.ok(res.ok, `step ${res.failed_step}: ${res.reason}\n${screen}`);
      assert.equal(res.exit_code, 0, screen);

      // 2. The next steps, as printed.
      const next = res.screen
        .slice(res.screen.indexOf('Next steps:'))
        .split('\n')
        .slice(1)
        .map((l) => l.trim())
        .filter(Boolean);
      assert.equal(next[0], 'cd eco', screen);
      const eco = path.join(tmp, 'eco');
      const each = next.find((l) => l.startsWith('in each new repo ('));
      assert.ok(each, screen);
      const m = /^in each new repo \(([^)]*)\): (.+?), then (.+?) \(what \/init runs in your agent\)$/.exec(each);
      assert.ok(m, each);
      const repos = m[1]!.split(', ');
      assert.deepEqual(repos, ['puruto-data', ...RUNTIMES]);
      const [copy, init] = [m[2]!, m[3]!];
      assert.equal(copy, 'cp .env.example .env');
      const startOf = (repo: string): string | undefined => {
        const line = next.find((l) => l.startsWith(`${repo}: `));
        return line ? /: (\.\/run)$/.exec(line)?.[1] : undefined;
      };
      // No two steps contradict each other: the gateway's key line says /init replaces it.
      assert.match(
        next.find((l) => l.startsWith('puruto-gateway: '))!,
        /\/init replaces the placeholder PURUTO_GATEWAY_API_KEY/,
      );

      // 3. In every repo: cp, then /init's script. It builds .venv with requirements.txt
      //    (from the wheelhouse) where the repo has one; the vault needs none.
      const inits: Record<string, Run> = {};
      for (const repo of repos) {
        const cwd = path.join(eco, repo);
        const c = run('sh', ['-c', copy], { cwd, env });
        assert.equal(c.code, 0, explain(c));
        inits[repo] = run('sh', ['-c', init], { cwd, env, timeoutMs: 300_000 });
        const out = inits[repo]!.stdout;
        assert.doesNotMatch(inits[repo]!.all, /Traceback/, explain(inits[repo]!));
        assert.equal(inits[repo]!.code, 0, explain(inits[repo]!));
        assert.deepEqual(
          out.split('\n').filter((l) => l.startsWith('error')),
          [],
          out,
        );
        assert.match(out, new RegExp(`^${repo} status$`, 'm'), out);
        if (repo === 'puruto-data') {
          assert.match(out, /^skipped +\.venv +no requirements\.txt/m, out);
          assert.match(out, /^next: ready$/m, out);
        } else {
          assert.match(out, /^created +\.venv +virtualenv with requirements\.txt installed/m, out);
          assert.ok(existsSync(path.join(cwd, '.venv', 'bin', 'python')), `${repo}: no .venv/bin/python`);
        }
      }
      // The gateway's /init replaced the placeholder the cp put there, and said so.
      assert.match(
        inits['puruto-gateway']!.stdout,
        /^updated +PURUTO_GATEWAY_API_KEY +replaced the placeholder in your \.env/m,
      );
      const key = /^PURUTO_GATEWAY_API_KEY=([0-9a-f]{64})$/m.exec(
        readFileSync(path.join(eco, 'puruto-gateway', '.env'), 'utf8'),
      )?.[1];
      assert.ok(key, 'a random key in puruto-gateway/.env');
      assert.doesNotMatch(inits['puruto-gateway']!.all, new RegExp(key));
      // What the venvs hold: requirements.txt as pip resolved it from the wheelhouse.
      const has = (repo: string, pkg: string): boolean =>
        readdirSync(path.join(eco, repo, '.venv', 'lib'), { recursive: true }).some((f) =>
          new RegExp(`^python3\\.\\d+/site-packages/${pkg}-[^/]+\\.dist-info$`, 'i').test(String(f)),
        );
      for (const [repo, pkgs] of Object.entries({
        'puruto-telegram': ['python_telegram_bot', 'python_dotenv'],
        'puruto-cron': ['croniter'],
        'puruto-gateway': ['fastapi', 'pydantic', 'uvicorn', 'python_dotenv'],
      })) {
        for (const pkg of pkgs) assert.ok(has(repo, pkg), `${repo}/.venv lacks ${pkg}`);
      }

      // 4. Every runtime: its printed start step, from its .venv, and it answers.
      for (const repo of RUNTIMES) assert.equal(startOf(repo), './run', `${repo} has a ./run step\n${screen}`);
      const fromVenv = (s: Started, repo: string): void => {
        const venvPython = path.join(eco, repo, '.venv', 'bin', 'python');
        const lines = commandLines(s.child.pid!);
        assert.ok(
          lines.some((l) => l.startsWith(venvPython)),
          `${repo}: not running from .venv:\n${lines.join('\n')}`,
        );
      };
      const port = await freePort();
      const bot = await fakeBotApi();
      const started: Started[] = [];
      try {
        // puruto-telegram: the step says to set the token and the allowed users first; the
        // Bot API it talks to is the fake one (PURUTO_TELEGRAM_API_BASE, process environment).
        const tgDir = path.join(eco, 'puruto-telegram');
        appendFileSync(
          path.join(tgDir, '.env'),
          `\nPURUTO_TELEGRAM_BOT_TOKEN=${TOKEN}\nPURUTO_TELEGRAM_ALLOWED_USERS=${USER}\n`,
        );
        bot.push('/help');
        const tg = start(startOf('puruto-telegram')!, tgDir, { ...env, PURUTO_TELEGRAM_API_BASE: bot.base });
        started.push(tg);
        const answered = () =>
          bot.calls.some((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === USER);
        assert.equal(await until(tg, answered), 'ready', `${tg.out()}${tg.err()}`);
        fromVenv(tg, 'puruto-telegram');
        const methods = bot.calls.map((c) => c.method);
        assert.ok(methods.includes('getMe') && methods.includes('getUpdates'), methods.join(' '));
        const help = bot.calls.find((c) => c.method === 'sendMessage')!;
        assert.match(String(help.params['text']), /active channel/);
        await stop(tg);

        // puruto-cron: the loop starts (its "running" line); then one tick on its own.
        const cronDir = path.join(eco, 'puruto-cron');
        const cron = start(startOf('puruto-cron')!, cronDir, env);
        started.push(cron);
        const running = () => cron.out().includes('"status": "running"');
        assert.equal(await until(cron, running), 'ready', `${cron.out()}${cron.err()}`);
        fromVenv(cron, 'puruto-cron');
        await stop(cron);
        const tick = run('sh', ['-c', `${startOf('puruto-cron')!} tick`], { cwd: cronDir, env });
        assert.equal(tick.code, 0, explain(tick));
        assert.doesNotMatch(tick.all, /Traceback/, explain(tick));

        // puruto-gateway: answers /health, and /purutos with the key /init wrote.
        const gwEnv = { ...env, PURUTO_GATEWAY_PORT: String(port) }; // the process environment wins over .env
        const gw = start(startOf('puruto-gateway')!, path.join(eco, 'puruto-gateway'), gwEnv);
        started.push(gw);
        const up = async () => (await get(port, '/health').catch(() => ({ status: 0 }))).status === 200;
        assert.equal(await until(gw, up), 'ready', `${gw.out()}${gw.err()}`);
        fromVenv(gw, 'puruto-gateway');
        const list = await get(port, '/purutos', { 'X-API-Key': key });
        assert.equal(list.status, 200, list.body);
        const names = (JSON.parse(list.body) as { items: { name: string }[] }).items.map((i) => i.name).sort();
        assert.deepEqual(names, [...RUNTIMES].sort());
        assert.equal((await get(port, '/purutos')).status, 401);

        // puruto-data: the vault's own status (the /status script) is ready.
        const vault = run('python3', ['.claude/skills/status/scripts/status.py'], {
          cwd: path.join(eco, 'puruto-data'),
          env,
        });
        assert.equal(vault.code, 0, explain(vault));
        assert.match(vault.stdout, /registry\.json: ok, 3 Puruto\(s\) registered/);
        assert.match(vault.stdout, /^next: ready$/m);
      } finally {
        for (const s of started) await stop(s);
        await bot.close();
      }
    },
  );

  it("every kind's /init accepts --no-venv", () => {
    const eco = path.join(tmp, 'eco');
    for (const repo of ['puruto-data', ...RUNTIMES]) {
      const r = run(PYTHON, ['.claude/skills/init/scripts/init.py', '--no-venv', '--json'], {
        cwd: path.join(eco, repo),
        env,
      });
      assert.ok(r.code === 0 || r.code === 1, explain(r));
      const venv = (JSON.parse(r.stdout) as { steps: { result: string; path: string; detail: string }[] }).steps.find(
        (s) => s.path === '.venv',
      );
      assert.equal(venv?.result, 'skipped', `${repo}: ${r.stdout}`);
      assert.match(venv!.detail, /^--no-venv/);
    }
    const std = path.join(tmp, 'puruto-notes');
    const made = run('puruto', ['new', 'puruto-notes', '--description', 'Notes', '--yes', '--destination', std], {
      cwd: tmp,
      env,
    });
    assert.equal(made.code, 0, explain(made));
    const r = run(PYTHON, ['.claude/skills/init/scripts/init.py', '--no-venv', '--json'], { cwd: std, env });
    assert.equal(r.code, 0, explain(r));
    assert.equal(
      (JSON.parse(r.stdout) as { steps: { path: string; result: string }[] }).steps.find((s) => s.path === '.venv')
        ?.result,
      'skipped',
    );
  });
});
