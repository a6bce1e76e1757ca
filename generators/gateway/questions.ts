import type { AnswersOf, Table } from '../../lib/questions/table.js';

/** The gateway's name is fixed: the validator and the ecosystem detect the kind by it. */
export const GATEWAY_NAME = 'puruto-gateway';

export const DEFAULT_DESCRIPTION =
  'The local REST API of this Puruto ecosystem: lists the Purutos and runs their commands over HTTP, behind an API key.';

/**
 * `yo puruto:gateway` / `puruto new gateway` (SPEC §8 puruto-gateway). Like puruto-data,
 * `name` stays a question so the shared new-repo flow works unchanged, but only its
 * default is accepted; --destination chooses where it goes.
 */
export const questions = [
  {
    name: 'name',
    type: 'string',
    message: 'Repo name (always puruto-gateway)',
    description: `repo name: always ${GATEWAY_NAME} (the kind is detected by it)`,
    positional: true,
    default: GATEWAY_NAME,
    placeholder: GATEWAY_NAME,
    validate: (v: string) =>
      v === GATEWAY_NAME
        ? undefined
        : `the gateway is always named ${GATEWAY_NAME} (the kind is detected by that name), got "${v}"; use --destination to choose where it goes`,
  },
  {
    name: 'description',
    type: 'string',
    message: 'One-line description',
    description: 'one line saying what this gateway serves',
    default: DEFAULT_DESCRIPTION,
    placeholder: 'text',
    validate: (v: string) =>
      v === ''
        ? 'the description is empty: say in one line what this gateway serves'
        : /[\r\n]/.test(v)
          ? 'the description must be a single line'
          : v.length > 1024
            ? 'the description is longer than 1024 characters'
            : undefined,
  },
] as const satisfies Table;

export type GatewayAnswers = AnswersOf<typeof questions>;

export const spec = {
  kind: 'puruto-gateway',
  summary:
    'Create puruto-gateway, the local REST API of the ecosystem (FastAPI + uvicorn): /health, /purutos, /purutos/{name} and POST /purutos/{name}/{command} through invoker.py, behind an API key.',
  table: questions,
} as const;
