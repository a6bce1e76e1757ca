import os from 'node:os';
import path from 'node:path';
import { mkdir, symlink } from 'node:fs/promises';
import Generator, { type BaseOptions } from 'yeoman-generator';

/** Options are open-ended: declared from the question tables at run time. */
type Options = BaseOptions & Record<string, unknown>;
import { coerce, check, unanswered } from '../../lib/questions/resolve.js';
import { isInteractive } from '../../lib/questions/gather.js';
import { checkDestination, checkNewRepo } from '../../lib/new-repo.js';
import { commitStaging, openStaging, type Staging } from '../../lib/staging.js';
import { readAnswersFile } from '../../lib/answers-file.js';
import { newRepoHelp, type NewRepoSpec } from './help.js';
import type { Answers, Question } from '../../lib/questions/table.js';
import { checkName, nameOwnedElsewhere } from '../../lib/names.js';
import { STANDARD_VERSION } from '../../lib/standard/version.js';
import { PurutoError } from './errors.js';
import { camel, rejectUnknownOptions } from './unknown-options.js';
import { listFiles } from './list-files.js';
import { shownPath } from '../../lib/shown-path.js';
import { summary, validationHook } from './finish.js';
import { INIT_COMMAND, START_STEPS } from './next-steps.js';
import { COMMON_OPTIONS, NEW_REPO_OPTIONS, type PlannedFile } from './spec.js';
import { recordPristine } from './pristine-step.js';
import { generatorVersion } from '../../lib/package-version.js';

/** Keeps a raw option value as given (string from a flag, boolean from yo/--no-x). */
function Raw(value: unknown): unknown {
  return value;
}

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

  constructor(args: string[], options: Record<string, unknown>, spec: NewRepoSpec) {
    super(args, options as never, { inheritTasks: true, tasksMatchingPriority: true, unique: 'namespace' });
    this.spec = spec;
    for (const q of spec.table) {
      if (q.positional) this.argument(q.name, { type: String, required: false, description: q.description });
      this.option(q.name, { type: Raw as never, description: q.description });
    }
    for (const o of [...COMMON_OPTIONS, ...NEW_REPO_OPTIONS]) {
      this.option(o.name, { type: o.boolean ? Boolean : String, description: o.description, ...(o.alias ? { alias: o.alias } : {}) });
    }
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
      flags[q.name] = this.options[q.name] ?? this.options[camel(q.name)];
    }
    let file: Record<string, unknown> | undefined;
    if (typeof this.options['answers'] === 'string') {
      const read = await readAnswersFile(this.options['answers'], this.env.cwd);
      if (!read.ok) throw new PurutoError(read.message, 2);
      file = read.data;
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

  /** Set once the name tip was shown (right after the name was typed). */
  private noteShown = false;

  async prompting(): Promise<void> {
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

  private async ask(todo: readonly Question[]): Promise<void> {
    if (todo.length === 0) return;
    const asked = await this.prompt(
      todo.map((q) => ({
        type: q.type === 'boolean' ? 'confirm' : 'input',
        name: q.name,
        message: q.message,
        default: Array.isArray(q.default) ? q.default.join(',') : q.default,
        validate: (input: unknown) => {
          const c = coerce(q, input);
          if ('error' in c) return c.error;
          return check(q, c.value) ?? (q.name === 'name' ? nameOwnedElsewhere(c.value, this.spec.kind) : undefined) ?? true;
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
    const name = String(this.answers['name']);
    const owned = nameOwnedElsewhere(name, this.spec.kind);
    if (owned) throw new PurutoError(owned, 1);
    this.showNameNote();
    // Checked again here: the name may come from a prompt, and the disk may have changed.
    const where = await checkDestination({ name, cwd: this.env.cwd, home: os.homedir(), explicit: this.explicitDestination });
    if (!where.ok) throw new PurutoError(where.message, where.code);
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

  /** After the commit: one skills folder for every agent (see README "Agent portability"). */
  async install(): Promise<void> {
    if (this.staging !== undefined) {
      // Every file is on disk (the commit ran before install): move the repo into place.
      const staging = this.staging;
      this.staging = undefined;
      const moved = commitStaging(staging);
      if (!moved.ok) throw new PurutoError(moved.message, 1);
      this.destinationRoot(staging.final);
    }
    const agents = this.destinationPath('.agents');
    await mkdir(agents, { recursive: true });
    try {
      await symlink(path.join('..', '.claude', 'skills'), path.join(agents, 'skills'), 'dir');
    } catch (error) {
      // e.g. Windows without symlink rights: the repo stays valid, only that link is missing.
      this.log(`note: could not create .agents/skills -> ../.claude/skills (${(error as Error).message}); create it by hand for Codex/Gemini.`);
    }
  }

  async end(): Promise<void> {
    const dir = this.destinationRoot();
    try {
      await validationHook(dir, (m) => this.log(m));
    } catch (error) {
      this.log(summary({ dir, files: await listFiles(dir), nextSteps: ['fix the findings above, then run: puruto validate ' + dir] }));
      throw error;
    }
    if (this.options['git'] !== false) this.log(recordPristine(dir, this.spec.kind, this.answers));
    this.log(summary({ dir, files: await listFiles(dir), nextSteps: this.nextSteps(dir) }));
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
