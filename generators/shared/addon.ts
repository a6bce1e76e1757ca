import path from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';

/** Options are open-ended: declared from the question tables at run time. */
type Options = BaseOptions & Record<string, unknown>;
import { appendEnvBlock, appendSection } from '../../lib/merge.js';
import { readTextFile } from '../../lib/safe-read.js';
import { generatorSection, isObject } from '../../lib/validate/kind.js';
import { PurutoError } from './errors.js';
import { rejectUnknownOptions } from './unknown-options.js';
import { declareOptions } from '../../lib/options/yo.js';
import { ADD_ON_OPTIONS } from './help.js';
import { validationHook } from './finish.js';
import type { PlannedFile } from './spec.js';
import { catalogEntry } from '../catalog.js';
import { QUIET, refuseLinksOut, type MemFile, type MemStore } from './commit-policy.js';
import { guardTask } from './run-errors.js';

export interface AddOnSpec {
  /** What it adds, for messages: "IPC", "agent tests". */
  label: string;
  /** A file whose presence means the add-on is already installed. */
  marker: string;
}

export interface Merge {
  readme?: { heading: string; body: string };
  env?: string;
}

/**
 * A generator that adds a capability to a Puruto: composed by `yo puruto --ipc` /
 * `--agent-tests`, or run alone inside an existing Puruto. It never overwrites:
 * when the capability is present it changes nothing and says so.
 */
export abstract class AddOnGenerator extends Generator<Record<string, unknown>, Options> {
  protected readonly addOn: AddOnSpec;
  protected owner = '';
  private skipped = false;

  constructor(args: string[], options: Record<string, unknown>, addOn: AddOnSpec) {
    // Alone, it owns the run's install step: none (see shared/base.ts, customInstallTask).
    super(args, options as never, {
      inheritTasks: true,
      tasksMatchingPriority: true,
      unique: 'namespace',
      ...(options['composed'] ? {} : { customInstallTask: true }),
    });
    this.addOn = addOn;
    declareOptions(this, ADD_ON_OPTIONS);
  }

  /** Refusals and Ctrl-C end the run with our one message (see run-errors.ts). */
  override executeTask(...args: Parameters<Generator['executeTask']>): ReturnType<Generator['executeTask']> {
    const [task, ...rest] = args;
    return super.executeTask(guardTask(task as never), ...rest);
  }

  /** Shared files this run added a section to (reported when run alone). */
  private merged: string[] = [];

  /** `yo puruto:<add-on> --help`: the same text as `puruto new <add-on> --help`, not Yeoman's defaults. */
  override help(): string {
    const key =
      String(this.options['namespace'] ?? '')
        .split(':')
        .pop() ?? '';
    return catalogEntry(key)?.help('yo') ?? super.help();
  }

  protected get composed(): boolean {
    return Boolean(this.options['composed']);
  }

  async initializing(): Promise<void> {
    rejectUnknownOptions(this);
    if (this.composed) {
      this.owner = String(this.options['owner']);
      return;
    }
    const root = this.destinationRoot();
    if (!this.fs.exists(path.join(root, 'CLAUDE.md')) && !this.fs.exists(path.join(root, 'agent.md'))) {
      throw new PurutoError(
        `${root} is not a Puruto (no CLAUDE.md or agent.md): run this inside a Puruto, or create one with \`yo ` +
          `puruto --${this.addOnFlag()}\``,
        1,
      );
    }
    this.owner = ownerOf(root);
  }

  protected abstract addOnFlag(): string;
  protected abstract plan(): PlannedFile[];
  protected abstract merge(): Merge;

  writing(): void {
    if (this.fs.exists(this.destinationPath(this.addOn.marker))) {
      if (this.composed) {
        // A re-run of the repo's generator rendered the shared files afresh: put this
        // add-on's sections back (each merge only adds what is absent).
        this.mergeShared();
        return;
      }
      this.skipped = true;
      this.log(`${this.addOn.label} is already set up here (${this.addOn.marker} exists): nothing changed.`);
      return;
    }
    for (const f of this.plan()) {
      const to = this.destinationPath(f.dest);
      if (this.fs.exists(to)) {
        this.log(`kept ${f.dest} (already exists)`);
        continue;
      }
      if ('template' in f) this.fs.copyTpl(this.templatePath(f.template), to, f.context);
      else if ('copy' in f) this.fs.copy(this.templatePath(f.copy), to);
      else if ('json' in f) this.fs.writeJSON(to, f.json, undefined, 2);
      else this.fs.write(to, f.text);
    }
    this.mergeShared();
    if (!this.composed) this.recordAnswer();
  }

  /** Alone in a generated Puruto: its .yo-rc.json answers say the add-on is on, so a re-run keeps it. */
  private recordAnswer(): void {
    const answers = this.config.get('answers') as unknown;
    if (typeof answers === 'object' && answers !== null && !Array.isArray(answers)) {
      this.config.set('answers', { ...(answers as Record<string, unknown>), [this.addOnFlag()]: true });
    }
  }

  private mergeShared(): void {
    const m = this.merge();
    if (m.readme) {
      const { heading, body } = m.readme;
      this.mergeInto('README.md', (text) => appendSection(text, heading, body));
    }
    if (m.env) {
      const block = m.env;
      this.mergeInto('.env.example', (text) => appendEnvBlock(text, block));
    }
  }

  /**
   * Rewrites a shared file through a merge that only adds. The merge is recorded on the
   * file, so a re-run that keeps the user's version of it can still add the section
   * (commit-policy.ts); alone, the merge keeps everything already there, so it is
   * written without asking and without Yeoman's "force" line (it is no overwrite).
   */
  private mergeInto(rel: string, merge: (text: string) => string): void {
    const p = this.destinationPath(rel);
    const before = this.fs.read(p, { defaults: '' }) ?? '';
    const after = merge(before);
    if (after === before) return;
    const earlier = (this.env.sharedFs.get(p) as unknown as MemFile).purutoMerges ?? [];
    this.fs.write(p, after);
    const file = this.env.sharedFs.get(p) as unknown as MemFile;
    file.purutoMerges = [...earlier, merge];
    file.conflicter = QUIET;
    this.merged.push(rel);
  }

  /** Alone, just before Yeoman's commit: never a write through a link out of the repo (composed: the run checks). */
  conflicts(): void {
    if (this.composed) return;
    const store = this.env.sharedFs as unknown as MemStore;
    refuseLinksOut(store, this.destinationRoot());
  }

  async end(): Promise<void> {
    if (this.composed || this.skipped) return;
    await validationHook(this.destinationRoot(), (msg) => this.log(msg));
    const sections = this.merged.length ? ` (section added to ${this.merged.join(' and ')})` : '';
    this.log(`${this.addOn.label} added to ${this.destinationRoot()}${sections}.`);
  }
}

/** Repo name: the answers recorded in .yo-rc.json, else the folder name. */
/** The repo's name as its .yo-rc.json records it (read like the validator reads it), else the folder's. */
function ownerOf(root: string): string {
  const read = readTextFile(path.join(root, '.yo-rc.json')); // a regular file, size-capped
  const text = read.ok ? read.text : undefined; // none or unreadable: the folder name
  const answers = text === undefined ? undefined : generatorSection(text)?.['answers'];
  const name = isObject(answers) ? answers['name'] : undefined;
  return typeof name === 'string' && name ? name : path.basename(root);
}
