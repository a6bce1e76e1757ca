import type { PlannedFile } from '../shared/spec.js';
import { commonContext } from '../shared/context.js';
import { OWN_CORE_SKILLS, commonFiles } from '../shared/common-files.js';
import type { DataAnswers } from './questions.js';

/** The skills of the vault besides the core four (SPEC §8: register, plus read and write). */
export const DATA_SKILLS = ['register', 'read', 'write'] as const;

/** An empty registry (SPEC §8), written as JSON by the generator. */
export const EMPTY_REGISTRY = { version: '1', purutos: [] as unknown[] };

/**
 * Stdlib Python copied verbatim: the vault runtime, the scripts behind /init and
 * /status (the /list script and env helpers are common to all kinds), and the repo's
 * own pytest suite.
 */
const COPIES = [
  'vault.py',
  'vault_store.py',
  'requirements-dev.txt',
  'tests/conftest.py',
  'tests/test_vault.py',
  'tests/test_write_read.py',
  'tests/test_init_status.py',
  '.claude/skills/init/scripts/init.py',
  '.claude/skills/status/scripts/status.py',
];

/** Which files puruto-data gets. No option changes the set: the vault has one shape. */
export function dataFiles(a: DataAnswers): PlannedFile[] {
  const context = { ...commonContext(a.name, a.description), skills: DATA_SKILLS };
  const files: PlannedFile[] = [
    ...commonFiles(context),
    { dest: 'AGENTS.md', template: 'AGENTS.md.ejs', context },
    { dest: 'README.md', template: 'README.md.ejs', context },
    { dest: '.env.example', template: '_env.example.ejs', context },
    { dest: '.gitignore', template: '_gitignore.ejs', context },
    { dest: 'registry.json', json: EMPTY_REGISTRY },
    { dest: 'shared/.gitkeep', text: '' },
  ];
  for (const skill of [...OWN_CORE_SKILLS, ...DATA_SKILLS]) {
    files.push({ dest: `.claude/skills/${skill}/SKILL.md`, template: `skills/${skill}/SKILL.md.ejs`, context });
  }
  files.push(...COPIES.map((c) => ({ dest: c, copy: c.replace(/^\.claude\/skills\//, 'skills/') })));
  return files;
}
