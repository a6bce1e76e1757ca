import { fileURLToPath } from 'node:url';
import type { PlannedFile } from '../shared/spec.js';
import { commonContext } from '../shared/context.js';
import { OWN_CORE_SKILLS, commonFiles } from '../shared/common-files.js';
import type { GatewayAnswers } from './questions.js';

/** The ecosystem's one invoker (the ipc add-on's template), shipped as is: never a copy in this folder. */
export const INVOKER_TEMPLATE = fileURLToPath(new URL('../ipc/templates/invoker.py', import.meta.url));

/**
 * Python copied verbatim: the FastAPI runtime, its requirements, the scripts behind
 * /init and /status (the /list script and env helpers are common to all kinds), and the
 * repo's own pytest suite.
 */
const COPIES = [
  'app.py',
  'routes.py',
  'auth.py',
  'registry.py',
  'requirements.txt',
  'requirements-dev.txt',
  'tests/conftest.py',
  'tests/test_api.py',
  'tests/test_discovery.py',
  'tests/test_init_status.py',
  '.claude/skills/init/scripts/init.py',
  '.claude/skills/status/scripts/status.py',
];

/** Which files puruto-gateway gets. No option changes the set: the gateway has one shape. */
export function gatewayFiles(a: GatewayAnswers): PlannedFile[] {
  const context = { ...commonContext(a.name, a.description), skills: [] as string[] };
  const files: PlannedFile[] = [
    ...commonFiles(context),
    { dest: 'AGENTS.md', template: 'AGENTS.md.ejs', context },
    { dest: 'README.md', template: 'README.md.ejs', context },
    { dest: '.env.example', template: '_env.example.ejs', context },
    { dest: '.gitignore', template: '_gitignore.ejs', context },
    { dest: 'invoker.py', copy: INVOKER_TEMPLATE },
  ];
  for (const skill of OWN_CORE_SKILLS) {
    files.push({ dest: `.claude/skills/${skill}/SKILL.md`, template: `skills/${skill}/SKILL.md.ejs`, context });
  }
  files.push(...COPIES.map((c) => ({ dest: c, copy: c.replace(/^\.claude\/skills\//, 'skills/') })));
  return files;
}
