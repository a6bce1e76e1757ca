/**
 * What a new repo's user does after generation, said the same way by `puruto new`/`yo
 * puruto` and `puruto init`: the /init script, then `./run` for the kinds with a runtime.
 */

/** The script behind /init, runnable without an agent. */
export const INIT_COMMAND = 'python3 .claude/skills/init/scripts/init.py';

/** How each kind with a runtime is started once /init ran (its `run` file). */
export const START_STEPS: Readonly<Record<string, string>> = {
  'puruto-telegram':
    'set PURUTO_TELEGRAM_BOT_TOKEN, PURUTO_TELEGRAM_ALLOWED_USERS and PURUTO_TELEGRAM_DEFAULT_CHAT_ID (your user ' +
    'id: the chat cron events go to; until it is set they wait) in its .env, then start the bot: ./run',
  'puruto-cron': 'start the scheduler: ./run',
  'puruto-gateway':
    '/init replaces the placeholder PURUTO_GATEWAY_API_KEY in .env with a random key; start the API: ./run',
};
