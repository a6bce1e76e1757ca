import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { validateRepo } from '../../lib/validate/index.js';
import { PY_SETS, py } from '../helpers/python.js';
import { runGenerator, tempDir, withHome } from '../helpers/generators.js';
import { skillMd } from '../helpers/repo.js';
import { closedPort, pyAsync, silentServer, startFakeOllama, type ChatRequest } from '../helpers/fake-ollama.js';

async function generate(options: Record<string, unknown>): Promise<string> {
  const dest = path.join(tempDir('puruto-at-'), String(options['name']));
  await withHome(tempDir(), async () =>
    runGenerator('app', { options: { description: 'Agent tests runtime', yes: true, destination: dest, ...options } }),
  );
  return dest;
}

/** pytest on tests/agent, with the mock runner unless env says otherwise. */
const PYTEST = ['-m', 'pytest', '-p', 'no:cacheprovider', 'tests/agent'];
const MOCK = { PURUTO_AGENT_TESTS: '' };

function pytest(dir: string, extra: string[] = [], env: Record<string, string> = MOCK) {
  return py([...PYTEST, ...extra], dir, env);
}

interface Case {
  id: string;
  prompt: string;
  expect_skill: string;
  expect_text?: string[];
}

function casesOf(dir: string): Case[] {
  const r = py(
    ['-c', 'import json, yaml; print(json.dumps(yaml.safe_load(open("tests/agent/cases.yaml"))["cases"]))'],
    dir,
  );
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Case[];
}

function addCases(dir: string, yaml: string): void {
  appendFileSync(path.join(dir, 'tests/agent/cases.yaml'), yaml);
}

/** Every file under dir (relative path → contents), to compare before and after a run. */
function snapshot(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    const r = path.join(rel, name);
    const st = statSync(path.join(dir, r), { throwIfNoEntry: false });
    if (st?.isDirectory()) Object.assign(out, snapshot(dir, r));
    else if (st) out[r] = readFileSync(path.join(dir, r), 'utf8');
  }
  return out;
}

const CORE_IDS = ['init-prepare', 'help-getting-started', 'list-commands', 'status-check'];

describe('agent tests (tests/agent) of a generated Puruto', () => {
  it('standard repo: one case per core skill, pytest passes, validator clean, README and requirements', async () => {
    const dir = await generate({ name: 'puruto-at', 'agent-tests': true });
    const cases = casesOf(dir);
    assert.deepEqual(
      cases.map((c) => c.id),
      CORE_IDS,
    );
    assert.deepEqual(
      cases.map((c) => c.expect_skill),
      ['init', 'help', 'list', 'status'],
    );
    assert.ok(cases.every((c) => (c.expect_text ?? []).length > 0));
    assert.match(readFileSync(path.join(dir, 'tests/agent/cases.yaml'), 'utf8'), /^# +expect_text +optional/m);
    assert.deepEqual((await validateRepo(dir, { strict: true })).findings, []);

    const r = pytest(dir, ['-v']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /agent tests runner: mock/);
    for (const id of CORE_IDS) assert.match(r.stdout, new RegExp(`test_case\\[${id}\\] PASSED`));
    assert.match(r.stdout, /\b4 passed\b/);
    assert.deepEqual((await validateRepo(dir, { strict: true })).findings, [], 'still clean after a pytest run');

    const req = readFileSync(path.join(dir, 'requirements-dev.txt'), 'utf8');
    assert.match(req, /^pytest>=7,<10$/m);
    assert.match(req, /^PyYAML>=6,<7$/m);
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    assert.equal(readme.match(/^## Agent tests$/gm)?.length, 1);
    for (const s of [
      'pytest tests/agent',
      'PURUTO_AGENT_TESTS',
      'OLLAMA_HOST',
      'http://127.0.0.1:11434',
      'PURUTO_AGENT_TESTS_MODEL',
      'llama3.2',
      'expect_skill',
      'expect_text',
    ]) {
      assert.ok(readme.includes(s), s);
    }
    // The README's example case is a real, passing case.
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(example);
    addCases(dir, example);
    const withExample = pytest(dir, ['-q']);
    assert.equal(withExample.status, 0, withExample.stdout);
    assert.match(withExample.stdout, /\b5 passed\b/);
    // The README's mock-runner example, run as written, picks the skill it says (issue 13 item 10).
    const tryLine =
      /`python3 (tests\/agent\/mock_runner\.py) "([^"]+)"`\s*\(it prints the skill it picks, here `([a-z-]+)`/.exec(
        readme,
      );
    assert.ok(tryLine, 'README has the mock-runner example');
    const tried = py([tryLine[1]!, tryLine[2]!], dir);
    assert.equal(tried.status, 0, tried.stderr);
    assert.match(tried.stdout, new RegExp(` -> ${tryLine[3]} {2}\\[`));
    assert.equal(tryLine[3], 'status');
    // The venv way to install the test dependencies (Debian/Ubuntu refuse a system pip, PEP 668).
    assert.match(readme, /^python3 -m venv \.venv && \.venv\/bin\/pip install -r requirements-dev\.txt/m);
    assert.doesNotMatch(readme, /^pip install/m);
  });

  it('extra skills get a case each, even names close to core skills, and pass', async () => {
    const dir = await generate({
      name: 'puruto-extra',
      'agent-tests': true,
      skills: 'add-note,help-me,list-notes,report',
    });
    const cases = casesOf(dir);
    assert.deepEqual(
      cases.map((c) => c.id),
      [...CORE_IDS, 'add-note', 'help-me', 'list-notes', 'report'],
    );
    assert.deepEqual(
      cases.slice(4).map((c) => c.expect_skill),
      ['add-note', 'help-me', 'list-notes', 'report'],
    );
    const r = pytest(dir, ['-q']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\b8 passed\b/);
    assert.deepEqual((await validateRepo(dir, { strict: true })).findings, []);
  });

  it('with --ipc the /call skill has a case too, and everything passes', async () => {
    const dir = await generate({ name: 'puruto-ipcat', 'agent-tests': true, ipc: true, skills: 'plan-day' });
    assert.deepEqual(
      casesOf(dir).map((c) => c.id),
      [...CORE_IDS, 'call-delegate', 'plan-day'],
    );
    const r = pytest(dir, ['-q']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\b6 passed\b/);
    assert.deepEqual((await validateRepo(dir, { strict: true })).findings, []);
  });

  it('a broken case fails with a message naming it; the good ones still pass', async () => {
    const dir = await generate({ name: 'puruto-broken', 'agent-tests': true, db: false });
    addCases(
      dir,
      [
        '  - id: bad-skill',
        '    prompt: "list every skill"',
        '    expect_skill: nonexistent',
        '  - id: bad-text',
        '    prompt: "report the status"',
        '    expect_skill: status',
        '    expect_text: ["status.py", "a sentence no skill contains"]',
        '  - id: bad-route',
        '    prompt: "/help me with the status"',
        '    expect_skill: status',
        '  - id: bad-nothing',
        '    prompt: "bake a sourdough loaf"',
        '    expect_skill: init',
        '  - id: bad-shape',
        '    expect_skil: init',
        '  - id: dup',
        '    prompt: "/list"',
        '    expect_skill: list',
        '  - id: dup',
        '    prompt: "/list"',
        '    expect_skill: list',
        '  - just a string',
        '',
      ].join('\n'),
    );
    // -rN: no short summary, whose lines pytest leaves untruncated under CI=true (each message twice).
    const r = pytest(dir, ['-q', '-rN']);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /\b8 failed, 4 passed\b/);
    const out = r.stdout;
    assert.match(out, /case bad-skill: unknown skill 'nonexistent' \(this repo has: help, init, list, status\)/);
    assert.match(
      out,
      /case bad-text: 'a sentence no skill contains' not found in the answer of \/status \(\.claude\/skills\/status\/SKILL\.md\)/,
    );
    assert.match(
      out,
      /case bad-route: prompt '\/help me with the status' chose 'help', expected 'status' \[\/help is invoked by name\]/,
    );
    assert.match(out, /case bad-nothing: prompt 'bake a sourdough loaf' chose no skill, expected 'init'/);
    assert.match(
      out,
      /case bad-shape: unknown key\(s\) expect_skil .*; prompt is missing or empty; expect_skill is missing or empty/,
    );
    assert.equal(out.match(/case dup: id 'dup' is used by 2 cases/g)?.length, 2);
    assert.match(out, /case #12: entry #12 is not a mapping/);

    // A wrong route shows the mock's ranking, to help fix the prompt or the description.
    writeFileSync(
      path.join(dir, 'tests/agent/cases.yaml'),
      'cases:\n  - id: wrong-skill\n    prompt: "prepare the .env file"\n    expect_skill: help\n',
    );
    const wrong = pytest(dir, ['-q']);
    assert.equal(wrong.status, 1);
    assert.match(
      wrong.stdout,
      /case wrong-skill: prompt 'prepare the \.env file' chose 'init', expected 'help' \[mock ranking: init \(name words 0, score [\d.]+\)/,
    );

    writeFileSync(path.join(dir, 'tests/agent/cases.yaml'), 'cases:\n  - id: x\n    prompt: [unclosed\n');
    const yamlError = pytest(dir, ['-q']);
    assert.notEqual(yamlError.status, 0);
    assert.match(yamlError.stdout + yamlError.stderr, /cases\.yaml is not valid YAML/);

    writeFileSync(
      path.join(dir, 'tests/agent/cases.yaml'),
      'cases:\n  - id: x\n    prompt: "/list"\n    expect_skill: list\n',
    );
    const badMode = pytest(dir, ['-q'], { PURUTO_AGENT_TESTS: 'gpt' });
    assert.equal(badMode.status, 1);
    assert.match(badMode.stdout, /PURUTO_AGENT_TESTS='gpt' is not a runner: use one of mock, ollama/);
  });

  it('the mock runner routes deterministically: /name, names as words, overlap, ties, no match', async () => {
    const dir = await generate({ name: 'puruto-mock', 'agent-tests': true, skills: 'list-notes' });
    const script = `
import json, sys
sys.path.insert(0, "tests/agent")
from pathlib import Path
from mock_runner import MockRunner, Skill, load_skills
real = MockRunner(load_skills(Path(".")))
twins = MockRunner(
    {n: Skill(n, "Export the data of the vault as CSV.", "", Path(n)) for n in ("beta", "alpha", "gamma")}
)
prompts = ["run /status then /help", "/nonexistent: list the skills", "listing my notes", "list notes",
           "list the skills", "the data is in db/data.db", "what is it, and how?",
           "Is everything CONFIGURED?  Report the STATUS."]
out = {p: real.choose(p).skill for p in prompts}
out["twins"] = sorted({twins.choose("export the data").skill for _ in range(20)})
out["answer"] = real.choose("/status").answer.splitlines()[0]
print(json.dumps(out))
`;
    const r = py(['-c', script], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      'run /status then /help': 'status',
      '/nonexistent: list the skills': 'list',
      'listing my notes': 'list-notes',
      'list notes': 'list-notes',
      'list the skills': 'list',
      'the data is in db/data.db': 'status',
      'what is it, and how?': null,
      'Is everything CONFIGURED?  Report the STATUS.': 'status',
      twins: ['alpha'],
      answer:
        '/status: Report the state of puruto-mock - .env presence and unset variables, ' +
        'where PURUTO_DATA_PATH points, the database file and its tables, and the standard version. ' +
        'Use at the start of a session or when something does not work.',
    });
    const cli = py(['tests/agent/mock_runner.py', 'please list notes'], dir);
    assert.match(cli.stdout, /'please list notes' -> list-notes {2}\[mock ranking: list-notes \(name words 2/);
  });

  it(
    'alone on an existing Puruto: picks up its extra skills and /call, ' + 'passes, and a second run changes nothing',
    async () => {
      const dir = await generate({ name: 'puruto-later', ipc: true, skills: 'plan-day' });
      mkdirSync(path.join(dir, '.claude/skills/track-habits'));
      writeFileSync(
        path.join(dir, '.claude/skills/track-habits/SKILL.md'),
        skillMd('track-habits', 'Record a habit done today in the habit log. Use when the user says they did a habit.'),
      );
      const readmeBefore = readFileSync(path.join(dir, 'README.md'), 'utf8');
      await runGenerator('agent-tests', { cwd: dir });
      assert.deepEqual(
        casesOf(dir).map((c) => c.id),
        [...CORE_IDS, 'call-delegate', 'plan-day', 'track-habits'],
      );
      const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
      assert.ok(readme.startsWith(readmeBefore), 'README kept as it was, the section appended');
      assert.equal(readme.match(/^## Agent tests$/gm)?.length, 1);
      assert.deepEqual((await validateRepo(dir, { strict: true })).findings, []);

      addCases(
        dir,
        '  - id: habit\n    prompt: "I did my morning run, log that habit"\n    expect_skill: ' +
          'track-habits\n    expect_text: "Report what you did"\n',
      );
      const r = pytest(dir, ['-q']);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /\b8 passed\b/);

      const before = snapshot(dir);
      await runGenerator('agent-tests', { cwd: dir });
      assert.deepEqual(snapshot(dir), before);
    },
  );
});

describe('agent tests with PURUTO_AGENT_TESTS=ollama (fake Ollama server)', () => {
  let dir = '';
  let cases: Case[] = [];
  const pytestAsync = (env: Record<string, string>, extra: string[] = ['-rs']) =>
    pyAsync([...PYTEST, ...extra], dir, { PURUTO_AGENT_TESTS: 'ollama', ...env });
  const promptOf = (req: ChatRequest) => req.messages[req.messages.length - 1]?.content ?? '';

  before(async () => {
    dir = await generate({ name: 'puruto-llm', 'agent-tests': true, ipc: true, skills: 'add-note' });
    cases = casesOf(dir);
  });

  it(
    'a model that answers right passes every case; ' + 'the adapter sends the model, the skills and the prompt',
    async () => {
      const expected = new Map(cases.map((c) => [c.prompt, c.expect_skill]));
      let n = 0;
      // Alternate the shapes small models give: JSON, prose naming /skill, JSON with a slash.
      const fake = await startFakeOllama({
        models: ['qwen-test:1b', 'llama3.2:latest'],
        reply: (req) => {
          const skill = expected.get(promptOf(req)) ?? 'none';
          const shapes = [
            JSON.stringify({ skill }),
            `The best fit is the /${skill} skill.`,
            JSON.stringify({ skill: `/${skill}` }),
          ];
          return shapes[n++ % shapes.length]!;
        },
      });
      try {
        const r = await pytestAsync(
          { OLLAMA_HOST: `127.0.0.1:${fake.port}`, PURUTO_AGENT_TESTS_MODEL: 'qwen-test:1b' },
          ['-q'],
        );
        assert.equal(r.status, 0, r.stdout + r.stderr);
        assert.match(r.stdout, new RegExp(`\\b${cases.length} passed\\b`));
        assert.equal(fake.requests[0]?.path, '/api/tags');
        const chats = fake.requests.filter((q) => q.path === '/api/chat').map((q) => q.body as ChatRequest);
        assert.equal(chats.length, cases.length);
        for (const chat of chats) {
          assert.equal(chat.model, 'qwen-test:1b');
          assert.equal(chat.stream, false);
          assert.equal(chat.format, 'json');
          assert.equal(chat.options?.['temperature'], 0);
          assert.equal(chat.messages[0]?.role, 'system');
          for (const s of ['call', 'help', 'init', 'list', 'status', 'add-note'])
            assert.match(chat.messages[0]!.content, new RegExp(`^${s}: `, 'm'));
        }
        assert.deepEqual(
          chats.map(promptOf),
          cases.map((c) => c.prompt),
        );

        // Default model: llama3.2, found as llama3.2:latest.
        const byDefault = await pytestAsync({ OLLAMA_HOST: fake.url, PURUTO_AGENT_TESTS_MODEL: '' }, ['-q']);
        assert.equal(byDefault.status, 0, byDefault.stdout);
        assert.equal((fake.requests.at(-1)?.body as ChatRequest).model, 'llama3.2');
      } finally {
        await fake.close();
      }
    },
  );

  it('a wrong skill from the model fails naming the case and quoting the reply; a server error fails too', async () => {
    const fake = await startFakeOllama({
      models: ['llama3.2:latest'],
      reply: (req) => {
        const c = cases.find((x) => x.prompt === promptOf(req))!;
        if (c.id === 'status-check') return '{"skill": "help"}';
        if (c.id === 'add-note') return { status: 500, error: 'llama runner process has terminated' };
        return JSON.stringify({ skill: c.expect_skill });
      },
    });
    try {
      const r = await pytestAsync({ OLLAMA_HOST: fake.url }, ['-q']);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stdout, new RegExp(`\\b2 failed, ${cases.length - 2} passed\\b`));
      assert.match(
        r.stdout,
        /case status-check: prompt '[^']+' chose 'help', expected 'status' \[llama3\.2 replied '\{"skill": "help"\}'\]/,
      );
      assert.match(
        r.stdout,
        /case add-note: the ollama \(llama3\.2 at http:\/\/127\.0\.0\.1:\d+\) runner failed: .*HTTP 500 on \/api\/chat: .*llama runner process has terminated/,
      );
    } finally {
      await fake.close();
    }
  });

  it('a model that is not pulled skips the cases with a reason', async () => {
    const fake = await startFakeOllama({ models: ['mistral:latest'], reply: () => '{}' });
    try {
      const r = await pytestAsync({ OLLAMA_HOST: fake.url, PURUTO_AGENT_TESTS_MODEL: 'llama3.2' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, new RegExp(`\\b${cases.length} skipped\\b`));
      assert.match(
        r.stdout,
        /SKIPPED \[\d+\] .*model 'llama3\.2' is not available on http:\/\/127\.0\.0\.1:\d+: run `ollama pull llama3\.2` or set PURUTO_AGENT_TESTS_MODEL to one of: mistral:latest/,
      );
      assert.equal(fake.requests.filter((q) => q.path === '/api/chat').length, 0);
    } finally {
      await fake.close();
    }
  });

  it('no server on OLLAMA_HOST: skipped with the reason (exit 0), and a malformed case still fails', async () => {
    const port = await closedPort();
    const started = Date.now();
    const r = await pytestAsync({ OLLAMA_HOST: `http://127.0.0.1:${port}` });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`\\b${cases.length} skipped\\b`));
    assert.match(
      r.stdout,
      new RegExp(
        `SKIPPED \\[${cases.length}\\] .*Ollama is not reachable at http://127\\.0\\.0\\.1:${port} ` +
          `\\(.*refused\\): start it with \`ollama serve\``,
      ),
    );
    assert.ok(Date.now() - started < 30_000);

    const casesFile = path.join(dir, 'tests/agent/cases.yaml');
    const original = readFileSync(casesFile, 'utf8');
    try {
      addCases(dir, '  - id: typo\n    prompt: "hi"\n    expect_skill: stauts\n');
      const broken = await pytestAsync({ OLLAMA_HOST: `http://127.0.0.1:${port}` });
      assert.equal(broken.status, 1);
      assert.match(broken.stdout, /case typo: unknown skill 'stauts'/);
      assert.match(broken.stdout, new RegExp(`\\b1 failed, ${cases.length} skipped\\b`));
    } finally {
      writeFileSync(casesFile, original);
    }
  });

  it('reads OLLAMA_HOST the way Ollama does and parses the usual shapes of model replies', () => {
    const script = `
import json, sys
sys.path.insert(0, "tests/agent")
from ollama_runner import OllamaUnavailable, base_url, parse_skill
hosts = {
    h: base_url(h)
    for h in ["", "127.0.0.1:1234", "0.0.0.0", "http://localhost/", "https://ollama.example", "[::1]:8080"]
}
try:
    base_url("http://127.0.0.1:99999")
except OllamaUnavailable as exc:
    hosts["bad"] = str(exc)
names = ["help", "help-me", "list", "status"]
replies = ['{"skill": "status"}', '{"skill": "/Status"}', '{"name": "list"}', '{"skill": "none"}',
           "I would use /help-me here.", "help-me or help? help-me.", "Use the status skill, not list.",
           '{"skill": "stauts"}', "no idea"]
print(json.dumps({"hosts": hosts, "skills": [parse_skill(r, names) for r in replies]}))
`;
    const r = py(['-c', script], dir, { OLLAMA_HOST: '' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      hosts: {
        '': 'http://127.0.0.1:11434',
        '127.0.0.1:1234': 'http://127.0.0.1:1234',
        '0.0.0.0': 'http://127.0.0.1:11434',
        'http://localhost/': 'http://localhost:11434',
        'https://ollama.example': 'https://ollama.example:443',
        '[::1]:8080': 'http://[::1]:8080',
        bad: "OLLAMA_HOST='http://127.0.0.1:99999' is not a valid address: Port out of range 0-65535",
      },
      skills: ['status', 'status', 'list', null, 'help-me', 'help-me', 'status', null, null],
    });
  });

  it('a server that accepts and never answers: skipped after the short timeout, never hangs', async () => {
    const silent = await silentServer();
    try {
      const started = Date.now();
      const r = await pytestAsync({ OLLAMA_HOST: `http://127.0.0.1:${silent.port}` });
      const took = Date.now() - started;
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /SKIPPED \[\d+\] .*Ollama is not reachable at .*\(timed out\)/);
      assert.ok(took < 20_000, `took ${took} ms`);
    } finally {
      await silent.close();
    }
  });
});

for (const { name, python } of PY_SETS) {
  describe(`agent tests (tests/agent) of a generated Puruto [${name}]`, () => {
    it("a standard repo's own pytest suite (PyYAML, pytest) passes with the mock runner", async () => {
      const dir = await generate({ name: 'puruto-at-sets', 'agent-tests': true });
      const r = py([...PYTEST, '-v'], dir, MOCK, python);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      for (const id of CORE_IDS) assert.match(r.stdout, new RegExp(`test_case\\[${id}\\] PASSED`));
      assert.match(r.stdout, /\b4 passed\b/);
    });
  });
}
