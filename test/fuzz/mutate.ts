/**
 * A seeded mutator of generated repos for the fuzz test: deletions, truncation, binary
 * garbage, invalid UTF-8 / JSON / YAML, files where folders are expected (and the
 * reverse), huge (sparse) and deep files, then — last, so nothing is ever written
 * through them — symlink loops, links out of the copy (into a sentinel folder), FIFOs
 * and links to /dev/zero or /dev/urandom. Never writes outside `dir`; never a link to /etc.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** mulberry32: a small, fast, seedable PRNG (same seed, same repos). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Mutator {
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function mutator(seed: number): Mutator {
  const next = rng(seed);
  return {
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

/** Entries under `dir` (relative posix), never descending into links; `.git` skipped. */
export function entries(dir: string): { files: string[]; dirs: string[] } {
  const files: string[] = [];
  const dirs: string[] = [];
  const walk = (rel: string): void => {
    let list: fs.Dirent[];
    try {
      list = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of list) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        dirs.push(r);
        walk(r);
      } else if (e.isFile()) files.push(r);
    }
  };
  walk('');
  return { files, dirs };
}

/** Interesting places: the files every check reads, wherever they are in the kinds. */
const HOT = [
  '.yo-rc.json',
  'tests/.yo-rc.json',
  '.puruto-standard-version',
  'CLAUDE.md',
  'AGENTS.md',
  'agent.md',
  'README.md',
  '.env.example',
  '.env',
  '.gitignore',
  '.puruto-ipc.json',
  'registry.json',
  '.jobs.json',
  '.channels.json',
  '.claude/skills',
  '.claude/skills/init',
  '.claude/skills/init/SKILL.md',
  '.claude/skills/status/SKILL.md',
  '.agents/skills',
  '.claude',
  'inbox',
  'db',
  'shared',
  'ipc.py',
  'invoker.py',
];

function garbage(m: Mutator, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = m.int(256);
  return b;
}

function deepJson(levels: number): string {
  return `{"purutos": ${'['.repeat(levels)}${']'.repeat(levels)}, "jobs": [], "channels": []}`;
}

function remove(abs: string): void {
  fs.rmSync(abs, { recursive: true, force: true });
}

/** Write `data` at `rel` as a fresh regular file (whatever was there is removed first). */
function put(dir: string, rel: string, data: string | Buffer): void {
  const abs = path.join(dir, rel);
  remove(abs);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, data);
}

type Op = (dir: string, m: Mutator, target: string) => string;

const CONTENT_OPS: Op[] = [
  (dir, _m, t) => (remove(path.join(dir, t)), `delete ${t}`),
  (dir, m, t) => {
    const abs = path.join(dir, t);
    if (!fs.existsSync(abs) || !fs.lstatSync(abs).isFile()) return `truncate ${t} (not a file)`;
    const size = fs.statSync(abs).size;
    fs.truncateSync(abs, m.int(size + 1));
    return `truncate ${t}`;
  },
  (dir, m, t) => (put(dir, t, garbage(m, 1 + m.int(4096))), `binary garbage in ${t}`),
  (dir, _m, t) => {
    const abs = path.join(dir, t);
    const old = fs.existsSync(abs) && fs.lstatSync(abs).isFile() ? fs.readFileSync(abs) : Buffer.from('text\n');
    const cut = Math.floor(old.length / 2);
    put(dir, t, Buffer.concat([old.subarray(0, cut), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xe9]), old.subarray(cut)]));
    return `invalid UTF-8 in ${t}`;
  },
  (dir, m, t) => (
    put(
      dir,
      t,
      m.pick([
        '{"enabled": tru',
        '{,,}',
        '[1, 2',
        '{"purutos": {"a": }}',
        '\uFEFF{"x": 1} trailing',
        'null',
        '"string"',
        '123',
      ]),
    ),
    `invalid JSON in ${t}`
  ),
  (dir, m, t) => (
    put(
      dir,
      t,
      m.pick([
        '---\nname: [unclosed\n: : :\n---\n',
        '---\n- a\n- b\n---\n',
        '---\nname: x\n',
        '---\n*anchor\n---\n',
        '---\n\tbad: tab\n---\n',
      ]),
    ),
    `invalid YAML frontmatter in ${t}`
  ),
  (dir, _m, t) => {
    const abs = path.join(dir, t);
    remove(abs);
    fs.mkdirSync(abs, { recursive: true });
    return `folder where ${t} was`;
  },
  (dir, _m, t) => (put(dir, t, 'a file where a folder is expected\n'), `file where ${t} was`),
  (dir, m, t) => {
    put(dir, t, '');
    fs.truncateSync(path.join(dir, t), (9 + m.int(40)) * 1024 * 1024); // sparse: huge, costs no disk
    return `huge (sparse) ${t}`;
  },
  (dir, _m, t) => (put(dir, t, deepJson(20000)), `deep JSON in ${t}`),
  (dir, m, t) => {
    let rel = t;
    for (let i = 0; i < 40 + m.int(40); i++) rel += '/d';
    fs.mkdirSync(path.join(dir, path.dirname(t)), { recursive: true });
    remove(path.join(dir, t));
    fs.mkdirSync(path.join(dir, rel), { recursive: true });
    fs.writeFileSync(path.join(dir, rel, 'SKILL.md'), '---\nname: d\n---\n__DEEP__\n');
    return `deep folders at ${t}`;
  },
  (dir, m, t) => {
    const name = `${t}${m.pick(['\u001b[2J', '\u0007', '\u202e', '\r', '\n'])}x`;
    put(dir, name, '__CONTROL__\n');
    return `control characters in a file name beside ${t}`;
  },
];

/** Special entries, created after every content change and never written through. */
const LAST_OPS: Op[] = [
  (dir, _m, t) => {
    const abs = path.join(dir, t);
    remove(abs);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.symlinkSync(path.basename(abs), abs); // a link to itself
    return `self-loop link at ${t}`;
  },
  (dir, _m, t) => {
    const abs = path.join(dir, t);
    remove(abs);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.symlinkSync(`${path.basename(abs)}.b`, abs);
    remove(`${abs}.b`);
    fs.symlinkSync(path.basename(abs), `${abs}.b`);
    return `two-link loop at ${t}`;
  },
  (dir, _m, t) => {
    const abs = path.join(dir, t);
    remove(abs);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    execFileSync('mkfifo', [abs]);
    return `FIFO at ${t}`;
  },
  (dir, m, t) => {
    const abs = path.join(dir, t);
    remove(abs);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    const dev = m.pick(['/dev/zero', '/dev/urandom', '/dev/null']);
    fs.symlinkSync(dev, abs);
    return `link to ${dev} at ${t}`;
  },
];

/** Links out of the copy: into the sentinel folder (never a system file). */
function linkOut(dir: string, m: Mutator, t: string, sentinel: string): string {
  const abs = path.join(dir, t);
  remove(abs);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  const to = m.pick([
    sentinel,
    path.join(sentinel, 'skills'),
    path.join(sentinel, 'file.txt'),
    path.join(sentinel, 'inbox'),
    path.dirname(dir),
  ]);
  fs.symlinkSync(to, abs);
  return `link out of the copy at ${t} -> ${path.relative(path.dirname(sentinel), to) || '.'}`;
}

/** True when a parent of `rel` inside `dir` is a symbolic link (or not a folder). */
function underLink(dir: string, rel: string): boolean {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    try {
      const st = fs.lstatSync(path.join(dir, ...parts.slice(0, i)));
      if (st.isSymbolicLink()) return true;
      if (!st.isDirectory()) return false; // the op will fail with ENOTDIR, nothing written
    } catch {
      return false; // the rest does not exist: created inside
    }
  }
  return false;
}

/** Apply 1–4 content mutations, then 0–2 special entries; returns what was done. */
export function mutate(dir: string, m: Mutator, sentinel: string): string[] {
  const log: string[] = [];
  const target = (): string => {
    if (m.chance(0.55)) return m.pick(HOT);
    const { files, dirs } = entries(dir);
    const all = [...files, ...dirs];
    return all.length > 0 ? m.pick(all) : m.pick(HOT);
  };
  const attempt = (t: string, what: () => string): void => {
    if (underLink(dir, t)) {
      log.push(`skipped ${t}: under a link (never written through)`);
      return;
    }
    try {
      log.push(what());
    } catch (error) {
      log.push(`skipped: ${(error as Error).message}`); // e.g. a parent turned into a file
    }
  };
  const n = 1 + m.int(4);
  for (let i = 0; i < n; i++) {
    const op = m.pick(CONTENT_OPS);
    const t = target();
    attempt(t, () => op(dir, m, t));
  }
  const specials = m.int(3);
  for (let i = 0; i < specials; i++) {
    const t = target();
    const out = m.chance(0.4);
    const op = m.pick(LAST_OPS);
    attempt(t, () => (out ? linkOut(dir, m, t, sentinel) : op(dir, m, t)));
  }
  return log;
}
