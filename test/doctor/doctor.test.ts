/**
 * `puruto doctor` on an ecosystem from `puruto init --all`, made healthy for real (.env
 * filled in, a fake `claude` on PATH with a login file, the real gateway under uvicorn,
 * the real cron loop, the bot's heartbeat module running): every line ✓. Then each
 * problem of the issue, introduced one at a time, is reported with its line and fix.
 * Every process started here is stopped here, by pid.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { puruto } from '../helpers/cli.js';
import { tempDir, withHome } from '../helpers/generators.js';
import { PYTHON } from '../helpers/python.js';
import { doctor, type Check } from '../../lib/doctor/index.js';
import { realProbes } from '../../lib/doctor/probes.js';
import { adapterFacts } from '../../generators/ipc/adapters.js';

const DEPS = fileURLToPath(new URL('../../.deps/python', import.meta.url));
const HAS_PTB = fs.existsSync(path.join(DEPS, 'telegram'));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const setEnv = (file: string, key: string, value: string | undefined): void => {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => !new RegExp(`^#?\\s*${key}=`).test(l));
  if (value !== undefined) lines.push(`${key}=${value}`);
  fs.writeFileSync(file, lines.join('\n'));
};

describe('puruto doctor on a `puruto init --all` ecosystem', function () {
  this.timeout(240_000);
  let eco = '';
  let home = '';
  let bin = '';
  let gatewayPort = 0;
  const procs: ChildProcess[] = [];
  let env: NodeJS.ProcessEnv = {};
  const repo = (name: string): string => path.join(eco, name);

  async function run(extra: NodeJS.ProcessEnv = {}): Promise<Check[]> {
    const out = await doctor({
      path: eco,
      workspace: true,
      adapters: adapterFacts(),
      probes: realProbes({ ...env, ...extra }),
    });
    assert.ok(out.ok, out.ok ? '' : out.message);
    return out.report.checks;
  }

  /** The one check with this id (for this repo), asserted at that level with a fix matching. */
  function expect(
    checks: Check[],
    o: { repo: string | null; id: string; level: 'warn' | 'error'; message?: RegExp; fix: RegExp },
  ): void {
    const c = checks.find((x) => x.id === o.id && x.repo === o.repo);
    assert.ok(
      c,
      `no ${o.id} line for ${o.repo}:\n${checks.map((x) => `${x.level} ${x.repo} ${x.id} ${x.message}`).join('\n')}`,
    );
    assert.equal(c.level, o.level, c.message);
    if (o.message) assert.match(c.message, o.message);
    assert.match(c.fix ?? '', o.fix);
  }

  async function waitFor(what: string, ok: () => boolean | Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`${what} did not happen within 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  function start(cmd: string, args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}): ChildProcess {
    const p = spawn(cmd, args, { cwd, env: { ...env, ...extra }, stdio: 'ignore' });
    procs.push(p);
    return p;
  }

  async function stop(p: ChildProcess): Promise<void> {
    if (p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    process.kill(p.pid!, 'SIGTERM');
    const t = setTimeout(() => p.exitCode === null && process.kill(p.pid!, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }

  before(async function () {
    if (!HAS_PTB) this.skip();
    home = tempDir('puruto-doctor-home-');
    eco = path.join(home, 'purutos');
    const init = await withHome(home, () => puruto(['init', eco, '--all', '--yes'], home));
    assert.equal(init.code, 0, init.stderr);
    // A claude CLI on PATH (prints its version) and its login file in HOME.
    bin = path.join(home, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'claude'), '#!/bin/sh\necho "2.1.0 (Claude Code)"\n', { mode: 0o755 });
    fs.mkdirSync(path.join(home, '.claude'));
    fs.writeFileSync(path.join(home, '.claude', '.credentials.json'), '{}');
    env = { PATH: `${bin}:${path.dirname(PYTHON)}:/usr/bin:/bin`, HOME: home, PYTHONPATH: DEPS, PURUTO_PYTHON: PYTHON };
    for (const name of ['puruto-data', 'puruto-telegram', 'puruto-cron', 'puruto-gateway'])
      fs.copyFileSync(path.join(repo(name), '.env.example'), path.join(repo(name), '.env'));
    const tg = path.join(repo('puruto-telegram'), '.env');
    setEnv(tg, 'PURUTO_TELEGRAM_BOT_TOKEN', '123456789:AAbbccddeeffgghhiijjkkllmmnnoopp');
    setEnv(tg, 'PURUTO_TELEGRAM_ALLOWED_USERS', '12345,67890');
    gatewayPort = await freePort();
    const gw = path.join(repo('puruto-gateway'), '.env');
    setEnv(gw, 'PURUTO_GATEWAY_API_KEY', 'k'.repeat(40));
    setEnv(gw, 'PURUTO_GATEWAY_PORT', String(gatewayPort));
    setEnv(path.join(repo('puruto-cron'), '.env'), 'PURUTO_CRON_POLL_SECONDS', '1');
    // The services, for real: the gateway, the scheduler loop, the bot's heartbeat module.
    start(
      PYTHON,
      ['-m', 'uvicorn', 'app:app', '--host', '127.0.0.1', '--port', String(gatewayPort)],
      repo('puruto-gateway'),
      { PURUTO_AGENT: 'stub' },
    );
    start(PYTHON, ['main.py', 'run'], repo('puruto-cron'));
    start(
      PYTHON,
      ['-c', 'import heartbeat, time; from pathlib import Path; heartbeat.start(Path("."), 1); time.sleep(120)'],
      repo('puruto-telegram'),
    );
    await waitFor('the gateway /health', async () => {
      try {
        return (await fetch(`http://127.0.0.1:${gatewayPort}/health`)).ok;
      } catch {
        return false;
      }
    });
    await waitFor(
      'the heartbeats',
      () =>
        fs.existsSync(path.join(repo('puruto-cron'), 'db/heartbeat.json')) &&
        fs.existsSync(path.join(repo('puruto-telegram'), 'db/heartbeat.json')),
    );
  });

  after(async () => {
    for (const p of procs) await stop(p);
  });

  it('a healthy ecosystem is all ✓, exit 0 (and --json has the documented shape)', async () => {
    const checks = await run();
    assert.deepEqual(
      checks.filter((c) => c.level !== 'ok').map((c) => `${c.repo} ${c.id}: ${c.message}`),
      [],
    );
    for (const id of [
      'python.version',
      'python.imports',
      'env.present',
      'agents.found',
      'agents.credentials',
      'wiring.vault',
      'wiring.registry',
      'wiring.jobs',
      'services.gateway',
      'services.alive',
    ]) {
      assert.ok(
        checks.some((c) => c.id === id),
        id,
      );
    }
    const cron = checks.find((c) => c.repo === 'puruto-cron' && c.id === 'services.alive')!;
    assert.match(cron.message, /last tick \d{4}-\d\d-\d\d /);
  });

  it(
    "--online: one real call through each repo's invoker.py, its result and time (stub: ok; a failing agent: " +
      '✗ with the command to retry)',
    async () => {
      const online = async (extra: NodeJS.ProcessEnv) => {
        const out = await doctor({
          path: eco,
          workspace: true,
          online: true,
          adapters: adapterFacts(),
          probes: realProbes({ ...env, ...extra }),
        });
        assert.ok(out.ok, out.ok ? '' : out.message);
        return out.report.checks.filter((c) => c.id === 'agents.online');
      };
      const ok = await online({ PURUTO_AGENT: 'stub' });
      assert.deepEqual(
        ok.map((c) => c.repo).sort(),
        ['puruto-cron', 'puruto-gateway', 'puruto-telegram'],
        JSON.stringify(ok),
      );
      for (const c of ok) {
        assert.equal(c.level, 'ok', c.message);
        assert.match(c.message, /answered ok in \d+\.\d s/);
      }
      const failing = await online({
        PURUTO_AGENT: 'command',
        PURUTO_AGENT_COMMAND: `${PYTHON} -c "import sys; sys.exit(3)"`,
      });
      for (const c of failing) {
        assert.equal(c.level, 'error', c.message);
        assert.match(c.message, /failed after \d+\.\d s: IPC_ERROR/);
        assert.match(c.fix ?? '', /python3 invoker\.py --target puruto-\w+ --action status --prompt test/);
      }
    },
  );

  it('Python: none that starts, an unfinished .venv', async () => {
    expect(await run({ PURUTO_PYTHON: path.join(home, 'no-python') }), {
      repo: null,
      id: 'python.missing',
      level: 'error',
      fix: /install Python 3\.10/,
    });
    fs.mkdirSync(path.join(repo('puruto-cron'), '.venv'));
    try {
      expect(await run(), {
        repo: 'puruto-cron',
        id: 'python.venv-unfinished',
        level: 'warn',
        fix: /rm -rf \.venv && python3 \.claude\/skills\/init\/scripts\/init\.py/,
      });
    } finally {
      fs.rmSync(path.join(repo('puruto-cron'), '.venv'), { recursive: true });
    }
  });

  it('Python: requirements that do not import', async () => {
    expect(await run({ PYTHONPATH: '' }), {
      repo: 'puruto-telegram',
      id: 'python.imports',
      level: 'error',
      message: /cannot import telegram/,
      fix: /init\.py/,
    });
  });

  describe('.env', () => {
    const tg = (): string => path.join(repo('puruto-telegram'), '.env');
    const gw = (): string => path.join(repo('puruto-gateway'), '.env');
    let saved: Record<string, string> = {};
    beforeEach(() => (saved = { tg: fs.readFileSync(tg(), 'utf8'), gw: fs.readFileSync(gw(), 'utf8') }));
    afterEach(() => {
      fs.writeFileSync(tg(), saved['tg']!);
      fs.writeFileSync(gw(), saved['gw']!);
    });

    it('missing', async () => {
      fs.rmSync(tg());
      expect(await run(), {
        repo: 'puruto-telegram',
        id: 'env.missing',
        level: 'error',
        fix: /cp \.env\.example \.env/,
      });
    });
    it('an empty token, a token of the wrong shape', async () => {
      setEnv(tg(), 'PURUTO_TELEGRAM_BOT_TOKEN', '');
      expect(await run(), {
        repo: 'puruto-telegram',
        id: 'env.token-empty',
        level: 'error',
        fix: /PURUTO_TELEGRAM_BOT_TOKEN=/,
      });
      setEnv(tg(), 'PURUTO_TELEGRAM_BOT_TOKEN', 'not-a-token');
      expect(await run(), {
        repo: 'puruto-telegram',
        id: 'env.token-shape',
        level: 'error',
        message: /<digits>:<text>/,
        fix: /@BotFather/,
      });
    });
    it('allowed users that are not numeric', async () => {
      setEnv(tg(), 'PURUTO_TELEGRAM_ALLOWED_USERS', '12345,bob');
      expect(await run(), {
        repo: 'puruto-telegram',
        id: 'env.allowed-users',
        level: 'error',
        message: /bob/,
        fix: /PURUTO_TELEGRAM_ALLOWED_USERS=/,
      });
    });
    it('the gateway key left at changeme', async () => {
      setEnv(gw(), 'PURUTO_GATEWAY_API_KEY', 'changeme');
      expect(await run(), {
        repo: 'puruto-gateway',
        id: 'env.placeholder',
        level: 'error',
        message: /changeme/,
        fix: /init\.py/,
      });
    });
    it('a port taken by something else', async () => {
      const port = await freePort();
      const other = http.createServer((_q, s) => s.writeHead(404).end('not a gateway'));
      await new Promise<void>((r) => other.listen(port, '127.0.0.1', r));
      try {
        setEnv(gw(), 'PURUTO_GATEWAY_PORT', String(port));
        expect(await run(), {
          repo: 'puruto-gateway',
          id: 'services.port-taken',
          level: 'error',
          message: new RegExp(`port ${port}`),
          fix: /PURUTO_GATEWAY_PORT=<a free port>/,
        });
      } finally {
        await new Promise((r) => other.close(r));
      }
    });
  });

  describe('agents', () => {
    it('no CLI on PATH; a selected CLI that is not installed; no credentials', async () => {
      const noBin = { PATH: `${path.dirname(PYTHON)}:/usr/bin:/bin` };
      const none = await run(noBin);
      expect(none, { repo: null, id: 'agents.none', level: 'warn', fix: /npm install -g @anthropic-ai\/claude-code/ });
      expect(none, { repo: 'puruto-cron', id: 'agents.no-agent', level: 'error', fix: /PURUTO_AGENT=stub/ });
      expect(await run({ PURUTO_AGENT: 'codex' }), {
        repo: 'puruto-gateway',
        id: 'agents.not-installed',
        level: 'error',
        message: /codex is not on PATH/,
        fix: /install codex/,
      });
      fs.renameSync(path.join(home, '.claude', '.credentials.json'), path.join(home, 'creds.bak'));
      try {
        expect(await run(), {
          repo: 'puruto-telegram',
          id: 'agents.credentials',
          level: 'error',
          message: /ANTHROPIC_API_KEY/,
          fix: /ANTHROPIC_API_KEY/,
        });
        const withKey = (await run({ ANTHROPIC_API_KEY: 'sk-test' })).find(
          (c) => c.repo === 'puruto-telegram' && c.id === 'agents.credentials',
        );
        assert.equal(withKey?.level, 'ok');
      } finally {
        fs.renameSync(path.join(home, 'creds.bak'), path.join(home, '.claude', '.credentials.json'));
      }
    });
  });

  describe('wiring', () => {
    it('PURUTO_DATA_PATH pointing nowhere', async () => {
      const file = path.join(repo('puruto-cron'), '.env');
      const before = fs.readFileSync(file, 'utf8');
      setEnv(file, 'PURUTO_DATA_PATH', '../nowhere');
      try {
        expect(await run(), {
          repo: 'puruto-cron',
          id: 'wiring.vault',
          level: 'error',
          message: /nowhere/,
          fix: /PURUTO_DATA_PATH=/,
        });
      } finally {
        fs.writeFileSync(file, before);
      }
    });
    it('a registry entry without its folder', async () => {
      const folder = path.join(repo('puruto-data'), 'puruto-cron');
      fs.renameSync(folder, `${folder}.bak`);
      try {
        expect(await run(), {
          repo: 'puruto-data',
          id: 'wiring.registry-folder',
          level: 'error',
          message: /puruto-cron/,
          fix: /mkdir -p puruto-cron/,
        });
      } finally {
        fs.renameSync(`${folder}.bak`, folder);
      }
    });
    it('a Telegram channel whose Puruto does not exist', async () => {
      const file = path.join(repo('puruto-telegram'), '.channels.json');
      const before = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, JSON.stringify({ channels: ['puruto-data', 'puruto-ghost'] }));
      try {
        expect(await run(), {
          repo: 'puruto-telegram',
          id: 'wiring.channel',
          level: 'error',
          message: /puruto-ghost/,
          fix: /\.channels\.json/,
        });
      } finally {
        fs.writeFileSync(file, before);
      }
    });
    it("a cron job whose target lacks the skill, or is missing; cron's telegram path", async () => {
      const file = path.join(repo('puruto-cron'), '.jobs.json');
      const before = fs.readFileSync(file, 'utf8');
      const jobs = JSON.parse(before);
      try {
        jobs.jobs[0].action = 'nope';
        fs.writeFileSync(file, JSON.stringify(jobs));
        expect(await run(), {
          repo: 'puruto-cron',
          id: 'wiring.job-skill',
          level: 'error',
          message: /has no skill nope/,
          fix: /sync-jobs/,
        });
        jobs.jobs[0].puruto_target = 'puruto-ghost';
        fs.writeFileSync(file, JSON.stringify(jobs));
        expect(await run(), {
          repo: 'puruto-cron',
          id: 'wiring.job-target',
          level: 'error',
          message: /puruto-ghost/,
          fix: /puruto_target/,
        });
      } finally {
        fs.writeFileSync(file, before);
      }
      expect(await run({ PURUTO_TELEGRAM_PATH: '../no-telegram' }), {
        repo: 'puruto-cron',
        id: 'wiring.telegram-path',
        level: 'error',
        fix: /PURUTO_TELEGRAM_PATH=/,
      });
    });
  });

  describe('services (last: stops them)', () => {
    it('a stuck heartbeat, then the stopped scheduler and gateway', async () => {
      const [gateway, cron, bot] = procs as [ChildProcess, ChildProcess, ChildProcess];
      await stop(bot);
      const file = path.join(repo('puruto-telegram'), 'db/heartbeat.json');
      fs.writeFileSync(file, JSON.stringify({ pid: process.pid, at: Date.now() / 1000 - 3600, every: 30 }));
      expect(await run(), {
        repo: 'puruto-telegram',
        id: 'services.stuck',
        level: 'error',
        fix: new RegExp(`kill ${process.pid}; cd .*puruto-telegram && \\./run`),
      });
      await stop(cron);
      const after = await run();
      expect(after, {
        repo: 'puruto-cron',
        id: 'services.stopped',
        level: 'warn',
        message: /last tick/,
        fix: /puruto-cron && \.\/run/,
      });
      await stop(gateway);
      expect(await run(), {
        repo: 'puruto-gateway',
        id: 'services.gateway-down',
        level: 'warn',
        fix: /puruto-gateway && \.\/run/,
      });
    });
  });

  it('the CLI: exit 1 with ✗ lines and their fixes, 2 on argument errors, --json', async () => {
    // The in-process CLI sees this machine's own PATH and HOME: exit code = whether any ✗.
    const r = await puruto(['doctor', '--workspace', eco]);
    const all = JSON.parse((await puruto(['doctor', '--workspace', eco, '--json'])).stdout);
    assert.equal(r.code, all.ok ? 0 : 1);
    assert.match(r.stdout, /^ {2}[✓⚠✗] /m);
    const gwEnv = path.join(repo('puruto-gateway'), '.env');
    const saved = fs.readFileSync(gwEnv, 'utf8');
    fs.rmSync(gwEnv);
    const broken = await puruto(['doctor', repo('puruto-gateway')]);
    fs.writeFileSync(gwEnv, saved);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /✗ env +no \.env/);
    assert.match(broken.stdout, /^ {6}fix: cd .*puruto-gateway && cp \.env\.example \.env/m);
    const j = await puruto(['doctor', repo('puruto-data'), '--json']);
    const report = JSON.parse(j.stdout);
    assert.deepEqual(Object.keys(report), ['path', 'ok', 'errors', 'warnings', 'checks']);
    assert.equal((await puruto(['doctor', '--frob'])).code, 2);
    assert.equal((await puruto(['doctor', 'a', '--workspace', 'b'])).code, 2);
    assert.equal((await puruto(['doctor', tempDir('puruto-none-')])).code, 1);
  });
});
