import type { AnswersOf } from '../../lib/questions/table.js';
import { ecosystemQuestions } from '../shared/ecosystem-questions.js';

/** The vault's name is fixed: other Purutos, the validator and the gateway find it by it. */
export const DATA_NAME = 'puruto-data';

export const DEFAULT_DESCRIPTION =
  'The private data vault of this Puruto ecosystem: a registry of Purutos, one folder per Puruto, and shared/ for ' +
  'cross-domain data.';

/** `yo puruto:data` / `puruto new data` (SPEC §8 puruto-data). */
export const questions = ecosystemQuestions({
  name: DATA_NAME,
  noun: 'the data vault',
  what: 'this vault holds',
  defaultDescription: DEFAULT_DESCRIPTION,
});

export type DataAnswers = AnswersOf<typeof questions>;
