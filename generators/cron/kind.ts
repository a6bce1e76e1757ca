import { defineKind } from '../shared/kind-declaration.js';
import { CRON_NAME, questions } from './questions.js';
import { CRON_SKILLS, cronFiles } from './files.js';

/** `yo puruto:cron` / `puruto new cron`: puruto-cron, the local scheduler (SPEC §8). */
export default defineKind({
  key: 'cron',
  kind: CRON_NAME,
  listed: 4,
  summary: 'the local scheduler',
  helpSummary:
    'Create puruto-cron, the local scheduler: .jobs.json, SQLite runs, main.py (init-db, sync-jobs, status, tick, ' +
    'run-now, run, pause, resume, logs) calling Purutos through invoker.py.',
  table: questions,
  plan: cronFiles,
  requiredFiles: ['main.py', 'db.py', 'scheduler.py', 'executor.py', 'invoker.py', 'notifier.py', '.jobs.json'],
  requiredDirs: ['db', 'runs', 'notifications'],
  requiredSkills: CRON_SKILLS,
  missingCode: 'missing-cron-file',
  ecosystem: { order: 3 },
});
