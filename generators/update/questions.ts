import { HELP_OPTION, type Option } from '../../lib/options/option.js';
import { renderHelp } from '../../lib/options/help.js';

/**
 * The one option table of `puruto update` and `yo puruto:update`: flags, --help and how
 * each is parsed, see lib/options). Nothing is prompted: an update has a repo (or a workspace) and a mode.
 */
export const UPDATE_OPTIONS: readonly Option[] = [
  {
    name: 'dry-run',
    kind: 'flag',
    description:
      'show which files would change and how (stat and diff, and the files git would leave in conflict); write nothing',
  },
  {
    name: 'json',
    kind: 'flag',
    description: 'print the report as JSON (one object, or {"workspace", "repos": [...]} with --workspace)',
  },
  {
    name: 'workspace',
    kind: 'value',
    value: 'DIR',
    description: 'update every Puruto directly under DIR (e.g. ~/purutos)',
  },
  {
    name: 'adopt',
    kind: 'flag',
    description:
      'a repo without a pristine base: keep its files as they are and record them as based on this version, so ' +
      'later updates merge through git',
  },
  {
    name: 'force',
    kind: 'flag',
    description:
      'merge even when HEAD is detached (no branch checked out): the merge commit then belongs to no branch; ' +
      'without it update refuses there',
  },
  HELP_OPTION,
];

/** `yo puruto:update` has them all but --workspace (one report over many repos is the CLI's). */
export const YO_UPDATE_OPTIONS: readonly Option[] = UPDATE_OPTIONS.filter((o) => o.name !== 'workspace');

/** What the options ask of one update (the same reading for the CLI and the generator). */
export function updateRequest(opt: (name: string) => unknown): {
  dryRun: boolean;
  adopt: boolean;
  json: boolean;
  force: boolean;
} {
  return {
    dryRun: opt('dry-run') === true,
    adopt: opt('adopt') === true,
    json: opt('json') === true,
    force: opt('force') === true,
  };
}

/** Exit codes of `puruto update` (README documents them). */
export const UPDATE_EXIT = { ok: 0, failed: 1, usage: 2, merge: 3 } as const;

export function updateHelp(via: 'yo' | 'puruto'): string {
  return renderHelp({
    head: [
      ...(via === 'yo'
        ? ['Usage: yo puruto:update [path] [options]   (for many repos: puruto update --workspace DIR)']
        : ['Usage: puruto update [path] [options]', '       puruto update --workspace DIR [options]']),
      '',
      "Bring a Puruto's generated files (invoker.py, bot.py, main.py, app.py, skills, README ...) to",
      'this generator version without losing your edits. Generation keeps its own output at',
      'refs/puruto/pristine; update re-renders the repo from the answers in .yo-rc.json, commits',
      'that on top of the pristine base, moves the ref and merges it into your branch: your edits',
      "and the generator's changes combine, a clash is an ordinary git conflict. It refuses",
      'uncommitted changes, and a detached HEAD unless --force (check out your branch first:',
      'git switch <branch>). A repo without a pristine base (older, or no git) gets the new version',
      'of each differing file beside it as <file>.puruto-new (nothing overwritten; missing files',
      'are added); merge them, then run it with --adopt. The standard version is left to',
      '`puruto upgrade` (it says when one is pending).',
    ],
    options: via === 'yo' ? YO_UPDATE_OPTIONS : UPDATE_OPTIONS,
    tail: [
      'Exit codes: 0 updated, already up to date, dry run or adopted; 1 not a Puruto, uncommitted',
      'changes, a merge in progress, a detached HEAD without --force, a link out of the repo in the',
      'way, a git failure (message on stderr); 2 argument error; 3 your merge is needed: git',
      'conflicts left to resolve, or .puruto-new files to merge.',
    ],
  });
}
