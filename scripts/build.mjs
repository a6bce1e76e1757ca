// Build: compile TypeScript to dist/, copy generator templates beside the compiled
// generators (Yeoman reads templates next to the resolved index), make the bin
// executable (tsc drops the run bit), precompile the JSON Schemas (ajv standalone).
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
chmodSync(path.join(dist, 'cli', 'puruto.js'), 0o755);

if (existsSync(path.join(root, 'scripts', 'build-schemas.mjs'))) {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-schemas.mjs')], { stdio: 'inherit' });
}
console.log('built dist/');
