/** Options every Puruto generator has besides its question table. */
export interface ExtraOptionSpec {
  name: string;
  boolean: boolean;
  description: string;
  alias?: string;
  value?: string;
}

export const COMMON_OPTIONS: readonly ExtraOptionSpec[] = [
  { name: 'yes', boolean: true, alias: 'y', description: 'accept the default of every answer not given; never prompt' },
  {
    name: 'answers',
    boolean: false,
    value: 'file.json',
    description: 'JSON object of answers keyed by option name, e.g. {"name":"puruto-notes","db":false}',
  },
  {
    name: 'interactive',
    boolean: true,
    description: 'prompt for missing answers (default: only in a terminal); --no-interactive never prompts',
  },
];

export const NEW_REPO_OPTIONS: readonly ExtraOptionSpec[] = [
  {
    name: 'destination',
    boolean: false,
    value: 'dir',
    description: 'folder to create the repo in (overrides the ~/purutos resolution and the re-run inside a Puruto)',
  },
  {
    name: 'git',
    boolean: true,
    description:
      'git init + a first commit, the generated files kept at refs/puruto/pristine for `puruto update` (default; --no-git skips it)',
  },
  { name: 'force', boolean: true, description: 'on a re-run inside a Puruto: overwrite the files you changed' },
  { name: 'skip-existing', boolean: true, description: 'on a re-run inside a Puruto: keep the files you changed' },
];

/** Options of puruto:init besides the common ones. */
export const INIT_OPTIONS: readonly ExtraOptionSpec[] = [
  { name: 'verbose', boolean: true, description: 'list every file of every repo created (default: one line per repo)' },
];

/** One file of a generator's plan: a template, a verbatim copy, a JSON value, or literal text. */
export type PlannedFile =
  | { dest: string; template: string; context: Record<string, unknown> }
  | { dest: string; copy: string }
  | { dest: string; json: unknown }
  | { dest: string; text: string };
