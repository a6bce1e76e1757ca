import { helpText } from '../../lib/questions/help.js';
import { KINDS, type KindName } from '../../lib/standard/kinds.js';
import type { Table } from '../../lib/questions/table.js';
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
    table: spec.table,
    extra: [...COMMON_OPTIONS, ...NEW_REPO_OPTIONS].map((o) => ({
      flag: o.alias ? `-${o.alias}, --${o.name}` : `--${o.name}`,
      description:
        o.name === 'answers'
          ? `JSON object of answers keyed by option name, e.g. ${answersExample(spec.table)}`
          : o.description,
      ...(o.boolean ? {} : { value: o.value ?? 'value' }),
    })),
    notes: [
      ...booleanNote(spec.table),
      'Without a terminal, defaults are taken and a missing required answer is an error (exit 1).',
      `Destination: --destination DIR, else ~/purutos/<name> if ~/purutos exists, else ../purutos/<name> if that exists, else ./<name>.${fixed ? ` The name is always ${String(spec.table.find((q) => q.name === 'name')?.default)}.` : ''}`,
      'Exit codes: 0 generated and valid; 1 not generated (bad name, destination exists, missing answers) or the result fails validation; 2 argument error (unknown or invalid flag).',
    ],
  });
}

/** --help of an add-on generator (ipc, agent-tests) run inside an existing Puruto. */
export function addOnHelp(name: string, summary: string, via: 'yo' | 'puruto'): string {
  return [
    `Usage: ${via === 'yo' ? `yo puruto:${name}` : `puruto new ${name}`}   (run inside an existing Puruto)`,
    '',
    summary,
    'It adds its files and merges its sections into README.md and .env.example; files that',
    'already exist are kept. Run on a repo that already has it, it changes nothing and says so.',
    '',
    'Options:',
    '  -h, --help  show this help',
    '',
    'Exit codes: 0 done; 1 not inside a Puruto, or validation errors afterwards; 2 argument error.',
  ].join('\n');
}
