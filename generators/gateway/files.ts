import type { PlannedFile } from '../shared/spec.js';
import { commonContext } from '../shared/context.js';
import { devRequirementsText, requirementsText } from '../shared/pins.js';
import { schemaFiles } from '../shared/schema-files.js';
import { kindFiles, runFile, type RunSpec } from '../shared/common-files.js';
import { INVOKER_TEMPLATE } from '../ipc/files.js';
import type { GatewayAnswers } from './questions.js';

/** The gateway has no skills besides the core four (SPEC §8). */
export const GATEWAY_SKILLS = [] as const;

/**
 * Python copied verbatim: the FastAPI runtime, its requirements, the scripts behind
 * /init and /status (the /list script and env helpers are common to all kinds), and the
 * repo's own pytest suite.
 */
const COPIES = [
  'app.py',
  'body.py',
  'models.py',
  'routes.py',
  'auth.py',
  'registry.py',
  'tests/conftest.py',
  'tests/test_api.py',
  'tests/test_body.py',
  'tests/test_concurrency.py',
  'tests/test_discovery.py',
  'tests/test_init_status.py',
  'tests/test_openapi.py',
  '.claude/skills/init/scripts/init.py',
  '.claude/skills/status/scripts/status.py',
];

/** What `./run` starts. */
export const RUN: RunSpec = {
  entry: ['app.py'],
  defaultArgs: [],
  modules: ['fastapi', 'uvicorn', 'dotenv'],
  what: 'the REST API on PURUTO_GATEWAY_HOST:PURUTO_GATEWAY_PORT',
  example: '',
};

/** Which files puruto-gateway gets. No option changes the set: the gateway has one shape. */
export function gatewayFiles(a: GatewayAnswers): PlannedFile[] {
  const context = { ...commonContext(a.name, a.description), skills: GATEWAY_SKILLS };
  return kindFiles({
    context,
    skills: GATEWAY_SKILLS,
    extras: [
      runFile(context, RUN),
      {
        dest: 'requirements.txt',
        text: requirementsText(
          ["The gateway's runtime (/init installs it in .venv)."],
          ['fastapi', 'uvicorn', 'python-dotenv'],
        ),
      },
      {
        dest: 'requirements-dev.txt',
        text: devRequirementsText(['pytest', 'httpx'], ['TestClient uses httpx.']),
      },
      { dest: 'invoker.py', copy: INVOKER_TEMPLATE },
      ...schemaFiles(['registry'], true),
    ],
    copies: COPIES,
  });
}
