/** The gemini adapter against the real Gemini CLI (@google/gemini-cli). */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { arr, isObj } from '../helpers/fake-model/protocol.js';
import { startFakeModel, type FakeModel } from '../helpers/fake-model/server.js';
import { AGENTS_PATH, agentRepos, realAgentSuite, realCli, requireInstalled, runInvoker } from '../helpers/agents.js';
import { tempDir } from '../helpers/generators.js';
import { cleanEnv } from '../helpers/ipc.js';

realAgentSuite({
  agent: 'gemini',
  binary: 'gemini',
  protocol: 'gemini',
  setup(fake, home) {
    // What `gemini` writes after an API-key login; a base URL alone does not select the auth type.
    mkdirSync(path.join(home, '.gemini'), { recursive: true });
    writeFileSync(
      path.join(home, '.gemini', 'settings.json'),
      JSON.stringify({ security: { auth: { selectedType: 'gemini-api-key' } } }),
    );
    return { GEMINI_API_KEY: 'fake-gemini-key', GOOGLE_GEMINI_BASE_URL: fake.url };
  },
  // Gemini has no slash command for a skill: the message names it for the activate_skill tool,
  // which the invoker's policy allows (headless Gemini denies it by default).
  skillInvoked: (skill) =>
    new RegExp(`^Activate the "${skill}" skill \\(activate_skill\\) for:[\\s\\S]*\\.claude/skills/${skill}/SKILL\\.md`),
  // The user's text: the text parts of the first user turn after Gemini's <session_context>.
  userText(request) {
    const body = isObj(request.body) ? request.body : {};
    const first = arr(body['contents']).find((c) => isObj(c) && c['role'] === 'user');
    const parts = isObj(first) ? arr(first['parts']) : [];
    return parts
      .map((p) => (isObj(p) && typeof p['text'] === 'string' ? p['text'] : ''))
      .filter((t) => t && !t.startsWith('<session_context>'))
      .join('\n');
  },
});

/** Gemini-only facts of the adapter's policy, against the real CLI. */
describe(
  'real agent: gemini policy from allowed-tools (gemini from ' + '.deps/agents, fake model API on 127.0.0.1)',
  function () {
    this.timeout(120_000);
    const cli = realCli('gemini');
    let fake: FakeModel;
    let repos: { parent: string; a: string; b: string };
    let home = '';
    let env: Record<string, string> = {};
    before(async function () {
      requireInstalled(this, 'missing' in cli ? cli.missing : undefined);
      fake = await startFakeModel();
      repos = await agentRepos();
      const tidy = path.join(repos.b, '.claude', 'skills', 'tidy');
      mkdirSync(tidy, { recursive: true });
      writeFileSync(
        path.join(tidy, 'SKILL.md'),
        [
          '---',
          'name: tidy',
          'description: Tidy the notes with the Python scripts of this Puruto.',
          'user-invocable: true',
          'allowed-tools:',
          '  - Read',
          '  - Bash(python3:*)',
          '---',
          '# /tidy',
          '',
          '1. Run the scripts with python3.',
          '',
        ].join('\n'),
      );
      home = tempDir('puruto-home-gemini-policy-');
      mkdirSync(path.join(home, '.gemini'), { recursive: true });
      writeFileSync(
        path.join(home, '.gemini', 'settings.json'),
        JSON.stringify({ security: { auth: { selectedType: 'gemini-api-key' } } }),
      );
      env = cleanEnv({
        PATH: AGENTS_PATH,
        HOME: home,
        PURUTO_AGENT: 'gemini',
        GEMINI_API_KEY: 'fake-gemini-key',
        GOOGLE_GEMINI_BASE_URL: fake.url,
      });
    });
    after(async () => {
      if (fake) await fake.stop();
      if (repos) rmSync(repos.parent, { recursive: true, force: true });
      if (home) rmSync(home, { recursive: true, force: true });
    });
    const call = async (action: string) => {
      const from = fake.requests.length;
      const r = await runInvoker(
        repos.a,
        ['--target', 'puruto-b', '--action', action, '--prompt', 'the notes', '--timeout', '60'],
        env,
        90_000,
      );
      return { ...r, requests: fake.requests.slice(from).filter((q) => q.protocol === 'gemini') };
    };

    it(
      'Bash(python3:*): a python3 command runs; ' + 'activate_skill is offered with every skill of the target',
      async () => {
        fake.scenario = { kind: 'tool', command: `python3 -c "print('tidy-ran-' + str(6 * 7))"`, text: 'Tidied:' };
        const r = await call('tidy');
        assert.equal(r.json['status'], 'ok', JSON.stringify(r.json, null, 1));
        assert.match(r.json['result'].summary, /tidy-ran-42/);
        const body = r.requests[0]!.body as Record<string, unknown>;
        const declarations = arr(body['tools']).flatMap((t) => (isObj(t) ? arr(t['functionDeclarations']) : []));
        const activate = declarations.find((d) => isObj(d) && d['name'] === 'activate_skill');
        assert.ok(activate, 'activate_skill offered');
        for (const skill of ['init', 'peek', 'status', 'tidy'])
          assert.match(JSON.stringify(activate), new RegExp(`"${skill}"`));
      },
    );

    it(
      'Bash(python3:*): any other command is denied by policy -> ' + 'permission_denied with the reason, nothing runs',
      async () => {
        const marker = path.join(repos.b, 'PWNED');
        fake.scenario = { kind: 'tool', command: `touch ${marker}`, text: 'Tidied:' };
        const r = await call('tidy');
        assert.deepEqual(
          [r.json['error']?.code, r.json['error']?.details.reason],
          ['IPC_ERROR', 'permission_denied'],
          JSON.stringify(r.json, null, 1),
        );
        assert.match(r.json['error'].details.denied[0].message, /denied by policy.*allowed-tools of the skill 'tidy'/);
        assert.ok(!existsSync(marker), 'the shell command did not run');
      },
    );
  },
);
