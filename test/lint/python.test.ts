/**
 * The generated Python passes ruff (lint and format), mypy --strict and vermin (the Python 3.10
 * floor) with the configs every repo ships (.ruff.toml, .mypy.ini, .vermin), run as a user runs
 * them: in the repo's root, with no arguments but vermin's `.`. One repo per kind, the standard
 * one with every option that adds Python (--ipc --agent-tests, an extra skill). The tools come
 * from the dev venv (scripts/setup.sh), whose packages give mypy the runtimes' types (FastAPI,
 * python-telegram-bot, PyYAML stubs, pytest). Each tool must report a planted finding, so that
 * "zero findings" is never "checked nothing".
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, generateRepo, tempDir } from '../helpers/generators.js';

const DEV_BIN = path.join(ROOT, '.deps/venv/dev/bin');
const PY_DEV = path.join(DEV_BIN, 'python');

const KINDS: { kind: string; key: string; options: Record<string, unknown> }[] = [
  {
    kind: 'standard',
    key: 'app',
    options: { name: 'puruto-lint', description: 'Lint', ipc: true, 'agent-tests': true, skills: 'plan-day' },
  },
  { kind: 'data', key: 'data', options: {} },
  { kind: 'telegram', key: 'telegram', options: {} },
  { kind: 'cron', key: 'cron', options: {} },
  { kind: 'gateway', key: 'gateway', options: {} },
];

type Tool = 'ruff check' | 'ruff format' | 'mypy' | 'vermin';
const TOOLS: readonly Tool[] = ['ruff check', 'ruff format', 'mypy', 'vermin'];

/** One finding: the repo-relative file and the tool's line. */
interface Finding {
  file: string;
  text: string;
}

interface ToolRun {
  status: number | null;
  findings: Finding[];
  output: string;
}

/** mypy's cache, shared by the runs of this file (it holds the third-party packages' analysis). */
const MYPY_CACHE = tempDir('puruto-mypy-cache-');

const COMMANDS: Record<Tool, { argv: string[]; line: RegExp }> = {
  'ruff check': {
    argv: [path.join(DEV_BIN, 'ruff'), 'check', '--output-format', 'concise', '-q'],
    line: /^(.+?):\d+:\d+: /,
  },
  'ruff format': {
    argv: [path.join(DEV_BIN, 'ruff'), 'format', '--check', '--output-format', 'concise', '-q'],
    line: /^(.+?):\d+:\d+: /,
  },
  mypy: { argv: [PY_DEV, '-m', 'mypy', '--no-error-summary', '--cache-dir', MYPY_CACHE], line: /^(.+?):\d+: error: / },
  vermin: { argv: [path.join(DEV_BIN, 'vermin'), '--format', 'parsable', '.'], line: /^(?:\.\/)?(.+?):\d+:\d+:/ },
};

/** Runs one tool in `dir` as a user would; every finding counts (the whole generated Python). */
function run(tool: Tool, dir: string): ToolRun {
  const [cmd, ...args] = COMMANDS[tool].argv;
  const r = spawnSync(cmd!, args, { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  const output = `${r.stdout}${r.stderr}`;
  const all: Finding[] = [];
  for (const text of output.split('\n')) {
    const m = COMMANDS[tool].line.exec(text);
    if (m) all.push({ file: m[1]!, text });
  }
  return { status: r.status, output, findings: all };
}

function files(r: ToolRun): string[] {
  return [...new Set(r.findings.map((f) => f.file))].sort();
}

// Every tool finds something in it: F401 (ruff check), `[ 1 ]` (ruff format), an untyped
// function (mypy --strict), tomllib (3.11: vermin, and mypy at python_version 3.10).
const PLANTED = 'import os\nimport tomllib\n\nx = [ 1 ]\n\n\ndef f(x):\n    return tomllib.loads(x)\n';

describe('generated Python: ruff, mypy --strict and vermin with the shipped configs', function () {
  this.timeout(600_000);

  before(function () {
    for (const tool of ['ruff', 'vermin', 'python']) {
      assert.ok(existsSync(path.join(DEV_BIN, tool)), `${DEV_BIN}/${tool} is missing: run scripts/setup.sh`);
    }
  });

  for (const { kind, key, options } of KINDS) {
    it(`${kind}: zero findings from each tool, and each reports a planted finding`, async () => {
      const dir = await generateRepo(key, { yes: true, ...options });
      assert.match(readFileSync(path.join(dir, '.ruff.toml'), 'utf8'), /^line-length = 120$/m);
      assert.match(readFileSync(path.join(dir, '.ruff.toml'), 'utf8'), /^target-version = "py310"$/m);
      assert.match(readFileSync(path.join(dir, '.mypy.ini'), 'utf8'), /^strict = True$/m);
      assert.match(readFileSync(path.join(dir, '.mypy.ini'), 'utf8'), /^python_version = 3\.10$/m);
      assert.match(readFileSync(path.join(dir, '.vermin'), 'utf8'), /^targets = 3\.10-$/m);
      assert.match(
        readFileSync(path.join(dir, 'README.md'), 'utf8'),
        /^\S*ruff check && \S*ruff format --check && (?:python3 -m |\S*)mypy && \S*vermin \. +# /m,
        'README says how',
      );
      for (const tool of TOOLS) {
        const clean = run(tool, dir);
        assert.deepEqual(clean.findings, [], `${tool}:\n${clean.output}`);
        assert.equal(clean.status, 0, `${tool}:\n${clean.output}`);
      }

      // The same runs report what they must, and skip what is not the repo's code (.venv made by /init).
      writeFileSync(path.join(dir, 'planted.py'), PLANTED);
      mkdirSync(path.join(dir, '.venv'));
      writeFileSync(path.join(dir, '.venv', 'vendored.py'), PLANTED);
      for (const tool of TOOLS) {
        const planted = run(tool, dir);
        assert.notEqual(planted.status, 0, `${tool}:\n${planted.output}`);
        assert.deepEqual(files(planted), ['planted.py'], `${tool}:\n${planted.output}`);
      }
      const codes = run('ruff check', dir).findings.map((f) => f.text.replace(/^.*?: (\w+) .*$/, '$1'));
      assert.ok(codes.includes('F401'), codes.join(' '));
      assert.match(run('mypy', dir).output, /^planted\.py:7: error: .*\[no-untyped-def\]$/m);
      assert.match(run('vermin', dir).output, /^\.\/planted\.py:2:\d+:!2:3\.11:'tomllib' module$/m);
    });
  }

  it('./run (Python without .py) is checked by each tool', async () => {
    const dir = await generateRepo('cron', { yes: true });
    const file = path.join(dir, 'run');
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^import os$/m);
    writeFileSync(
      file,
      text.replace(/^import os$/m, 'import json\nimport os') +
        '\n\ndef planted(x):\n    import tomllib\n\n    return [ tomllib.loads(x) ]\n',
    );
    for (const tool of TOOLS) {
      const r = run(tool, dir);
      assert.deepEqual(files(r), ['run'], `${tool}:\n${r.output}`);
    }
    assert.match(run('ruff check', dir).output, /^run:\d+:8: F401 \[\*\] `json` imported but unused$/m);
  });

  it("the vault's data folders are not checked (shared/, puruto-*/)", async () => {
    const dir = await generateRepo('data', { yes: true });
    for (const folder of ['shared', 'puruto-notes']) {
      mkdirSync(path.join(dir, folder), { recursive: true });
      writeFileSync(path.join(dir, folder, 'stored.py'), PLANTED);
    }
    for (const tool of TOOLS) {
      const r = run(tool, dir);
      assert.deepEqual(r.findings, [], `${tool}:\n${r.output}`);
      assert.equal(r.status, 0, `${tool}:\n${r.output}`);
    }
  });
});
