import { readFileSync } from 'node:fs';

/** This package's package.json (sources run from ./cli, the build from ./dist/cli). */
export function packageInfo(): { name: string; version: string } {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'generator-puruto' && pkg.version) return { name: pkg.name, version: pkg.version };
    } catch {
      // try the next location
    }
  }
  return { name: 'generator-puruto', version: 'unknown' };
}
