import { defineKind } from '../shared/kind-declaration.js';
import { GATEWAY_NAME, questions } from './questions.js';
import { GATEWAY_SKILLS, gatewayFiles } from './files.js';

/** `yo puruto:gateway` / `puruto new gateway`: puruto-gateway, the local REST API (SPEC §8). */
export default defineKind({
  key: 'gateway',
  kind: GATEWAY_NAME,
  listed: 3,
  summary: 'the local REST API',
  helpSummary:
    'Create puruto-gateway, the local REST API of the ecosystem (FastAPI + uvicorn): /health, /purutos, ' +
    '/purutos/{name} and POST /purutos/{name}/{command} through invoker.py, behind an API key.',
  table: questions,
  plan: gatewayFiles,
  requiredFiles: ['app.py', 'routes.py', 'auth.py', 'registry.py', 'invoker.py'],
  requiredDirs: [],
  requiredSkills: GATEWAY_SKILLS,
  missingCode: 'missing-gateway-file',
  ecosystem: { order: 4 },
});
