/**
 * The real-agent tier: every adapter of invoker.py run against its real CLI (pinned, from
 * npm, installed by scripts/setup.sh into .deps/agents) pointed at our fake model API on
 * 127.0.0.1 (test/helpers/fake-model). One suite of cases, run for each agent profile:
 * a profile says how to point that CLI at the fake server (environment, config files in a
 * throw-away HOME) and which wire protocol it speaks.
 *
 * Under CI=true a missing CLI fails the suite; elsewhere it is skipped with the reason.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { STANDARD_VERSION } from '../../lib/standard/version.js';
import { ROOT, tempDir } from './generators.js';
import { spawn } from 'node:child_process';
import { cleanEnv, ipcRepo } from './ipc.js';
import type { JsonObject } from './json.js';
import { PYTHON } from './python.js';
import { HOSTILE, bigPrompt } from './hostile.js';
import { startFakeModel, type FakeModel, type LoggedRequest } from './fake-model/server.js';

export const AGENTS_BIN = path.join(ROOT, '.deps', 'agents', 'node_modules', '.bin');

export interface AgentProfile {
  /** The adapter name (PURUTO_AGENT). */
  agent: string;
  /** The executable in .deps/agents/node_modules/.bin. */
  binary: string;
  /** The fake server's protocol this CLI speaks (its requests' `protocol`). */
  protocol: string;
  /** Environment that points the CLI at the fake server; may write config into `home`. */
  setup(fake: FakeModel, home: string): Record<string, string>;
  /** What the user text of a skill call shows when the agent loaded that skill by its own
   * mechanism (e.g. Claude Code expands `/status` into the skill's body). */
  skillInvoked(skill: string): RegExp;
  /** The user's text of the model's first real turn (to check what the agent was asked). */
  userText(request: LoggedRequest): string;
  /** Cases this CLI cannot pass, each with the reason (shown as a pending test). */
  limits?: Partial<Record<CaseName, string>>;
}

export type CaseName =
  | 'answer'
  | 'rules'
  | 'skills'
  | 'status'
  | 'init'
  | 'denied'
  | 'api400'
  | 'api500'
  | 'unknown'
  | 'message'
  | 'hostile'
  | 'big'
  | 'nul'
  | 'timeout';

/** The agent CLI in .deps/agents, or why there is none. */
export function realCli(binary: string): { path: string } | { missing: string } {
  const file = path.join(AGENTS_BIN, binary);
  return existsSync(file)
    ? { path: file }
    : { missing: `${file} is missing: run scripts/setup.sh (it installs the pinned agent CLIs)` };
}

/** A marker written into AGENTS.md: its presence in a model request proves the rules reached it. */
export const RULES_MARKER = 'PURUTO-RULES-MARKER-7f3a';

/** A fresh target Puruto (ipc on, not a git repo: `git: false`) with a Read-only skill `peek`,
 * beside its caller `puruto-a`: the CLIs must work in a folder they have never seen. */
export async function agentRepos(): Promise<{ parent: string; a: string; b: string }> {
  const parent = tempDir('puruto-agents-');
  const a = await ipcRepo('puruto-a', parent);
  const b = await ipcRepo('puruto-b', parent);
  assert.ok(!existsSync(path.join(b, '.git')), 'the target is not a git repo');
  const peek = path.join(b, '.claude', 'skills', 'peek');
  mkdirSync(peek, { recursive: true });
  writeFileSync(
    path.join(peek, 'SKILL.md'),
    [
      '---',
      'name: peek',
      'description: Look at the notes of this Puruto without changing anything.',
      'user-invocable: true',
      'allowed-tools:',
      '  - Read',
      '---',
      '# /peek',
      '',
      '1. Read the files the user names and summarize them.',
      '',
    ].join('\n'),
  );
  const agents = path.join(b, 'AGENTS.md');
  writeFileSync(agents, `${readFileSync(agents, 'utf8')}\n## Marker\n- ${RULES_MARKER}\n`);
  return { parent, a, b };
}

const STATUS_SCRIPT = 'python3 .claude/skills/status/scripts/status.py';
const INIT_SCRIPT = 'python3 .claude/skills/init/scripts/init.py';

/** PATH for a real-agent run: the pinned CLIs first, then the system's. */
export const AGENTS_PATH = `${AGENTS_BIN}:/usr/local/bin:/usr/bin:/bin`;

/**
 * For a `before` hook: when `missing` says what is not installed, skip the suite with that
 * reason, or fail it under CI=true (where setup.sh must have installed everything).
 */
export function requireInstalled(ctx: Mocha.Context, missing: string | undefined): void {
  if (!missing) return;
  if (process.env['CI'] === 'true') throw new Error(`CI: ${missing}`);
  ctx.skip();
}

/**
 * `cmd args`, asynchronously (the fake model API answers from this process, so a test must
 * not block its event loop); its output collected; killed after `limitMs`.
 */
export function runAsync(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env: Record<string, string> },
  limitMs: number,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** `python3 invoker.py ARGS` in `dir` (see runAsync); its stdout must be JSON. */
export async function runInvoker(
  dir: string,
  args: string[],
  env: Record<string, string>,
  limitMs: number,
): Promise<{ status: number | null; json: JsonObject; stdout: string; stderr: string }> {
  const r = await runAsync(PYTHON, ['invoker.py', ...args], { cwd: dir, env }, limitMs);
  try {
    return { ...r, json: JSON.parse(r.stdout) as JsonObject };
  } catch {
    throw new Error(`invoker.py did not print JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}

/** The mocha suite of real-CLI cases for one profile. */
export function realAgentSuite(profile: AgentProfile): void {
  const cli = realCli(profile.binary);
  describe(
    `real agent: ${profile.agent} (${profile.binary} from .deps/agents, ` + `fake model API on 127.0.0.1)`,
    function () {
      this.timeout(180_000);
      let fake: FakeModel;
      let repos: { parent: string; a: string; b: string };
      let home = '';
      let env: Record<string, string> = {};
      before(async function () {
        requireInstalled(this, 'missing' in cli ? cli.missing : undefined);
        fake = await startFakeModel();
        repos = await agentRepos();
        home = tempDir(`puruto-home-${profile.agent}-`);
        env = cleanEnv({
          PATH: AGENTS_PATH,
          HOME: home,
          PURUTO_AGENT: profile.agent,
          ...profile.setup(fake, home),
        });
      });
      after(async () => {
        if (fake) await fake.stop();
        if (repos) rmSync(repos.parent, { recursive: true, force: true });
        if (home) rmSync(home, { recursive: true, force: true });
      });

      /** Runs invoker.py of puruto-a against puruto-b, recording which requests it caused; the
       * prompt as `--prompt=TEXT`, or `--prompt-file` when it is over 100 KiB or holds a NUL. */
      const call = async (action: string, prompt: string, timeout = 90) => {
        const from = fake.requests.length;
        let promptArgs = [`--prompt=${prompt}`];
        if (prompt.length > 100 * 1024 || prompt.includes('\u0000')) {
          const file = path.join(home, 'prompt.txt');
          writeFileSync(file, prompt);
          promptArgs = ['--prompt-file', file];
        }
        const r = await runInvoker(
          repos.a,
          ['--target', 'puruto-b', '--action', action, ...promptArgs, '--timeout', String(timeout)],
          env,
          (timeout + 30) * 1000,
        );
        return { ...r, requests: fake.requests.slice(from) };
      };
      const turnsOf = (requests: LoggedRequest[]) => requests.filter((q) => q.protocol === profile.protocol);
      const limited = (name: CaseName) => profile.limits?.[name];
      const test = (name: CaseName, title: string, fn: () => void | Promise<void>) => {
        const why = limited(name);
        if (why) it(`${title} — not for ${profile.agent}: ${why}`);
        else it(title, fn);
      };

      test('answer', 'a text answer becomes result.summary, run in the target folder', async () => {
        fake.scenario = { kind: 'text', text: 'The notes are in order.' };
        const r = await call('summarize', 'the notes of today');
        assert.equal(r.json['status'], 'ok', JSON.stringify(r.json, null, 1));
        assert.equal(r.json['result'].summary, 'The notes are in order.');
        assert.equal(r.json['result'].agent, profile.agent);
        assert.ok(turnsOf(r.requests).length >= 1, 'the model was asked');
      });

      test('rules', "the target's AGENTS.md rules reached the model", async () => {
        fake.scenario = { kind: 'text', text: 'ok' };
        const r = await call('summarize', 'x');
        assert.equal(r.json['status'], 'ok', JSON.stringify(r.json));
        assert.ok(
          turnsOf(r.requests).some((q) => q.raw.includes(RULES_MARKER)),
          'AGENTS.md marker in a model request',
        );
      });

      test('skills', 'every skill of the target was listed to the model', async () => {
        fake.scenario = { kind: 'text', text: 'ok' };
        const r = await call('summarize', 'x');
        const skills = ['call', 'help', 'init', 'list', 'peek', 'relay', 'status', 'summarize'];
        const raw = turnsOf(r.requests)
          .map((q) => q.raw)
          .join('\n');
        for (const skill of skills) {
          const description = readFileSync(path.join(repos.b, '.claude', 'skills', skill, 'SKILL.md'), 'utf8').match(
            /^description: (.{0,40})/m,
          )![1]!;
          assert.ok(
            raw.includes(description.replace(/"/g, '\\"')) || raw.includes(description),
            `skill ${skill} (${description}) listed to the model`,
          );
        }
      });

      test(
        'status',
        "/status: the agent is asked for the skill in its own syntax and runs the skill's script; " +
          'its output is in the answer',
        async () => {
          fake.scenario = { kind: 'tool', command: STATUS_SCRIPT, text: 'Status of puruto-b:' };
          const r = await call('status', 'is everything set up?');
          assert.equal(r.json['status'], 'ok', JSON.stringify(r.json, null, 1));
          const first = turnsOf(r.requests).find((q) => q.answered === 'tool');
          assert.ok(first, 'the model was offered a shell tool and asked to use it');
          assert.match(profile.userText(first), profile.skillInvoked('status'));
          assert.ok(
            r.json['result'].summary.includes(`standard version: ${STANDARD_VERSION}`),
            r.json['result'].summary,
          );
        },
      );

      test('init', '/init: the skill script writes .env in the target', async () => {
        rmSync(path.join(repos.b, '.env'), { force: true });
        fake.scenario = { kind: 'tool', command: INIT_SCRIPT, text: 'Init done:' };
        const r = await call('init', 'prepare the runtime');
        assert.equal(r.json['status'], 'ok', JSON.stringify(r.json, null, 1));
        assert.ok(existsSync(path.join(repos.b, '.env')), '.env written by the init script');
        assert.match(r.json['result'].summary, /\.env/);
      });

      test(
        'denied',
        'a skill whose allowed-tools is only Read cannot run a shell: permission_denied, nothing written',
        async () => {
          const marker = path.join(repos.b, 'PWNED');
          rmSync(marker, { force: true });
          fake.scenario = { kind: 'tool', command: `touch ${marker}`, text: 'Peeked:' };
          const r = await call('peek', 'the notes');
          assert.equal(r.json['status'], 'error', JSON.stringify(r.json, null, 1));
          assert.deepEqual(
            [r.json['error'].code, r.json['error'].details.reason],
            ['IPC_ERROR', 'permission_denied'],
            JSON.stringify(r.json['error']),
          );
          assert.ok(!existsSync(marker), 'the shell command did not run');
        },
      );

      for (const status of [400, 500] as const) {
        test(
          status === 400 ? 'api400' : 'api500',
          `an API ${status} is IPC_ERROR agent_error with the API's message, within the timeout`,
          async () => {
            const message = `fake API refuses this request (${status}-x9)`;
            fake.scenario = { kind: 'error', status, message };
            const r = await call('summarize', 'x', 60);
            assert.equal(r.json['status'], 'error', JSON.stringify(r.json, null, 1));
            assert.deepEqual(
              [r.json['error'].code, r.json['error'].details.reason],
              ['IPC_ERROR', 'agent_error'],
              JSON.stringify(r.json['error']),
            );
            assert.match(JSON.stringify(r.json['error']), new RegExp(`${status}-x9`));
          },
        );
      }

      test('unknown', 'an unknown skill is TARGET_NOT_FOUND skill_not_found, and no agent starts', async () => {
        fake.scenario = { kind: 'text', text: 'should not be asked' };
        const r = await call('nope', 'x');
        assert.equal(r.json['error'].code, 'TARGET_NOT_FOUND');
        assert.equal(r.json['error'].details.reason, 'skill_not_found');
        assert.ok(r.json['error'].details.skills.includes('status'));
        assert.equal(r.requests.length, 0, 'no request reached the model');
      });

      test('message', '`message` reaches the agent as plain text, without a slash command', async () => {
        fake.scenario = { kind: 'text', text: 'Noted.' };
        const text = 'please note that the meeting moved to Friday';
        const r = await call('message', text);
        assert.equal(r.json['status'], 'ok', JSON.stringify(r.json, null, 1));
        const first = turnsOf(r.requests)[0];
        assert.ok(first);
        const user = profile.userText(first);
        assert.ok(user.trimStart().startsWith(text), `the user text starts with the message: ${user.slice(0, 200)}`);
        assert.doesNotMatch(user, /[/$]message\b/);
      });

      /** The agent's first real turn: its user text (profile.userText) must start with the whole message. */
      const arrived = (requests: LoggedRequest[], prompt: string) => {
        const first = turnsOf(requests)[0];
        assert.ok(first, 'the model was asked');
        const user = profile.userText(first);
        const head = `${prompt}\n\nThis request comes from the Puruto puruto-a through IPC.`;
        if (!user.startsWith(head)) {
          let at = 0;
          while (at < head.length && user[at] === head[at]) at += 1;
          assert.fail(
            `the user text differs from the message at character ${at}: ` +
              `${JSON.stringify(user.slice(Math.max(0, at - 60), at + 60))} instead of ` +
              JSON.stringify(head.slice(Math.max(0, at - 60), at + 60)),
          );
        }
      };

      test(
        'hostile',
        'free text with dashes, --help, a number, quotes, $VARS, backticks, newlines, emoji, a ' +
          'trailing backslash reaches the model byte for byte (logged request)',
        async () => {
          fake.scenario = { kind: 'text', text: 'Noted.' };
          const r = await call('message', HOSTILE);
          assert.equal(r.json['status'], 'ok', JSON.stringify(r.json, null, 1));
          assert.equal(r.json['result'].summary, 'Noted.');
          arrived(r.requests, HOSTILE);
        },
      );

      test('big', 'a prompt over 128 KiB (too big for one argument) reaches the model intact', async () => {
        fake.scenario = { kind: 'text', text: 'Read it all.' };
        const prompt = bigPrompt();
        const r = await call('message', prompt);
        assert.equal(r.json['status'], 'ok', JSON.stringify(r.json['error'] ?? r.json, null, 1));
        arrived(r.requests, prompt);
      });

      test('nul', 'a prompt with a NUL is IPC_ERROR prompt_has_nul, and no agent starts', async () => {
        fake.scenario = { kind: 'text', text: 'should not be asked' };
        const r = await call('message', `${HOSTILE}\u0000and after`);
        assert.deepEqual(
          [r.json['error']?.code, r.json['error']?.details.reason, r.json['error']?.details.agent],
          ['IPC_ERROR', 'prompt_has_nul', profile.agent],
          JSON.stringify(r.json),
        );
        assert.equal(r.requests.length, 0, 'no request reached the model');
      });
    },
  );
}
