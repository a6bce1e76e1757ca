// Build: compile TypeScript to dist/, copy generator templates beside the compiled
// generators (Yeoman reads templates next to the resolved index), precompile the JSON
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
execFileSync(process.execPath, [path.join(root, 'scripts', 'build-schemas.mjs')], { stdio: 'inherit' });

const { build } = await import('esbuild');
const bin = path.join(dist, 'cli', 'puruto.cjs');
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
  external: ['yeoman-environment', 'yeoman-generator', 'ajv', 'ajv/*', 'cron-parser'],
  // The sources use import.meta.url to find the package root (cli/paths.ts).
  define: { 'import.meta.url': '__puruto_import_meta_url' },
  banner: { js: "var __puruto_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
});
// One copy of the CLI is shipped: the bundle.
for (const entry of readdirSync(path.join(dist, 'cli'))) {
  if (entry !== 'puruto.cjs') rmSync(path.join(dist, 'cli', entry), { recursive: true });
}
chmodSync(bin, 0o755);
console.log('built dist/');
