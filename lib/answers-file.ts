import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Reads an --answers JSON file: an object of answers keyed by flag name. */
export async function readAnswersFile(
  file: string,
  cwd: string,
): Promise<{ ok: true; data: Record<string, unknown> } | { ok: false; message: string }> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    return { ok: false, message: `--answers ${file}: cannot read it (${why})` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `--answers ${file}: not valid JSON (${(error as Error).message})` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, message: `--answers ${file}: expected a JSON object like {"name": "puruto-notes", "db": true}` };
  }
  return { ok: true, data: data as Record<string, unknown> };
}
