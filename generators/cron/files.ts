import { sharedTemplate } from '../shared/templates-path.js';
import type { PlannedFile } from '../shared/spec.js';
import { commonContext } from '../shared/context.js';
import { devRequirementsText, requirementsText } from '../shared/pins.js';
import { schemaFiles } from '../shared/schema-files.js';
import { kindFiles, runFile, type RunSpec } from '../shared/common-files.js';
import { INVOKER_TEMPLATE } from '../ipc/files.js';
import type { CronAnswers } from './questions.js';

/** The skills of the scheduler besides the core four (SPEC §8). */
export const CRON_SKILLS = ['register-job', 'pause-job', 'resume-job', 'run-now', 'logs'] as const;

/** The scaffold's one sample job: disabled, so nothing runs until the user says so. */
export const SAMPLE_JOBS = {
  jobs: [
    {
      job_id: 'daily-status',
      enabled: false,
      puruto_target: 'puruto-data',
      schedule: '0 9 * * *',
      prompt: 'Summarise what changed in the vault since yesterday.',
      notify_channel: 'telegram',
      timeout_sec: 120,
      max_retries: 0,
      retry_backoff_sec: 30,
    },
  ],
};

/** Python copied verbatim: the runtime, the /init and /status scripts, the repo's own tests. */
const COPIES = [
  'main.py',
  'db.py',
  'scheduler.py',
  'executor.py',
  'jobs.py',
  'schedule.py',
  'settings.py',
  'notifier.py',
  'tests/conftest.py',
  'tests/test_db_sync.py',
  'tests/test_tick.py',
  'tests/test_concurrency.py',
  'tests/test_crash.py',
  'tests/test_init_status.py',
  'tests/test_parallel.py',
  'tests/test_timezones.py',
  'tests/test_settings.py',
  '.claude/skills/init/scripts/init.py',
  '.claude/skills/status/scripts/status.py',
];

/** What `./run` starts. */
export const RUN: RunSpec = {
  entry: ['main.py'],
  defaultArgs: ['run'],
  modules: ['croniter'],
  what: 'the scheduler loop, until Ctrl-C or SIGTERM',
  example: 'tick',
};

/** Which files puruto-cron gets. No option changes the set: the scheduler has one shape. */
export function cronFiles(a: CronAnswers): PlannedFile[] {
  const context = { ...commonContext(a.name, a.description), skills: CRON_SKILLS };
  return kindFiles({
    context,
    skills: CRON_SKILLS,
    extras: [
      runFile(context, RUN),
      {
        dest: 'requirements.txt',
        text: requirementsText(["The scheduler's runtime (/init installs it in .venv)."], ['croniter']),
      },
      {
        dest: 'requirements-dev.txt',
        text: devRequirementsText(['pytest']),
      },
      { dest: '.jobs.json', json: SAMPLE_JOBS },
      { dest: 'invoker.py', copy: INVOKER_TEMPLATE },
      { dest: 'heartbeat.py', copy: sharedTemplate('heartbeat.py') },
      { dest: 'db/.gitkeep', text: '' },
      { dest: 'runs/.gitkeep', text: '' },
      { dest: 'notifications/.gitkeep', text: '' },
      ...schemaFiles(['jobs'], true),
    ],
    copies: COPIES,
  });
}
