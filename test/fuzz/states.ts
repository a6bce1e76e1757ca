/**
 * Seeded hostile repo states for re-runs and updates (issue 19): a generated file made a
 * link out of the repo (to a copy with its bytes, or dangling), a skill folder linked
 * outside, a dangling or outside link where a re-run adds a skill, a mode the user gave a
 * generated file, a detached HEAD, and the half-adopted state (refs/puruto/pristine on a
 * root commit the branch never joined, as a killed `update --adopt` or `git reset --hard
 * HEAD^` leave it). Modes are set first, links after them, git states last (git records a
 * link, never writes through it); links point into `outside`, a folder of the test.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Mutator } from './mutate.js';

export interface HostileState {
  log: string[];
  /** Generated files the user gave a mode (relative path → mode), still regular files. */
  modes: Record<string, number>;
  committed: boolean;
  detached: boolean;
  halfAdopted: boolean;
}

const ID = {
  GIT_AUTHOR_NAME: 'Fuzz',
  GIT_AUTHOR_EMAIL: 'fuzz@example.invalid',
  GIT_COMMITTER_NAME: 'Fuzz',
  GIT_COMMITTER_EMAIL: 'fuzz@example.invalid',
};

export function gitIn(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...ID },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

const STATES = ['link-file', 'link-skill', 'link-new', 'mode', 'detached', 'half-adopted'] as const;

/** Apply 1–3 distinct states (and maybe commit them); returns what was done and what to expect. */
export function hostileState(dir: string, m: Mutator, outside: string): HostileState {
  const out: HostileState = { log: [], modes: {}, committed: false, detached: false, halfAdopted: false };
  const chosen = new Set<(typeof STATES)[number]>();
  const n = 1 + m.int(3);
  while (chosen.size < n) chosen.add(m.pick(STATES));
  const tracked = gitIn(dir, 'ls-files')
    .split('\n')
    .filter((f) => f && f !== '.yo-rc.json' && fs.lstatSync(path.join(dir, f)).isFile());
  const skills = fs
    .readdirSync(path.join(dir, '.claude', 'skills'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  if (chosen.has('mode')) {
    for (let i = 0; i < 1 + m.int(2); i++) {
      const f = m.pick(tracked);
      const mode = m.pick([0o600, 0o640, 0o700, 0o755]);
      fs.chmodSync(path.join(dir, f), mode);
      out.modes[f] = mode;
      out.log.push(`mode ${mode.toString(8)} on ${f}`);
    }
  }
  const dropModesUnder = (rel: string): void => {
    for (const f of Object.keys(out.modes)) if (f === rel || f.startsWith(`${rel}/`)) delete out.modes[f];
  };
  if (chosen.has('link-file')) {
    const f = m.pick(tracked);
    dropModesUnder(f);
    const to = path.join(outside, f.replaceAll('/', '_'));
    const dangling = m.chance(0.5);
    if (!dangling) fs.copyFileSync(path.join(dir, f), to);
    fs.rmSync(path.join(dir, f));
    fs.symlinkSync(dangling ? `${to}.missing` : to, path.join(dir, f));
    out.log.push(`${f} linked out of the repo (${dangling ? 'dangling' : 'to a copy with its bytes'})`);
  }
  if (chosen.has('link-skill') && skills.length) {
    const s = m.pick(skills);
    const rel = `.claude/skills/${s}`;
    dropModesUnder(rel);
    const to = path.join(outside, `skill-${s}`);
    fs.cpSync(path.join(dir, rel), to, { recursive: true });
    fs.rmSync(path.join(dir, rel), { recursive: true });
    fs.symlinkSync(to, path.join(dir, rel));
    out.log.push(`${rel} linked out of the repo`);
  }
  if (chosen.has('link-new') && !skills.includes('todo')) {
    const to = path.join(outside, 'todo');
    const dangling = m.chance(0.5);
    if (!dangling) fs.mkdirSync(to);
    fs.symlinkSync(to, path.join(dir, '.claude', 'skills', 'todo'));
    out.log.push(`.claude/skills/todo linked out of the repo (${dangling ? 'dangling' : 'an empty folder'})`);
  }
  if (m.chance(0.6)) {
    gitIn(dir, 'add', '-A');
    gitIn(dir, 'commit', '-q', '--allow-empty', '-m', 'hostile state');
    out.committed = true;
    out.log.push('committed');
  }
  if (chosen.has('detached')) {
    gitIn(dir, 'checkout', '-q', '--detach');
    out.detached = true;
    out.log.push('detached HEAD');
  }
  if (chosen.has('half-adopted')) {
    const base = gitIn(dir, 'commit-tree', 'refs/puruto/pristine^{tree}', '-m', 'adopted as the pristine base');
    gitIn(dir, 'update-ref', 'refs/puruto/pristine', base);
    out.halfAdopted = true;
    out.log.push('half-adopted (the pristine ref on a root commit the branch never joined)');
  }
  return out;
}
