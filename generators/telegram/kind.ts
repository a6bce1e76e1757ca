import { defineKind } from '../shared/kind-declaration.js';
import { TELEGRAM_NAME, questions } from './questions.js';
import { TELEGRAM_SKILLS, telegramFiles } from './files.js';

/** `yo puruto:telegram` / `puruto new telegram`: puruto-telegram, the mobile connector (SPEC §8). */
export default defineKind({
  key: 'telegram',
  kind: TELEGRAM_NAME,
  listed: 5,
  summary: 'the Telegram connector',
  helpSummary:
    'Create puruto-telegram, the mobile connector: bot.py (python-telegram-bot), router.py (active channel → ' +
    'invoker.py), db.py, inbox.py (puruto-cron events), .channels.json.',
  table: questions,
  plan: telegramFiles,
  requiredFiles: ['bot.py', 'router.py', 'db.py', 'inbox.py', '.channels.json', 'db/.gitkeep', 'inbox/.gitkeep'],
  requiredDirs: [],
  requiredSkills: TELEGRAM_SKILLS,
  missingCode: 'missing-telegram-file',
  ecosystem: { order: 2 },
});
