import { helpText } from '../../lib/questions/help.js';
import { KINDS, type KindName } from '../../lib/standard/kinds.js';
import type { Table } from '../../lib/questions/table.js';
import { COMMON_OPTIONS, NEW_REPO_OPTIONS } from './spec.js';

export interface NewRepoSpec {
  kind: KindName;
  summary: string;
  table: Table;
}

/** --help of a new-repo generator, from its question table (yo and puruto share it). */
export function newRepoHelp(spec: NewRepoSpec, via: 'yo' | 'puruto'): string {
  const gen = KINDS[spec.kind].generator;
  const usage =
    via === 'yo'
      ? `yo puruto${gen === 'app' ? '' : `:${gen}`} [name] [options]`
      : `puruto new${gen === 'app' ? '' : ` ${gen}`} [name] [options]`;
  return helpText({
    usage,
    summary: spec.summary,
    table: spec.table,
    extra: [...COMMON_OPTIONS, ...NEW_REPO_OPTIONS].map((o) => ({
      flag: o.alias ? `-${o.alias}, --${o.name}` : `--${o.name}`,
      description: o.description,
      ...(o.boolean ? {} : { value: o.value ?? 'value' }),
    })),
    notes: [
      'Boolean flags also take true/false in any case (--db FALSE, --ipc=true).',
      'Without a terminal, defaults are taken and a missing required answer is an error (exit 1).',
      'Destination: --destination DIR, else ~/purutos/<name> if ~/purutos exists, else ../purutos/<name> if that exists, else ./<name>.',
      'Exit codes: 0 generated and valid; 1 usage/business error (bad name, destination exists, missing answers, validation errors); 2 argument error.',
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
    'Exit codes: 0 done; 1 not inside a Puruto, or validation errors afterwards.',
  ].join('\n');
}
