import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PYTHON } from '../helpers/python.js';
import { runGenerator, tempDir, withHome } from '../helpers/generators.js';

/**
 * Every kind's settings class (one typed class deriving from puruto_runtime.settings.Settings)
 * reads the same .env the same way, and that way is python-dotenv's: the same tricky .env
 * (inline comments, quotes, `export`, spaces around `=`, duplicate keys, empty values, CRLF) is
 * written into each generated repo, and a one-line Python prints what the kind's settings hold
 * next to what python-dotenv's dotenv_values reads from the same file. Each variable is written in
 * every form across the rounds. Then a FIFO at .env: each kind's settings load fails at once with
 * a message naming it, instead of blocking in open().
 */

interface Kind {
  kind: string;
  /** What the one-line Python imports: `from <module> import <cls>`. */
  module: string;
  cls: string;
  /** Every variable the kind reads, with a value written the way its parser gives it back as text. */
  values: Record<string, string>;
}

const KINDS: Kind[] = [
  {
    kind: 'cron',
    module: 'settings',
    cls: 'CronSettings',
    values: {
      DB_PATH: 'db/my cron.db',
      PURUTO_CRON_POLL_SECONDS: '45.0',
      PURUTO_CRON_LEASE_SECONDS: '10',
      PURUTO_CRON_MAX_PARALLEL: '3',
      PURUTO_CRON_TZ: 'UTC',
      PURUTO_TELEGRAM_PATH: '../tg#1',
      PURUTO_TELEGRAM_OUTBOX_FILE: 'inbox/out.jsonl',
    },
  },
  {
    kind: 'telegram',
    module: 'telegram_env',
    cls: 'TelegramSettings',
    values: {
      PURUTO_TELEGRAM_BOT_TOKEN: '123:ABC-def_ghi',
      PURUTO_TELEGRAM_DEFAULT_CHAT_ID: '-100123',
      PURUTO_TELEGRAM_ALLOWED_USERS: '111,222',
      PURUTO_TELEGRAM_ALLOWED_GROUPS: '-100777',
      PURUTO_TELEGRAM_API_BASE: 'http://127.0.0.1:9/bot',
      PURUTO_TELEGRAM_MAX_PARALLEL: '3',
      PURUTO_TELEGRAM_CONNECT_RETRIES: '0',
      DB_PATH: 'db/t.db',
    },
  },
  {
    kind: 'gateway',
    module: 'app',
    cls: 'GatewaySettings',
    values: {
      PURUTO_GATEWAY_API_KEY: 'k3y#not-a-comment',
      PURUTO_GATEWAY_HOST: '127.0.0.2',
      PURUTO_GATEWAY_PORT: '8788',
      PURUTO_DATA_PATH: '../vault dir',
      PURUTO_ECOSYSTEM_ROOTS: '/srv/a:/srv/b',
      PURUTO_GATEWAY_MAX_PARALLEL: '3',
    },
  },
  {
    kind: 'data',
    module: 'vault_store',
    cls: 'VaultSettings',
    values: { MAX_SIZE_MB: '0.5', PURUTO_ECOSYSTEM_ROOTS: '/srv/p' },
  },
];

/** The ways a line can set KEY to value (EMPTY sets it to the empty string: the default applies). */
const FORMS: ((key: string, value: string) => string)[] = [
  (k, v) => `${k}=${v} # a note`,
  (k, v) => `export ${k}=${v}`,
  (k, v) => `${k}="${v}"`,
  (k, v) => `${k}='${v}'   # quoted, then a note`,
  (k, v) => `${k} = ${v}`,
  (k, v) => `${k}=overridden\n# the last of duplicate keys wins\n${k}=${v}`,
  (k) => `${k}=`,
];
const EMPTY = FORMS.length - 1;

/** The .env of one round: variable i in form (i + round); CRLF line ends on odd rounds. */
function tricky(values: Record<string, string>, round: number): string {
  const lines = ['# puruto settings parity', '', 'UNRELATED=1 # note'];
  Object.entries(values).forEach(([key, value], i) => lines.push(FORMS[(i + round) % FORMS.length]!(key, value)));
  const text = `${lines.join('\n')}\n`;
  return round % 2 ? text.replace(/\n/g, '\r\n') : text;
}

/** Prints the kind's settings as text, its defaults, its .env files and what python-dotenv reads in each. */
const SNIPPET = (k: Kind): string =>
  [
    'import json, sys; from pathlib import Path; import dotenv',
    `from ${k.module} import ${k.cls} as C`,
    'from puruto_runtime.settings import SettingsError',
    'try:\n    s = C.load(Path("."))\nexcept SettingsError as e:\n    sys.exit(f"settings: {e}")',
    'files = [".env", *C.FALLBACK_FILES]',
    'print(json.dumps({"ours": {v: s.text_of(v) for v in C.variables()},' +
      ' "defaults": {v: C().text_of(v) for v in C.variables()},' +
      ' "files": [dict(dotenv.dotenv_values(f)) for f in files]}))',
  ].join('\n');

/** The process environment without any setting of a kind (each is read from the .env alone). */
function cleanEnv(): NodeJS.ProcessEnv {
  const names = new Set(KINDS.flatMap((k) => Object.keys(k.values)));
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !names.has(key)));
}

function runSnippet(k: Kind, dir: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(PYTHON, ['-c', SNIPPET(k)], { cwd: dir, encoding: 'utf8', env: cleanEnv(), timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Read {
  ours: Record<string, string>;
  defaults: Record<string, string>;
  files: Record<string, string | null>[];
}

describe('every kind reads .env as python-dotenv does (one settings class per kind)', function () {
  this.timeout(600_000);
  const dirs = new Map<string, string>();
  before(async function () {
    if (spawnSync(PYTHON, ['-c', 'import dotenv']).status !== 0) {
      this.skip(); // the reference needs python-dotenv: PURUTO_TEST_PYTHON=.deps/venv/latest/bin/python
    }
    const base = tempDir('puruto-settings-parity-');
    for (const k of KINDS) {
      const dest = path.join(base, 'ws', `puruto-${k.kind}`);
      await withHome(tempDir(), async () => runGenerator(k.kind, { options: { yes: true, destination: dest } }));
      dirs.set(k.kind, dest);
    }
  });

  for (const k of KINDS) {
    it(`${k.kind}: every variable, in every form, reads as python-dotenv reads it`, () => {
      const dir = dirs.get(k.kind)!;
      for (let round = 0; round < FORMS.length; round += 1) {
        const text = tricky(k.values, round);
        writeFileSync(path.join(dir, '.env'), text);
        const r = runSnippet(k, dir);
        assert.equal(r.status, 0, `round ${round}:\n${text}\n${r.stderr}`);
        const read = JSON.parse(r.stdout) as Read;
        assert.deepEqual(Object.keys(read.ours).sort(), Object.keys(k.values).sort(), 'the variables the kind reads');
        Object.keys(k.values).forEach((key, i) => {
          const form = (i + round) % FORMS.length;
          const theirs = read.files[0]![key];
          assert.equal(theirs, form === EMPTY ? '' : k.values[key], `python-dotenv, ${key}, round ${round}`);
          // python-dotenv's value, else the next file's (the vault's .env.example), else the default
          const fallback = read.files.map((f) => f[key]).find((v) => v !== null && v !== undefined && v.trim() !== '');
          assert.equal(read.ours[key], fallback ?? read.defaults[key], `${k.kind} ${key}, round ${round}:\n${text}`);
        });
      }
    });
  }

  for (const k of KINDS) {
    it(`${k.kind}: a FIFO at .env is reported at once, never waited on`, () => {
      const dir = dirs.get(k.kind)!;
      const env = path.join(dir, '.env');
      rmSync(env, { force: true });
      assert.equal(spawnSync('mkfifo', [env]).status, 0, 'mkfifo');
      try {
        const r = runSnippet(k, dir);
        assert.equal(r.status, 1, `the load ended by itself, with an error (signal: none): ${r.stdout}${r.stderr}`);
        assert.match(r.stderr, /\.env is a FIFO \(named pipe\), not a regular file: it is not read/);
        assert.doesNotMatch(r.stderr, /Traceback/);
      } finally {
        rmSync(env, { force: true });
      }
    });
  }
});
