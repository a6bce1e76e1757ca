#!/usr/bin/env node
// Precompile the JSON Schemas to dist/lib/schemas/standalone.js (ajv standalone, ESM),
// so `puruto validate` never imports or compiles ajv at runtime.
// Run after `tsc` has compiled the sources into dist/ (or pass another output folder:
// `node scripts/build-schemas.mjs path/to/outDir`).
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(path.resolve(root, process.argv[2] ?? 'dist'), 'lib', 'schemas');
const compileModule = path.join(dir, 'compile.js');

let standaloneSource;
try {
  ({ standaloneSource } = await import(pathToFileURL(compileModule).href));
} catch (error) {
  console.error(`build-schemas: cannot load ${path.relative(root, compileModule)} (run tsc first): ${error.message}`);
  process.exit(1);
}

const target = path.join(dir, 'standalone.js');
await writeFile(target, await standaloneSource());

// Smoke test: the generated module loads on its own and exports every validator.
const { SCHEMA_IDS } = await import(pathToFileURL(path.join(dir, 'definitions.js')).href);
const standalone = await import(`${pathToFileURL(target).href}?check`);
const missing = SCHEMA_IDS.filter((id) => typeof standalone[id] !== 'function');
if (missing.length > 0) {
  console.error(`build-schemas: ${path.relative(root, target)} lacks validators: ${missing.join(', ')}`);
  process.exit(1);
}
console.log(`build-schemas: wrote ${path.relative(root, target)} (${SCHEMA_IDS.join(', ')})`);
