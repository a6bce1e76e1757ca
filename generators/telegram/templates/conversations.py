"""The agent calls of puruto-telegram's users, so that a call taking minutes never blocks
the bot: each user has a queue worked in order (one call at a time per user), different
users' calls run side by side in a bounded thread pool, "typing…" is shown while a call
runs, /cancel kills the running call's agent, and the answer is sent in parts Telegram
accepts, as HTML rendered from the agent's Markdown, or as plain text if Telegram refuses
the formatting.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from telegram import Bot, ReplyKeyboardMarkup
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import BaseUpdateProcessor

import router
import telegram_format

if TYPE_CHECKING:
    from telegram.ext import Application

    import db

    # The bot's Application: python-telegram-bot types context.application loosely.
    App = Application[Any, Any, Any, Any, Any, Any]

T = TypeVar("T")

log = logging.getLogger("puruto-telegram")
TYPING_EVERY_SEC = 4.0  # Telegram shows "typing…" for 5 s after each chat action
STOP_GRACE_SEC = 15.0  # on shutdown, how long the cancelled calls get to report


class PerUserOrder(BaseUpdateProcessor):
    """python-telegram-bot update processor: updates of different users are processed
    concurrently, those of one user one after another in the order they arrived."""

    def __init__(self, max_concurrent_updates: int = 256):
        super().__init__(max_concurrent_updates)
        self._locks: dict[object, asyncio.Lock] = {}
        self._pending: dict[object, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        user = getattr(update, "effective_user", None)
        key = user.id if user is not None else None
        lock = self._locks.setdefault(key, asyncio.Lock())  # asyncio.Lock wakes waiters first in, first out
        self._pending[key] = self._pending.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._pending[key] -= 1
            if not self._pending[key]:
                del self._pending[key], self._locks[key]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


@dataclass
class Job:
    chat_id: int
    text: str
    channel: str
    channels: list[str] | None


@dataclass
class Session:
    """One user's calls: the running one (with its cancel event) and those waiting."""

    queue: deque[Job] = field(default_factory=deque)
    current: Job | None = None
    cancel: threading.Event | None = None
    started: float = 0.0
    worker: asyncio.Task[None] | None = None


class Conversations:
    def __init__(
        self,
        root: Path,
        catalog: db.ChannelCatalog,
        active: db.ActiveChannels,
        keyboard: Callable[[str | None], ReplyKeyboardMarkup | None],
        max_parallel: int,
    ):
        self.root, self.catalog, self.active, self.keyboard = root, catalog, active, keyboard
        self.pool = ThreadPoolExecutor(max_workers=max_parallel, thread_name_prefix="agent-call")
        self.sessions: dict[int, Session] = {}
        self.stopping = False

    # --- called by the handlers (synchronous: nothing else runs in between) -------------
    def submit(self, app: App, user_id: int, chat_id: int, text: str) -> str | None:
        """Queues a text for the user's active channel; returns the note to send now, if any."""
        channel = self.active.get(user_id)
        # A broken .channels.json at start-up leaves no good list: then the stored channel is trusted.
        channels = list(self.catalog.channels) if self.catalog.loaded else None
        refusal = router.refusal(channel, channels)
        if refusal:
            return refusal
        assert channel is not None  # refusal() answered a missing channel
        session = self.sessions.setdefault(user_id, Session())
        ahead = len(session.queue) + (session.current is not None)
        session.queue.append(Job(chat_id, text, channel, channels))
        if session.worker is None:
            session.worker = asyncio.get_running_loop().create_task(self.work(app.bot, user_id, session))
        if ahead:
            return (
                f"⏳ Queued: this goes to {channel} when your current call ends ({ahead} ahead). "
                "/cancel stops the current call."
            )
        return None

    def describe(self, user_id: int) -> str | None:
        session = self.sessions.get(user_id)
        if session is None or session.current is None:
            return None
        waited = int(time.monotonic() - session.started)
        return (
            f"Running: your message to {session.current.channel} ({waited} s so far); "
            f"{len(session.queue)} queued. /cancel stops it."
        )

    def cancel(self, user_id: int) -> str:
        session = self.sessions.get(user_id)
        if session is None or session.current is None or session.cancel is None:
            return "Nothing to cancel: no call of yours is running."
        dropped = len(session.queue)
        session.queue.clear()
        session.cancel.set()
        extra = f" and dropping your {dropped} queued message(s)" if dropped else ""
        return f"⏹ Stopping your call to {session.current.channel}{extra}…"

    async def stop(self) -> None:
        """On shutdown: every running call is cancelled (its agent killed) and reported."""
        self.stopping = True
        workers = [s.worker for s in self.sessions.values() if s.worker is not None]
        for session in self.sessions.values():
            if session.cancel is not None:
                session.cancel.set()
        if workers:
            await asyncio.wait(workers, timeout=STOP_GRACE_SEC)
        self.pool.shutdown(wait=False, cancel_futures=True)

    # --- the worker of one user -----------------------------------------------------------
    async def work(self, bot: Bot, user_id: int, session: Session) -> None:
        try:
            while session.queue and not self.stopping:
                job = session.queue.popleft()
                session.current, session.cancel, session.started = job, threading.Event(), time.monotonic()
                try:
                    answer = await self.call(bot, job, session.cancel)
                finally:
                    session.current = session.cancel = None
                if self.stopping:
                    dropped = f" {len(session.queue)} queued message(s) were not sent." if session.queue else ""
                    answer = f"{answer}\n\n(The bot is stopping.{dropped} Send again when it is back.)"
                try:
                    await self.send_answer(bot, user_id, job.chat_id, answer)
                except TelegramError as exc:
                    log.error("could not send the answer to user %s: %s: %s", user_id, type(exc).__name__, exc)
        except Exception as exc:  # a worker never dies silently, and never takes the bot with it
            log.error("the calls of user %s failed: %s: %s", user_id, type(exc).__name__, exc)
        finally:
            session.worker = None
            if self.sessions.get(user_id) is session and (self.stopping or not session.queue):
                del self.sessions[user_id]

    async def call(self, bot: Bot, job: Job, cancel: threading.Event) -> str:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        typing = loop.create_task(self.keep_typing(bot, job.chat_id, stop))
        try:
            return await loop.run_in_executor(
                self.pool, router.route, job.text, job.channel, self.root, job.channels, cancel
            )
        finally:
            # Stopped, never cancelled: cancelling a Bot API request in flight can leave httpx's
            # connection pool waiting forever. A request under way ends within its own timeout.
            stop.set()
            await asyncio.wait([typing], timeout=3 * TYPING_EVERY_SEC)

    @staticmethod
    async def keep_typing(bot: Bot, chat_id: int, stop: asyncio.Event) -> None:
        """ "typing…" every TYPING_EVERY_SEC until `stop` is set (the answer is ready)."""
        while not stop.is_set():
            try:
                await bot.send_chat_action(chat_id, ChatAction.TYPING)
            except TelegramError as exc:
                log.debug("sendChatAction failed: %s", exc)
            try:
                await asyncio.wait_for(stop.wait(), TYPING_EVERY_SEC)
            except asyncio.TimeoutError:
                pass

    async def send_answer(self, bot: Bot, user_id: int, chat_id: int, text: str) -> None:
        if self.catalog.error:
            text = f"{text}\n\n⚠️ {self.catalog.error}"
        parts = telegram_format.split_message(text) or ["(no text)"]
        for i, part in enumerate(parts):
            markup = self.keyboard(self.active.get(user_id)) if i == len(parts) - 1 else None
            try:
                await send(
                    bot.send_message,
                    chat_id,
                    telegram_format.render_html(part),
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                )
            except BadRequest as exc:  # Telegram refused the HTML: the same part as plain text
                log.info("Telegram refused the formatting (%s); sending it as plain text", exc)
                await send(bot.send_message, chat_id, part, reply_markup=markup)


async def send(method: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
    """A Bot API call that outlasts short trouble: Telegram's flood control (RetryAfter) is
    waited out, a network error is retried after 1 then 2 s; the 4th failure is raised."""
    for attempt in range(4):
        try:
            return await method(*args, **kwargs)
        except RetryAfter as exc:
            if attempt == 3:
                raise
            wait = exc.retry_after.total_seconds() if hasattr(exc.retry_after, "total_seconds") else exc.retry_after
            await asyncio.sleep(min(float(wait), 60.0))
        except BadRequest:  # a NetworkError subclass in python-telegram-bot, but final: the caller decides
            raise
        except NetworkError as exc:  # TimedOut included
            if attempt == 3:
                raise
            log.warning("sending to Telegram failed (%s: %s); retrying", type(exc).__name__, exc)
            await asyncio.sleep(min(2**attempt, 4))
    raise AssertionError("not reached: the 4th failure is raised above")
