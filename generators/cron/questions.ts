import type { AnswersOf } from '../../lib/questions/table.js';
import { ecosystemQuestions } from '../shared/ecosystem-questions.js';

/** The scheduler's name is fixed: the validator, the gateway and puruto-telegram find it by it. */
export const CRON_NAME = 'puruto-cron';

export const DEFAULT_DESCRIPTION =
  'The local scheduler of this Puruto ecosystem: cron jobs in .jobs.json that ask other Purutos to act, with runs ' +
  'in SQLite and notifications to Telegram.';

/** `yo puruto:cron` / `puruto new cron` (SPEC §8 puruto-cron). */
export const questions = ecosystemQuestions({
  name: CRON_NAME,
  noun: 'the scheduler',
  what: 'this scheduler runs',
  defaultDescription: DEFAULT_DESCRIPTION,
});

export type CronAnswers = AnswersOf<typeof questions>;
