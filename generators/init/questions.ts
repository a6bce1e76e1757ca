/**
 * `yo puruto:init` / `puruto init`: one table drives the flags, the prompts, --help and
 * the checks. No Yeoman import here: `puruto init --help` and argument errors must not
 * pay for loading it.
 */
import { DEFAULT_ECOSYSTEM, VAULT_NAME } from '../../lib/ecosystem.js';
import { KIND_REGISTRY, isEcosystemKind, type EcosystemKind } from '../kinds.js';
import { helpText } from '../../lib/questions/help.js';
import type { AnswersOf, Table } from '../../lib/questions/table.js';
import { HELP_OPTION, questionOptions, type Option } from '../../lib/options/option.js';
import { INIT_OPTIONS } from '../shared/spec.js';
import { commonOptions } from '../shared/help.js';

/** The ecosystem kinds init may add besides the vault (always created), in creation order. */
type OptionalKind = Exclude<EcosystemKind, { ecosystem: { vault: true } }>;
type OptionalKey = OptionalKind['key'];
const OPTIONAL = KIND_REGISTRY.filter(isEcosystemKind)
  .filter((k): k is OptionalKind => !('vault' in k.ecosystem))
  .sort((a, b) => a.ecosystem.order - b.ecosystem.order);

/** One yes/no question per optional kind, from its declaration: --telegram, --cron, --gateway. */
const kindQuestions = OPTIONAL.map((k) => ({
  name: k.key,
  type: 'boolean' as const,
  message: `Add ${k.kind} (${k.summary})?`,
  description: `add ${k.kind}, ${k.summary}`,
  default: false,
}));

const WORDS = ['none', 'one', 'both', 'three', 'four', 'five', 'six'];
const countWord = (n: number): string => WORDS[n] ?? String(n);
const andList = (xs: readonly string[]): string =>
  xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;

export const questions = [
  {
    name: 'dir',
    type: 'string',
    message: 'Ecosystem folder',
    description: 'the ecosystem folder to create or complete (also the first argument)',
    positional: true,
    default: DEFAULT_ECOSYSTEM,
    placeholder: 'dir',
    validate: (v: string) => (v === '' ? 'the folder is empty: give a path such as ~/purutos' : undefined),
  },
  ...kindQuestions,
  {
    name: 'all',
    type: 'boolean',
    message: 'Add all of them?',
    description: `add all ${countWord(OPTIONAL.length)} (same as ${OPTIONAL.map((k) => `--${k.key}`).join(' ')})`,
    default: false,
    negatable: false,
  },
  {
    name: 'git',
    type: 'boolean',
    message: 'git init and a first commit in each new repo?',
    description: 'git init + a first commit in each new repo, when git is installed',
    default: true,
  },
] as const satisfies Table;

export type InitAnswers = AnswersOf<typeof questions>;

/** The optional kinds: prompted (as yes/no) when interactive and no kind flag was given. */
export const OPTIONAL_KINDS: readonly OptionalKey[] = OPTIONAL.map((k) => k.key);
/** Flags that choose kinds: giving any of them means "do not ask". */
export const KIND_FLAGS = [...OPTIONAL_KINDS, 'all'] as const;

export const SUMMARY = [
  `Bootstrap an ecosystem folder: create it with ${VAULT_NAME} (always) and, as asked,`,
  `${andList(OPTIONAL.map((k) => k.kind))}, wired together (.env.example paths, ${VAULT_NAME}/registry.json),`,
  "each with a first git commit; and make the folder the home of the framework's agent mode (AGENTS.md,",
  'CLAUDE.md, skills /init, /puruto-generator, /validate, /upgrade, /workspace). Run again, it adds only',
  'what is missing and keeps the rest.',
].join(' ');

/** Every option of `puruto init` / `yo puruto:init`: its questions, the common ones, --verbose, --help. */
export const OPTIONS: readonly Option[] = [
  ...questionOptions(questions),
  ...commonOptions(questions),
  ...INIT_OPTIONS,
  HELP_OPTION,
];

export function initHelp(via: 'yo' | 'puruto'): string {
  return helpText({
    usage: via === 'yo' ? 'yo puruto:init [dir] [options]' : 'puruto init [dir] [options]',
    summary: SUMMARY,
    options: OPTIONS,
    notes: [
      'Boolean flags also take true/false in any case (--telegram FALSE, --git=true).',
      'In a terminal with no kind flag, it asks which kinds to add; without one (or with --yes) it adds only ' +
        `${VAULT_NAME}.`,
      'Existing repos and root files are kept, never overwritten. The folder itself is not made a git repo.',
      'Exit codes: 0 done; 1 the folder (or a repo slot in it) is a file or a Puruto, or a new repo fails ' +
        'validation; 2 argument error.',
    ],
  });
}

export const spec = { table: questions, summary: SUMMARY } as const;
