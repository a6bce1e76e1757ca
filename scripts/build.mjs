// Build: compile TypeScript to dist/, copy generator templates beside the compiled
// generators (Yeoman reads templates next to the resolved index) and the Python runtime
// package to dist/python, precompile the JSON
// Schemas (ajv standalone), then bundle the `puruto` command into one CommonJS file:
// no ESM loader start-up and no module graph to walk, which keeps `puruto validate`
// close to bare Node. Yeoman stays external (loaded by `puruto new` only); generators
// are loaded from dist/generators at run time, like yo does.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const dist = path.join(root, 'dist');
rmSync(dist, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });

for (const gen of readdirSync(path.join(root, 'generators'), { withFileTypes: true })) {
  const templates = path.join(root, 'generators', gen.name, 'templates');
  if (gen.isDirectory() && existsSync(templates)) {
    cpSync(templates, path.join(dist, 'generators', gen.name, 'templates'), { recursive: true });
  }
}
// The runtime package every repo vendors, and the tests of it some repos ship
// (generators/shared/runtime-files.ts reads dist/python once built); no bytecode.
const noBytecode = (src) => !src.split(path.sep).some((part) => part === '__pycache__' || part === '.pytest_cache');
for (const part of ['puruto_runtime', 'tests']) {
  cpSync(path.join(root, 'python', part), path.join(dist, 'python', part), { recursive: true, filter: noBytecode });
}
// The one pin file, read by the generators (generators/shared/pins.ts) from dist/ too.
cpSync(path.join(root, 'pins.json'), path.join(dist, 'pins.json'));
execFileSync(process.execPath, [path.join(root, 'scripts', 'build-schemas.mjs')], { stdio: 'inherit' });

const { build } = await import('esbuild');
const { realUrls, realUrlsBanner } = await import('./bundle/real-urls.mjs');
const bin = path.join(dist, 'cli', 'puruto.cjs');
// 1. The command itself (help, validate): CommonJS, everything but `new` inside.
await build({
  entryPoints: [path.join(dist, 'cli', 'puruto.js')],
  outfile: bin,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  external: ['ajv', 'ajv/*', 'cron-parser'],
  // The sources use import.meta.url to find the package root (cli/paths.ts).
  define: { 'import.meta.url': '__puruto_import_meta_url' },
  banner: { js: "var __puruto_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [
    {
      // The commands that need Yeoman (new, init) and upgrade (templates, ejs) are
      // bundles of their own, loaded only when those commands run.
      name: 'heavy-commands-apart',
      setup(b) {
        b.onResolve({ filter: /^\.\/commands\/(new|init)\.js$/ }, () => ({ path: './yeoman.mjs', external: true }));
        b.onResolve({ filter: /^\.\/commands\/upgrade\.js$/ }, () => ({ path: './upgrade.mjs', external: true }));
        b.onResolve({ filter: /^\.\/commands\/update\.js$/ }, () => ({ path: './update.mjs', external: true }));
        b.onResolve({ filter: /^\.\/commands\/doctor\.js$/ }, () => ({ path: './doctor.mjs', external: true }));
      },
    },
  ],
});
// 2. `puruto new` and `puruto init`: ESM, with Yeoman and the generators inside, so they
//    start without walking ~1,000 small modules (lodash-es alone is 640 files).
// 3. `puruto upgrade`: ESM, with the generators' file plans and ejs inside (no Yeoman);
//    templates are read from dist/generators like yo does.
const esm = (entry, out) =>
  build({
    entryPoints: [path.join(dist, 'cli', 'commands', entry)],
    outfile: path.join(dist, 'cli', out),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    alias: { 'fly-import': path.join(root, 'scripts', 'bundle', 'fly-import-stub.mjs') },
    banner: { js: realUrlsBanner },
    plugins: [realUrls(root)],
  });
await esm('yeoman.js', 'yeoman.mjs');
await esm('upgrade.js', 'upgrade.mjs');
// 4. `puruto update`: ESM, the whole rendering (plans, add-ons' merges, ejs) inside.
await esm('update.js', 'update.mjs');
// 5. `puruto doctor`: ESM, so the runtime's adapters.json is found through real URLs.
await esm('doctor.js', 'doctor.mjs');
// One copy of the CLI is shipped: the bundles.
const BUNDLES = new Set(['puruto.cjs', 'yeoman.mjs', 'upgrade.mjs', 'update.mjs', 'doctor.mjs']);
for (const entry of readdirSync(path.join(dist, 'cli'))) {
  if (!BUNDLES.has(entry)) rmSync(path.join(dist, 'cli', entry), { recursive: true });
}
chmodSync(bin, 0o755);
console.log('built dist/');
