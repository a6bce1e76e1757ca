import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where this package lives. The CLI runs from its TypeScript sources (tests, under
 * tsx) or from the single-file bundle dist/cli/puruto.cjs, so paths are found by
 * walking up to our package.json rather than by fixed relative steps.
 */
const here = fileURLToPath(import.meta.url);
export const FROM_SOURCES = here.endsWith('.ts');

function findRoot(): string {
  for (let dir = path.dirname(here); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'generator-puruto') return dir;
      } catch {
        // unreadable package.json: keep walking up
      }
    }
    if (path.dirname(dir) === dir) return path.resolve(path.dirname(here), '..', '..');
  }
}

export const PACKAGE_ROOT = findRoot();

/** Entry file of one of our generators: sources under tsx, compiled JS otherwise. */
export function generatorEntry(key: string): string {
  return FROM_SOURCES
    ? path.join(PACKAGE_ROOT, 'generators', key, 'index.ts')
    : path.join(PACKAGE_ROOT, 'dist', 'generators', key, 'index.js');
}
