import type { AnswersOf } from '../../lib/questions/table.js';
import { ecosystemQuestions } from '../shared/ecosystem-questions.js';

/** The connector's name is fixed: the validator and puruto-cron find it by it. */
export const TELEGRAM_NAME = 'puruto-telegram';

export const DEFAULT_DESCRIPTION =
  'The Telegram connector of this Puruto ecosystem: talk to your Purutos from your phone, one active channel at a ' +
  'time, and receive puruto-cron notifications.';

/** `yo puruto:telegram` / `puruto new telegram` (SPEC §8 puruto-telegram). */
export const questions = ecosystemQuestions({
  name: TELEGRAM_NAME,
  noun: 'the Telegram connector',
  what: 'this bot connects',
  defaultDescription: DEFAULT_DESCRIPTION,
});

export type TelegramAnswers = AnswersOf<typeof questions>;
