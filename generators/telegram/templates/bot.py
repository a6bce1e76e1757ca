#!/usr/bin/env python3
"""puruto-telegram's bot (python-telegram-bot, async Application API, long polling).

Routing is deterministic: /<channel> makes that Puruto the user's active channel, plain
text goes to the active channel through router.py (invoker.py, action `message`), /status
shows it, /start, /list and /help explain, /cancel stops the user's running call. Only the
Telegram user ids in PURUTO_TELEGRAM_ALLOWED_USERS are answered; everyone else is ignored
(and logged, so you can find your own id). .channels.json is re-read when it changes.

Agent calls take seconds to minutes, so they never block the bot: different users are
served concurrently (at most PURUTO_TELEGRAM_MAX_PARALLEL calls at once), one user's
messages are handled in the order they were sent (a text sent while that user's call runs
is queued, with a note), commands answer at once, "typing…" is shown until the answer,
long answers are split into several messages, and the agent's Markdown is rendered.

Usage: python3 bot.py        (Ctrl-C or SIGTERM stops it)
Exit codes: 0 stopped, 1 configuration error (token missing or rejected, bad setting),
3 the Bot API could not be reached after PURUTO_TELEGRAM_CONNECT_RETRIES retries.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from telegram import Bot, BotCommand, Chat, Message, ReplyKeyboardMarkup, Update, User
from telegram.error import Forbidden, InvalidToken, TelegramError
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes, ExtBot, MessageHandler, filters
from telegram.request import HTTPXRequest

import db
import heartbeat
from conversations import Conversations, PerUserOrder
from pending import PendingMessages
from puruto_runtime.settings import SettingsError, valid
from telegram_env import TelegramSettings

if TYPE_CHECKING:
    from conversations import App

ROOT = Path(__file__).resolve().parent
log = logging.getLogger("puruto-telegram")

BUILTINS = [
    BotCommand("start", "welcome and the channel keyboard"),
    BotCommand("help", "how this bot works"),
    BotCommand("list", "the channels you can talk to"),
    BotCommand("status", "your active channel and running call"),
    BotCommand("cancel", "stop your running call"),
]


class StartupError(Exception):
    """A reason the bot cannot start, as one line for the user, with the exit code."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


def parse_allowed(raw: str, name: str = "PURUTO_TELEGRAM_ALLOWED_USERS") -> set[int]:
    """ "123, 456" -> {123, 456}; anything that is not a whole number is reported and ignored."""
    ids: set[int] = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if part.lstrip("-").isdigit():
            ids.add(int(part))
        else:
            log.warning("%s: %r is not a numeric id, ignored", name, part)
    return ids


def _user(update: Update) -> User:
    """The sender: every handler here gets messages from users (filters.User)."""
    if update.effective_user is None:
        raise ValueError("an update without a user")
    return update.effective_user


def _message(update: Update) -> Message:
    if update.effective_message is None:
        raise ValueError("an update without a message")
    return update.effective_message


def _chat(update: Update) -> Chat:
    if update.effective_chat is None:
        raise ValueError("an update without a chat")
    return update.effective_chat


class TolerantBot(ExtBot[None]):
    """python-telegram-bot's bot, except that one update it cannot read (a field of an
    unexpected type) no longer fails the whole batch, which python-telegram-bot then fetches
    again and again, deaf to everyone: that update is logged once and skipped, and the next
    getUpdates confirms it (its offset moves past it)."""

    def __init__(self, token: str, base: str):
        super().__init__(
            token,
            base_url=f"{base}/bot",
            base_file_url=f"{base}/file/bot",
            request=HTTPXRequest(connection_pool_size=256),  # what ApplicationBuilder uses by default
            get_updates_request=HTTPXRequest(),
        )
        with self._unfrozen():  # python-telegram-bot objects are frozen after __init__
            self.skipped = {"to": 0}  # the first update id still to read: those before it were skipped

    async def _post(self, endpoint: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        if endpoint == "getUpdates" and data is not None and self.skipped["to"]:
            data = {**data, "offset": max(int(data.get("offset") or 0), self.skipped["to"])}
        result = await super()._post(endpoint, data, **kwargs)
        if endpoint != "getUpdates" or not isinstance(result, list):
            return result
        readable = []
        for raw in result:
            try:
                Update.de_json(raw, self)
            except Exception as exc:
                update_id = raw.get("update_id") if isinstance(raw, dict) else None
                log.warning(
                    "skipped update %s: python-telegram-bot cannot read it (%s: %s)",
                    update_id,
                    type(exc).__name__,
                    str(exc)[:200],
                )
                if isinstance(update_id, int):
                    self.skipped["to"] = max(self.skipped["to"], update_id + 1)
                continue
            readable.append(raw)
        return readable


class PurutoBot:
    def __init__(self, root: Path, max_parallel: int, allowed_users: str, allowed_groups: str = ""):
        self.root = root
        self.catalog = db.ChannelCatalog(root)
        self.catalog.refresh()
        self.active = db.ActiveChannels(db.db_path(root))
        self.allowed = parse_allowed(allowed_users)
        # Group chats, where every member reads the answers: only those listed (opt-in per chat id).
        self.groups = parse_allowed(allowed_groups, "PURUTO_TELEGRAM_ALLOWED_GROUPS")
        self.noted_groups: set[int] = set()
        self.published: list[str] | None = None
        self.talk = Conversations(
            root, self.catalog, self.active, self.keyboard, max_parallel, PendingMessages(db.db_path(root))
        )

    # --- helpers -----------------------------------------------------------------------
    async def publish(self, app: App) -> None:
        """Updates the bot's command menu when the (already re-read) catalogue changed."""
        if self.published != self.catalog.channels:
            commands = BUILTINS + [BotCommand(db.command_for(c), f"talk to {c}") for c in self.catalog.channels]
            try:
                await app.bot.set_my_commands(commands)
                self.published = list(self.catalog.channels)
            except TelegramError as exc:  # the menu is a convenience: never fail a message for it
                log.warning("setMyCommands failed: %s", exc)

    def keyboard(self, active: str | None) -> ReplyKeyboardMarkup | None:
        channels = self.catalog.channels
        if not channels:
            return None
        others = [c for c in channels if c != active][:3]
        rows = ([[f"/{db.command_for(active)}"]] if active in channels else []) + (
            [[f"/{db.command_for(c)}" for c in others]] if others else []
        )
        return ReplyKeyboardMarkup(rows, resize_keyboard=True)

    def channel_list(self, active: str | None) -> str:
        if not self.catalog.channels:
            return "No channels yet: add one with /add-channel in the puruto-telegram repo."
        return "\n".join(f"{'▶' if c == active else '•'} /{db.command_for(c)} — {c}" for c in self.catalog.channels)

    async def reply(self, update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
        """A plain-text reply with the keyboard (and the catalogue's problem, if any)."""
        uid = _user(update).id
        if self.catalog.error:
            text = f"{text}\n\n⚠️ {self.catalog.error}"
        await _message(update).reply_text(text, reply_markup=self.keyboard(self.active.get(uid)))
        await self.publish(context.application)

    # --- handlers (state is read and changed before the first await: one user's updates
    # run in order anyway, see PerUserOrder, and other users' never wait for an agent) --
    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.catalog.refresh()
        text = "Hi! Choose a channel (a Puruto), then write to it.\n" + self.channel_list(
            self.active.get(_user(update).id)
        )
        await self.reply(update, context, text)

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.catalog.refresh()
        text = (
            "/<channel> makes that Puruto your active channel; plain text goes to it and its answer comes back.\n"
            "/list — the channels · /status — your active channel · /cancel — stop your running call · "
            "/start — the keyboard"
        )
        await self.reply(update, context, text)

    async def list(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.catalog.refresh()
        await self.reply(update, context, self.channel_list(self.active.get(_user(update).id)))

    async def status(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.catalog.refresh()
        uid = _user(update).id
        active = self.active.get(uid)
        text = f"Active channel: {active}" if active else "No active channel: choose one (see /list)."
        running = self.talk.describe(uid)
        await self.reply(
            update, context, f"{text}\nChannels: {len(self.catalog.channels)}" + (f"\n{running}" if running else "")
        )

    async def cancel(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.reply(update, context, self.talk.cancel(_user(update).id))

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any other /command: a channel of the (re-read) catalogue, else unknown."""
        self.catalog.refresh()
        uid = _user(update).id
        word = (_message(update).text or "").split()[0][1:].split("@")[0]
        channel = self.catalog.by_command(word)
        if channel is None:
            await self.reply(
                update, context, f"Unknown command /{word}. The channels:\n{self.channel_list(self.active.get(uid))}"
            )
            return
        self.active.set(uid, channel)
        await self.reply(update, context, f"Active channel: {channel}. Write your message.")

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.catalog.refresh()
        note = self.talk.submit(
            context.application, _user(update).id, _chat(update).id, _message(update).text or "", update.update_id
        )
        if note:
            await self.reply(update, context, note)

    async def ignored(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        log.warning(
            "ignored a message from user id %s (not in PURUTO_TELEGRAM_ALLOWED_USERS)", user.id if user else "unknown"
        )

    async def group_ignored(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An allowed user in a group chat that is not listed: nothing is answered there (every
        member would read it); logged once per chat, with the setting that allows it."""
        chat = _chat(update).id
        if chat not in self.groups and chat not in self.noted_groups:
            self.noted_groups.add(chat)
            log.warning(
                "ignored messages in group chat %s: the bot answers in private chats only; to answer there "
                "(every member reads the answers), add %s to PURUTO_TELEGRAM_ALLOWED_GROUPS",
                chat,
                chat,
            )

    async def edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An edit of a message already sent: not sent to the agent again; one short note."""
        await self.reply(
            update,
            context,
            "✏️ Edits are not passed on: the first version was used. To change it, send it again as a new message.",
        )

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """One line per error, never a traceback (it is logged at DEBUG level)."""
        err = context.error
        if update is None:  # fetching updates failed: python-telegram-bot retries with backoff
            log.warning("polling the Bot API failed (%s: %s); retrying", type(err).__name__, err)
        else:
            log.error("handling an update failed: %s: %s", type(err).__name__, err)
        log.debug("details", exc_info=err)

    async def post_init(self, app: App) -> None:
        log.info("puruto-telegram running as @%s; %d channel(s)", app.bot.username, len(self.catalog.channels))
        await self.publish(app)
        await self.talk.resume(app)

    async def post_stop(self, app: App) -> None:
        await self.talk.stop()


def build(bot: PurutoBot, token: str, api_base: str) -> App:
    base = api_base.rstrip("/")
    app = (
        ApplicationBuilder()
        .bot(TolerantBot(token, base))
        .concurrent_updates(PerUserOrder())
        .post_init(bot.post_init)
        .post_stop(bot.post_stop)
        .build()
    )
    # filters.User is python-telegram-bot's allowlist of users; chats: private ones, and the
    # group chats listed in PURUTO_TELEGRAM_ALLOWED_GROUPS. UpdateType.MESSAGE: an edited
    # message is not sent to the agent a second time (the user gets one note instead).
    users = filters.User(user_id=bot.allowed)
    chats = filters.ChatType.PRIVATE | filters.Chat(chat_id=bot.groups)
    allowed = users & chats & filters.UpdateType.MESSAGE
    for name in ("start", "help", "list", "status", "cancel"):
        app.add_handler(CommandHandler(name, getattr(bot, name), filters=allowed))
    app.add_handler(MessageHandler(allowed & filters.COMMAND, bot.command))
    app.add_handler(MessageHandler(allowed & filters.TEXT & ~filters.COMMAND, bot.text))
    app.add_handler(MessageHandler(users & chats & filters.UpdateType.EDITED_MESSAGE & filters.TEXT, bot.edited))
    app.add_handler(MessageHandler(users & ~chats, bot.group_ignored))
    app.add_handler(MessageHandler(~users & filters.UpdateType.MESSAGES, bot.ignored))
    app.add_error_handler(bot.on_error)
    return app


async def check_bot_api(token: str, api_base: str, retries: int) -> str:
    """getMe before polling: a rejected token is fatal with how to fix it; an unreachable
    server is retried with backoff (1, 2, 4 ... 30 s), each attempt one log line."""
    base, delay = api_base.rstrip("/"), 1
    for attempt in range(1, retries + 2):
        try:
            async with Bot(token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot") as probe:
                return probe.username
        except (InvalidToken, Forbidden) as exc:  # InvalidToken's own text repeats the secret token: not shown
            why = "Unauthorized: the token is wrong or was revoked" if isinstance(exc, InvalidToken) else str(exc)
            raise StartupError(
                1,
                f"the Bot API at {base} rejected PURUTO_TELEGRAM_BOT_TOKEN ({why}): copy the "
                "token again from @BotFather (/mybots -> your bot -> API Token) into .env",
            ) from None
        except TelegramError as exc:  # NetworkError, TimedOut, RetryAfter, a 5xx of the server
            if attempt > retries:
                raise StartupError(
                    3,
                    f"cannot reach the Bot API at {base} ({type(exc).__name__}: {exc}); gave up "
                    f"after {attempt} attempt(s): check the network, or "
                    "PURUTO_TELEGRAM_API_BASE",
                ) from None
            log.warning(
                "cannot reach the Bot API at %s (%s: %s): retrying in %d s (attempt %d of %d)",
                base,
                type(exc).__name__,
                exc,
                delay,
                attempt,
                retries + 1,
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30)
    raise AssertionError("unreachable")


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # run_polling() below uses this loop too
    try:
        settings = TelegramSettings.load(ROOT)
        token = settings.bot_token
        if not token:
            raise StartupError(
                1, "PURUTO_TELEGRAM_BOT_TOKEN is empty: create a bot with @BotFather and put its token in .env"
            )
        max_parallel = valid(settings.max_parallel)
        retries = valid(settings.connect_retries)
        bot = PurutoBot(ROOT, max_parallel, settings.allowed_users, settings.allowed_groups)
        if not bot.allowed:
            log.warning(
                "PURUTO_TELEGRAM_ALLOWED_USERS is empty: the bot refuses everyone. Put your Telegram user id "
                "(comma-separated for several) in .env, e.g. PURUTO_TELEGRAM_ALLOWED_USERS=123456789; "
                "messages from unknown ids are logged here with their id."
            )
        if bot.catalog.error:
            log.error("%s (the bot keeps running and re-reads the file when it changes)", bot.catalog.error)
        loop.run_until_complete(check_bot_api(token, settings.api_base, retries))
        heartbeat.start(ROOT)
        build(bot, token, settings.api_base).run_polling(allowed_updates=Update.ALL_TYPES)
    except StartupError as exc:
        print(f"puruto-telegram: {exc}", file=sys.stderr)
        return exc.code
    except SettingsError as exc:  # an unreadable .env, a bad PURUTO_TELEGRAM_MAX_PARALLEL / _CONNECT_RETRIES
        print(f"puruto-telegram: {exc}", file=sys.stderr)
        return 1
    except TelegramError as exc:  # the network went away between the check and polling
        print(
            f"puruto-telegram: the Bot API failed while starting ({type(exc).__name__}: {exc}); start it again",
            file=sys.stderr,
        )
        return 3
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
