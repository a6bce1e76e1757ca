/**
 * An upgrade works on a draft: reads see the disk plus what earlier steps wrote, writes
 * stay in memory. Only when every step has run does `write.ts` put the changes on disk,
 * so a failure half way leaves the repo as it was.
 *
 * A draft never reaches outside its repo: reads are regular files only (size-capped, so
 * a FIFO or /dev/zero link cannot hang it), and a write whose path crosses a symbolic
 * link that leaves the repo (e.g. `inbox -> /elsewhere`) is refused, naming the link
 * (lib/write-guard.ts, the guard every writer shares).
 * Contents are bytes, so an edit keeps every byte it does not touch.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readRegularFile } from '../safe-read.js';
import { escapeMessage, escapingLink } from '../write-guard.js';

export class UpgradeError extends Error {}

export interface Change {
  /** Relative posix path. */
  rel: string;
  /** New content (a string is written as UTF-8). */
  text: string | Buffer;
  /** Content on disk before the upgrade; undefined = the file is new. */
  before: string | Buffer | undefined;
  /** Permission bits of the file before the upgrade (kept on write and on rollback). */
  mode?: number | undefined;
  /** Absolute path written: the file itself, or the real file a link inside the repo points to. */
  target?: string | undefined;
}

type Entry = 'file' | 'dir' | 'missing' | 'other';

function bytesOf(data: string | Buffer): Buffer {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

export class Draft {
  private readonly written = new Map<string, Change>();
  private realRootCache: string | undefined;

  /** `command`: what the user runs again after fixing a refusal (named in messages). */
  constructor(
    readonly root: string,
    private readonly command = 'puruto upgrade',
  ) {}

  private abs(rel: string): string {
    return path.join(this.root, ...rel.split('/'));
  }

  private get realRoot(): string {
    if (this.realRootCache === undefined) {
      try {
        this.realRootCache = fs.realpathSync.native(this.root);
      } catch {
        this.realRootCache = path.resolve(this.root);
      }
    }
    return this.realRootCache;
  }

  /** What is at `rel` (a symlink counts as what it points to). */
  entry(rel: string): Entry {
    if (this.written.has(rel)) return 'file';
    try {
      const st = fs.statSync(this.abs(rel));
      return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
    } catch {
      return 'missing';
    }
  }

  /** Names in the folder `rel` on disk (sorted); [] when it is not a readable folder. */
  list(rel: string): string[] {
    try {
      return fs.readdirSync(this.abs(rel)).sort();
    } catch {
      return [];
    }
  }

  /** Bytes of `rel` as the draft sees it; undefined when it is not a readable regular file. */
  readBytes(rel: string): Buffer | undefined {
    const mine = this.written.get(rel);
    if (mine) return bytesOf(mine.text);
    const r = readRegularFile(this.abs(rel));
    return r.ok ? r.bytes : undefined;
  }

  /** Text (UTF-8) of `rel` as the draft sees it; undefined when it is not a readable file. */
  read(rel: string): string | undefined {
    return this.readBytes(rel)?.toString('utf8');
  }

  /** Record a new content for `rel`; refuses paths that cannot become a file or that leave the repo. */
  write(rel: string, text: string | Buffer): void {
    const escape = escapingLink(this.root, rel, this.realRoot);
    if (escape !== undefined) throw new UpgradeError(escapeMessage(escape, this.command));
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      const e = this.entry(parent);
      if (e !== 'dir' && e !== 'missing')
        throw new UpgradeError(
          `cannot write ${rel}: ${parent} exists and is not a folder; move it away and run upgrade again`,
        );
    }
    const e = this.entry(rel);
    if (e !== 'file' && e !== 'missing')
      throw new UpgradeError(
        `cannot write ${rel}: a folder or special file is in the way; move it away and run upgrade again`,
      );
    const earlier = this.written.get(rel);
    if (earlier !== undefined) {
      this.written.set(rel, { ...earlier, text });
      return;
    }
    const before = this.readBytes(rel);
    if (e === 'file' && before === undefined)
      throw new UpgradeError(
        `cannot write ${rel}: it cannot be read (permissions, or too large); fix it and run upgrade again`,
      );
    let mode: number | undefined;
    let target = this.abs(rel);
    try {
      // A link inside the repo stays a link: its real file is the one rewritten.
      target = fs.realpathSync.native(target);
      mode = fs.statSync(target).mode & 0o7777;
    } catch {
      mode = undefined;
    }
    this.written.set(rel, { rel, text, before, mode, target: before === undefined ? this.abs(rel) : target });
  }

  /** The files to write, minus those that end up as they were. */
  changes(): Change[] {
    return [...this.written.values()].filter(
      (c) => c.before === undefined || !bytesOf(c.text).equals(bytesOf(c.before)),
    );
  }
}
