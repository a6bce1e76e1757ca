/**
 * The one option table of `puruto update` and `yo puruto:update`: flags, --help and how
 * each is parsed. Nothing is prompted: an update has a repo (or a workspace) and a mode.
 */
export interface UpdateOption {
  name: string;
  boolean: boolean;
  value?: string;
  description: string;
}

export const UPDATE_OPTIONS: readonly UpdateOption[] = [
  {
    name: 'dry-run',
    boolean: true,
    description:
      'show which files would change and how (stat and diff, and the files git would leave in conflict); write nothing',
  },
  {
    name: 'json',
    boolean: true,
    description: 'print the report as JSON (one object, or {"workspace", "repos": [...]} with --workspace)',
  },
  {
    name: 'workspace',
    boolean: false,
    value: 'DIR',
    description: 'update every Puruto directly under DIR (e.g. ~/purutos)',
  },
  {
    name: 'adopt',
    boolean: true,
    description:
      'a repo without a pristine base: keep its files as they are and record them as based on this version, so later updates merge through git',
  },
];

/** Exit codes of `puruto update` (README documents them). */
export const UPDATE_EXIT = { ok: 0, failed: 1, usage: 2, merge: 3 } as const;

export function updateHelp(via: 'yo' | 'puruto'): string {
  const rows = UPDATE_OPTIONS.map(
    (o) => [o.value ? `--${o.name} <${o.value}>` : `--${o.name}`, o.description] as const,
  );
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return [
    `Usage: ${via === 'yo' ? 'yo puruto:update' : 'puruto update'} [path] [options]`,
    `       ${via === 'yo' ? 'yo puruto:update' : 'puruto update'} --workspace DIR [options]`,
    '',
    "Bring a Puruto's generated files (invoker.py, bot.py, main.py, app.py, skills, README ...) to",
    'this generator version without losing your edits. Generation keeps its own output at',
    'refs/puruto/pristine; update re-renders the repo from the answers in .yo-rc.json, commits',
    'that on top of the pristine base, moves the ref and merges it into your branch: your edits',
    "and the generator's changes combine, a clash is an ordinary git conflict. It refuses",
    'uncommitted changes. A repo without a pristine base (older, or no git) gets the new version',
    'of each differing file beside it as <file>.puruto-new (nothing overwritten; missing files',
    'are added); merge them, then run it with --adopt. The standard version is left to',
    '`puruto upgrade` (it says when one is pending).',
    '',
    'Options:',
    ...rows.map(([f, d]) => `  ${f.padEnd(width)}${d}`),
    '',
    'Exit codes: 0 updated, already up to date, dry run or adopted; 1 not a Puruto, uncommitted',
    'changes, a merge in progress, a git failure (message on stderr); 2 argument error; 3 your',
    'merge is needed: git conflicts left to resolve, or .puruto-new files to merge.',
  ].join('\n');
}
