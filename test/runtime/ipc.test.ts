/**
 * The generated IPC runtime (ipc.py + invoker.py) run for real with python3: every error
 * code provoked through real processes, the timeout kill, settings and the command adapter.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/generators.js';
import {
  FAKE_AGENT,
  alive,
  allow,
  callIpc,
  cleanEnv,
  commandOf,
  configure,
  ipcRepo,
  logLines,
  runJson,
  runRaw,
  type IpcAnswer,
} from '../helpers/ipc.js';
import { ipcConfig } from '../../generators/ipc/index.js';

const STUB = cleanEnv({ PURUTO_AGENT: 'stub' });

describe('IPC runtime: ipc.py and invoker.py (python3)', () => {
  let parent = '';
  let a = '';
  let b = '';
  before(async () => {
    parent = tempDir('puruto-ipc-rt-');
    a = await ipcRepo('puruto-a', parent);
    b = await ipcRepo('puruto-b', parent);
  });
  after(() => rmSync(parent, { recursive: true, force: true }));
  /** A's config back to the generated defaults, then `patch`. */
  const reset = (patch: Record<string, unknown> = {}) =>
    writeFileSync(path.join(a, '.puruto-ipc.json'), JSON.stringify({ ...ipcConfig('puruto-a'), ...patch }));
  const code = (r: { json: IpcAnswer }) => r.json.response['error']?.code as string | undefined;

  it('ok: an allowed call answers with the SPEC request and result fields, exit 0', () => {
    reset();
    allow(a, { 'puruto-b': ['summarize'] });
    const r = callIpc(a, 'puruto-b', 'summarize', 'today', STUB, ['--timeout', '7']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const { request, response } = r.json;
    assert.deepEqual(Object.keys(request).sort(), [
      'action',
      'caller',
      'correlation_id',
      'hop',
      'prompt',
      'request_id',
      'target',
      'timeout_sec',
    ]);
    assert.deepEqual(
      { ...request, request_id: 'x', correlation_id: 'y' },
      {
        request_id: 'x',
        correlation_id: 'y',
        caller: 'puruto-a',
        target: 'puruto-b',
        action: 'summarize',
        prompt: 'today',
        timeout_sec: 7,
        hop: 0,
      },
    );
    assert.deepEqual(Object.keys(response).sort(), ['correlation_id', 'duration_ms', 'request_id', 'result', 'status']);
    assert.equal(response['status'], 'ok');
    assert.equal(response['request_id'], request['request_id']);
    assert.equal(response['correlation_id'], request['correlation_id']);
    assert.ok(Number.isInteger(response['duration_ms']) && response['duration_ms'] >= 0);
    assert.equal(response['result'].stub, true);
    assert.equal(response['result'].target_path, b);
    assert.match(
      response['result'].message,
      /^\/summarize today\n\nThis request comes from the Puruto puruto-a through IPC\./,
    );
    // ids are unique per call; a first call starts its own correlation id
    const again = callIpc(a, 'puruto-b', 'summarize', 'today', STUB).json.request;
    assert.notEqual(again['request_id'], request['request_id']);
    assert.notEqual(again['correlation_id'], request['correlation_id']);
    assert.equal(again['timeout_sec'], 120, 'default_timeout_sec applies without --timeout');
    assert.ok(!existsSync(path.join(a, '__pycache__')), 'ipc.py leaves no __pycache__ behind');
  });

  it('DENIED: disabled, empty allowlist, target not allowed, action not allowed (exit 1)', () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [
        { enabled: false, allowed_targets: ['puruto-b'], allowed_actions: { 'puruto-b': ['summarize'] } },
        'enabled',
        /IPC is disabled/,
      ],
      [{ allowed_actions: { 'puruto-b': ['summarize'] } }, 'allowed_targets', /not in allowed_targets/],
      [
        { allowed_targets: ['puruto-c'], allowed_actions: { 'puruto-b': ['summarize'] } },
        'allowed_targets',
        /'puruto-b' is not in allowed_targets/,
      ],
      [
        { allowed_targets: ['puruto-b'], allowed_actions: { 'puruto-b': ['other'] } },
        'allowed_actions',
        /'summarize' is not in allowed_actions\['puruto-b'\]/,
      ],
      [{ allowed_targets: ['puruto-b'] }, 'allowed_actions', /not in allowed_actions/],
    ];
    for (const [patch, rule, message] of cases) {
      reset(patch);
      const r = callIpc(a, 'puruto-b', 'summarize', 'x', STUB);
      assert.equal(r.status, 1, JSON.stringify(patch));
      assert.equal(r.json.response['status'], 'error');
      assert.deepEqual([code(r), r.json.response['error'].details.rule], ['DENIED', rule], JSON.stringify(patch));
      assert.match(r.json.response['error'].message, message);
    }
  });

  it('DENIED: hop >= max_hops, the hop coming from the environment of a parent call', () => {
    reset();
    allow(a, { 'puruto-b': ['summarize'] });
    const at = (hop: string, more: string[] = []) =>
      callIpc(a, 'puruto-b', 'summarize', 'x', cleanEnv({ PURUTO_AGENT: 'stub', PURUTO_IPC_HOP: hop }), more);
    const one = at('1');
    assert.equal(code(one), undefined, one.stdout);
    assert.equal(one.json.request['hop'], 1);
    const two = at('2');
    assert.equal(code(two), 'DENIED');
    assert.deepEqual(two.json.response['error'].details, { rule: 'max_hops', hop: 2, max_hops: 2 });
    assert.match(two.json.response['error'].message, /hop 2 reaches max_hops 2/);
    assert.equal(code(at('2', ['--hop', '0'])), 'DENIED', '--hop cannot lower the hop of the environment');
    assert.equal(code(at('0', ['--hop', '5'])), 'DENIED', '--hop can raise it');
    configure(a, { max_hops: 0 });
    assert.equal(code(at('')), 'DENIED', 'max_hops 0 refuses even a first call');
  });

  it('TARGET_NOT_FOUND for an allowed target that exists nowhere', () => {
    reset();
    allow(a, { 'puruto-ghost': ['summarize'] });
    const r = callIpc(a, 'puruto-ghost', 'summarize', 'x', STUB);
    assert.equal(r.status, 1);
    assert.equal(code(r), 'TARGET_NOT_FOUND');
    assert.deepEqual(r.json.response['error'].details.tried, [path.join(parent, 'puruto-ghost')]);
  });

  it('TIMEOUT (default_timeout_sec) kills the agent and the process it started: no orphan left', () => {
    reset({ default_timeout_sec: 1 });
    allow(a, { 'puruto-b': ['summarize'] });
    const pidFile = path.join(tempDir(), 'grandchild.pid');
    const env = cleanEnv({
      PURUTO_AGENT: 'command',
      PURUTO_AGENT_COMMAND: commandOf(FAKE_AGENT, 'plain', '{prompt}'),
      FAKE_AGENT_MODE: 'sleep',
      FAKE_AGENT_PIDFILE: pidFile,
    });
    const started = Date.now();
    const r = callIpc(a, 'puruto-b', 'summarize', 'x', env);
    assert.ok(Date.now() - started < 15_000, 'returns soon after the timeout');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.equal(r.json.request['timeout_sec'], 1);
    assert.equal(code(r), 'TIMEOUT');
    assert.match(r.json.response['error'].message, /did not answer within 1 s/);
    assert.ok(
      r.json.response['duration_ms'] >= 1000 && r.json.response['duration_ms'] < 10_000,
      String(r.json.response['duration_ms']),
    );
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(pid > 0);
    assert.equal(alive(pid), false, `grandchild ${pid} survived the timeout`);
  });

  it('TIMEOUT (--timeout): an agent and grandchild that ignore SIGTERM are SIGKILLed', () => {
    reset();
    allow(a, { 'puruto-b': ['summarize'] });
    const pidFile = path.join(tempDir(), 'grandchild.pid');
    const env = cleanEnv({
      PURUTO_AGENT: 'command',
      PURUTO_AGENT_COMMAND: commandOf(FAKE_AGENT, 'plain'),
      FAKE_AGENT_MODE: 'stubborn',
      FAKE_AGENT_PIDFILE: pidFile,
    });
    const r = callIpc(a, 'puruto-b', 'summarize', 'x', env, ['--timeout', '0.5']);
    assert.equal(code(r), 'TIMEOUT', r.stdout + r.stderr);
    assert.equal(r.json.request['timeout_sec'], 0.5);
    assert.ok(
      r.json.response['duration_ms'] >= 500 && r.json.response['duration_ms'] < 10_000,
      String(r.json.response['duration_ms']),
    );
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.equal(alive(pid), false, `grandchild ${pid} survived SIGKILL`);
  });

  it(
    'TIMEOUT: a grandchild that left the group with setsid is killed too, ' +
      'and the call returns soon after the timeout',
    () => {
      reset();
      allow(a, { 'puruto-b': ['summarize'] });
      const pidFile = path.join(tempDir(), 'grandchild.pid');
      const env = cleanEnv({
        PURUTO_AGENT: 'command',
        PURUTO_AGENT_COMMAND: commandOf(FAKE_AGENT, 'plain'),
        FAKE_AGENT_MODE: 'setsid',
        FAKE_AGENT_PIDFILE: pidFile,
      });
      const r = callIpc(a, 'puruto-b', 'summarize', 'x', env, ['--timeout', '1']);
      assert.equal(code(r), 'TIMEOUT', r.stdout + r.stderr);
      const pid = Number(readFileSync(pidFile, 'utf8'));
      assert.ok(pid > 0);
      assert.equal(alive(pid), false, `setsid grandchild ${pid} survived the timeout`);
      // Not held up by the grandchild's copy of the pipes: the timeout plus the kill grace.
      assert.ok(r.json.response['duration_ms'] < 4_000, String(r.json.response['duration_ms']));
    },
  );

  it("the orphan reaper never steals the exit status of the host program's own child (same process group)", () => {
    // Cron, the gateway and the bot run invoke() in-process; a subprocess they start themselves
    // must still see its real exit code after a call has reaped the agents' strays.
    const script = [
      'import subprocess, sys, time',
      'sys.path.insert(0, sys.argv[1])',
      'import invoker',
      'p = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit(7)"])',
      'time.sleep(0.5)',
      'invoker.reap_orphans()',
      'print(p.wait())',
    ].join('\n');
    const r = runRaw(a, ['-c', script, a], cleanEnv());
    assert.equal(r.stdout.trim(), '7', r.stderr);
  });

  it('INVALID_RESPONSE when the agent prints garbage', () => {
    reset();
    allow(a, { 'puruto-b': ['summarize'] });
    const env = cleanEnv({
      PURUTO_AGENT: 'command',
      PURUTO_AGENT_COMMAND: commandOf(FAKE_AGENT, 'plain'),
      FAKE_AGENT_MODE: 'garbage',
    });
    const r = callIpc(a, 'puruto-b', 'summarize', 'x', env);
    assert.equal(r.status, 1);
    assert.equal(code(r), 'INVALID_RESPONSE');
    assert.match(r.json.response['error'].details.stdout, /not json at all/);
  });

  it('IPC_ERROR, still JSON with ids: config missing, corrupt, not an object, badly typed; bad PURUTO_IPC_HOP', () => {
    const cfg = path.join(a, '.puruto-ipc.json');
    const cases: [() => void, Record<string, string>, RegExp, string][] = [
      [() => rmSync(cfg), {}, /\.puruto-ipc\.json is missing/, 'config_missing'],
      [() => writeFileSync(cfg, '{"enabled": true,'), {}, /cannot be read as JSON/, 'config_invalid'],
      [() => writeFileSync(cfg, '[1, 2]'), {}, /must hold a JSON object/, 'config_invalid'],
      [
        () => reset({ allowed_targets: 'puruto-b' }),
        {},
        /'allowed_targets' must be a list of names, got "puruto-b"/,
        'config_invalid',
      ],
      [() => reset({ max_hops: true }), {}, /'max_hops' must be a whole number/, 'config_invalid'],
      [
        () => reset({ default_timeout_sec: 0 }),
        {},
        /'default_timeout_sec' must be greater than 0, got 0/,
        'config_invalid',
      ],
      [() => reset(), { PURUTO_IPC_HOP: 'two' }, /PURUTO_IPC_HOP='two' is not a whole number/, ''],
    ];
    for (const [arrange, env, message, reason] of cases) {
      arrange();
      const r = callIpc(a, 'puruto-b', 'summarize', 'x', cleanEnv({ PURUTO_AGENT: 'stub', ...env }));
      assert.equal(r.status, 1, String(message));
      assert.equal(code(r), 'IPC_ERROR', String(message));
      assert.match(r.json.response['error'].message, message);
      if (reason) assert.equal(r.json.response['error'].details.reason, reason);
      assert.match(r.json.request['request_id'], /^req-[0-9a-f]{32}$/);
      assert.equal(r.json.response['request_id'], r.json.request['request_id']);
    }
  });

  it('IPC_ERROR for an unknown PURUTO_AGENT, and as JSON even when invoker.py is missing', () => {
    reset();
    allow(a, { 'puruto-b': ['summarize'] });
    const r = callIpc(a, 'puruto-b', 'summarize', 'x', cleanEnv({ PURUTO_AGENT: 'robot' }));
    assert.equal(code(r), 'IPC_ERROR');
    assert.match(r.json.response['error'].message, /PURUTO_AGENT='robot' is unknown/);
    renameSync(path.join(a, 'invoker.py'), path.join(a, 'invoker.py.bak'));
    try {
      const broken = callIpc(a, 'puruto-b', 'summarize', 'x', STUB);
      assert.equal(broken.status, 1);
      assert.equal(code(broken), 'IPC_ERROR');
      assert.match(broken.json.response['error'].message, /invoker\.py cannot be loaded/);
    } finally {
      renameSync(path.join(a, 'invoker.py.bak'), path.join(a, 'invoker.py'));
    }
  });

  it('settings come from the environment first, then from .env', () => {
    reset();
    allow(a, { 'puruto-b': ['summarize'] });
    const env = path.join(a, '.env');
    writeFileSync(env, 'PURUTO_AGENT=stub\n');
    try {
      const fromDotenv = callIpc(a, 'puruto-b', 'summarize', 'x', cleanEnv());
      assert.equal(fromDotenv.json.response['status'], 'ok', fromDotenv.stdout);
      writeFileSync(env, 'PURUTO_AGENT=command\n# no PURUTO_AGENT_COMMAND\n');
      const missing = callIpc(a, 'puruto-b', 'summarize', 'x', cleanEnv());
      assert.equal(code(missing), 'IPC_ERROR');
      assert.match(missing.json.response['error'].message, /PURUTO_AGENT=command needs PURUTO_AGENT_COMMAND/);
      assert.equal(
        callIpc(a, 'puruto-b', 'summarize', 'x', STUB).json.response['status'],
        'ok',
        'the environment wins',
      );
    } finally {
      rmSync(env);
    }
  });

  it(
    'command adapter: no shell, one argument per placeholder, ' + 'run in the target folder with the chain variables',
    () => {
      reset();
      allow(a, { 'puruto-b': ['summarize'] });
      const log = path.join(tempDir(), 'agent.log');
      const prompt = `it's "quoted" $HOME; rm -rf / && echo`;
      const template = commandOf(
        FAKE_AGENT,
        'plain',
        '{prompt}',
        '--in',
        '{target_path}',
        'hop={hop}',
        '{target}/{action}',
        '{caller}',
        '{correlation_id}',
        '{request_id}',
      );
      const r = callIpc(
        a,
        'puruto-b',
        'summarize',
        prompt,
        cleanEnv({ PURUTO_AGENT: 'command', PURUTO_AGENT_COMMAND: template, FAKE_AGENT_LOG: log }),
      );
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const { request, response } = r.json;
      const args = [
        prompt,
        '--in',
        b,
        'hop=0',
        'puruto-b/summarize',
        'puruto-a',
        request['correlation_id'],
        request['request_id'],
      ];
      assert.deepEqual(response['result'], { summary: `puruto-b ran with ${args.length} argument(s)`, args });
      const [run] = logLines(log);
      assert.equal(run!['cwd'], b);
      assert.deepEqual(run!['env'], {
        PURUTO_IPC_CORRELATION_ID: request['correlation_id'],
        PURUTO_IPC_HOP: '1',
        PURUTO_IPC_CALLER: 'puruto-a',
      });
      // {message}: the full text an agent receives
      const msg = callIpc(
        a,
        'puruto-b',
        'summarize',
        'p',
        cleanEnv({ PURUTO_AGENT: 'command', PURUTO_AGENT_COMMAND: commandOf(FAKE_AGENT, 'plain', '{message}') }),
      );
      assert.match(
        msg.json.response['result'].args[0],
        /^\/summarize p\n\nThis request comes from the Puruto puruto-a through IPC\. Follow the `summarize` skill/,
      );
    },
  );

  it('command adapter: an error object, a failing exit or an unknown placeholder is an IPC_ERROR with a reason', () => {
    reset();
    allow(a, { 'puruto-b': ['summarize'] });
    const run = (template: string, mode = 'ok') =>
      callIpc(
        a,
        'puruto-b',
        'summarize',
        'x',
        cleanEnv({ PURUTO_AGENT: 'command', PURUTO_AGENT_COMMAND: template, FAKE_AGENT_MODE: mode }),
      ).json.response;
    const reported = run(commandOf(FAKE_AGENT, 'plain'), 'error');
    assert.deepEqual([reported['error'].code, reported['error'].details.reason], ['IPC_ERROR', 'agent_error']);
    assert.match(reported['error'].message, /the notes database is locked/);
    const exited = run(commandOf(FAKE_AGENT, 'plain'), 'exit');
    assert.deepEqual(
      [exited['error'].code, exited['error'].details.reason, exited['error'].details.exit_code],
      ['IPC_ERROR', 'agent_exit', 1],
    );
    assert.match(exited['error'].details.stderr, /not authenticated/);
    const unknown = run(commandOf(FAKE_AGENT, 'plain', '{nope}'));
    assert.deepEqual([unknown['error'].code, unknown['error'].details.reason], ['IPC_ERROR', 'not_configured']);
    assert.match(unknown['error'].message, /unknown placeholder \{nope\}/);
    const missing = run('/nonexistent/agent {prompt}');
    assert.deepEqual([missing['error'].code, missing['error'].details.reason], ['IPC_ERROR', 'agent_not_started']);
  });

  it('invoker.py alone prints an InvocationResult and exits 0/1; bad arguments exit 2', () => {
    const ok = runJson<Record<string, unknown>>(
      a,
      ['invoker.py', '--target', 'puruto-b', '--action', 'summarize', '--prompt', 'p', '--caller', 'me'],
      STUB,
    );
    assert.equal(ok.status, 0);
    assert.deepEqual(Object.keys(ok.json).sort(), ['correlation_id', 'duration_ms', 'request_id', 'result', 'status']);
    const inherited = runJson<Record<string, unknown>>(
      a,
      ['invoker.py', '--target', 'puruto-none', '--action', 'x', '--prompt', 'p'],
      cleanEnv({ PURUTO_AGENT: 'stub', PURUTO_IPC_CORRELATION_ID: 'corr-parent' }),
    );
    assert.equal(inherited.status, 1);
    assert.equal(inherited.json['correlation_id'], 'corr-parent');
    for (const bad of [
      ['--timeout', '0'],
      ['--timeout', '-3'],
      ['--timeout', 'soon'],
      ['--timeout', 'nan'],
    ]) {
      for (const script of ['invoker.py', 'ipc.py']) {
        const r = runRaw(a, [script, '--target', 'puruto-b', '--action', 'x', '--prompt', 'p', ...bad], STUB);
        assert.equal(r.status, 2, `${script} ${bad.join(' ')}`);
        assert.match(r.stderr, /--timeout/);
      }
    }
  });
});
