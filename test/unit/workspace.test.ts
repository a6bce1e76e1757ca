import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { defaultWorkspaceDir, listWorkspace } from '../../lib/workspace.js';
import { DEFAULT_STATUS_PARALLEL, mapBounded, runtimeStatus, STATUS_SCRIPT } from '../../lib/workspace-status.js';
import { STANDARD_VERSION, VERSION_CHAIN } from '../../lib/standard/version.js';
import { PYTHON } from '../helpers/python.js';
import { tempDir, validKindRepo, validStandardRepo, writeTree } from '../helpers/repo.js';

/** A status.py that prints `report` as JSON (the shape of puruto_env.collect_status). */
const statusScript = (body: string): Record<string, string> => ({ [STATUS_SCRIPT]: `import json, sys\n${body}\n` });

describe('lib/workspace: listWorkspace', () => {
  let ws: string;
  before(() => {
    ws = tempDir('puruto-wsl-');
    writeTree(path.join(ws, 'puruto-data'), {
      ...validKindRepo('puruto-data'),
      'registry.json': JSON.stringify({
        version: '1',
        purutos: [{ name: 'puruto-notes', folder: 'puruto-notes', registered_at: '2025-01-01T00:00:00Z' }],
      }),
    });
    writeTree(path.join(ws, 'puruto-notes'), {
      ...validStandardRepo('puruto-notes'),
      '.yo-rc.json': JSON.stringify({
        'generator-puruto': { kind: 'standard', answers: { name: 'puruto-notes', description: 'My notes' } },
      }),
      '.claude/skills/summarise/SKILL.md': '---\nname: summarise\ndescription: Summarise.\nuser-invocable: true\n---\n',
    });
    const legacy = validStandardRepo('puruto-old');
    delete legacy['.puruto-standard-version'];
    writeTree(path.join(ws, 'puruto-old'), legacy);
    writeTree(path.join(ws, 'puruto-empty-version'), {
      ...validStandardRepo('puruto-empty-version'),
      '.puruto-standard-version': '\n',
    });
    const broken = validStandardRepo('puruto-broken');
    delete broken['README.md'];
    writeTree(path.join(ws, 'puruto-broken'), broken);
    // Not Purutos, and hidden: not listed.
    writeTree(path.join(ws, 'notes-folder'), { 'todo.txt': 'x' });
    writeTree(path.join(ws, '.claude'), { 'skills/workspace/SKILL.md': 'x' });
    writeTree(ws, { 'AGENTS.md': '# root rules\n' });
  });
  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  it(
    'lists the Purutos directly under the folder, sorted, with kind, version, validation, description, skills, ' +
      'registration',
    async () => {
      const r = await listWorkspace(ws);
      assert.ok(r.ok);
      const { listing } = r;
      assert.equal(listing.path, ws);
      assert.equal(listing.standard_version, STANDARD_VERSION);
      assert.deepEqual(
        listing.purutos.map((p) => p.name),
        ['puruto-broken', 'puruto-data', 'puruto-empty-version', 'puruto-notes', 'puruto-old'],
      );
      assert.equal(listing.count, 5);
      assert.equal(listing.ok, false, 'puruto-broken has an error');
      assert.equal(listing.registry, path.join(ws, 'puruto-data', 'registry.json'));
      const by = Object.fromEntries(listing.purutos.map((p) => [p.name, p]));
      assert.deepEqual(by['puruto-notes'], {
        name: 'puruto-notes',
        path: path.join(ws, 'puruto-notes'),
        kind: 'standard',
        version: STANDARD_VERSION,
        effective_version: STANDARD_VERSION,
        current: true,
        validation: { ok: true, errors: 0, warnings: by['puruto-notes']!.validation.warnings },
        description: 'My notes',
        skills: ['help', 'init', 'list', 'status', 'summarise'],
        registered: true,
      });
      assert.equal(by['puruto-data']!.kind, 'puruto-data');
      assert.equal(by['puruto-data']!.registered, false);
      assert.equal(by['puruto-data']!.description, null);
      assert.equal(by['puruto-old']!.registered, false);
      // Missing and empty version files both count as the first version, told apart by `version`.
      assert.deepEqual(
        [by['puruto-old']!.version, by['puruto-old']!.effective_version, by['puruto-old']!.current],
        [null, VERSION_CHAIN[0], false],
      );
      assert.deepEqual(
        [by['puruto-empty-version']!.version, by['puruto-empty-version']!.effective_version],
        ['', VERSION_CHAIN[0]],
      );
      assert.equal(by['puruto-broken']!.validation.ok, false);
      assert.ok(by['puruto-broken']!.validation.errors >= 1);
      assert.equal(by['puruto-notes']!.status, undefined, 'no status unless asked');
    },
  );

  it('registered is null when the folder has no readable registry', async () => {
    const other = tempDir();
    writeTree(path.join(other, 'puruto-a'), validStandardRepo('puruto-a'));
    const r = await listWorkspace(other);
    assert.ok(r.ok);
    assert.equal(r.listing.registry, null);
    assert.equal(r.listing.purutos[0]!.registered, null);
    writeTree(path.join(other, 'puruto-data'), { ...validKindRepo('puruto-data'), 'registry.json': '{broken' });
    const again = await listWorkspace(other);
    assert.ok(again.ok);
    assert.equal(again.listing.purutos.find((p) => p.name === 'puruto-a')!.registered, null);
  });

  it('a missing folder and a file are refused with a reason, never thrown', async () => {
    const d = tempDir();
    const absent = await listWorkspace(path.join(d, 'nope'));
    assert.equal(absent.ok, false);
    assert.ok(
      !absent.ok &&
        absent.reason === 'absent' &&
        /does not exist: create an ecosystem with `puruto init/.test(absent.message),
    );
    fs.writeFileSync(path.join(d, 'file'), 'x');
    const file = await listWorkspace(path.join(d, 'file'));
    assert.ok(!file.ok && file.reason === 'not-a-directory');
  });

  it('an empty folder lists nothing (ok)', async () => {
    const r = await listWorkspace(tempDir());
    assert.ok(r.ok);
    assert.equal(r.listing.count, 0);
    assert.equal(r.listing.ok, true);
  });

  it('with status: each Puruto runs its own status script; one without it says so', async () => {
    const d = tempDir();
    writeTree(path.join(d, 'puruto-a'), {
      ...validStandardRepo('puruto-a'),
      ...statusScript('print(json.dumps({"puruto": "puruto-a", "problems": []}))'),
    });
    writeTree(path.join(d, 'puruto-b'), validStandardRepo('puruto-b'));
    const r = await listWorkspace(d, { status: { python: PYTHON } });
    assert.ok(r.ok);
    const [a, b] = r.listing.purutos;
    assert.deepEqual(a!.status, { state: 'ok', summary: 'ready', problems: 0 });
    assert.equal(b!.status!.state, 'unknown');
    assert.match(b!.status!.summary, /no status script/);
  });
});

/**
 * A status script that records when it ran (in <repo>/.ran.json) and sleeps `sleep` s; its
 * one problem is the repo's name, so each status shows whose script produced it.
 */
const recordingStatus = (name: string, sleep: number): Record<string, string> => ({
  ...validStandardRepo(name),
  [STATUS_SCRIPT]: [
    'import json, time',
    'start = time.time()',
    `time.sleep(${sleep})`,
    'end = time.time()',
    'open(".ran.json", "w").write(json.dumps([start, end]))',
    `print(json.dumps({"problems": ["${name}"]}))`,
  ].join('\n'),
});
const intervals = (d: string, names: string[]): [number, number][] =>
  names.map((n) => JSON.parse(fs.readFileSync(path.join(d, n, '.ran.json'), 'utf8')));
/** The most intervals running at one moment. */
function maxOverlap(spans: [number, number][]): number {
  const events = spans
    .flatMap(
      ([s, e]) =>
        [
          [s, 1],
          [e, -1],
        ] as [number, number][],
    )
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  let most = 0;
  for (const [, step] of events) most = Math.max(most, (running += step));
  return most;
}

describe('lib/workspace: status scripts run side by side, bounded, in listing order', function () {
  this.timeout(60_000);

  it('the scripts of every repo run at the same time (up to the default width)', async () => {
    const d = tempDir();
    const names = Array.from({ length: DEFAULT_STATUS_PARALLEL }, (_, i) => `puruto-s${i}`);
    for (const n of names) writeTree(path.join(d, n), recordingStatus(n, 1));
    const r = await listWorkspace(d, { status: { python: PYTHON } });
    assert.ok(r.ok);
    const spans = intervals(d, names);
    // every script had started before any had ended
    assert.ok(Math.max(...spans.map((s) => s[0])) < Math.min(...spans.map((s) => s[1])), JSON.stringify(spans));
    assert.deepEqual(
      r.listing.purutos.map((p) => [p.name, p.status!.summary]),
      names.map((n) => [n, n]),
    );
  });

  it('at most `parallel` run at once, and the results keep the listing order, not the finishing order', async () => {
    const d = tempDir();
    const names = ['puruto-a', 'puruto-b', 'puruto-c', 'puruto-d', 'puruto-e'];
    names.forEach((n, i) => writeTree(path.join(d, n), recordingStatus(n, 0.2 + 0.15 * (names.length - i))));
    const r = await listWorkspace(d, { status: { python: PYTHON, parallel: 2 } });
    assert.ok(r.ok);
    assert.equal(maxOverlap(intervals(d, names)), 2, JSON.stringify(intervals(d, names)));
    assert.deepEqual(
      r.listing.purutos.map((p) => [p.name, p.status!.summary]),
      names.map((n) => [n, n]),
    );
  });

  it('mapBounded: order kept, width bounded, empty input', async () => {
    let running = 0;
    let most = 0;
    const out = await mapBounded([30, 10, 20, 5], 2, async (ms) => {
      most = Math.max(most, ++running);
      await new Promise((res) => setTimeout(res, ms));
      running--;
      return ms * 2;
    });
    assert.deepEqual(out, [60, 20, 40, 10]);
    assert.equal(most, 2);
    assert.deepEqual(await mapBounded([], 3, async (x) => x), []);
  });
});

describe('lib/workspace: defaultWorkspaceDir', () => {
  it('is the current folder when it directly holds a Puruto, else ~/purutos', () => {
    const home = tempDir();
    const eco = tempDir();
    writeTree(path.join(eco, 'puruto-a'), validStandardRepo('puruto-a'));
    assert.equal(defaultWorkspaceDir(eco, home), eco);
    const plain = tempDir();
    writeTree(path.join(plain, 'src'), { 'x.txt': 'x' });
    assert.equal(defaultWorkspaceDir(plain, home), path.join(home, 'purutos'));
    // Inside a Puruto (its sub-folders are not Purutos): ~/purutos.
    assert.equal(defaultWorkspaceDir(path.join(eco, 'puruto-a'), home), path.join(home, 'purutos'));
  });

  it('an ecosystem folder (root AGENTS.md and skills, Purutos inside) is not taken for a Puruto', async () => {
    const home = tempDir();
    writeTree(path.join(home, 'purutos'), { 'AGENTS.md': '# ecosystem\n', '.claude/skills/workspace/SKILL.md': 'x' });
    writeTree(path.join(home, 'purutos', 'puruto-a'), validStandardRepo('puruto-a'));
    // From HOME, `puruto workspace` means ~/purutos, not HOME with a broken "purutos" Puruto.
    assert.equal(defaultWorkspaceDir(home, home), path.join(home, 'purutos'));
    assert.equal(defaultWorkspaceDir(path.join(home, 'purutos'), home), path.join(home, 'purutos'));
    const r = await listWorkspace(home);
    assert.ok(r.ok);
    assert.deepEqual(r.listing.purutos, []);
  });
});

describe('lib/workspace-status: runtimeStatus', () => {
  const repo = (body: string): string => {
    const d = tempDir();
    writeTree(d, statusScript(body));
    return d;
  };

  it('ok with no problems, problem with the first one and the count', async () => {
    assert.deepEqual(await runtimeStatus(repo('print(json.dumps({"problems": []}))'), { python: PYTHON }), {
      state: 'ok',
      summary: 'ready',
      problems: 0,
    });
    const p = await runtimeStatus(
      repo('print(json.dumps({"problems": [".env is missing: run /init", "X is empty"]}))'),
      { python: PYTHON },
    );
    assert.deepEqual(p, { state: 'problem', summary: '.env is missing: run /init', problems: 2 });
  });

  it('passes --json and runs in the repo folder', async () => {
    const d = repo(
      'import os\nassert sys.argv[1:] == ["--json"], sys.argv\nprint(json.dumps({"problems": [os.getcwd()]}))',
    );
    const r = await runtimeStatus(d, { python: PYTHON });
    assert.equal(r.summary, d);
  });

  it(
    'never throws: a crash, garbage output, a report without problems, no python, ' +
      'a timeout are "unknown" with the reason',
    async () => {
      const crash = await runtimeStatus(repo('raise SystemExit("boom: config unreadable")'), { python: PYTHON });
      assert.equal(crash.state, 'unknown');
      assert.match(crash.summary, /status\.py failed: boom: config unreadable/);
      const garbage = await runtimeStatus(repo('print("hello")'), { python: PYTHON });
      assert.equal(garbage.state, 'unknown');
      assert.match(garbage.summary, /no JSON report: hello/);
      const shape = await runtimeStatus(repo('print(json.dumps({"ok": True}))'), { python: PYTHON });
      assert.match(shape.summary, /no "problems" list/);
      const nopy = await runtimeStatus(repo('print("{}")'), { python: path.join(tempDir(), 'no-python3') });
      assert.equal(nopy.state, 'unknown');
      assert.match(nopy.summary, /not found: install Python 3/);
      const slow = await runtimeStatus(repo('import time\ntime.sleep(30)'), { python: PYTHON, timeoutMs: 300 });
      assert.equal(slow.state, 'unknown');
      assert.match(slow.summary, /gave no answer within/);
    },
  );

  it('leaves no __pycache__ behind', async () => {
    const d = tempDir();
    writeTree(d, {
      '.claude/skills/status/scripts/helper.py': 'X = 1\n',
      [STATUS_SCRIPT]:
        'import json, sys, os\nsys.path.insert(0, os.path.dirname(__file__))\nimport ' +
        'helper\nprint(json.dumps({"problems": []}))\n',
    });
    assert.equal((await runtimeStatus(d, { python: PYTHON })).state, 'ok');
    assert.equal(fs.existsSync(path.join(d, '.claude/skills/status/scripts/__pycache__')), false);
  });
});
