/**
 * The claude, codex, gemini, opencode, qwen and copilot adapters of the generated invoker.py, run against fake
 * executables first on PATH that print the real CLIs' output shapes (see
 * test/fixtures/ipc/fake_agent.py): success, agent error, denied tool, empty answer,
 * garbage, failing exit; plus the command line, folder and environment they get.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/generators.js';
import type { JsonObject } from '../helpers/json.js';
import { alive, callInvoker, cleanEnv, fakeBin, ipcRepo, logLines, runJson } from '../helpers/ipc.js';

const FLAVORS = ['claude', 'codex', 'gemini', 'opencode', 'qwen', 'copilot'] as const;
/** The message an adapter passed: every CLI reads it on its stdin, none gets it as an argument. */
const messageOf = (run: JsonObject) => run['stdin'] as string;
const SKILL_SYNTAX: Record<string, string> = {
  claude: '/summarize',
  codex: '\\$summarize',
  gemini: 'Activate the "summarize" skill \\(activate_skill\\) for:',
  opencode: 'Use the skill "summarize" \\(its SKILL\\.md is attached; the skill tool loads it\\):',
  qwen: '/summarize',
  copilot: 'Invoke the "summarize" skill \\(skill tool\\) for:',
};

describe('IPC runtime: agent adapters against fake claude/codex/gemini/opencode/qwen/copilot', () => {
  let parent = '';
  let a = '';
  let b = '';
  let bin = '';
  before(async () => {
    parent = tempDir('puruto-ipc-ad-');
    a = await ipcRepo('puruto-a', parent);
    b = await ipcRepo('puruto-b', parent);
    bin = fakeBin(FLAVORS);
  });
  after(() => {
    rmSync(parent, { recursive: true, force: true });
    rmSync(bin, { recursive: true, force: true });
  });

  const PATH = () => `${bin}:/usr/bin:/bin`;
  const invoke = (agent: string, mode: string, extra: Record<string, string> = {}) =>
    callInvoker(
      a,
      'puruto-b',
      'summarize',
      'the notes of today',
      cleanEnv({ PATH: PATH(), PURUTO_AGENT: agent, FAKE_AGENT_MODE: mode, ...extra }),
    );

  for (const agent of FLAVORS) {
    describe(agent, () => {
      it('success: the final answer becomes result.summary; run in the target folder with the chain variables', () => {
        const log = path.join(tempDir(), 'agent.log');
        const r = invoke(agent, 'ok', {
          FAKE_AGENT_LOG: log,
          PURUTO_IPC_CORRELATION_ID: 'corr-chain',
          PURUTO_IPC_HOP: '1',
        });
        assert.equal(r.status, 0, r.stdout + r.stderr);
        assert.equal(r.json['status'], 'ok');
        assert.equal(r.json['correlation_id'], 'corr-chain');
        assert.equal(r.json['result'].summary, 'Summarized 3 notes.');
        assert.equal(r.json['result'].agent, agent);
        const [run] = logLines(log);
        assert.equal(run!['cwd'], b);
        assert.deepEqual(run!['env'], {
          PURUTO_IPC_CORRELATION_ID: 'corr-chain',
          PURUTO_IPC_HOP: '2',
          PURUTO_IPC_CALLER: 'puruto-a',
        });
        const message = messageOf(run!);
        const args = run!['args'] as string[];
        assert.ok(
          !args.some((w) => w.includes('the notes of today')),
          `no argument holds the prompt: ${args.join(' ')}`,
        );
        if (agent === 'codex') assert.deepEqual(args.slice(-2), ['--', '-'], 'codex exec - reads stdin');
        if (agent === 'gemini') assert.deepEqual(args.slice(0, 2), ['-p', ''], 'headless, nothing added to stdin');
        // The skill in the agent's own syntax; the rest of each command line is proven
        // against the real CLIs in test/agents.
        assert.match(
          message,
          new RegExp(
            `^${SKILL_SYNTAX[agent]} the notes of today\n\nThis request comes from the Puruto puruto-a through IPC\\.`,
          ),
        );
        if (agent === 'qwen') assert.deepEqual(args.slice(0, 2), ['--output-format', 'stream-json']);
        else if (agent === 'copilot') assert.deepEqual(args.slice(0, 2), ['--output-format', 'json']);
        else assert.equal(args[0], { claude: '-p', codex: 'exec', gemini: '-p', opencode: 'run' }[agent]);
      });

      it('an agent-reported error is IPC_ERROR (reason agent_error)', () => {
        const r = invoke(agent, 'error');
        assert.equal(r.status, 1, r.stdout);
        assert.equal(r.json['status'], 'error');
        assert.deepEqual(
          [r.json['error'].code, r.json['error'].details.reason, r.json['error'].details.agent],
          ['IPC_ERROR', 'agent_error', agent],
        );
        const expected = {
          claude: /error_max_turns/,
          codex: /401 Unauthorized/,
          gemini: /500.*currently unavailable/,
          opencode: /invalid x-api-key/,
          qwen: /qwen reported an error \(error_during_execution\): \[API Error: 401 .*invalid x-api-key/,
          copilot: /copilot reported an error: Failed to get response .*500 upstream overloaded \(x9\)/,
        }[agent];
        assert.match(r.json['error'].message, expected);
      });

      it('a denied tool is IPC_ERROR (reason permission_denied), even though the agent exited 0', () => {
        const r = invoke(agent, 'denied');
        assert.equal(r.status, 1, r.stdout);
        assert.deepEqual(
          [r.json['error'].code, r.json['error'].details.reason, r.json['error'].details.exit_code],
          ['IPC_ERROR', 'permission_denied', 0],
        );
        const details = r.json['error'].details;
        if (agent === 'claude') assert.equal(details.permission_denials[0].tool_name, 'Bash');
        if (agent === 'codex') assert.deepEqual(details.declined, ["/bin/bash -lc 'ls notes'"]);
        if (agent === 'gemini') assert.match(details.denied[0].message, /denied by policy/);
        if (agent === 'opencode')
          assert.deepEqual(details.denied[0], {
            tool: 'bash',
            input: { command: 'rm -rf notes', description: 'Remove notes' },
          });
        if (agent === 'qwen')
          assert.deepEqual(details.permission_denials[0].tool_input, {
            command: 'rm -rf notes',
            description: 'List the notes',
          });
        if (agent === 'copilot') assert.match(details.denied[0].message, /denied due to the following rules: `shell`/);
      });

      it('an empty answer is IPC_ERROR (reason empty_answer)', () => {
        const r = invoke(agent, 'empty');
        assert.deepEqual([r.json['error'].code, r.json['error'].details.reason], ['IPC_ERROR', 'empty_answer']);
      });

      it('garbage on stdout is INVALID_RESPONSE; a failing exit without JSON is IPC_ERROR (agent_exit)', () => {
        const garbage = invoke(agent, 'garbage');
        assert.equal(garbage.status, 1);
        assert.equal(garbage.json['error'].code, 'INVALID_RESPONSE');
        assert.match(garbage.json['error'].details.stdout, /not json at all/);
        const exit = invoke(agent, 'exit');
        assert.deepEqual(
          [exit.json['error'].code, exit.json['error'].details.reason, exit.json['error'].details.exit_code],
          ['IPC_ERROR', 'agent_exit', 1],
        );
        assert.match(exit.json['error'].details.stderr, /not authenticated/);
      });
    });
  }

  it(
    'opencode: its retries of an API error are capped — after 3 failed model requests the call is agent_error ' +
      'with the API text',
    () => {
      const r = invoke('opencode', 'retry');
      assert.equal(r.status, 1, r.stdout);
      assert.deepEqual(
        [r.json['error'].code, r.json['error'].details.reason],
        ['IPC_ERROR', 'agent_error'],
        JSON.stringify(r.json),
      );
      assert.match(r.json['error'].message, /opencode reported an error: upstream overloaded \(x9\)/);
      assert.equal(
        r.json['error'].details.stderr.match(/message="stream error"/g).length,
        3,
        'stopped at the third failed request',
      );
    },
  );

  it(
    'opencode: permissions come from the skill (OPENCODE_PERMISSION); the SKILL.md is attached, ' +
      '`message` attaches none',
    () => {
      const argsOf = (action: string) => {
        const log = path.join(tempDir(), 'agent.log');
        const r = callInvoker(
          a,
          'puruto-b',
          action,
          'x',
          cleanEnv({ PATH: PATH(), PURUTO_AGENT: 'opencode', FAKE_AGENT_LOG: log }),
        );
        assert.equal(r.json['status'], 'ok', r.stdout);
        const [run] = logLines(log);
        return {
          args: run!['args'] as string[],
          stdin: messageOf(run!),
          permission: JSON.parse(run!['opencode_env']['OPENCODE_PERMISSION']),
        };
      };
      const summarize = argsOf('summarize'); // allowed-tools: Read
      assert.deepEqual(summarize.permission, {
        bash: 'ask',
        edit: 'ask',
        webfetch: 'ask',
        websearch: 'ask',
        task: 'ask',
      });
      assert.equal(
        summarize.args[summarize.args.indexOf('--file') + 1],
        path.join(b, '.claude', 'skills', 'summarize', 'SKILL.md'),
      );
      assert.equal(summarize.args[summarize.args.indexOf('--dir') + 1], b);
      assert.equal(argsOf('status').permission.bash, 'allow'); // allowed-tools: Read, Bash
      const scripted = path.join(b, '.claude', 'skills', 'scripted');
      mkdirSync(scripted, { recursive: true });
      writeFileSync(
        path.join(scripted, 'SKILL.md'),
        '---\nname: scripted\ndescription: A scripted skill.\nallowed-tools: Read, Bash(python3:*), Write, ' +
          'WebFetch\n---\n# /scripted\n',
      );
      try {
        assert.deepEqual(argsOf('scripted').permission, {
          bash: { '*': 'ask', python3: 'allow', 'python3 *': 'allow' },
          edit: 'allow',
          webfetch: 'allow',
          websearch: 'ask',
          task: 'ask',
        });
      } finally {
        rmSync(scripted, { recursive: true, force: true });
      }
      const message = argsOf('message');
      assert.ok(!message.args.includes('--file'));
      assert.match(message.stdin, /^x\n\n/);
    },
  );

  it(
    'codex: reconnect notices past the first stop codex and its process group: ' +
      'agent_error with the reason codex gave',
    () => {
      const pidFile = path.join(tempDir(), 'grandchild.pid');
      const r = invoke('codex', 'retrying', { FAKE_AGENT_PIDFILE: pidFile });
      assert.equal(r.json['status'], 'error', r.stdout);
      const error = r.json['error'];
      assert.deepEqual(
        [error.code, error.details.reason, error.details.reconnect],
        ['IPC_ERROR', 'agent_error', '2/5'],
        JSON.stringify(error),
      );
      assert.match(error.message, /experiencing high demand.*stopped at its reconnect 2\/5/);
      const pid = Number(readFileSync(pidFile, 'utf8'));
      assert.equal(alive(pid), false, `grandchild ${pid} survived`);
    },
  );

  it(
    'codex (its output read line by line): a TIMEOUT still kills the group, SIGTERM ignored or not, ' +
      'with the stderr tail',
    () => {
      for (const mode of ['sleep', 'stubborn']) {
        const pidFile = path.join(tempDir(), 'grandchild.pid');
        const r = callInvoker(
          a,
          'puruto-b',
          'summarize',
          'x',
          cleanEnv({ PATH: PATH(), PURUTO_AGENT: 'codex', FAKE_AGENT_MODE: mode, FAKE_AGENT_PIDFILE: pidFile }),
          ['--timeout', '1'],
        );
        assert.equal(r.json['error'].code, 'TIMEOUT', r.stdout);
        assert.equal(r.json['error'].details.timeout_sec, 1);
        assert.equal(typeof r.json['error'].details.stderr, 'string');
        const pid = Number(readFileSync(pidFile, 'utf8'));
        assert.equal(alive(pid), false, `${mode}: grandchild ${pid} survived`);
      }
    },
  );

  it('codex (its output read line by line): a cancelled call kills the group -> IPC_ERROR cancelled', () => {
    const pidFile = path.join(tempDir(), 'grandchild.pid');
    const script = [
      'import json, sys, threading',
      'from pathlib import Path',
      'sys.path.insert(0, sys.argv[1])',
      'import invoker',
      'cancel = threading.Event()',
      'threading.Timer(1.0, cancel.set).start()',
      "request = invoker.build_request('puruto-a', 'puruto-b', 'summarize', 'x', 60, hop=0)",
      'print(json.dumps(invoker.invoke(request, Path(sys.argv[1]), cancel)))',
    ].join('\n');
    const r = runJson<JsonObject>(
      a,
      ['-c', script, a],
      cleanEnv({ PATH: PATH(), PURUTO_AGENT: 'codex', FAKE_AGENT_MODE: 'sleep', FAKE_AGENT_PIDFILE: pidFile }),
    );
    assert.deepEqual([r.json['error'].code, r.json['error'].details.reason], ['IPC_ERROR', 'cancelled'], r.stdout);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.equal(alive(pid), false, `grandchild ${pid} survived`);
  });

  it(
    'qwen: its retries of an API error are capped — after 2 failed model requests in its debug log the call is ' +
      'agent_error with the API text',
    () => {
      const home = tempDir('puruto-home-qwen-');
      const r = invoke('qwen', 'retry', { HOME: home });
      assert.equal(r.status, 1, r.stdout);
      assert.deepEqual(
        [r.json['error'].code, r.json['error'].details.reason],
        ['IPC_ERROR', 'agent_error'],
        JSON.stringify(r.json),
      );
      assert.match(
        r.json['error'].message,
        /qwen reported an error \(error_during_execution\): \[API Error: 500 .*upstream overloaded \(x9\)/,
      );
      assert.equal(r.json['error'].details.error.attempts, 2, 'stopped at the second failed request');
      assert.deepEqual(
        readdirSync(path.join(home, '.qwen', 'debug')),
        [],
        'the debug log the guard turned on is removed',
      );
    },
  );

  it('qwen: permissions come from the skill (--allowed-tools, --exclude-tools), always --approval-mode default', () => {
    const argsOf = (action: string) => {
      const log = path.join(tempDir(), 'agent.log');
      const r = callInvoker(
        a,
        'puruto-b',
        action,
        'x',
        cleanEnv({ PATH: PATH(), PURUTO_AGENT: 'qwen', FAKE_AGENT_LOG: log }),
      );
      assert.equal(r.json['status'], 'ok', r.stdout);
      const args = logLines(log)[0]!['args'] as string[];
      assert.equal(args[args.indexOf('--approval-mode') + 1], 'default');
      const values = (flag: string) =>
        args.filter((w) => w.startsWith(`${flag}=`)).map((w) => w.slice(flag.length + 1));
      return { allow: values('--allowed-tools'), deny: values('--exclude-tools') };
    };
    // allowed-tools: Read -> the shell stays listed and every command is denied
    assert.deepEqual(argsOf('summarize'), {
      allow: ['run_shell_command(denied-by-the-skill)'],
      deny: ['edit', 'write_file', 'run_shell_command(*)'],
    });
    assert.deepEqual(argsOf('status'), { allow: ['run_shell_command'], deny: ['edit', 'write_file'] }); // Read, Bash
    const scripted = path.join(b, '.claude', 'skills', 'scripted');
    mkdirSync(scripted, { recursive: true });
    writeFileSync(
      path.join(scripted, 'SKILL.md'),
      '---\nname: scripted\ndescription: A scripted skill.\nallowed-tools: Read, Bash(python3:*), Write, ' +
        'WebFetch\n---\n# /scripted\n',
    );
    try {
      assert.deepEqual(argsOf('scripted'), {
        allow: ['run_shell_command(python3:*)', 'write_file', 'edit', 'web_fetch'],
        deny: [],
      });
    } finally {
      rmSync(scripted, { recursive: true, force: true });
    }
    const log = path.join(tempDir(), 'agent.log');
    callInvoker(
      a,
      'puruto-b',
      'message',
      '--not an option',
      cleanEnv({ PATH: PATH(), PURUTO_AGENT: 'qwen', FAKE_AGENT_LOG: log }),
    );
    assert.match(messageOf(logLines(log)[0]!), /^--not an option\n\n/, 'a leading "-" is not read as an option');
  });

  it('copilot: permissions come from the skill (--allow-tool / --deny-tool patterns), never a blanket allow', () => {
    const flagsOf = (action: string, prompt = 'x') => {
      const log = path.join(tempDir(), 'agent.log');
      const r = callInvoker(
        a,
        'puruto-b',
        action,
        prompt,
        cleanEnv({ PATH: PATH(), PURUTO_AGENT: 'copilot', FAKE_AGENT_LOG: log }),
      );
      assert.equal(r.json['status'], 'ok', r.stdout);
      const args = logLines(log)[0]!['args'] as string[];
      assert.ok(!args.some((w) => /^--(allow-all|yolo)/.test(w)), args.join(' '));
      return { flags: args.filter((w) => /^--(allow|deny)-tool=/.test(w)), message: messageOf(logLines(log)[0]!) };
    };
    assert.deepEqual(flagsOf('summarize').flags, ['--deny-tool=write', '--deny-tool=shell']); // Read
    assert.deepEqual(flagsOf('status').flags, ['--allow-tool=shell', '--deny-tool=write']); // Read, Bash
    const scripted = path.join(b, '.claude', 'skills', 'scripted');
    mkdirSync(scripted, { recursive: true });
    writeFileSync(
      path.join(scripted, 'SKILL.md'),
      '---\nname: scripted\ndescription: A scripted skill.\nallowed-tools: Read, Bash(python3:*), ' +
        'Bash(git status *), Write\n---\n# /scripted\n',
    );
    try {
      assert.deepEqual(flagsOf('scripted').flags, [
        '--allow-tool=shell(python3:*)',
        '--allow-tool=shell(git status:*)',
        '--allow-tool=write',
      ]);
    } finally {
      rmSync(scripted, { recursive: true, force: true });
    }
    assert.match(flagsOf('message', '--not an option').message, /^--not an option\n\n/, 'the message is read on stdin');
  });

  it('PURUTO_AGENT_ARGS is appended to the agent command line, split like a shell line', () => {
    const log = path.join(tempDir(), 'agent.log');
    const r = invoke('claude', 'ok', {
      FAKE_AGENT_LOG: log,
      PURUTO_AGENT_ARGS: `--permission-mode acceptEdits --append-system-prompt 'be brief'`,
    });
    assert.equal(r.status, 0, r.stdout);
    assert.deepEqual(logLines(log)[0]!['args'].slice(-4), [
      '--permission-mode',
      'acceptEdits',
      '--append-system-prompt',
      'be brief',
    ]);
  });

  it(
    'without PURUTO_AGENT: the first of claude, codex, gemini, opencode, qwen, copilot on PATH; ' +
      'none → IPC_ERROR suggesting stub',
    () => {
      const only = (names: string[]) => fakeBin(names);
      const pick = (dir: string) => {
        const r = callInvoker(a, 'puruto-b', 'summarize', 'x', cleanEnv({ PATH: dir }));
        return r.json['status'] === 'ok' ? r.json['result'].agent : r.json['error'];
      };
      assert.equal(pick(only(['gemini', 'codex', 'claude'])), 'claude');
      assert.equal(pick(only(['gemini', 'codex'])), 'codex');
      assert.equal(pick(only(['gemini'])), 'gemini');
      assert.equal(pick(only(['opencode'])), 'opencode');
      assert.equal(pick(only(['qwen'])), 'qwen');
      assert.equal(pick(only(['copilot', 'qwen'])), 'qwen');
      assert.equal(pick(only(['copilot'])), 'copilot');
      const none = pick(tempDir('puruto-emptybin-'));
      assert.equal(none.code, 'IPC_ERROR');
      assert.equal(none.details.reason, 'not_configured');
      assert.match(
        none.message,
        /no agent CLI found on PATH \(claude, codex, gemini, opencode, qwen, copilot\).*PURUTO_AGENT=stub/,
      );
    },
  );

  it('PURUTO_AGENT names a CLI that is not installed → IPC_ERROR (agent_not_started)', () => {
    const r = callInvoker(
      a,
      'puruto-b',
      'summarize',
      'x',
      cleanEnv({ PATH: tempDir('puruto-emptybin-'), PURUTO_AGENT: 'codex' }),
    );
    assert.deepEqual([r.json['error'].code, r.json['error'].details.reason], ['IPC_ERROR', 'agent_not_started']);
    assert.match(r.json['error'].message, /cannot start the agent 'codex'/);
  });
});
