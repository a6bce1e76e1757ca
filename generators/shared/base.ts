import os from 'node:os';
import path from 'node:path';
import { mkdir, symlink } from 'node:fs/promises';
import Generator, { type BaseOptions } from 'yeoman-generator';

/** Options are open-ended: declared from the question tables at run time. */
type Options = BaseOptions & Record<string, unknown>;
import { collect, coerce, check, commandLine, unanswered, withDefaults } from '../../lib/questions/resolve.js';
import { newRepoHelp, type NewRepoSpec } from './help.js';
import type { Answers } from '../../lib/questions/table.js';
import { destinationState, resolveDestination } from '../../lib/destination.js';
import { checkName } from '../../lib/names.js';
import { KINDS } from '../../lib/standard/kinds.js';
import { STANDARD_VERSION } from '../../lib/standard/version.js';
import { PurutoError } from './errors.js';
import { readAnswersFile } from './answers-file.js';
import { listFiles } from './list-files.js';
import { summary, validationHook } from './finish.js';
import { COMMON_OPTIONS, NEW_REPO_OPTIONS, type PlannedFile } from './spec.js';

/** Keeps a raw option value as given (string from a flag, boolean from yo/--no-x). */
function Raw(value: unknown): unknown {
  return value;
}

const camel = (s: string): string => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The flow every "new repo" generator shares (app and the ecosystem kinds):
 * answers (flags > --answers > prompts/defaults) → destination checks → files in
 * mem-fs → commit → .agents/skills link → validation hook → summary.
 */
export abstract class NewRepoGenerator extends Generator<Record<string, unknown>, Options> {
  protected readonly spec: NewRepoSpec;
  protected answers: Answers = {};

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
    if (this.options['yes']) return false;
    const forced = this.options['interactive'];
    if (typeof forced === 'boolean') return forced;
    return Boolean(process.stdin.isTTY && process.stdout.isTTY);
  }

  async initializing(): Promise<void> {
    const flags: Record<string, unknown> = {};
    for (const q of this.spec.table) {
      flags[q.name] = this.options[q.name] ?? this.options[camel(q.name)];
    }
    const file = typeof this.options['answers'] === 'string'
      ? await readAnswersFile(this.options['answers'], this.env.cwd)
      : undefined;
    const got = collect(this.spec.table, { flags, file, useDefaults: !this.interactive });
    if (got.argErrors.length) throw new PurutoError(got.argErrors.join('\n'), 2);
    if (got.invalid.length) throw new PurutoError(got.invalid.join('\n'), 1);
    this.answers = got.answers;
    this.checkKindName();
    if (got.missing.length && !this.interactive) {
      const names = got.missing.map((q) => q.name);
      throw new PurutoError(
        [
          `missing required answer${names.length > 1 ? 's' : ''}: ${names.join(', ')} (no terminal to ask in).`,
          'Give them as flags or in --answers FILE, e.g.:',
          `  ${commandLine(this.commandPrefix(), this.spec.table, withDefaults(this.spec.table, this.answers))}`,
        ].join('\n'),
        1,
      );
    }
  }

  async prompting(): Promise<void> {
    const todo = unanswered(this.spec.table, this.answers);
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
          return check(q, c.value) ?? true;
        },
      })) as never,
    );
    for (const q of todo) {
      const c = coerce(q, (asked as Record<string, unknown>)[q.name]);
      if ('error' in c) throw new PurutoError(c.error, 2);
      this.answers[q.name] = c.value;
    }
    this.checkKindName();
  }

  async configuring(): Promise<void> {
    const name = String(this.answers['name']);
    const note = checkName(name).note;
    if (note) this.log(note);
    const dest = await resolveDestination({
      name,
      cwd: this.env.cwd,
      home: os.homedir(),
      explicit: typeof this.options['destination'] === 'string' ? this.options['destination'] : undefined,
    });
    const state = await destinationState(dest.path);
    if (state === 'not-empty' || state === 'not-a-directory') {
      throw new PurutoError(
        `${dest.path} already exists${state === 'not-empty' ? ' and is not empty' : ' and is not a folder'}: nothing was written. ` +
          'Pick another name, remove it, or pass --destination DIR.',
        1,
      );
    }
    this.destinationRoot(dest.path);
    this.config.set({
      kind: this.spec.kind,
      standardVersion: STANDARD_VERSION,
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
    this.log(summary({ dir, files: await listFiles(dir), nextSteps: this.nextSteps(dir) }));
  }

  protected nextSteps(dir: string): string[] {
    const rel = path.relative(this.env.cwd, dir) || '.';
    return [
      `cd ${rel.includes(' ') ? JSON.stringify(rel) : rel}`,
      'cp .env.example .env',
      'open the folder with your agent (claude, codex, gemini ...) and run /init',
    ];
  }

  private checkKindName(): void {
    const name = this.answers['name'];
    if (typeof name !== 'string') return;
    const eco = checkName(name).ecosystemKind;
    if (eco && eco !== this.spec.kind) {
      const gen = KINDS[eco].generator;
      throw new PurutoError(
        `"${name}" is the ${KINDS[eco].summary}, which has its own generator: run \`yo puruto:${gen}\` (or \`puruto new ${gen}\`).`,
        1,
      );
    }
  }

  private commandPrefix(): string {
    const gen = KINDS[this.spec.kind].generator;
    return gen === 'app' ? 'puruto new' : `puruto new ${gen}`;
  }
}
