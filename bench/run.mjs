#!/usr/bin/env node
// Benchmarks of generator-puruto, run on demand (`npm run bench`); they print figures
// and PASS/MISS against the targets, they never fail a build. See bench/README.md.
//
//   1. `puruto validate <repo>` vs `node -e 0`          median of ≥ 15 interleaved runs
//   2. `puruto new` vs `yo puruto`, same answers          median of ≥ 5 interleaved runs
//   3. `puruto validate --workspace` on 1,000 Purutos    median of 5
//
// Options: --runs N (validate runs, default 21), --gen-runs N (new/yo runs, default 7),
// --count N (workspace size, default 1000), --prefix DIR (reuse an npm prefix holding
// generator-puruto and yo, e.g. one kept by PURUTO_E2E_KEEP=1), --no-yo, --keep.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST_BIN = path.join(ROOT, 'dist', 'cli', 'puruto.cjs');
const USER = 'puruto-e2e';
const NODE = process.execPath;
const NPM_QUIET = {
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  NO_UPDATE_NOTIFIER: '1',
};

const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '21' },
    'gen-runs': { type: 'string', default: '7' },
    count: { type: 'string', default: '1000' },
    prefix: { type: 'string' },
    'no-yo': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(
    'Usage: node bench/run.mjs [--runs N] [--gen-runs N] [--count N] [--prefix DIR] [--no-yo] [--keep]\nSee ' +
      'bench/README.md.',
  );
  process.exit(0);
}
const RUNS = Math.max(15, Number(opt.runs));
const GEN_RUNS = Math.max(5, Number(opt['gen-runs']));
const COUNT = Number(opt.count);

// ---------------------------------------------------------------- helpers
function sh(cmd, args, { cwd = ROOT, env = process.env, timeout = 600_000 } = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return r;
}
function must(r, what) {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
}
/** Wall time of one run in ms; asserts the exit code. */
function timed(cmd, args, opts, expectCode = 0) {
  const t0 = process.hrtime.bigint();
  const r = sh(cmd, args, opts);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== expectCode)
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status} (expected ${expectCode}):\n${r.stdout}\n${r.stderr}`);
  return { ms, r };
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const verdict = (ok) => (ok ? 'PASS' : 'MISS');
function tmpDir(prefix) {
  const d = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  chmodSync(d, 0o755);
  return d;
}
const rows = [];
function row(bench, a, b, ratioOrValue, target, pass) {
  rows.push({ bench, a, b, ratioOrValue, target, result: verdict(pass) });
}

// ---------------------------------------------------------------- setup
if (!existsSync(DIST_BIN)) {
  console.log('dist/ is missing: running npm run build ...');
  must(sh('npm', ['run', 'build'], { timeout: 600_000 }), 'npm run build');
}
const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
const cpus = os.cpus();
console.log(`generator-puruto ${version} benchmarks`);
console.log(
  `machine: ${cpus.length} cores (${cpus[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ` +
    `${os.platform()} ${os.release()}`,
);
console.log(`node ${process.version}, npm ${sh('npm', ['-v']).stdout.trim()}`);
console.log('');

const tmp = tmpDir('puruto-bench-');
const home = path.join(tmp, 'home');
mkdirSync(home);
const baseEnv = {
  PATH: [path.dirname(NODE), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
  HOME: home,
  ...NPM_QUIET,
};

try {
  // One generated repo, from the built dist/ (what is being measured is the validator).
  const one = path.join(tmp, 'one', 'puruto-bench');
  must(
    sh(NODE, [DIST_BIN, 'new', 'puruto-bench', '--description', 'Benchmark Puruto', '--yes', '--destination', one], {
      cwd: tmp,
      env: baseEnv,
    }),
    'puruto new',
  );
  must(sh(NODE, [DIST_BIN, 'validate', one, '--strict'], { cwd: tmp, env: baseEnv }), 'puruto validate (sanity)');

  // ------------------------------------------------------------ 1. validate vs node -e 0
  {
    const v = [];
    const n = [];
    const cmdV = [DIST_BIN, 'validate', one];
    for (let i = 0; i < 2; i++) {
      timed(NODE, cmdV, { cwd: tmp, env: baseEnv });
      timed(NODE, ['-e', '0'], { cwd: tmp, env: baseEnv });
    }
    for (let i = 0; i < RUNS; i++) {
      n.push(timed(NODE, ['-e', '0'], { cwd: tmp, env: baseEnv }).ms);
      v.push(timed(NODE, cmdV, { cwd: tmp, env: baseEnv }).ms);
    }
    const ratio = median(v) / median(n);
    console.log(
      `1. puruto validate <repo>: median ${fmt(median(v))} (min ${fmt(Math.min(...v))}); node -e 0: ` +
        `median ${fmt(median(n))} (min ${fmt(Math.min(...n))}); ${RUNS} interleaved runs each`,
    );
    row(
      'validate <repo> vs node -e 0',
      fmt(median(v)),
      fmt(median(n)),
      `${ratio.toFixed(2)}x`,
      '<= 2.0x',
      ratio <= 2.0,
    );
    // Where the time goes: bare node, + loading the one-file CLI bundle (`--version`),
    // + validating the repo. Medians of fresh processes, interleaved.
    const ver = [];
    for (let i = 0; i < RUNS; i++) ver.push(timed(NODE, [DIST_BIN, '--version'], { cwd: tmp, env: baseEnv }).ms);
    console.log(
      `   breakdown: node boot ${fmt(median(n))}; + load the CLI bundle ${fmt(median(ver) - median(n))}; ` +
        `+ validate the repo ${fmt(median(v) - median(ver))}`,
    );
  }

  // ------------------------------------------------------------ 3. workspace of COUNT repos
  {
    const ws = path.join(tmp, 'ws');
    mkdirSync(ws);
    const t0 = Date.now();
    for (let i = 1; i <= COUNT; i++) {
      // cp -r keeping .agents/skills as the relative symlink it is.
      cpSync(one, path.join(ws, `puruto-bench-${String(i).padStart(4, '0')}`), {
        recursive: true,
        verbatimSymlinks: true,
      });
    }
    console.log(`   (copied ${COUNT} repos in ${fmt(Date.now() - t0)})`);
    const args = [DIST_BIN, 'validate', '--workspace', ws, '--json'];
    const first = timed(NODE, args, { cwd: tmp, env: baseEnv });
    const report = JSON.parse(first.r.stdout);
    if (report.repos !== COUNT || !report.ok)
      throw new Error(`workspace report: repos=${report.repos} ok=${report.ok} errors=${report.errors}`);
    const w = [];
    for (let i = 0; i < 5; i++) w.push(timed(NODE, args, { cwd: tmp, env: baseEnv }).ms);
    console.log(
      `3. puruto validate --workspace (${COUNT} repos) --json: median ${fmt(median(w))} of 5 (runs: ` +
        `${w.map(fmt).join(', ')}; first, cold-ish: ${fmt(first.ms)})`,
    );
    row(`validate --workspace (${COUNT} repos)`, fmt(median(w)), '', fmt(median(w)), '<= 1.5 s', median(w) <= 1500);
    if (!opt.keep) rmSync(ws, { recursive: true, force: true });
  }

  // ------------------------------------------------------------ 2. puruto new vs yo puruto
  // Fairness: both run from ONE globally-installed prefix (npm pack of dist/ + yo@7,
  // exactly as the e2e tier and users install them), as the same ordinary user (yo
  // refuses root), with the same answers, into fresh folders, interleaved. Both thus load
  // the same installed generator files; the difference is yo's own startup (its CLI,
  // environment lookup of every installed generator, `npm root -g`) vs `puruto`'s
  // direct registration of its own generators.
  if (opt['no-yo']) {
    console.log('2. puruto new vs yo puruto: skipped (--no-yo)');
  } else {
    const runner = yoRunner();
    if (!runner.ok) {
      console.log(`2. puruto new vs yo puruto: skipped — ${runner.reason}`);
    } else {
      const prefix = opt.prefix ? path.resolve(opt.prefix) : install(tmp);
      for (const b of ['puruto', 'yo'])
        if (!existsSync(path.join(prefix, 'bin', b))) throw new Error(`${prefix}/bin/${b} missing`);
      const out = path.join(tmp, 'gen');
      mkdirSync(out);
      const yoHome = path.join(tmp, 'yo-home');
      mkdirSync(yoHome);
      if (runner.chown) {
        chownSync(out, runner.uid, runner.gid);
        chownSync(yoHome, runner.uid, runner.gid);
      }
      const env = {
        ...baseEnv,
        HOME: yoHome,
        PATH: `${path.join(prefix, 'bin')}:${baseEnv.PATH}`,
        npm_config_prefix: prefix,
      };
      const answers = (name) => [
        name,
        '--description',
        'Benchmark Puruto',
        '--yes',
        '--destination',
        path.join(out, name),
      ];
      const p = [];
      const y = [];
      let k = 0;
      const once = (tool) => {
        const name = `puruto-${tool}-${k++}`;
        const argv = tool === 'puruto' ? ['puruto', 'new', ...answers(name)] : ['yo', 'puruto', ...answers(name)];
        return timed(...runner.wrap(argv, env), { cwd: out, env: process.env }).ms;
      };
      once('puruto');
      once('yo'); // warm the file cache
      for (let i = 0; i < GEN_RUNS; i++) {
        p.push(once('puruto'));
        y.push(once('yo'));
      }
      const ratio = median(p) / median(y);
      console.log(
        `2. puruto new: median ${fmt(median(p))} (runs: ${p.map(fmt).join(', ')}); yo puruto: ` +
          `median ${fmt(median(y))} (runs: ${y.map(fmt).join(', ')})`,
      );
      row('puruto new vs yo puruto', fmt(median(p)), fmt(median(y)), `${ratio.toFixed(2)}x`, '<= 0.60x', ratio <= 0.6);
      // What `puruto new`'s one-file bundle (dist/cli/yeoman.mjs) avoids: loading Yeoman from
      // node_modules walks ~1,000 ES modules (lodash-es alone is ~640 files), and
      // yeoman-environment imports fly-import -> @npmcli/arborist (pacote, sigstore, ...)
      // although nothing is installed. yo pays all of it.
      const parts = inProcess(
        `
        // Transitive dependencies, found when npm hoisted them (it does today).
        const hoisted = (m) => import(m).catch(() => undefined);
        const t = [performance.now()];
        await hoisted('lodash-es'); t.push(performance.now());
        await hoisted('fly-import'); t.push(performance.now());
        await import('yeoman-environment'); t.push(performance.now());
        await import('yeoman-generator'); t.push(performance.now());
        console.log(JSON.stringify({
          'import lodash-es': t[1] - t[0],
          'import fly-import (@npmcli/arborist)': t[2] - t[1],
          'import rest of yeoman-environment': t[3] - t[2],
          'import yeoman-generator': t[4] - t[3],
        }));`,
        5,
      );
      console.log(
        `   avoided by the bundle (unbundled import costs): ${Object.entries(parts)
          .map(([k, ms]) => `${k} ${fmt(ms)}`)
          .join('; ')}`,
      );
    }
  }
} finally {
  if (opt.keep) console.log(`\nkept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}

console.log('');
const header = {
  bench: 'benchmark',
  a: 'median',
  b: 'baseline',
  ratioOrValue: 'ratio/value',
  target: 'target',
  result: 'result',
};
const cols = Object.keys(header);
const widths = cols.map((c) => Math.max(...[header, ...rows].map((r) => String(r[c]).length)));
for (const [i, r] of [header, ...rows].entries()) {
  console.log(
    cols
      .map((c, j) => String(r[c]).padEnd(widths[j]))
      .join('  ')
      .trimEnd(),
  );
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}

/** Runs an ESM snippet (printing one JSON object of ms) in `runs` fresh processes; medians. */
function inProcess(code, runs = 15) {
  const acc = {};
  for (let i = 0; i < runs; i++) {
    const r = must(sh(NODE, ['--input-type=module', '-e', code], { cwd: ROOT, env: baseEnv }), 'breakdown');
    for (const [k, ms] of Object.entries(JSON.parse(r.stdout))) (acc[k] ??= []).push(ms);
  }
  return Object.fromEntries(Object.entries(acc).map(([k, xs]) => [k, median(xs)]));
}

// ---------------------------------------------------------------- yo plumbing
/** npm pack dist/ and install it with yo@7 into <tmp>/prefix (as the e2e tier does). */
function install(dir) {
  const env = { ...process.env, ...NPM_QUIET };
  const packDir = path.join(dir, 'pack');
  mkdirSync(packDir);
  console.log('   (npm pack + npm install -g --prefix <tmp> <tarball> yo@7 ...)');
  must(sh('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], { env }), 'npm pack');
  const tgz = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
  const prefix = path.join(dir, 'prefix');
  must(
    sh('npm', ['install', '-g', '--prefix', prefix, path.join(packDir, tgz), 'yo@7'], { cwd: dir, env }),
    'npm install -g',
  );
  sh('chmod', ['-R', 'a+rX', prefix]);
  return prefix;
}

/** As root: run through `runuser -u puruto-e2e` (created if missing); otherwise directly. */
function yoRunner() {
  const wrapEnv = (env) => Object.entries(env).map(([k, v]) => `${k}=${v}`);
  if (process.getuid() !== 0) {
    return { ok: true, chown: false, wrap: (argv, env) => ['env', ['-i', ...wrapEnv(env), ...argv]] };
  }
  if (sh('id', ['-u', USER]).status !== 0) {
    const add = sh('useradd', ['-m', USER]);
    if (add.status !== 0)
      return {
        ok: false,
        reason: `running as root and cannot create user ${USER} (yo refuses root): ${add.stderr.trim()}`,
      };
  }
  const uid = Number(sh('id', ['-u', USER]).stdout.trim());
  const gid = Number(sh('id', ['-g', USER]).stdout.trim());
  const wrap = (argv, env) => ['runuser', ['-u', USER, '--', 'env', '-i', ...wrapEnv(env), ...argv]];
  if (sh(...wrap(['node', '-e', '0'], baseEnv)).status !== 0)
    return { ok: false, reason: `user ${USER} cannot run ${NODE}` };
  return { ok: true, chown: true, uid, gid, wrap };
}
