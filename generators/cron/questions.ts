import type { AnswersOf, Table } from '../../lib/questions/table.js';

/** The scheduler's name is fixed: the validator, the gateway and puruto-telegram find it by it. */
export const CRON_NAME = 'puruto-cron';

export const DEFAULT_DESCRIPTION =
  'The local scheduler of this Puruto ecosystem: cron jobs in .jobs.json that ask other Purutos to act, with runs in SQLite and notifications to Telegram.';

/**
 * `yo puruto:cron` / `puruto new cron` (SPEC §8 puruto-cron). `name` stays a question
 * (flag, positional, --answers key, .yo-rc.json) so the shared new-repo flow works
 * unchanged, but its default is the only accepted value: the kind is detected by that
 * folder name. --destination chooses where it goes.
 */
export const questions = [
  {
    name: 'name',
    type: 'string',
    message: 'Repo name (always puruto-cron)',
    description: `repo name: always ${CRON_NAME} (the kind is detected by it)`,
    positional: true,
    default: CRON_NAME,
    placeholder: CRON_NAME,
    validate: (v: string) =>
      v === CRON_NAME
        ? undefined
        : `the scheduler is always named ${CRON_NAME} (the kind is detected by that name), got "${v}"; use --destination to choose where it goes`,
  },
  {
    name: 'description',
    type: 'string',
    message: 'One-line description',
    description: 'one line saying what this scheduler runs',
    default: DEFAULT_DESCRIPTION,
    placeholder: 'text',
    validate: (v: string) =>
      v === ''
        ? 'the description is empty: say in one line what this scheduler runs'
        : /[\r\n]/.test(v)
          ? 'the description must be a single line'
          : v.length > 1024
            ? 'the description is longer than 1024 characters'
            : undefined,
  },
] as const satisfies Table;

export type CronAnswers = AnswersOf<typeof questions>;

export const spec = {
  kind: 'puruto-cron',
  summary:
    'Create puruto-cron, the local scheduler: .jobs.json, SQLite runs, main.py (init-db, sync-jobs, status, tick, run-now, run, pause, resume, logs) calling Purutos through invoker.py.',
  table: questions,
} as const;
