import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PurutoError } from './errors.js';

/** Reads an --answers JSON file: an object of answers keyed by flag name. */
export async function readAnswersFile(file: string, cwd: string): Promise<Record<string, unknown>> {
  const abs = path.resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new PurutoError(`--answers ${file}: cannot read it (${why})`, 2);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PurutoError(`--answers ${file}: not valid JSON (${(error as Error).message})`, 2);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new PurutoError(`--answers ${file}: expected a JSON object like {"name": "puruto-notes", "db": true}`, 2);
  }
  return data as Record<string, unknown>;
}
