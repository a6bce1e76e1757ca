import path from 'node:path';
import { describeReadFailure, readRegularFile, strictUtf8 } from './safe-read.js';

/** An answers file is a small JSON object; anything bigger is not one. */
export const ANSWERS_MAX_BYTES = 1024 * 1024;

/**
 * Reads an --answers JSON file: an object of answers keyed by flag name. Only a regular
 * file (a FIFO or device must not hang the run), at most ANSWERS_MAX_BYTES, valid UTF-8
 * (a broken byte would otherwise land in the repo as U+FFFD).
 */
export async function readAnswersFile(
  file: string,
  cwd: string,
): Promise<{ ok: true; data: Record<string, unknown> } | { ok: false; message: string }> {
  const read = readRegularFile(path.resolve(cwd, file), { maxBytes: ANSWERS_MAX_BYTES });
  if (!read.ok) {
    return {
      ok: false,
      message:
        `--answers ${file}: cannot read it (${describeReadFailure(read.code, ANSWERS_MAX_BYTES)}); give a ` +
        `JSON file like {"name": "puruto-notes"}`,
    };
  }
  const text = strictUtf8(read.bytes);
  if (text === undefined) {
    const at = firstInvalidUtf8(read.bytes);
    return {
      ok: false,
      message: `--answers ${file}: not valid UTF-8 (bad byte at offset ${at}); save the file as UTF-8`,
    };
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, message: `--answers ${file}: not valid JSON (${(error as Error).message})` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      ok: false,
      message: `--answers ${file}: expected a JSON object like {"name": "puruto-notes", "db": true}`,
    };
  }
  return { ok: true, data: data as Record<string, unknown> };
}

/** Offset of the first byte that breaks UTF-8 (binary search on the strict decoder). */
function firstInvalidUtf8(bytes: Buffer): number {
  let lo = 0;
  let hi = bytes.length;
  // Invariant: bytes[0, lo) decodes (allowing a sequence cut at the end), bytes[0, hi) does not.
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (decodesPrefix(bytes.subarray(0, mid))) lo = mid;
    else hi = mid;
  }
  return lo;
}

function decodesPrefix(prefix: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(prefix, { stream: true });
    return true;
  } catch {
    return false;
  }
}
