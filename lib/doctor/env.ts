/** `.env`: present, required values set, no placeholders, well-formed values. */
import { INIT, lines, type RepoCtx } from './context.js';
import type { Check, Probes } from './types.js';

const RUNTIME_KINDS = new Set(['puruto-telegram', 'puruto-cron', 'puruto-gateway']);
const TOKEN = /^\d{3,}:[A-Za-z0-9_-]{20,}$/;
const INTEGER = /^-?\d+$/;

export function gatewayAddress(repo: RepoCtx): { host: string; port: number | undefined; raw: string } {
  const host = repo.setting('PURUTO_GATEWAY_HOST') || '127.0.0.1';
  const raw = repo.setting('PURUTO_GATEWAY_PORT') || '8787';
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  return { host, port: n >= 1 && n <= 65535 ? n : undefined, raw };
}

export function envChecks(repo: RepoCtx, _probes: Probes): Check[] {
  const l = lines('env', repo.name);
  if (!repo.env) {
    const level = RUNTIME_KINDS.has(repo.kind) ? 'error' : 'warn';
    l.add(
      level,
      'env.missing',
      'no .env (the runtime reads its settings there)',
      repo.inRepo(`cp .env.example .env && ${INIT}`),
    );
    return l.out;
  }
  const edit = (key: string, example: string): string => `edit ${repo.shown}/.env: ${key}=${example}`;
  let problems = 0;
  const bad = (id: string, message: string, fix: string): void => {
    problems++;
    l.add('error', id, message, fix);
  };
  if (repo.kind === 'puruto-telegram') {
    const token = repo.setting('PURUTO_TELEGRAM_BOT_TOKEN') ?? '';
    if (token === '')
      bad(
        'env.token-empty',
        'PURUTO_TELEGRAM_BOT_TOKEN is empty: the bot does not start',
        edit('PURUTO_TELEGRAM_BOT_TOKEN', '<the token @BotFather gave you>'),
      );
    else if (!TOKEN.test(token))
      bad(
        'env.token-shape',
        'PURUTO_TELEGRAM_BOT_TOKEN is not shaped <digits>:<text> like the tokens @BotFather gives',
        edit('PURUTO_TELEGRAM_BOT_TOKEN', '123456789:AA... (copy it again from @BotFather)'),
      );
    const users = repo.setting('PURUTO_TELEGRAM_ALLOWED_USERS') ?? '';
    const ids = users
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const notNumeric = ids.filter((s) => !/^\d+$/.test(s));
    if (notNumeric.length)
      bad(
        'env.allowed-users',
        `PURUTO_TELEGRAM_ALLOWED_USERS has entries that are not numeric Telegram user ids: ${notNumeric.join(', ')}`,
        edit(
          'PURUTO_TELEGRAM_ALLOWED_USERS',
          '123456789,987654321 (numbers; the bot logs the id of each ignored message)',
        ),
      );
    else if (ids.length === 0) {
      problems++;
      l.add(
        'warn',
        'env.allowed-users-empty',
        'PURUTO_TELEGRAM_ALLOWED_USERS is empty: the bot answers nobody',
        edit('PURUTO_TELEGRAM_ALLOWED_USERS', '<your numeric Telegram user id>'),
      );
    }
    const chat = repo.setting('PURUTO_TELEGRAM_DEFAULT_CHAT_ID') ?? '';
    if (chat !== '' && !INTEGER.test(chat))
      bad(
        'env.chat-id',
        `PURUTO_TELEGRAM_DEFAULT_CHAT_ID is not a chat id (an integer): ${JSON.stringify(chat)}`,
        edit('PURUTO_TELEGRAM_DEFAULT_CHAT_ID', '<your user id, or a group id like -100123>'),
      );
  }
  if (repo.kind === 'puruto-gateway') {
    const key = repo.setting('PURUTO_GATEWAY_API_KEY') ?? '';
    if (key === '' || key === 'changeme')
      bad(
        'env.placeholder',
        `PURUTO_GATEWAY_API_KEY is ${key === '' ? 'empty' : 'the placeholder changeme'}: ` +
          `the gateway refuses every protected route`,
        repo.inRepo(`${INIT}   (replaces the placeholder with a random key)`),
      );
    const addr = gatewayAddress(repo);
    if (addr.port === undefined)
      bad(
        'env.port',
        `PURUTO_GATEWAY_PORT is not a port number (1-65535): ${JSON.stringify(addr.raw)}`,
        edit('PURUTO_GATEWAY_PORT', '8787'),
      );
  }
  if (repo.kind === 'puruto-cron') {
    const poll = repo.setting('PURUTO_CRON_POLL_SECONDS');
    if (poll !== undefined && poll !== '' && !(Number(poll) > 0))
      bad(
        'env.poll',
        `PURUTO_CRON_POLL_SECONDS is not a positive number: ${JSON.stringify(poll)}`,
        edit('PURUTO_CRON_POLL_SECONDS', '30'),
      );
  }
  for (const [key, value] of repo.env) {
    if (/^__[A-Z0-9_]+__$/.test(value))
      bad('env.placeholder', `${key} still holds the template placeholder ${value}`, edit(key, '<a real value>'));
  }
  if (problems === 0) l.add('ok', 'env.present', '.env present, required values set and well-formed');
  return l.out;
}
