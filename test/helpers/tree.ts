import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './repo.js';

const LEGACY = fileURLToPath(new URL('../fixtures/legacy/', import.meta.url));

/** Every file under `dir` (relative posix path → content; a symlink → `-> target`). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (r === '.git' || e.name === '__pycache__') continue;
      if (e.isSymbolicLink()) out[r] = `-> ${fs.readlinkSync(path.join(dir, r))}`;
      else if (e.isDirectory()) walk(r);
      else out[r] = fs.readFileSync(path.join(dir, r), 'utf8');
    }
  };
  walk('');
  return out;
}

/** A fresh copy of test/fixtures/legacy/<fixture> (e.g. `telegram-0.1.0/puruto-telegram`). */
export function legacyRepo(fixture: string): string {
  const dest = path.join(tempDir('puruto-legacy-'), path.basename(fixture));
  fs.cpSync(path.join(LEGACY, fixture), dest, { recursive: true });
  return dest;
}
