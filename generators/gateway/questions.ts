import type { AnswersOf } from '../../lib/questions/table.js';
import { ecosystemQuestions } from '../shared/ecosystem-questions.js';

/** The gateway's name is fixed: the validator and the ecosystem detect the kind by it. */
export const GATEWAY_NAME = 'puruto-gateway';

export const DEFAULT_DESCRIPTION =
  'The local REST API of this Puruto ecosystem: lists the Purutos and runs their commands over HTTP, behind an API ' +
  'key.';

/** `yo puruto:gateway` / `puruto new gateway` (SPEC §8 puruto-gateway). */
export const questions = ecosystemQuestions({
  name: GATEWAY_NAME,
  noun: 'the gateway',
  what: 'this gateway serves',
  defaultDescription: DEFAULT_DESCRIPTION,
});

export type GatewayAnswers = AnswersOf<typeof questions>;
