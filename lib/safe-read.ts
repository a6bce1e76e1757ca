/**
 * Reading a file that someone else put there: only a regular file, never more than a
 * size cap. A FIFO, a socket or a link to /dev/zero or /dev/urandom in place of
 * `.yo-rc.json` must not hang a command or fill its memory.
 *
 * How: open with O_NONBLOCK (opening a FIFO with no writer returns at once instead of
 * blocking), check the opened descriptor with fstat (so a file swapped for a FIFO
 * between a stat and the open is still refused), then read at most `maxBytes + 1`
 * bytes. Synchronous on purpose (see lib/validate/context.ts). Never throws, never prints.
 */
import fs from 'node:fs';

/** Default cap: a Puruto's own files (JSON, Markdown, dotenv) are tiny. */
export const SAFE_READ_MAX_BYTES = 8 * 1024 * 1024;

export type SafeRead = { ok: true; bytes: Buffer } | { ok: false; code: string };

export interface SafeReadOptions {
  /** Refuse files longer than this (EFBIG). */
  maxBytes?: number;
  /** Refuse a symbolic link at the last component instead of following it (ELOOP). */
  noFollow?: boolean;
}

function errCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}

const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/** The bytes of the regular file `abs`, or why not (ENOENT, ENOTFILE, EFBIG, EACCES, ...). */
export function readRegularFile(abs: string, options: SafeReadOptions = {}): SafeRead {
  const max = options.maxBytes ?? SAFE_READ_MAX_BYTES;
  let fd: number | undefined;
  try {
    fd = fs.openSync(abs, fs.constants.O_RDONLY | O_NONBLOCK | (options.noFollow ? O_NOFOLLOW : 0));
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { ok: false, code: st.isDirectory() ? 'EISDIR' : 'ENOTFILE' };
    if (st.size > max) return { ok: false, code: 'EFBIG' };
    // The size can grow while reading (or lie, e.g. on /proc): read to EOF, bounded.
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.allocUnsafe(Math.min(Math.max(st.size + 1, 4096), max + 1, 1024 * 1024));
    for (;;) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, max + 1 - total), null);
      if (n === 0) break;
      total += n;
      if (total > max) return { ok: false, code: 'EFBIG' };
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (error) {
    return { ok: false, code: errCode(error) };
  } finally {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // the result is already known
      }
    }
  }
}

/** UTF-8 text of a regular file (invalid bytes become U+FFFD), or why not. */
export function readTextFile(
  abs: string,
  options: SafeReadOptions = {},
): { ok: true; text: string } | { ok: false; code: string } {
  const r = readRegularFile(abs, options);
  return r.ok ? { ok: true, text: r.bytes.toString('utf8') } : r;
}

/** The text of `bytes` when they are valid UTF-8 (a leading BOM dropped), else undefined. */
export function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

const WHY: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTFILE: 'not a regular file (a FIFO, socket or device)',
  EISDIR: 'a folder, not a file',
  EFBIG: 'too large',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'a symbolic link loop',
  ENOTDIR: 'a parent is not a folder',
  EIO: 'an I/O error',
};

/** Human words for a failed read: "not a regular file (a FIFO, socket or device)". */
export function describeReadFailure(code: string, maxBytes = SAFE_READ_MAX_BYTES): string {
  if (code === 'EFBIG') return `too large (over ${Math.round(maxBytes / 1024)} KiB)`;
  return WHY[code] ?? code;
}
