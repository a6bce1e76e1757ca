/**
 * Free text stays data (python3, fake agents): the prompt forms of ipc.py and invoker.py, the
 * message on each CLI adapter's stdin byte for byte, and the NUL / size refusals that come
 * before any agent starts. The real CLIs are checked against the fake model API in test/agents.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/generators.js';
import { HOSTILE, bigPrompt } from '../helpers/hostile.js';
import {
  FAKE_AGENT,
  alive,
  allow,
  cleanEnv,
  commandOf,
  fakeBin,
  ipcRepo,
  logLines,
  type IpcAnswer,
} from '../helpers/ipc.js';
import type { JsonObject } from '../helpers/json.js';
import { PYTHON } from '../helpers/python.js';

const FLAVORS = ['claude', 'codex', 'gemini', 'opencode', 'qwen', 'copilot'] as const;
const STUB = cleanEnv({ PURUTO_AGENT: 'stub' });
const MIB8 = 8 * 1024 * 1024;

describe('IPC runtime: free text stays data (prompt forms, stdin, NUL and size)', () => {
  let parent = '';
  let a = '';
  let bin = '';
  before(async () => {
    parent = tempDir('puruto-ipc-ft-');
    a = await ipcRepo('puruto-a', parent);
    await ipcRepo('puruto-b', parent);
    allow(a, { 'puruto-b': ['summarize', 'message'] });
    bin = fakeBin(FLAVORS);
  });
  after(() => {
    rmSync(parent, { recursive: true, force: true });
    rmSync(bin, { recursive: true, force: true });
  });

  /** `python3 <script> --target puruto-b --action <action> <prompt args>` in A, `input` on its stdin. */
  const run = (script: string, promptArgs: string[], env: Record<string, string>, input = '', action = 'message') => {
    const r = spawnSync(PYTHON, [script, '--target', 'puruto-b', '--action', action, ...promptArgs], {
      cwd: a,
      env,
      input,
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    let json: JsonObject;
    try {
      json = JSON.parse(r.stdout) as JsonObject;
    } catch {
      throw new Error(`${script} did not print JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
    const response = (script === 'ipc.py' ? (json as unknown as IpcAnswer).response : json) as JsonObject;
    return { status: r.status, json, response, stderr: r.stderr };
  };
  const file = (content: string | Buffer) => {
    const f = path.join(tempDir('puruto-prompt-'), 'prompt.txt');
    writeFileSync(f, content);
    return f;
  };

  it('ipc.py and invoker.py: --prompt=TEXT keeps a prompt starting with "-"; --prompt-file reads one as it is', () => {
    for (const script of ['ipc.py', 'invoker.py']) {
      for (const prompt of ['-x', '--help', '-v --help 42', HOSTILE]) {
        const r = run(script, [`--prompt=${prompt}`], STUB);
        assert.equal(r.status, 0, `${script} --prompt=${prompt}: ${JSON.stringify(r.json)}`);
        assert.equal(r.response['result'].echo.prompt, prompt);
      }
      const fromFile = run(script, ['--prompt-file', file(`${HOSTILE}\n`)], STUB);
      assert.equal(fromFile.response['result'].echo.prompt, `${HOSTILE}\n`, 'the file as it is');
      const big = bigPrompt();
      const fromStdin = run(script, ['--prompt-file', '-'], STUB, big);
      assert.equal(fromStdin.status, 0, fromStdin.stderr);
      assert.equal(fromStdin.response['result'].echo.prompt, big, 'over 128 KiB through stdin');
    }
  });

  it('a wrong form is JSON with IPC_ERROR bad_arguments and exit 2, never a bare usage text', () => {
    const nul = file('a\u0000b');
    const cases: Array<[string[], RegExp]> = [
      [['--prompt', '-x'], /--prompt: expected one argument.*written --prompt=TEXT/],
      [['--prompt', '--help'], /--prompt: expected one argument/],
      [[], /one of the arguments --prompt --prompt-file is required/],
      [['--prompt=x', '--prompt-file', nul], /not allowed with argument/],
      [['--prompt-file', path.join(parent, 'no-such-file')], /--prompt-file .*No such file/],
      [['--prompt-file', file(Buffer.from([0x66, 0xff, 0x0a]))], /not UTF-8 text \(byte 1\)/],
      [['--prompt=x', '--timeout', 'soon'], /--timeout/],
    ];
    for (const script of ['ipc.py', 'invoker.py']) {
      for (const [args, message] of cases) {
        const r = run(script, args, STUB);
        const shown = `${script} ${args.join(' ')}: ${JSON.stringify(r.json)}`;
        assert.equal(r.status, 2, shown);
        assert.deepEqual([r.response['status'], r.response['request_id']], ['error', null], shown);
        assert.deepEqual(
          [r.response['error'].code, r.response['error'].details.reason],
          ['IPC_ERROR', 'bad_arguments'],
          shown,
        );
        assert.match(r.response['error'].message, message, shown);
        if (script === 'ipc.py') assert.equal(r.json['request'], null);
        assert.doesNotMatch(r.stderr, /^usage:/m, 'no usage text');
      }
    }
  });

  it('every CLI adapter gets the message on its stdin byte for byte, none of it as an argument', () => {
    for (const agent of FLAVORS) {
      for (const prompt of [HOSTILE, bigPrompt()]) {
        const log = path.join(tempDir(), 'agent.log');
        const r = run(
          'invoker.py',
          ['--prompt-file', file(prompt)],
          cleanEnv({ PATH: `${bin}:/usr/bin:/bin`, PURUTO_AGENT: agent, FAKE_AGENT_LOG: log }),
        );
        assert.equal(r.response['status'], 'ok', `${agent}: ${JSON.stringify(r.json)}`);
        const [entry] = logLines(log);
        assert.ok((entry!['stdin'] as string).startsWith(`${prompt}\n\nThis request comes from the Puruto puruto-a`));
        assert.ok(!(entry!['args'] as string[]).some((w) => w.includes('spent 50 euros')), `${agent}: argv`);
      }
    }
  });

  it('an agent that never reads its stdin: a big message neither blocks its answer nor outlives its timeout', () => {
    const big = file(bigPrompt());
    const env = (mode: string) =>
      cleanEnv({ PATH: `${bin}:/usr/bin:/bin`, PURUTO_AGENT: 'claude', FAKE_AGENT_MODE: mode });
    const answered = run('invoker.py', ['--prompt-file', big], env('ok'));
    assert.equal(answered.response['result'].summary, 'Summarized 3 notes.', JSON.stringify(answered.json));
    const pidFile = path.join(tempDir(), 'grandchild.pid');
    const hung = run('invoker.py', ['--prompt-file', big, '--timeout', '1'], {
      ...env('sleep'),
      FAKE_AGENT_PIDFILE: pidFile,
    });
    assert.equal(hung.response['error']?.code, 'TIMEOUT', JSON.stringify(hung.json));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.equal(alive(pid), false, `grandchild ${pid} survived`);
  });

  it('a NUL is prompt_has_nul and a message over 8 MiB prompt_too_long, before any agent starts', () => {
    const nul = file(`${HOSTILE}\u0000after`);
    const huge = file('x'.repeat(MIB8 - 10)); // the prompt fits, the message (prompt + request text) does not
    const command = commandOf(FAKE_AGENT, 'plain', '{prompt}');
    for (const agent of [...FLAVORS, 'command']) {
      const log = path.join(tempDir(), 'agent.log');
      const env = cleanEnv({
        PATH: `${bin}:/usr/bin:/bin`,
        PURUTO_AGENT: agent,
        PURUTO_AGENT_COMMAND: command,
        FAKE_AGENT_LOG: log,
      });
      const r = run('ipc.py', ['--prompt-file', nul], env);
      assert.deepEqual(
        [r.response['error']?.code, r.response['error']?.details.reason, r.response['error']?.details.agent],
        ['IPC_ERROR', 'prompt_has_nul', agent],
        JSON.stringify(r.json),
      );
      assert.match(r.response['error'].message, new RegExp(`NUL character \\(at ${[...HOSTILE].length}\\)`));
      if (agent !== 'command') {
        const big = run('ipc.py', ['--prompt-file', huge], env);
        assert.deepEqual(
          [big.response['error']?.details.reason, big.response['error']?.details.limit_bytes],
          ['prompt_too_long', MIB8],
          JSON.stringify(big.response['error']),
        );
        assert.match(
          big.response['error'].message,
          new RegExp(`more than the ${MIB8} bytes it can be given on its stdin`),
        );
      }
      assert.deepEqual(logLines(log), [], `${agent}: no agent started`);
    }
    const over = run('ipc.py', ['--prompt-file', file('y'.repeat(MIB8 + 1))], STUB);
    assert.deepEqual([over.status, over.response['error'].details.reason], [2, 'prompt_too_long']);
  });

  it('command adapter: a placeholder fills one argument as written; one over 128 KiB is prompt_too_long', () => {
    const log = path.join(tempDir(), 'agent.log');
    const env = cleanEnv({
      PURUTO_AGENT: 'command',
      PURUTO_AGENT_COMMAND: commandOf(FAKE_AGENT, 'plain', '--', '{prompt}'),
      FAKE_AGENT_LOG: log,
    });
    const ok = run('invoker.py', [`--prompt=${HOSTILE}`], env);
    assert.equal(ok.response['status'], 'ok', JSON.stringify(ok.json));
    assert.deepEqual(logLines(log)[0]!['args'], ['--', HOSTILE]);
    const big = run('invoker.py', ['--prompt-file', file(bigPrompt())], env);
    assert.deepEqual(
      [big.response['error']?.details.reason, big.response['error']?.details.limit_bytes],
      ['prompt_too_long', 128 * 1024 - 1],
      JSON.stringify(big.json),
    );
    assert.match(big.response['error'].message, /as one command-line argument \(Linux MAX_ARG_STRLEN/);
    assert.equal(logLines(log).length, 1, 'the command did not start for the big prompt');
  });
});
