/**
 * An upgrade works on a draft: reads see the disk plus what earlier steps wrote, writes
 * stay in memory. Only when every step has run does `write.ts` put the changes on disk,
 * so a failure half way leaves the repo as it was.
 */
import fs from 'node:fs';
import path from 'node:path';

export class UpgradeError extends Error {}

export interface Change {
  /** Relative posix path. */
  rel: string;
  text: string;
  /** Content on disk before the upgrade; undefined = the file is new. */
  before: string | undefined;
}

type Entry = 'file' | 'dir' | 'missing' | 'other';

export class Draft {
  private readonly written = new Map<string, Change>();

  constructor(readonly root: string) {}

  private abs(rel: string): string {
    return path.join(this.root, ...rel.split('/'));
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

  /** Text of `rel` as the draft sees it; undefined when it is not a readable file. */
  read(rel: string): string | undefined {
    const mine = this.written.get(rel);
    if (mine) return mine.text;
    try {
      return fs.readFileSync(this.abs(rel), 'utf8');
    } catch {
      return undefined;
    }
  }

  /** Record a new content for `rel`; refuses paths that cannot become a file. */
  write(rel: string, text: string): void {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      const e = this.entry(parent);
      if (e !== 'dir' && e !== 'missing') throw new UpgradeError(`cannot write ${rel}: ${parent} exists and is not a folder; move it away and run upgrade again`);
    }
    const e = this.entry(rel);
    if (e !== 'file' && e !== 'missing') throw new UpgradeError(`cannot write ${rel}: a folder or special file is in the way; move it away and run upgrade again`);
    const before = this.written.has(rel) ? this.written.get(rel)!.before : this.read(rel);
    this.written.set(rel, { rel, text, before });
  }

  /** The files to write, minus those that end up as they were. */
  changes(): Change[] {
    return [...this.written.values()].filter((c) => c.text !== c.before);
  }
}
