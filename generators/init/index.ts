import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { readAnswersFile } from '../../lib/answers-file.js';
import {
  ECOSYSTEM,
  VAULT_KEY,
  inspectEcosystem,
  resolveEcosystemDir,
  type EcosystemKey,
  type EcosystemName,
  type EcosystemState,
} from '../../lib/ecosystem.js';
import { coerce, collect } from '../../lib/questions/resolve.js';
import { isInteractive } from '../../lib/questions/gather.js';
import { PurutoError } from '../shared/errors.js';
import { givenOption, rejectUnknownOptions } from '../shared/unknown-options.js';
import { declareOptions } from '../../lib/options/yo.js';
import { QUIET, type MemFile } from '../shared/commit-policy.js';
import { guardTask, isYoProcess } from '../shared/run-errors.js';
import { listFiles } from '../shared/list-files.js';
import { composedKind } from './kinds.js';
import { initHelp, KIND_FLAGS, OPTIONAL_KINDS, OPTIONS, questions, type InitAnswers } from './questions.js';
import { rootFiles, ROOT_SKILLS_LINK } from './root-files.js';
import { finishEcosystem, type Finished } from './finish.js';
import { renderSummary } from './summary.js';

type Options = BaseOptions & Record<string, unknown>;

export interface RootFileOutcome {
  path: string;
  outcome: 'created' | 'kept';
}

/**
 * `yo puruto:init [dir]`: the ecosystem folder (SPEC §3 "/init" of the framework).
 * initializing: answers and every refusal, before anything is written →
 * prompting: which kinds → configuring: the folder, the kind generators composed →
 * writing: the root's agent-mode files (existing ones kept) → install: the root's
 * .agents/skills link → end: wiring, registry, validation, git, summary (finish.ts).
 */
export default class InitGenerator extends Generator<Record<string, unknown>, Options> {
  private answers = {} as InitAnswers;
  private state!: EcosystemState;
  private wanted = new Set<EcosystemName>();
  private rootOutcomes: RootFileOutcome[] = [];

  constructor(args: string[], options: Record<string, unknown>) {
    // No npm install ever runs (and no "No change to package.json" line): see shared/base.ts.
    super(args, options as never, { tasksMatchingPriority: true, unique: 'namespace', customInstallTask: true });
    for (const q of questions) {
      if ('positional' in q && q.positional)
        this.argument(q.name, { type: String, required: false, description: q.description });
    }
    declareOptions(this, OPTIONS);
  }

  override help(): string {
    return initHelp('yo');
  }

  /** Refusals and Ctrl-C end the run with our one message (see run-errors.ts). */
  override executeTask(...args: Parameters<Generator['executeTask']>): ReturnType<Generator['executeTask']> {
    const [task, ...rest] = args;
    return super.executeTask(guardTask(task as never), ...rest);
  }

  /** The run's result (the summary): stdout under yo too, where Yeoman logs to stderr. */
  private result(text: string): void {
    if (isYoProcess()) process.stdout.write(`${text}\n`);
    else this.log(text);
  }

  private get interactive(): boolean {
    const { yes, interactive } = this.options;
    return isInteractive({ yes, interactive }, Boolean(process.stdin.isTTY && process.stdout.isTTY));
  }

  private get dir(): string {
    return this.state.dir;
  }

  async initializing(): Promise<void> {
    rejectUnknownOptions(this);
    const flags: Record<string, unknown> = {};
    for (const q of questions) flags[q.name] = givenOption(this.options, q.name);
    let file: Record<string, unknown> | undefined;
    if (typeof this.options['answers'] === 'string') {
      const read = await readAnswersFile(this.options['answers'], this.env.cwd);
      if (!read.ok) throw new PurutoError(read.message, 2);
      file = read.data;
    }
    const got = collect(questions, { flags, file, useDefaults: true });
    if (got.argErrors.length) throw new PurutoError(got.argErrors.join('\n'), 2);
    if (got.invalid.length) throw new PurutoError(got.invalid.join('\n'), 1);
    this.answers = got.answers as InitAnswers;
    this.state = inspectEcosystem(resolveEcosystemDir(this.answers.dir, this.env.cwd, os.homedir()));
    if (this.state.problem) throw new PurutoError(this.state.problem, 1);
    // Ask only when no kind was chosen on the command line or in --answers.
    const chosen = KIND_FLAGS.some((k) => flags[k] !== undefined || file?.[k] !== undefined);
    this.askKinds = !chosen && this.interactive;
  }

  private askKinds = false;

  async prompting(): Promise<void> {
    if (!this.askKinds) return;
    const todo = questions.filter(
      (q) =>
        (OPTIONAL_KINDS as readonly string[]).includes(q.name) &&
        this.state.slots[ECOSYSTEM.find((k) => k.key === q.name)?.name as EcosystemName] !== 'present',
    );
    if (todo.length === 0) return;
    const asked = (await this.prompt(
      todo.map((q) => ({ type: 'confirm', name: q.name, message: q.message, default: q.default })) as never,
    )) as Record<string, unknown>;
    for (const q of todo) {
      const c = coerce(q, asked[q.name]);
      if ('error' in c) throw new PurutoError(c.error, 2);
      (this.answers as Record<string, unknown>)[q.name] = c.value;
    }
  }

  async configuring(): Promise<void> {
    const a = this.answers;
    const selected = new Set<EcosystemKey>([VAULT_KEY]);
    for (const k of OPTIONAL_KINDS) if (a.all || a[k]) selected.add(k);
    // Where it goes, before anything is written (it depends on whether ~/purutos exists).
    this.log(`${fs.existsSync(this.dir) ? 'Completing' : 'Creating'} the ecosystem in ${this.dir}.`);
    this.destinationRoot(this.dir); // creates the folder
    for (const kind of ECOSYSTEM) {
      if (!selected.has(kind.key)) continue;
      this.wanted.add(kind.name);
      if (this.state.slots[kind.name] === 'present') continue;
      // The vault's generator first, then the others: the same order as ECOSYSTEM.
      await this.env.composeWith(
        composedKind(kind.key) as never,
        {
          generatorArgs: [],
          generatorOptions: { destination: path.join(this.dir, kind.name), yes: true, skipInstall: true },
          schedule: false,
        } as never,
      );
    }
  }

  writing(): void {
    for (const f of rootFiles()) {
      const to = this.destinationPath(f.dest);
      // A root file that exists was written before (or by the user): never overwritten.
      if (fs.existsSync(to)) {
        this.rootOutcomes.push({ path: f.dest, outcome: 'kept' });
        continue;
      }
      if ('template' in f) this.fs.copyTpl(this.templatePath(f.template), to, f.context);
      else if ('json' in f) this.fs.writeJSON(to, f.json, undefined, 2);
      else if ('text' in f) this.fs.write(to, f.text);
      this.rootOutcomes.push({ path: f.dest, outcome: 'created' });
    }
  }

  /** Before the commit: the root's files are reported by the summary, not one Yeoman line each. */
  conflicts(): void {
    for (const f of this.rootOutcomes) {
      if (f.outcome !== 'created') continue;
      const file = this.env.sharedFs.get(this.destinationPath(f.path)) as unknown as MemFile;
      if (file.state === 'modified') file.conflicter = QUIET;
    }
  }

  /** After the commit: the root's skills for Codex / Gemini, like every Puruto's. */
  async install(): Promise<void> {
    const link = this.destinationPath(ROOT_SKILLS_LINK);
    let exists = true;
    try {
      fs.lstatSync(link);
    } catch {
      exists = false;
    }
    if (exists) {
      this.rootOutcomes.push({ path: ROOT_SKILLS_LINK, outcome: 'kept' });
      return;
    }
    fs.mkdirSync(path.dirname(link), { recursive: true });
    try {
      fs.symlinkSync(path.join('..', '.claude', 'skills'), link, 'dir');
      this.rootOutcomes.push({ path: ROOT_SKILLS_LINK, outcome: 'created' });
    } catch (error) {
      this.log(
        `note: could not create ${ROOT_SKILLS_LINK} -> ../.claude/skills (${(error as Error).message}); create it ` +
          `by hand for Codex/Gemini.`,
      );
    }
  }

  async end(): Promise<void> {
    const created = ECOSYSTEM.filter((k) => this.wanted.has(k.name) && this.state.slots[k.name] !== 'present').map(
      (k) => k.name,
    );
    const finished: Finished = await finishEcosystem({
      dir: this.dir,
      created,
      kept: ECOSYSTEM.filter((k) => this.state.slots[k.name] === 'present').map((k) => k.name),
      git: this.answers.git,
    });
    for (const report of finished.findings) this.result(report);
    if (this.options['verbose'] === true) {
      for (const repo of created) {
        const files = await listFiles(path.join(this.dir, repo));
        this.result([`Files of ${repo} (${files.length}):`, ...files.map((f) => `  ${f}`), ''].join('\n'));
      }
    }
    this.result(renderSummary({ dir: this.dir, cwd: this.env.cwd, finished, root: this.rootOutcomes }));
    if (finished.invalid.length) {
      throw new PurutoError(
        `${finished.invalid.join(', ')} ${finished.invalid.length > 1 ? 'fail' : 'fails'} validation: see the ` +
          `findings above, then run: puruto validate --workspace ${this.dir}`,
        1,
      );
    }
    if (finished.registry && !finished.registry.ok) {
      // Unregistered, the repos are invisible to the gateway: the ecosystem is not wired.
      throw new PurutoError(
        `puruto-data/registry.json was not updated: ${finished.registry.message}. Then run puruto init again: it ` +
          `only adds what is missing.`,
        1,
      );
    }
  }
}
