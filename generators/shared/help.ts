import { helpText } from '../../lib/questions/help.js';
import { KINDS, type KindName } from '../../lib/standard/kinds.js';
import type { Table } from '../../lib/questions/table.js';
import { HELP_OPTION, questionOptions, type Option } from '../../lib/options/option.js';
import { renderHelp } from '../../lib/options/help.js';
import { COMMON_OPTIONS, NEW_REPO_OPTIONS } from './spec.js';

export interface NewRepoSpec {
  kind: KindName;
  summary: string;
  table: Table;
}

/** The --answers example: keys and values this table really has. */
export function answersExample(table: Table): string {
  const example: Record<string, unknown> = {};
  for (const q of table.filter((x) => !x.fixed).slice(0, 3)) {
    const short = typeof q.default === 'string' && q.default !== '' && q.default.length <= 30 ? q.default : undefined;
    example[q.name] =
      q.type === 'boolean' ? !(q.default ?? false) : q.type === 'list' ? 'a,b' : (short ?? q.placeholder ?? 'text');
  }
  return JSON.stringify(example);
}

/** COMMON_OPTIONS, the --answers example naming this table's keys. */
export function commonOptions(table: Table): Option[] {
  return COMMON_OPTIONS.map((o) =>
    o.name === 'answers'
      ? { ...o, description: `JSON object of answers keyed by option name, e.g. ${answersExample(table)}` }
      : o,
  );
}

/**
 * Every option of a new-repo generator (`yo puruto[:kind]`, `puruto new [kind]`): its
 * questions, the common options, the new-repo ones and --help. The parser, --help and
 * the yo declarations all read this list.
 */
export function newRepoOptions(spec: NewRepoSpec): Option[] {
  return [...questionOptions(spec.table), ...commonOptions(spec.table), ...NEW_REPO_OPTIONS, HELP_OPTION];
}

/** The options of an add-on generator (ipc, agent-tests): --help, and those its composer sets. */
export const ADD_ON_OPTIONS: readonly Option[] = [
  { name: 'composed', kind: 'flag', hidden: true, description: 'set when composed by another generator' },
  { name: 'owner', kind: 'value', hidden: true, description: 'repo name (when composed)' },
  {
    name: 'skills',
    kind: 'value',
    hidden: true,
    description: 'extra skills of the repo, comma-separated (when composed)',
  },
  HELP_OPTION,
];

/** The booleans line, only when the table has booleans, naming them. */
function booleanNote(table: Table): string[] {
  const names = table.filter((q) => q.type === 'boolean').map((q) => q.name);
  if (names.length === 0) return [];
  return [`Boolean flags also take true/false in any case (--${names[0]} FALSE, --${names[names.length - 1]}=true).`];
}

/** --help of a new-repo generator, from its question table (yo and puruto share it). */
export function newRepoHelp(spec: NewRepoSpec, via: 'yo' | 'puruto'): string {
  const gen = KINDS[spec.kind].generator;
  const usage =
    via === 'yo'
      ? `yo puruto${gen === 'app' ? '' : `:${gen}`} [name] [options]`
      : `puruto new${gen === 'app' ? '' : ` ${gen}`} [name] [options]`;
  const fixed = spec.table.some((q) => q.name === 'name' && q.fixed);
  return helpText({
    usage,
    summary: spec.summary,
    options: newRepoOptions(spec),
    notes: [
      ...booleanNote(spec.table),
      'Without a terminal, defaults are taken and a missing required answer is an error (exit 1).',
      `Destination: --destination DIR, else ~/purutos/<name> if ~/purutos exists, else ../purutos/<name> if that ` +
        'exists, else ./<name>.' +
        (fixed ? ` The name is always ${String(spec.table.find((q) => q.name === 'name')?.default)}.` : ''),
      'Exit codes: 0 generated and valid; 1 not generated (bad name, destination exists, missing answers) or the ' +
        'result fails validation; 2 argument error (unknown or invalid flag).',
    ],
  });
}

/** --help of an add-on generator (ipc, agent-tests) run inside an existing Puruto. */
export function addOnHelp(name: string, summary: string, via: 'yo' | 'puruto'): string {
  return renderHelp({
    head: [
      `Usage: ${via === 'yo' ? `yo puruto:${name}` : `puruto new ${name}`}   (run inside an existing Puruto)`,
      '',
      summary,
      'It adds its files and merges its sections into README.md and .env.example; files that',
      'already exist are kept. Run on a repo that already has it, it changes nothing and says so.',
    ],
    options: ADD_ON_OPTIONS,
    tail: ['Exit codes: 0 done; 1 not inside a Puruto, or validation errors afterwards; 2 argument error.'],
  });
}
