/**
 * The first hour of a newcomer (issue 13), end to end: the packed package installed,
 * `puruto init` answered in a pseudo-terminal, then the next steps it printed followed
 * literally in every repo — `cp .env.example .env`, the /init script (with no reachable
 * package index, as on an offline machine or behind a proxy), `./run` — and each runtime
 * either starts or says in one line what is missing. Every process it starts is stopped
 * by pid; the gateway listens on 127.0.0.1 on a free port.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

const RUNTIMES = ['puruto-telegram', 'puruto-cron', 'puruto-gateway'];

/** pip with no reachable index: no config files, no local wheels, a closed port. */
const OFFLINE_PIP = {
  PIP_CONFIG_FILE: '/dev/null',
  PIP_INDEX_URL: 'http://127.0.0.1:9/',
  PIP_NO_INPUT: '1',
  PIP_FIND_LINKS: '',
};

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

/** Waits (bounded: 100 polls × 100 ms) until ready() or the process exits. */
async function until(s: Started, ready: () => boolean | Promise<boolean>): Promise<'ready' | 'exited'> {
  for (let i = 0; i < 100; i++) {
    if (await ready()) return 'ready';
    if (s.child.exitCode !== null) return 'exited';
    await new Promise((r) => setTimeout(r, 100));
  }
  if (s.child.exitCode !== null) return 'exited';
  throw new Error(`neither ready nor exited after 10 s:\n${s.out()}${s.err()}`);
}

/** The error lines a runtime printed when it could not start: exactly one, no traceback. */
function oneLine(s: Started): string {
  const text = `${s.out()}${s.err()}`.trim();
  assert.doesNotMatch(text, /Traceback/, text);
  assert.equal(text.split('\n').length, 1, `one line expected:\n${text}`);
  return text;
}

describe('e2e: the first hour (puruto init → its next steps, literally → every runtime)', function () {
  this.timeout(120_000);
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
    // Debian's python3 first (it has the apt packages a user would install); the Bot API
    // library from .deps when present; no package index reachable.
    const deps = path.join(ROOT, '.deps', 'python');
    env = cleanEnv(inst, home, { ...OFFLINE_PIP, ...(existsSync(deps) ? { PYTHONPATH: deps } : {}) });
    env['PATH'] = ['/usr/bin', env['PATH']].join(path.delimiter);
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
      'each runtime starts or says what is missing',
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

      // 3. In every repo: cp, then /init's script. Without a package index the venv step
      //    is one error line with its fixes, and no half-built .venv stays.
      const inits: Record<string, Run> = {};
      for (const repo of repos) {
        const cwd = path.join(eco, repo);
        const c = run('sh', ['-c', copy], { cwd, env });
        assert.equal(c.code, 0, explain(c));
        inits[repo] = run('sh', ['-c', init], { cwd, env, timeoutMs: 200_000 });
        const out = inits[repo]!.stdout;
        assert.doesNotMatch(inits[repo]!.all, /Traceback/, explain(inits[repo]!));
        assert.equal(existsSync(path.join(cwd, '.venv')), false, `${repo}: an unfinished .venv was left`);
        const errors = out.split('\n').filter((l) => l.startsWith('error'));
        if (repo === 'puruto-data') {
          assert.equal(inits[repo]!.code, 0, explain(inits[repo]!));
          assert.deepEqual(errors, []);
        } else {
          assert.equal(inits[repo]!.code, 1, explain(inits[repo]!));
          assert.equal(errors.length, 1, `${repo}: one error line expected\n${out}`);
          assert.match(errors[0]!, /^error +\.venv +.*--no-venv/, errors[0]);
        }
        assert.match(out, new RegExp(`^${repo} status$`, 'm'), out);
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

      // 4. Every runtime: its printed start step.
      for (const repo of RUNTIMES) assert.equal(startOf(repo), './run', `${repo} has a ./run step\n${screen}`);
      const port = await freePort();
      const started: Started[] = [];
      try {
        // puruto-telegram: no token yet (the step says to set it first): one line says so,
        // or, without python-telegram-bot, one line names the missing package.
        const tg = start(startOf('puruto-telegram')!, path.join(eco, 'puruto-telegram'), env);
        started.push(tg);
        assert.equal(await tg.exited, 1);
        assert.match(oneLine(tg), /PURUTO_TELEGRAM_BOT_TOKEN is empty|cannot start: .* lacks telegram/);

        // puruto-cron: the loop starts (its "running" line), or one line names croniter.
        const cron = start(startOf('puruto-cron')!, path.join(eco, 'puruto-cron'), env);
        started.push(cron);
        if ((await until(cron, () => cron.out().includes('"status": "running"'))) === 'ready') {
          await stop(cron);
        } else {
          assert.match(oneLine(cron), /cannot start: .* lacks croniter/);
        }

        // puruto-gateway: answers /health, and /purutos with the key /init wrote.
        const gwEnv = { ...env, PURUTO_GATEWAY_PORT: String(port) }; // the process environment wins over .env
        const gw = start(startOf('puruto-gateway')!, path.join(eco, 'puruto-gateway'), gwEnv);
        started.push(gw);
        const up = await until(
          gw,
          async () => (await get(port, '/health').catch(() => ({ status: 0 }))).status === 200,
        );
        if (up === 'ready') {
          const list = await get(port, '/purutos', { 'X-API-Key': key });
          assert.equal(list.status, 200, list.body);
          const names = (JSON.parse(list.body) as { items: { name: string }[] }).items.map((i) => i.name).sort();
          assert.deepEqual(names, [...RUNTIMES].sort());
          assert.equal((await get(port, '/purutos')).status, 401);
        } else {
          assert.match(oneLine(gw), /cannot start: .* lacks (fastapi|uvicorn|dotenv)/);
        }
      } finally {
        for (const s of started) await stop(s);
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
