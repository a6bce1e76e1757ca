import os from 'node:os';
import path from 'node:path';
import { chmodSync, existsSync, lstatSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import Generator, { type BaseOptions } from 'yeoman-generator';

/** Options are open-ended: declared from the question tables at run time. */
type Options = BaseOptions & Record<string, unknown>;
import { coerce, check, collect, unanswered } from '../../lib/questions/resolve.js';
import { findPurutoRoot, type PurutoRecord } from '../../lib/puruto-root.js';
import { rerunAnswers } from '../../lib/rerun.js';
import { lineDiff } from '../../lib/file-state.js';
import {
  quietNewFiles,
  refuseLinksOut,
  settleExisting,
  type ConflictMode,
  type MemFile,
  type MemStore,
  type Outcome,
} from './commit-policy.js';
import { guardTask, isYoProcess } from './run-errors.js';
import { rerunSummary } from './rerun-summary.js';
import { isInteractive } from '../../lib/questions/gather.js';
import { checkDestination, checkNewRepo, newRepoCommands } from '../../lib/new-repo.js';
import type { Destination } from '../../lib/destination.js';
import { commitStaging, openStaging, type Staging } from '../../lib/staging.js';
import { readAnswersFile } from '../../lib/answers-file.js';
import { newRepoHelp, newRepoOptions, type NewRepoSpec } from './help.js';
import { declareOptions } from '../../lib/options/yo.js';
import type { Answers, Question } from '../../lib/questions/table.js';
import { checkName, nameOwnedElsewhere } from '../../lib/names.js';
import { STANDARD_VERSION } from '../../lib/standard/version.js';
import { PurutoError } from './errors.js';
import { givenOption, rejectUnknownOptions } from './unknown-options.js';
import { listFiles } from './list-files.js';
import { shownPath } from '../../lib/shown-path.js';
import { summary, validationHook } from './finish.js';
import { INIT_COMMAND, START_STEPS } from './next-steps.js';
import type { PlannedFile } from './spec.js';
import { recordPristine } from './pristine-step.js';
import { generatorVersion } from '../../lib/package-version.js';

/**
 * The flow every "new repo" generator shares (app and the ecosystem kinds):
 * answers (flags > --answers > prompts/defaults) → destination checks → files in
 * mem-fs → commit → .agents/skills link → validation hook → summary.
 */
export abstract class NewRepoGenerator extends Generator<Record<string, unknown>, Options> {
  protected readonly spec: NewRepoSpec;
  protected answers: Answers = {};
  /** The temporary folder the repo is written to until install moves it into place. */
  private staging: Staging | undefined;
  /** Set when run inside an existing Puruto of this kind: that repo is worked on in place. */
  private existing: { root: string; record: PurutoRecord; given: Set<string> } | undefined;
  /** What the commit did with each file (set in conflicts, reported in end). */
  private outcome: Outcome | undefined;
  /** puruto:init composes the kinds (kinds.ts sets this static) and reports them itself. */
  static composedByInit = false;
  protected get composedByInit(): boolean {
    return (this.constructor as typeof NewRepoGenerator).composedByInit;
  }

  /** Refusals and Ctrl-C end the run with our one message (see run-errors.ts). */
  override executeTask(...args: Parameters<Generator['executeTask']>): ReturnType<Generator['executeTask']> {
    const [task, ...rest] = args;
    return super.executeTask(guardTask(task as never), ...rest);
  }

  /** The run's result (validation, summary): stdout under yo too, where Yeoman logs to stderr. */
  protected result(text: string): void {
    if (isYoProcess()) process.stdout.write(`${text}\n`);
    else this.log(text);
  }

  constructor(args: string[], options: Record<string, unknown>, spec: NewRepoSpec) {
    // No npm install ever runs for a Puruto: `customInstallTask: true` turns Yeoman's off
    // (and its "No change to package.json was detected" line). Declared once per run:
    // by this generator, unless puruto:init composed it (init declares it).
    const composedByInit = (new.target as { composedByInit?: boolean }).composedByInit === true;
    super(args, options as never, {
      inheritTasks: true,
      tasksMatchingPriority: true,
      unique: 'namespace',
      ...(composedByInit ? {} : { customInstallTask: true }),
    });
    this.spec = spec;
    for (const q of spec.table) {
      if (q.positional) this.argument(q.name, { type: String, required: false, description: q.description });
    }
    declareOptions(this, newRepoOptions(spec));
  }

  /** `--help`: the same text `puruto new <kind> --help` prints, from the question table. */
  override help(): string {
    return newRepoHelp(this.spec, 'yo');
  }

  /** Whether to prompt: --interactive/--no-interactive, else a TTY on both ends; never with --yes. */
  protected get interactive(): boolean {
    const { yes, interactive } = this.options;
    return isInteractive({ yes, interactive }, Boolean(process.stdin.isTTY && process.stdout.isTTY));
  }

  private get explicitDestination(): string | undefined {
    const d = this.options['destination'];
    return typeof d === 'string' ? d : undefined;
  }

  async initializing(): Promise<void> {
    rejectUnknownOptions(this);
    const flags: Record<string, unknown> = {};
    for (const q of this.spec.table) {
      flags[q.name] = givenOption(this.options, q.name);
    }
    let file: Record<string, unknown> | undefined;
    if (typeof this.options['answers'] === 'string') {
      const read = await readAnswersFile(this.options['answers'], this.env.cwd);
      if (!read.ok) throw new PurutoError(read.message, 2);
      file = read.data;
    }
    // Inside a Puruto (its .yo-rc.json here or above), the run works on that repo.
    const lookup =
      this.explicitDestination === undefined ? await findPurutoRoot(this.env.cwd) : ({ found: false } as const);
    if (lookup.found === 'broken') throw new PurutoError(lookup.message, 1);
    if (lookup.found === true) {
      this.initExisting(lookup.root, lookup.record, flags, file);
      return;
    }
    const checked = await checkNewRepo({
      table: this.spec.table,
      kind: this.spec.kind,
      flags,
      file,
      interactive: this.interactive,
      cwd: this.env.cwd,
      home: os.homedir(),
      destination: this.explicitDestination,
    });
    if (!checked.ok) throw new PurutoError(checked.message, checked.code);
    this.answers = checked.answers;
  }

  private initExisting(
    root: string,
    record: PurutoRecord,
    flags: Record<string, unknown>,
    file: Record<string, unknown> | undefined,
  ): void {
    if (record.kind !== this.spec.kind) {
      const [cmd] = newRepoCommands(record.kind as never);
      throw new PurutoError(
        `${root} is a Puruto of kind ${record.kind} (its .yo-rc.json says so), and a run inside it works on it: ` +
          `this generator makes ${this.spec.kind === 'standard' ? 'standard Purutos' : this.spec.kind}. ` +
          `Run \`${cmd}\` here to add to it, or run this one outside the repo (or with --destination DIR) for a new ` +
          `repo.`,
        1,
      );
    }
    const got = collect(this.spec.table, { flags, file, useDefaults: false });
    if (got.argErrors.length) throw new PurutoError(got.argErrors.join('\n'), 2);
    if (got.invalid.length) throw new PurutoError(got.invalid.join('\n'), 1);
    const merged = rerunAnswers(this.spec.table, record.answers, got.answers, root);
    if (!merged.ok) throw new PurutoError(merged.message, merged.code);
    for (const q of merged.missing) {
      // Older records may lack an answer: the default, else asked (or refused without a terminal).
      if (q.default !== undefined)
        merged.answers[q.name] = Array.isArray(q.default) ? [...q.default] : (q.default as string | boolean);
      else if (!this.interactive)
        throw new PurutoError(`${root}/.yo-rc.json has no "${q.name}" answer: give it with --${q.name}`, 1);
    }
    this.answers = merged.answers;
    this.existing = { root, record, given: new Set(Object.keys(got.answers)) };
  }

  /** Set once the name tip was shown (right after the name was typed). */
  private noteShown = false;

  async prompting(): Promise<void> {
    if (this.existing) {
      await this.promptExisting(this.existing);
      return;
    }
    // A fixed answer (the ecosystem kinds' names) has one value: it is not asked.
    for (const q of unanswered(this.spec.table, this.answers)) {
      if (q.fixed && q.default !== undefined) this.answers[q.name] = q.default as string;
    }
    const todo = unanswered(this.spec.table, this.answers);
    if (todo.length === 0) return;
    // The name first, alone: its tip comes right after it is typed, before the other questions.
    const first = todo.filter((q) => q.name === 'name');
    await this.ask(first);
    if (first.length) this.showNameNote();
    await this.ask(todo.filter((q) => q.name !== 'name'));
  }

  /**
   * A re-run in a terminal asks what can still be added, with the stored answers as
   * defaults: the description, extra skills, and the options that are still off.
   */
  private async promptExisting(existing: { root: string; record: PurutoRecord; given: Set<string> }): Promise<void> {
    if (!this.interactive) return;
    const todo = this.spec.table.filter(
      (q) => q.name !== 'name' && !q.fixed && !existing.given.has(q.name) && this.answers[q.name] !== true,
    );
    const before = { ...this.answers };
    await this.ask(todo, this.answers);
    const merged = rerunAnswers(
      this.spec.table,
      existing.record.answers,
      { ...before, ...this.answers },
      existing.root,
    );
    if (!merged.ok) throw new PurutoError(merged.message, merged.code);
    this.answers = merged.answers;
  }

  private async ask(todo: readonly Question[], defaults: Answers = {}): Promise<void> {
    if (todo.length === 0) return;
    const asked = await this.prompt(
      todo.map((q) => ({
        type: q.type === 'boolean' ? 'confirm' : 'input',
        name: q.name,
        message: q.message,
        default: shownDefault(defaults[q.name] ?? q.default),
        validate: (input: unknown) => {
          const c = coerce(q, input);
          if ('error' in c) return c.error;
          return (
            check(q, c.value) ?? (q.name === 'name' ? nameOwnedElsewhere(c.value, this.spec.kind) : undefined) ?? true
          );
        },
      })) as never,
    );
    for (const q of todo) {
      const c = coerce(q, (asked as Record<string, unknown>)[q.name]);
      if ('error' in c) throw new PurutoError(c.error, 2);
      this.answers[q.name] = c.value;
    }
  }

  private showNameNote(): void {
    const note = checkName(String(this.answers['name'])).note;
    if (note && !this.noteShown) this.log(note);
    this.noteShown = true;
  }

  async configuring(): Promise<void> {
    if (this.existing) {
      // In place: no staging (its rename would replace the whole folder); the conflicts
      // step decides file by file before anything is written.
      this.destinationRoot(this.existing.root);
      this.log(
        `Updating ${this.existing.root} (the Puruto ${String(this.answers['name'])}): stored answers kept, new ones ` +
          `added.`,
      );
      this.config.set({ kind: this.spec.kind, standardVersion: STANDARD_VERSION, answers: this.answers });
      await this.composeAddOns();
      return;
    }
    const name = String(this.answers['name']);
    const owned = nameOwnedElsewhere(name, this.spec.kind);
    if (owned) throw new PurutoError(owned, 1);
    this.showNameNote();
    // Checked again here: the name may come from a prompt, and the disk may have changed.
    const where = await checkDestination({
      name,
      cwd: this.env.cwd,
      home: os.homedir(),
      explicit: this.explicitDestination,
    });
    if (!where.ok) throw new PurutoError(where.message, where.code);
    if (!this.composedByInit)
      this.log(`Creating ${name} in ${where.destination.path} (${WHY[where.destination.reason]}).`);
    // Generate into a temporary sibling, renamed into place after the commit (install).
    const staged = openStaging(where.destination.path);
    if (!staged.ok) throw new PurutoError(staged.message, 1);
    this.staging = staged.staging;
    this.destinationRoot(staged.staging.dir);
    this.config.set({
      kind: this.spec.kind,
      standardVersion: STANDARD_VERSION,
      generatorVersion: generatorVersion(),
      answers: this.answers,
    });
    await this.composeAddOns();
  }

  /** Hook for generators that compose add-ons (ipc, agent-tests). */
  protected async composeAddOns(): Promise<void> {}

  /** The files this kind writes, decided from the answers (files.ts of each generator). */
  protected abstract plan(): PlannedFile[];

  writing(): void {
    for (const f of this.plan()) {
      const to = this.destinationPath(f.dest);
      if ('template' in f) this.fs.copyTpl(this.templatePath(f.template), to, f.context);
      else if ('copy' in f) this.fs.copy(this.templatePath(f.copy), to);
      else if ('json' in f) this.fs.writeJSON(to, f.json, undefined, 2);
      else this.fs.write(to, f.text);
    }
  }

  /** Just before Yeoman's commit: what each file becomes (commit-policy.ts); nothing is on disk yet. */
  async conflicts(): Promise<void> {
    const store = this.env.sharedFs as unknown as MemStore & { get(p: string): MemFile };
    const root = this.destinationRoot();
    const existing = this.existing;
    // Before anything is compared or asked (nothing is on disk yet): a file of the plan, or
    // one the generator wrote before (fileHashes: an add-on's files are not planned again),
    // behind a link out of the repo stops the run, even one that would stay unchanged — it
    // is neither read through the link nor left for a half-written repo to fail on.
    const agentsLink = path.join(root, '.agents', 'skills');
    refuseLinksOut(store, root, [
      '.yo-rc.json',
      ...(linkExists(agentsLink) ? [] : ['.agents/skills']),
      ...Object.keys(existing?.record.fileHashes ?? {}).sort(),
    ]);
    this.outcome = existing
      ? await settleExisting({
          store,
          root,
          recorded: existing.record.fileHashes,
          mode: this.conflictMode(),
          ask: (f, d, n) => this.askConflict(f, d, n),
        })
      : quietNewFiles(store, root);
    const hashes = { ...(existing?.record.fileHashes ?? {}), ...this.outcome.hashes };
    this.config.set('fileHashes', Object.fromEntries(Object.entries(hashes).sort(([a], [b]) => (a < b ? -1 : 1))));
    // .yo-rc.json is the generator's own record: never asked about, written after every
    // other file (install), so a run that fails before leaves the old record in place.
    // (Yeoman's commit would force it with a "force .yo-rc.json" line.)
    const rc = store.get(this.destinationPath('.yo-rc.json'));
    if (rc.state === 'modified' && rc.contents !== null) {
      const onDisk = existsSync(rc.path) ? readFileSync(rc.path) : undefined;
      if (onDisk === undefined || !onDisk.equals(rc.contents)) {
        this.record = { path: rc.path, contents: rc.contents };
        (onDisk === undefined ? this.outcome.created : this.outcome.updated).push('.yo-rc.json');
      }
      delete rc.state;
    }
  }

  /** The .yo-rc.json to write in install, when it changed. */
  private record: { path: string; contents: Buffer } | undefined;

  private writeRecord(): void {
    if (!this.record) return;
    const { path: p, contents } = this.record;
    this.record = undefined;
    const tmp = `${p}.puruto-tmp-${process.pid}`;
    writeFileSync(tmp, contents);
    // The rename replaces the file: its permission bits (a 0600 record stays 0600) go to the new one.
    if (existsSync(p)) chmodSync(tmp, statSync(p).mode & 0o7777);
    renameSync(tmp, p);
  }

  private conflictMode(): ConflictMode {
    const force = this.options['force'] === true;
    const skip = this.options['skip-existing'] === true || this.options['skipExisting'] === true;
    if (force && skip) throw new PurutoError('--force and --skip-existing contradict each other: give one', 2);
    if (force) return 'force';
    if (skip) return 'skip-existing';
    return this.interactive ? 'ask' : 'refuse';
  }

  /** Yeoman's conflict choices (overwrite / keep / all / diff / abort), asked before any write. */
  private async askConflict(
    file: string,
    disk: string,
    next: string,
  ): Promise<'overwrite' | 'keep' | 'overwrite-all' | 'keep-all'> {
    this.log(`conflict ${file} (you changed it since it was generated)`);
    for (;;) {
      const { action } = (await this.prompt([
        {
          type: 'expand',
          name: 'action',
          message: `Overwrite ${file}?`,
          choices: [
            { key: 'y', name: 'overwrite', value: 'overwrite' },
            { key: 'n', name: 'do not overwrite (keep yours)', value: 'keep' },
            { key: 'a', name: 'overwrite this and all others', value: 'overwrite-all' },
            { key: 's', name: 'keep this and all others', value: 'keep-all' },
            { key: 'd', name: 'show the differences between yours and the new one', value: 'diff' },
            { key: 'x', name: 'abort (nothing is written)', value: 'abort' },
          ],
        },
      ] as never)) as { action: string };
      if (action === 'diff') {
        this.log(`--- ${file} (yours)\n+++ ${file} (new)\n${lineDiff(disk, next)}`);
        continue;
      }
      if (action === 'abort') throw new PurutoError(`aborted at ${file}: nothing was written`, 1);
      if (action === 'overwrite' || action === 'keep' || action === 'overwrite-all' || action === 'keep-all')
        return action;
      throw new PurutoError(`unexpected answer ${JSON.stringify(action)} to "Overwrite ${file}?"`, 1);
    }
  }

  /** After the commit: one skills folder for every agent (see README "Agent portability"). */
  async install(): Promise<void> {
    this.writeRecord();
    if (this.staging !== undefined) {
      // Every file is on disk (the commit ran before install): move the repo into place.
      const staging = this.staging;
      this.staging = undefined;
      const moved = commitStaging(staging);
      if (!moved.ok) throw new PurutoError(moved.message, 1);
      this.destinationRoot(staging.final);
    }
    const agents = this.destinationPath('.agents');
    if (this.existing && linkExists(path.join(agents, 'skills'))) return;
    await mkdir(agents, { recursive: true });
    try {
      await symlink(path.join('..', '.claude', 'skills'), path.join(agents, 'skills'), 'dir');
      if (this.existing) this.outcome?.created.push('.agents/skills');
    } catch (error) {
      // e.g. Windows without symlink rights: the repo stays valid, only that link is missing.
      this.log(
        `note: could not create .agents/skills -> ../.claude/skills (${(error as Error).message}); create it by ` +
          `hand for Codex/Gemini.`,
      );
    }
  }

  async end(): Promise<void> {
    const dir = this.destinationRoot();
    if (this.existing) {
      await validationHook(dir, (m) => this.result(m));
      this.result(rerunSummary({ dir, cwd: this.env.cwd, outcome: this.outcome! }));
      return;
    }
    try {
      await validationHook(dir, (m) => this.result(m));
    } catch (error) {
      this.result(
        summary({
          dir,
          files: await listFiles(dir),
          nextSteps: ['fix the findings above, then run: puruto validate ' + dir],
        }),
      );
      throw error;
    }
    if (this.options['git'] !== false) this.result(recordPristine(dir, this.spec.kind, this.answers));
    this.result(summary({ dir, files: await listFiles(dir), nextSteps: this.nextSteps(dir) }));
  }

  protected nextSteps(dir: string): string[] {
    const start = START_STEPS[this.spec.kind];
    return [
      `cd ${shownPath(this.env.cwd, dir)}`,
      'cp .env.example .env',
      `${INIT_COMMAND}   (or open the folder with your agent: claude, codex, gemini ... and run /init)`,
      ...(start ? [start] : []),
    ];
  }
}

/** Why the repo goes where it goes (SPEC §3 resolution), said before anything is written. */
const WHY: Record<Destination['reason'], string> = {
  explicit: 'from --destination',
  'home-purutos': 'because ~/purutos exists',
  'sibling-purutos': 'because ../purutos exists',
  cwd: 'the current folder; create ~/purutos to collect your Purutos there',
};

function shownDefault(v: unknown): string | boolean | undefined {
  if (Array.isArray(v)) return v.join(',');
  return v as string | boolean | undefined;
}

function linkExists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
