import type { PlannedFile } from '../shared/spec.js';
import { commonContext } from '../shared/context.js';
import { requirementsText } from '../shared/pins.js';
import { schemaFiles } from '../shared/schema-files.js';
import { kindFiles } from '../shared/common-files.js';
import type { DataAnswers } from './questions.js';

/** The skill of the vault the validator requires besides the core four (SPEC §4, §8). */
export const DATA_REQUIRED_SKILLS = ['register'] as const;

/** The skills the vault gets besides the core four (SPEC §8: register, plus read and write). */
export const DATA_SKILLS = [...DATA_REQUIRED_SKILLS, 'read', 'write'] as const;

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
  'tests/conftest.py',
  'tests/test_vault.py',
  'tests/test_write_read.py',
  'tests/test_hardening.py',
  'tests/test_init_status.py',
  '.claude/skills/init/scripts/init.py',
  '.claude/skills/status/scripts/status.py',
];

/** Which files puruto-data gets. No option changes the set: the vault has one shape. */
export function dataFiles(a: DataAnswers): PlannedFile[] {
  const context = {
    ...commonContext(a.name, a.description),
    skills: DATA_SKILLS,
    // The vault's folders hold the Purutos' data, not this repo's code (.ruff.toml, .mypy.ini, .vermin).
    lintExclude: { why: 'shared/ and puruto-*/ hold the data', paths: ['shared', 'puruto-*'] },
  };
  return kindFiles({
    context,
    skills: DATA_SKILLS,
    extras: [
      {
        dest: 'requirements-dev.txt',
        text: requirementsText(
          ['What `python3 -m pytest tests` needs; the vault itself needs only the Python standard library.'],
          ['pytest'],
        ),
      },
      { dest: 'registry.json', json: EMPTY_REGISTRY },
      { dest: 'shared/.gitkeep', text: '' },
      ...schemaFiles(['registry'], true),
    ],
    copies: COPIES,
  });
}
