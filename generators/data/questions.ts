import type { AnswersOf, Table } from '../../lib/questions/table.js';

/** The vault's name is fixed: other Purutos, the validator and the gateway find it by it. */
export const DATA_NAME = 'puruto-data';

export const DEFAULT_DESCRIPTION =
  'The private data vault of this Puruto ecosystem: a registry of Purutos, one folder per Puruto, and shared/ for cross-domain data.';

/**
 * `yo puruto:data` / `puruto new data` (SPEC §8 puruto-data). `name` stays a question
 * (flag, positional, --answers key, .yo-rc.json) so the shared new-repo flow works
 * unchanged, but its default is the only accepted value: the kind is detected by that
 * folder name. --destination chooses where it goes.
 */
export const questions = [
  {
    name: 'name',
    type: 'string',
    message: 'Repo name (always puruto-data)',
    description: `repo name: always ${DATA_NAME} (the kind is detected by it)`,
    positional: true,
    default: DATA_NAME,
    placeholder: DATA_NAME,
    validate: (v: string) =>
      v === DATA_NAME
        ? undefined
        : `the data vault is always named ${DATA_NAME} (other Purutos find it by that name), got "${v}"; use --destination to choose where it goes`,
  },
  {
    name: 'description',
    type: 'string',
    message: 'One-line description',
    description: 'one line saying what this vault holds',
    default: DEFAULT_DESCRIPTION,
    placeholder: 'text',
    validate: (v: string) =>
      v === ''
        ? 'the description is empty: say in one line what this vault holds'
        : /[\r\n]/.test(v)
          ? 'the description must be a single line'
          : v.length > 1024
            ? 'the description is longer than 1024 characters'
            : undefined,
  },
] as const satisfies Table;

export type DataAnswers = AnswersOf<typeof questions>;

export const spec = {
  kind: 'puruto-data',
  summary:
    'Create puruto-data, the private data vault of the ecosystem: registry.json, shared/, one folder per registered Puruto, and vault.py behind /register, /read and /write.',
  table: questions,
} as const;
