import { defineKind } from '../shared/kind-declaration.js';
import { DATA_NAME, questions } from './questions.js';
import { DATA_REQUIRED_SKILLS, dataFiles } from './files.js';

/** `yo puruto:data` / `puruto new data`: puruto-data, the private data vault (SPEC §8). */
export default defineKind({
  key: 'data',
  kind: DATA_NAME,
  listed: 2,
  summary: 'the private data vault of the ecosystem',
  helpSummary:
    'Create puruto-data, the private data vault of the ecosystem: registry.json, shared/, one folder per registered ' +
    'Puruto, and vault.py behind /register, /read and /write.',
  table: questions,
  plan: dataFiles,
  requiredFiles: ['registry.json', 'shared/.gitkeep'],
  requiredDirs: [],
  requiredSkills: DATA_REQUIRED_SKILLS,
  missingCode: 'missing-data-file',
  ecosystem: { order: 1, vault: true },
});
