/**
 * The registry lock of puruto-data, the same protocol as the vault's own vault_store.py
 * (`registry_lock`), so `puruto init` and concurrent `python3 vault.py register` calls never
 * lose each other's entries:
 *
 * - the lock is the folder `<vault>/.registry.lock.d`, taken with mkdir (atomic), holding
 *   `owner` = {"pid", "host", "since" (seconds since the epoch), "token"};
 * - its holder removes it when done (only while `owner` is still its own token);
 * - a lock whose owner process is gone (same host) or older than 30 s is stale: it is renamed
 *   to `.registry.lock.d.stale.<random>` (one process wins that rename), deleted, taken again;
 * - once holding it, leftovers of killed writers (`.registry.json.*.tmp`, stale folders) are deleted.
 *
 * Synchronous (init's writer is): waiting sleeps with Atomics.wait. Never prints.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const LOCK_DIR = '.registry.lock.d';
export const LOCK_STALE_MS = 30_000;
export const LOCK_WAIT_MS = 60_000;
const REGISTRY_FILE = 'registry.json';

interface Owner {
  pid?: unknown;
  host?: unknown;
  since?: unknown;
  token?: unknown;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readOwner(lock: string): Owner | undefined {
  try {
    const file = path.join(lock, 'owner');
    const st = fs.lstatSync(file);
    if (!st.isFile() || st.size > 4096) return undefined; // never read a FIFO or a huge file
    const data: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Owner) : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: unknown): boolean {
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0 || process.platform === 'win32') return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function isStale(lock: string): boolean {
  const owner = readOwner(lock);
  let sinceMs: number;
  if (owner && typeof owner.since === 'number') sinceMs = owner.since * 1000;
  else {
    try {
      sinceMs = fs.statSync(lock).mtimeMs;
    } catch {
      return false; // gone meanwhile: try again
    }
  }
  if (Date.now() - sinceMs > LOCK_STALE_MS) return true;
  return owner !== undefined && owner.host === os.hostname() && !alive(owner.pid);
}

function breakLock(lock: string): void {
  const aside = path.join(path.dirname(lock), `${LOCK_DIR}.stale.${crypto.randomBytes(8).toString('hex')}`);
  try {
    fs.renameSync(lock, aside);
  } catch {
    return; // another process broke it first
  }
  fs.rmSync(aside, { recursive: true, force: true });
}

/** Temp files and broken-lock folders an interrupted writer left (call holding the lock). */
export function cleanLeftovers(vault: string): string[] {
  const removed: string[] = [];
  for (const entry of fs.readdirSync(vault, { withFileTypes: true })) {
    const name = entry.name;
    if (name.startsWith(`.${REGISTRY_FILE}.`) && name.endsWith('.tmp') && entry.isFile()) {
      fs.rmSync(path.join(vault, name), { force: true });
      removed.push(name);
    } else if (name.startsWith(`${LOCK_DIR}.stale.`) && entry.isDirectory()) {
      fs.rmSync(path.join(vault, name), { recursive: true, force: true });
      removed.push(name);
    }
  }
  return removed;
}

export type Locked<T> = { ok: true; value: T } | { ok: false; message: string };

/** Runs `fn` holding the vault's registry lock; a lock held too long is a clear message. */
export function withRegistryLock<T>(vault: string, fn: () => T, waitMs: number = LOCK_WAIT_MS): Locked<T> {
  const lock = path.join(vault, LOCK_DIR);
  const deadline = Date.now() + waitMs;
  let delay = 2;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        return {
          ok: false,
          message:
            `cannot take the registry lock ${lock} (${(error as Error).message}): check the permissions of ` +
            `${vault}`,
        };
      }
    }
    if (isStale(lock)) {
      breakLock(lock);
      continue;
    }
    if (Date.now() > deadline) {
      const owner = readOwner(lock);
      return {
        ok: false,
        message:
          `registry.json has been locked by another process for over ${Math.round(waitMs / 1000)} s ` +
          `(${owner ? `pid ${String(owner.pid)}` : 'owner unknown'}): ` +
          `if no vault.py or puruto init is running, delete the folder ${lock} and try again`,
      };
    }
    sleep(delay);
    delay = Math.min(delay * 2, 50);
  }
  const token = `${process.pid}-${crypto.randomBytes(12).toString('hex')}`;
  try {
    fs.writeFileSync(
      path.join(lock, 'owner'),
      JSON.stringify({ pid: process.pid, host: os.hostname(), since: Date.now() / 1000, token }),
    );
    cleanLeftovers(vault);
    return { ok: true, value: fn() };
  } finally {
    const owner = readOwner(lock);
    if (owner === undefined || owner.token === token) fs.rmSync(lock, { recursive: true, force: true });
  }
}
