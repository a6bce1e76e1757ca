import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Relative posix paths of every file under dir (symlinks listed, not followed), .git apart. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return (
    entries
      .filter((e) => !e.isDirectory())
      .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
      // The repo's git folder (generation's first commit) is not a generated file.
      .filter((rel) => rel !== '.git' && !rel.startsWith('.git/'))
      .sort()
  );
}
