#!/usr/bin/env python3
"""puruto-telegram's bot (python-telegram-bot, async Application API, long polling).

Routing is deterministic: /<channel> makes that Puruto the user's active channel, plain
text goes to the active channel through router.py (invoker.py), /status shows it,
/start, /list and /help explain. Only the Telegram user ids in
PURUTO_TELEGRAM_ALLOWED_USERS are answered; everyone else is ignored (and logged, so you
can find your own id). .channels.json is re-read when it changes: no restart needed.

Usage: python3 bot.py        (Ctrl-C or SIGTERM stops it)
"""
from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

from dotenv import load_dotenv
from telegram import BotCommand, ReplyKeyboardMarkup, Update
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes, MessageHandler, filters

import db
import heartbeat
import router

ROOT = Path(__file__).resolve().parent
DEFAULT_API_BASE = "https://api.telegram.org"
log = logging.getLogger("puruto-telegram")

BUILTINS = [
    BotCommand("start", "welcome and the channel keyboard"),
    BotCommand("help", "how this bot works"),
    BotCommand("list", "the channels you can talk to"),
    BotCommand("status", "your active channel"),
]


def parse_allowed(raw: str) -> set[int]:
    """"123, 456" -> {123, 456}; anything that is not a whole number is reported and ignored."""
    ids: set[int] = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if part.lstrip("-").isdigit():
            ids.add(int(part))
        else:
            log.warning("PURUTO_TELEGRAM_ALLOWED_USERS: %r is not a numeric user id, ignored", part)
    return ids


class PurutoBot:
    def __init__(self, root: Path = ROOT):
        self.root = root
        self.catalog = db.ChannelCatalog(root)
        self.catalog.refresh()
        self.active = db.ActiveChannels(db.db_path(root))
        self.allowed = parse_allowed(os.environ.get("PURUTO_TELEGRAM_ALLOWED_USERS", ""))
        self.published: list[str] | None = None

    # --- helpers -----------------------------------------------------------------------
    def allowed_user(self, update: Update) -> bool:
        user = update.effective_user
        if user is not None and user.id in self.allowed:
            return True
        log.warning("ignored a message from user id %s (not in PURUTO_TELEGRAM_ALLOWED_USERS)",
                    user.id if user else "unknown")
        return False

    async def sync_catalog(self, app: Application) -> None:
        """Re-reads .channels.json if it changed and updates the bot's command menu."""
        self.catalog.refresh()
        if self.catalog.error:
            log.error("%s", self.catalog.error)
        if self.published != self.catalog.channels:
            commands = BUILTINS + [BotCommand(db.command_for(c), f"talk to {c}") for c in self.catalog.channels]
            try:
                await app.bot.set_my_commands(commands)
                self.published = list(self.catalog.channels)
            except Exception as exc:  # the menu is a convenience: never fail a message for it
                log.warning("setMyCommands failed: %s", exc)

    def keyboard(self, active: str | None) -> ReplyKeyboardMarkup | None:
        channels = self.catalog.channels
        if not channels:
            return None
        others = [c for c in channels if c != active][:3]
        rows = ([[f"/{db.command_for(active)}"]] if active in channels else []) + ([[f"/{db.command_for(c)}" for c in others]] if others else [])
        return ReplyKeyboardMarkup(rows, resize_keyboard=True)

    def channel_list(self, active: str | None) -> str:
        if not self.catalog.channels:
            return "No channels yet: add one with /add-channel in the puruto-telegram repo."
        return "\n".join(f"{'▶' if c == active else '•'} /{db.command_for(c)} — {c}" for c in self.catalog.channels)

    async def reply(self, update: Update, text: str, user_id: int) -> None:
        if self.catalog.error:
            text = f"{text}\n\n⚠️ {self.catalog.error}"
        await update.effective_message.reply_text(text, reply_markup=self.keyboard(self.active.get(user_id)))

    # --- handlers ----------------------------------------------------------------------
    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not self.allowed_user(update):
            return
        await self.sync_catalog(context.application)
        uid = update.effective_user.id
        await self.reply(update, "Hi! Choose a channel (a Puruto), then write to it.\n" + self.channel_list(self.active.get(uid)), uid)

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not self.allowed_user(update):
            return
        await self.sync_catalog(context.application)
        text = ("/<channel> makes that Puruto your active channel; plain text goes to it and its answer comes back.\n"
                "/list — the channels · /status — your active channel · /start — the keyboard")
        await self.reply(update, text, update.effective_user.id)

    async def list(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not self.allowed_user(update):
            return
        await self.sync_catalog(context.application)
        uid = update.effective_user.id
        await self.reply(update, self.channel_list(self.active.get(uid)), uid)

    async def status(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not self.allowed_user(update):
            return
        await self.sync_catalog(context.application)
        uid = update.effective_user.id
        active = self.active.get(uid)
        text = f"Active channel: {active}" if active else "No active channel: choose one (see /list)."
        await self.reply(update, f"{text}\nChannels: {len(self.catalog.channels)}", uid)

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any other /command: a channel of the (re-read) catalogue, else unknown."""
        if not self.allowed_user(update):
            return
        await self.sync_catalog(context.application)
        uid = update.effective_user.id
        word = (update.effective_message.text or "").split()[0][1:].split("@")[0]
        channel = self.catalog.by_command(word)
        if channel is None:
            await self.reply(update, f"Unknown command /{word}. The channels:\n{self.channel_list(self.active.get(uid))}", uid)
            return
        self.active.set(uid, channel)
        await self.reply(update, f"Active channel: {channel}. Write your message.", uid)

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not self.allowed_user(update):
            return
        await self.sync_catalog(context.application)
        uid = update.effective_user.id
        active = self.active.get(uid)
        answer = await asyncio.to_thread(router.route, update.effective_message.text or "", active,
                                         self.root, list(self.catalog.channels))
        await self.reply(update, answer, uid)

    async def post_init(self, app: Application) -> None:
        me = app.bot
        log.info("puruto-telegram running as @%s; %d channel(s)", me.username, len(self.catalog.channels))
        await self.sync_catalog(app)


def build(bot: PurutoBot, token: str, api_base: str) -> Application:
    base = api_base.rstrip("/")
    app = (ApplicationBuilder().token(token).base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
           .post_init(bot.post_init).build())
    app.add_handler(CommandHandler("start", bot.start))
    app.add_handler(CommandHandler("help", bot.help))
    app.add_handler(CommandHandler("list", bot.list))
    app.add_handler(CommandHandler("status", bot.status))
    app.add_handler(MessageHandler(filters.COMMAND, bot.command))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, bot.text))
    return app


def main() -> int:
    load_dotenv(ROOT / ".env")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    token = os.environ.get("PURUTO_TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        print("PURUTO_TELEGRAM_BOT_TOKEN is empty: create a bot with @BotFather and put its token in .env", file=sys.stderr)
        return 1
    bot = PurutoBot(ROOT)
    if not bot.allowed:
        log.warning("PURUTO_TELEGRAM_ALLOWED_USERS is empty: the bot refuses everyone. Put your Telegram user id "
                    "(comma-separated for several) in .env, e.g. PURUTO_TELEGRAM_ALLOWED_USERS=123456789; "
                    "messages from unknown ids are logged here with their id.")
    if bot.catalog.error:
        log.error("%s (the bot keeps running and re-reads the file when it changes)", bot.catalog.error)
    api_base = os.environ.get("PURUTO_TELEGRAM_API_BASE", "").strip() or DEFAULT_API_BASE
    heartbeat.start(ROOT)
    build(bot, token, api_base).run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
