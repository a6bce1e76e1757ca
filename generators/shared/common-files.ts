import { CORE_SKILLS } from '../../lib/standard/core-skills.js';
import { STANDARD_VERSION, VERSION_FILE } from '../../lib/standard/version.js';
import { geminiSettings } from './context.js';
import { pythonLintFiles } from './python-lint.js';
import { runtimeFiles } from './runtime-files.js';
import type { PlannedFile } from './spec.js';
import { sharedTemplate } from './templates-path.js';

/**
 * Files every Puruto kind gets the same way: the Claude Code and generic rules entry
 * points (both lead to AGENTS.md), the version file, Gemini's settings, the checkers' configs
 * of the repo's Python (`scripts`: its Python files without .py), /list with its script, and
 * the env helpers the /init and /status scripts import, and the vendored runtime package
 * (puruto_runtime/: the one .env reader those helpers use too, the invoker, the schema checker).
 */
export function commonFiles(context: Record<string, unknown>, scripts: readonly string[] = []): PlannedFile[] {
  return [
    { dest: 'CLAUDE.md', template: sharedTemplate('CLAUDE.md.ejs'), context },
    { dest: 'agent.md', template: sharedTemplate('agent.md.ejs'), context },
    { dest: VERSION_FILE, text: `${STANDARD_VERSION}\n` },
    { dest: '.gemini/settings.json', json: geminiSettings() },
    ...pythonLintFiles(context, scripts),
    { dest: '.claude/skills/list/SKILL.md', template: sharedTemplate('skills/list/SKILL.md.ejs'), context },
    { dest: '.claude/skills/list/scripts/list_skills.py', copy: sharedTemplate('skills/list/scripts/list_skills.py') },
    {
      dest: '.claude/skills/status/scripts/puruto_env.py',
      template: sharedTemplate('skills/status/scripts/puruto_env.py'),
      context,
    },
    ...runtimeFiles(),
  ];
}

/** The core skills each kind writes with its own templates (/list is common). */
export const OWN_CORE_SKILLS = CORE_SKILLS.filter((s) => s !== 'list');

/**
 * The plan of an ecosystem kind: the common files, its own rules/README/env/gitignore
 * templates, its extra files, one SKILL.md per own core skill and kind skill (from
 * `skills/<name>/SKILL.md.ejs`), and its verbatim copies (`.claude/skills/...` paths
 * come from `skills/...` in its templates).
 */
export function kindFiles(o: {
  context: Record<string, unknown>;
  skills: readonly string[];
  extras: readonly PlannedFile[];
  copies: readonly string[];
}): PlannedFile[] {
  const { context } = o;
  const scripts = o.extras.some((f) => f.dest === 'run') ? ['run'] : [];
  return [
    ...commonFiles(context, scripts),
    { dest: 'AGENTS.md', template: 'AGENTS.md.ejs', context },
    { dest: 'README.md', template: 'README.md.ejs', context },
    { dest: '.env.example', template: '_env.example.ejs', context },
    { dest: '.gitignore', template: '_gitignore.ejs', context },
    ...o.extras,
    ...[...OWN_CORE_SKILLS, ...o.skills].map((skill) => ({
      dest: `.claude/skills/${skill}/SKILL.md`,
      template: `skills/${skill}/SKILL.md.ejs`,
      context,
    })),
    ...o.copies.map((c) => ({ dest: c, copy: c.replace(/^\.claude\/skills\//, 'skills/') })),
  ];
}

/** What `./run` of a kind with a runtime starts (shared/templates/run.ejs). */
export interface RunSpec {
  /** the script and its fixed arguments, e.g. ['main.py'] */
  entry: readonly string[];
  /** arguments used when `./run` gets none, e.g. ['run'] */
  defaultArgs: readonly string[];
  /** modules that must import before it starts (the ones requirements.txt installs) */
  modules: readonly string[];
  /** what it is, for the docstring */
  what: string;
  /** an example of other arguments, for the docstring */
  example: string;
}

/**
 * `run`: the one way to start a kind's runtime. It picks the finished .venv's Python or
 * the system's, and names what is missing in one line (the template keeps its 0755 mode).
 */
export function runFile(context: Record<string, unknown>, run: RunSpec): PlannedFile {
  return { dest: 'run', template: sharedTemplate('run.ejs'), context: { ...context, ...run } };
}
