import { defineKind } from '../shared/kind-declaration.js';
import { questions } from './questions.js';
import { appFiles } from './files.js';

/** `yo puruto` / `puruto new`: a standard Puruto (SPEC §2–3), your app. */
export default defineKind({
  key: 'app',
  kind: 'standard',
  listed: 1,
  summary: 'a domain Puruto (your app)',
  helpSummary:
    'Create a standard Puruto: an agentic repository (rules files, the four core skills, optional db, IPC and agent ' +
    'tests).',
  table: questions,
  plan: appFiles,
  requiredFiles: [],
  requiredDirs: [],
  requiredSkills: [],
  missingCode: null,
  ecosystem: null,
  addOns: (a) => [...(a.ipc ? ['ipc'] : []), ...(a['agent-tests'] ? ['agent-tests'] : [])],
});
