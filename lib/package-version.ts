/**
 * This package's version, for `.yo-rc.json` (generatorVersion) and `puruto update`.
 * Found by walking up from this module to our package.json, so it works from the
 * sources (tsx), from dist/generators (yo) and from the CLI bundles alike.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function generatorVersion(): string {
  if (cached !== undefined) return cached;
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const data = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown; version?: unknown };
        if (data.name === 'generator-puruto' && typeof data.version === 'string') return (cached = data.version);
      } catch {
        // unreadable package.json: keep walking up
      }
    }
    if (path.dirname(dir) === dir) return (cached = 'unknown');
  }
}
