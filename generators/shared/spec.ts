import type { Option } from '../../lib/options/option.js';

/** Options every Puruto generator has besides its question table. */
export const COMMON_OPTIONS: readonly Option[] = [
  {
    name: 'yes',
    kind: 'boolean',
    alias: 'y',
    description: 'accept the default of every answer not given; never prompt',
  },
  {
    name: 'answers',
    kind: 'value',
    value: 'file.json',
    description: 'JSON object of answers keyed by option name, e.g. {"name":"puruto-notes","db":false}',
  },
  {
    name: 'interactive',
    kind: 'boolean',
    description: 'prompt for missing answers (default: only in a terminal); --no-interactive never prompts',
  },
];

export const NEW_REPO_OPTIONS: readonly Option[] = [
  {
    name: 'destination',
    kind: 'value',
    value: 'dir',
    description: 'folder to create the repo in (overrides the ~/purutos resolution and the re-run inside a Puruto)',
  },
  {
    name: 'git',
    kind: 'boolean',
    description:
      'git init + a first commit, the generated files kept at refs/puruto/pristine for `puruto update` (default; ' +
      '--no-git skips it)',
  },
  { name: 'force', kind: 'boolean', description: 'on a re-run inside a Puruto: overwrite the files you changed' },
  { name: 'skip-existing', kind: 'boolean', description: 'on a re-run inside a Puruto: keep the files you changed' },
];

/** Options of puruto:init besides the common ones. */
export const INIT_OPTIONS: readonly Option[] = [
  {
    name: 'verbose',
    kind: 'boolean',
    description: 'list every file of every repo created (default: one line per repo)',
  },
];

/** One file of a generator's plan: a template, a verbatim copy, a JSON value, or literal text. */
export type PlannedFile =
  | { dest: string; template: string; context: Record<string, unknown> }
  | { dest: string; copy: string }
  | { dest: string; json: unknown }
  | { dest: string; text: string };
