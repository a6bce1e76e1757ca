/**
 * Seeded fuzz test (issue 11): a few hundred corrupted copies of generated repos of every
 * kind, each checked with the built CLI as a process — `validate --json`, `upgrade --plan
 * --json`, and `validate --workspace --json` over each batch — asserting exit 0/1 only,
 * JSON that parses, findings with code/path/message, no run killed by the (generous)
 * hang timeout, no stack trace, and nothing written outside the copies (a sentinel folder
 * the links point into is snapshotted) nor inside them by `--plan`.
 *
 * Then (issue 19) re-runs of `puruto new` and `puruto update` over hostile states (states.ts):
 * links out of the repo at generated paths, linked skill folders, user modes, a detached
 * HEAD, the half-adopted state — each run either refuses with nothing written (in the copy,
 * its refs, or outside) or leaves a clean result (modes kept, nothing outside touched, the
 * base in the branch's history); a half-adopted repo recovers by the way the refusal names.
 *
 * PURUTO_FUZZ_SEED=<n> replays a run; PURUTO_FUZZ_COPIES=<n> changes its size (default 200),
 * PURUTO_FUZZ_RERUNS=<n> the number of re-run copies (default 30).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tempDir } from '../helpers/repo.js';
import { BUILT_CLI, ensureBuilt, runBuilt } from '../helpers/built-cli.js';
import { mutate, mutator } from './mutate.js';
import { gitIn, hostileState } from './states.js';

const SEED = Number(process.env['PURUTO_FUZZ_SEED'] ?? 20_251_101);
const COPIES = Number(process.env['PURUTO_FUZZ_COPIES'] ?? 200);
const BATCH = 20;
const RERUNS = Number(process.env['PURUTO_FUZZ_RERUNS'] ?? 30);
/** A hang detector, not a timing assertion: a healthy run takes ~0.1 s. */
const HANG_MS = 20_000;
const PARALLEL = Math.max(1, Math.min(4, os.cpus().length));

/** `rerun`: the `puruto new` words that re-run the kind's generator inside one of its repos. */
const KINDS: { name: string; args: string[]; rerun: string[] }[] = [
  {
    name: 'puruto-fz',
    args: ['new', 'puruto-fz', '--description', 'Fuzzed.', '--ipc', '--agent-tests', '--yes'],
    rerun: ['new'],
  },
  { name: 'puruto-data', args: ['new', 'data', '--yes'], rerun: ['new', 'data'] },
  { name: 'puruto-telegram', args: ['new', 'telegram', '--yes'], rerun: ['new', 'telegram'] },
  { name: 'puruto-cron', args: ['new', 'cron', '--yes'], rerun: ['new', 'cron'] },
  { name: 'puruto-gateway', args: ['new', 'gateway', '--yes'], rerun: ['new', 'gateway'] },
];

interface Run {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function runAsync(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BUILT_CLI, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(cwd ? { cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, HANG_MS);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ args, code, stdout, stderr, timedOut });
    });
  });
}

/** Runs the jobs `PARALLEL` at a time, in order of the results. */
async function pool<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return out;
}

/** Names, types, sizes and content hashes under `dir`, never following links nor opening specials. */
function fingerprint(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    let list: fs.Dirent[];
    try {
      list = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of list.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const abs = path.join(dir, r);
      if (e.isSymbolicLink()) out.push(`L ${r} -> ${fs.readlinkSync(abs)}`);
      else if (e.isDirectory()) {
        out.push(`D ${r}`);
        walk(r);
      } else if (e.isFile()) {
        const st = fs.statSync(abs);
        // Sparse huge files: size and mtime are enough (reading 40 MB of zeros is not).
        const hash =
          st.size > 1024 * 1024
            ? `mtime ${st.mtimeMs}`
            : crypto.createHash('sha1').update(fs.readFileSync(abs)).digest('hex');
        out.push(`F ${r} ${st.size} ${hash} ${(st.mode & 0o777).toString(8)}`);
      } else out.push(`S ${r}`);
    }
  };
  walk('');
  return out;
}

/** One generated repo of each kind under `root`/templates (git repos with their pristine base). */
function makeTemplates(root: string, env: NodeJS.ProcessEnv): string[] {
  return KINDS.map((k) => {
    const dest = path.join(root, 'templates', k.name);
    const r = runBuilt([...k.args, '--destination', dest], { env });
    assert.equal(r.code, 0, `${k.args.join(' ')}: ${r.stderr}`);
    return dest;
  });
}

function checkFindings(findings: unknown, where: string): void {
  assert.ok(Array.isArray(findings), `${where}: findings is a list`);
  for (const f of findings as Record<string, unknown>[]) {
    for (const key of ['code', 'path', 'message', 'level'])
      assert.equal(typeof f[key], 'string', `${where}: finding without ${key}: ${JSON.stringify(f)}`);
    assert.ok(f['level'] === 'error' || f['level'] === 'warning', `${where}: level ${String(f['level'])}`);
  }
}

function checkRun(r: Run, where: string): void {
  const what = `${where}: puruto ${r.args.join(' ')}`;
  assert.equal(r.timedOut, false, `${what}: killed after ${HANG_MS} ms (a hang)`);
  assert.ok(r.code === 0 || r.code === 1, `${what}: exit ${r.code}\n${r.stderr.slice(0, 2000)}`);
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, `${what}: stack trace on stderr\n${r.stderr.slice(0, 2000)}`);
  if (r.args[0] === 'upgrade') {
    if (r.code === 0) {
      const report = JSON.parse(r.stdout) as Record<string, unknown>;
      assert.equal(report['dry_run'], true, what);
      for (const step of report['applied'] as { actions: unknown[] }[])
        assert.deepEqual(step.actions, [], `${what}: --plan lists no actions`);
    } else {
      assert.equal(r.stdout, '', `${what}: no JSON on failure`);
      assert.match(r.stderr, /^puruto upgrade: .+/, `${what}: a one-line reason`);
    }
    return;
  }
  let report: Record<string, unknown>;
  try {
    report = JSON.parse(r.stdout) as Record<string, unknown>;
  } catch (error) {
    assert.fail(`${what}: stdout is not JSON (${(error as Error).message}): ${r.stdout.slice(0, 500)}`);
  }
  if (Array.isArray(report['results'])) {
    for (const sub of report['results'] as Record<string, unknown>[])
      checkFindings(sub['findings'], `${what} [${String(sub['path'])}]`);
  } else checkFindings(report['findings'], what);
  assert.equal(r.code === 0, report['ok'] === true, `${what}: exit code follows ok`);
}

describe(`fuzz: ${COPIES} corrupted repos of every kind (seed ${SEED})`, function () {
  this.timeout(300_000);
  let root = '';
  let sentinel = '';
  let sentinelPrint: string[] = [];
  let env: NodeJS.ProcessEnv = {};
  const templates: string[] = [];

  before(() => {
    ensureBuilt();
    root = tempDir('puruto-fuzz-');
    const home = path.join(root, 'home');
    fs.mkdirSync(home);
    env = { ...process.env, HOME: home, PURUTO_DEBUG: '' };
    templates.push(...makeTemplates(root, env));
    // What links out of the copies point into: must never change.
    sentinel = path.join(root, 'sentinel');
    fs.mkdirSync(path.join(sentinel, 'skills', 'init'), { recursive: true });
    fs.mkdirSync(path.join(sentinel, 'inbox'), { recursive: true });
    fs.writeFileSync(path.join(sentinel, 'file.txt'), 'sentinel\n');
    fs.writeFileSync(path.join(sentinel, 'skills', 'init', 'SKILL.md'), '---\nname: init\n---\n');
    sentinelPrint = fingerprint(sentinel);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const batches = Math.ceil(COPIES / BATCH);
  for (let b = 0; b < batches; b++) {
    it(`batch ${b + 1}/${batches}: validate, upgrade --plan and validate --workspace keep their contract`, async () => {
      const ws = path.join(root, `b${b}`);
      fs.mkdirSync(ws);
      const copies: { dir: string; log: string[]; print: string[] }[] = [];
      for (let i = b * BATCH; i < Math.min(COPIES, (b + 1) * BATCH); i++) {
        const m = mutator(SEED * 1000 + i);
        const template = templates[i % templates.length]!;
        // The first copy of each kind in a batch keeps the kind's own name (kind by name);
        // the others get a suffix (kind from .yo-rc.json, unless that was corrupted).
        const name = i - b * BATCH < templates.length ? path.basename(template) : `${path.basename(template)}-${i}`;
        const dir = path.join(ws, name);
        fs.cpSync(template, dir, { recursive: true, verbatimSymlinks: true });
        copies.push({ dir, log: mutate(dir, m, sentinel), print: [] });
      }
      for (const c of copies) c.print = fingerprint(c.dir);
      const jobs = copies.flatMap((c) => [
        () => runAsync(['validate', c.dir, '--json'], env),
        () => runAsync(['upgrade', c.dir, '--plan', '--json'], env),
      ]);
      jobs.push(() => runAsync(['validate', '--workspace', ws, '--json'], env));
      const runs = await pool(jobs);
      for (let i = 0; i < copies.length; i++) {
        const c = copies[i]!;
        const where = `copy ${path.relative(root, c.dir)} (seed ${SEED}; ${c.log.join('; ')})`;
        checkRun(runs[2 * i]!, where);
        checkRun(runs[2 * i + 1]!, where);
        assert.deepEqual(fingerprint(c.dir), c.print, `${where}: validate / upgrade --plan changed the copy`);
      }
      checkRun(runs[runs.length - 1]!, `workspace ${path.relative(root, ws)} (seed ${SEED})`);
      assert.deepEqual(fingerprint(sentinel), sentinelPrint, 'nothing written outside the copies');
      fs.rmSync(ws, { recursive: true, force: true });
    });
  }
});

/** The work tree (not .git) of a copy: names, types, modes and hashes. */
const workTree = (dir: string): string[] => fingerprint(dir).filter((l) => !/^[FDLS] \.git(\/| |$)/.test(l));

/** Where every ref and HEAD point (a refusal moves none). */
function refs(dir: string): string {
  const head = spawnSync('git', ['symbolic-ref', '-q', 'HEAD'], { cwd: dir, encoding: 'utf8' }).stdout.trim();
  return `${head || 'detached'} ${gitIn(dir, 'show-ref', '--head')}`;
}

describe(`fuzz: re-runs and updates over hostile repo states (seed ${SEED}, ${RERUNS} copies)`, function () {
  this.timeout(600_000);
  let root = '';
  let env: NodeJS.ProcessEnv = {};
  let templates: string[] = [];

  before(() => {
    ensureBuilt();
    root = tempDir('puruto-fuzz-rerun-');
    const home = path.join(root, 'home');
    fs.mkdirSync(home);
    env = { ...process.env, HOME: home, PURUTO_DEBUG: '' };
    templates = makeTemplates(root, env);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('each run refuses with nothing written, or leaves a clean result; nothing outside is ever touched', async () => {
    const jobs = Array.from({ length: RERUNS }, (_, i) => async (): Promise<string[]> => {
      const m = mutator(SEED * 7919 + i);
      const k = i % KINDS.length;
      const dir = path.join(root, `r${i}`, KINDS[k]!.name);
      const outside = path.join(root, `r${i}`, 'outside');
      fs.cpSync(templates[k]!, dir, { recursive: true, verbatimSymlinks: true });
      fs.mkdirSync(outside);
      const state = hostileState(dir, m, outside);
      const rerun = KINDS[k]!.rerun;
      const args = m.pick([
        [...rerun, '--yes'],
        [...rerun, '--force', '--yes'],
        ...(k === 0
          ? [
              ['new', '--skills', 'todo', '--yes'],
              ['new', '--skills', 'todo', '--force', '--yes'],
            ]
          : []),
        ['update', dir],
        ['update', dir, '--dry-run'],
        ['update', dir, '--adopt'],
        ['update', dir, '--force'],
      ]);
      const where = `seed ${SEED} copy r${i} (${state.log.join('; ')}): puruto ${args.join(' ')}`;
      const problems: string[] = [];
      const expect = (ok: boolean, what: string): void => {
        if (!ok) problems.push(`${where}: ${what}`);
      };
      const outsideBefore = fingerprint(outside);
      const before = workTree(dir);
      const refsBefore = refs(dir);
      const r = await runAsync(args, env, dir);
      const said = `exit ${r.code}\n${r.stdout.slice(-1500)}${r.stderr.slice(-1500)}`;
      expect(!r.timedOut, 'hung');
      expect(r.code === 0 || r.code === 1 || r.code === 3, said);
      expect(!/\n\s+at .+:\d+:\d+/.test(r.stderr), `stack trace: ${said}`);
      expect(JSON.stringify(fingerprint(outside)) === JSON.stringify(outsideBefore), 'wrote outside the repo');
      if (r.code === 1 || args.includes('--dry-run')) {
        expect(JSON.stringify(workTree(dir)) === JSON.stringify(before), `${said}\nwrote in the copy`);
        expect(refs(dir) === refsBefore, `${said}\nmoved a ref`);
        expect(r.code === 0 || /^puruto (new|update): .+/m.test(r.stderr), `a refusal says why: ${said}`);
      }
      if (r.code === 0) {
        for (const [f, mode] of Object.entries(state.modes)) {
          const now = fs.lstatSync(path.join(dir, f), { throwIfNoEntry: false });
          expect(!now || (now.mode & 0o7777) === mode, `${f} lost its mode ${mode.toString(8)}: ${said}`);
        }
        if (args[0] === 'update' && !args.includes('--dry-run'))
          expect(
            spawnSync('git', ['merge-base', '--is-ancestor', 'refs/puruto/pristine', 'HEAD'], { cwd: dir }).status ===
              0,
            `the base is not in the branch's history: ${said}`,
          );
      }
      // The half-adopted state is never a dead end: the refusal names the way out, which works.
      if (state.halfAdopted && state.committed && !state.detached && /puruto update --adopt/.test(r.stderr)) {
        const adopt = await runAsync(['update', dir, '--adopt'], env, dir);
        const linked = /symbolic link/.test(adopt.stderr);
        expect(adopt.code === 0 || linked, `the way out, update --adopt: ${adopt.code} ${adopt.stderr}`);
        if (adopt.code === 0) {
          const again = await runAsync(['update', dir], env, dir);
          expect(again.code === 0, `update after the way out: ${again.code} ${again.stderr}`);
          expect(/already up to date/.test(again.stdout), `update after the way out: ${again.stdout}`);
        }
        expect(JSON.stringify(fingerprint(outside)) === JSON.stringify(outsideBefore), 'the way out wrote outside');
      }
      return problems;
    });
    const problems = (await pool(jobs)).flat();
    assert.deepEqual(problems, [], problems.join('\n\n'));
  });
});
