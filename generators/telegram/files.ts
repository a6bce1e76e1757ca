import { sharedTemplate } from '../shared/templates-path.js';
import type { PlannedFile } from '../shared/spec.js';
import { commonContext } from '../shared/context.js';
import { devRequirementsText, requirementsText } from '../shared/pins.js';
import { schemaFiles } from '../shared/schema-files.js';
import { kindFiles, runFile, type RunSpec } from '../shared/common-files.js';
import { INVOKER_TEMPLATE } from '../ipc/files.js';
import type { TelegramAnswers } from './questions.js';

/** The skills of the connector besides the core four (SPEC §8). */
export const TELEGRAM_SKILLS = ['add-channel', 'drain-inbox'] as const;

/** The channel catalogue of a new connector: empty, filled by /add-channel. */
export const EMPTY_CHANNELS = { channels: [] as string[] };

/** Python copied verbatim: the runtime, the /init and /status scripts, the repo's own tests. */
const COPIES = [
  'bot.py',
  'conversations.py',
  'pending.py',
  'telegram_format.py',
  'router.py',
  'db.py',
  'inbox.py',
  'telegram_env.py',
  'tests/conftest.py',
  'tests/fake_bot_api.py',
  'tests/fake_agent.py',
  'tests/test_db_router.py',
  'tests/test_inbox.py',
  'tests/test_bot.py',
  'tests/test_bot_concurrency.py',
  'tests/test_bot_crash.py',
  'tests/test_bot_updates.py',
  'tests/test_format.py',
  'tests/test_init_status.py',
  '.claude/skills/init/scripts/init.py',
  '.claude/skills/status/scripts/status.py',
];

/** What `./run` starts. */
export const RUN: RunSpec = {
  entry: ['bot.py'],
  defaultArgs: [],
  modules: ['telegram', 'dotenv'],
  what: 'the Telegram bot, long polling until Ctrl-C',
  example: '',
};

/** Which files puruto-telegram gets. No option changes the set: the connector has one shape. */
export function telegramFiles(a: TelegramAnswers): PlannedFile[] {
  const context = { ...commonContext(a.name, a.description), skills: TELEGRAM_SKILLS };
  return kindFiles({
    context,
    skills: TELEGRAM_SKILLS,
    extras: [
      runFile(context, RUN),
      {
        dest: 'requirements.txt',
        text: requirementsText(
          ["The bot's runtime (/init installs it in .venv)."],
          ['python-telegram-bot', 'python-dotenv'],
        ),
      },
      {
        dest: 'requirements-dev.txt',
        text: devRequirementsText(['pytest']),
      },
      { dest: '.channels.json', json: EMPTY_CHANNELS },
      { dest: 'invoker.py', copy: INVOKER_TEMPLATE },
      { dest: 'heartbeat.py', copy: sharedTemplate('heartbeat.py') },
      { dest: 'db/.gitkeep', text: '' },
      { dest: 'inbox/.gitkeep', text: '' },
      ...schemaFiles(['channels'], true),
    ],
    copies: COPIES,
  });
}
