"""The agent calls of puruto-telegram's users, so that a call taking minutes never blocks
the bot: each user has a queue worked in order (one call at a time per user), different
users' calls run side by side in a bounded thread pool, "typing…" is shown while a call
runs, /cancel kills the running call's agent, and the answer is sent in parts Telegram
accepts, as HTML rendered from the agent's Markdown, or as plain text if Telegram refuses
the formatting.

Every accepted text is kept in the database until its answer is sent (pending.py): a bot
stopped (SIGTERM) keeps its running and queued texts for its next start; a bot killed outright
leaves them there too, and on start the agents it left running are stopped and each text is
asked again (or its answer, if it had one, sent), with a note to the user.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from telegram import Bot, ReplyKeyboardMarkup
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import BaseUpdateProcessor

import router
import telegram_format
from pending import Pending, PendingMessages
from puruto_runtime import orphans

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
    update_id: int  # its row in pending_messages
    answer: str | None = None  # already answered before a restart: only sent


def preview(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


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
        pending: PendingMessages,
    ):
        self.root, self.catalog, self.active, self.keyboard = root, catalog, active, keyboard
        self.pending = pending
        self.pool = ThreadPoolExecutor(max_workers=max_parallel, thread_name_prefix="agent-call")
        self.sessions: dict[int, Session] = {}
        self.stopping = False

    # --- called by the handlers (synchronous: nothing else runs in between) -------------
    def submit(self, app: App, user_id: int, chat_id: int, text: str, update_id: int) -> str | None:
        """Queues a text for the user's active channel (kept in the database until answered);
        returns the note to send now, if any. An update delivered again is not queued twice."""
        channel = self.active.get(user_id)
        # A broken .channels.json at start-up leaves no good list: then the stored channel is trusted.
        channels = list(self.catalog.channels) if self.catalog.loaded else None
        refusal = router.refusal(channel, channels)
        if refusal:
            return refusal
        assert channel is not None  # refusal() answered a missing channel
        if not self.pending.accept(update_id, user_id, chat_id, channel, text, channels):
            log.info("update %s was delivered again: it is answered once", update_id)
            return None
        session = self.sessions.setdefault(user_id, Session())
        ahead = len(session.queue) + (session.current is not None)
        session.queue.append(Job(chat_id, text, channel, channels, update_id))
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
        self.pending.done(*(job.update_id for job in session.queue))
        session.queue.clear()
        session.cancel.set()
        extra = f" and dropping your {dropped} queued message(s)" if dropped else ""
        return f"⏹ Stopping your call to {session.current.channel}{extra}…"

    async def resume(self, app: App) -> None:
        """On start, before polling: what a previous bot left unanswered. The agents it left
        running are stopped (by the correlation id of their call), then each user's texts are
        asked again in order (an answer already made is only sent), with one note per user."""
        left = self.pending.unfinished()
        ids = [p.correlation_id for p in left if p.state == "running" and p.correlation_id]
        if ids:
            survivors = await asyncio.get_running_loop().run_in_executor(None, orphans.stop, ids)
            if survivors:
                log.error("agents of the previous bot are still running (pids %s): stop them", sorted(survivors))
            else:
                log.info("stopped the agents the previous bot left running (%d call(s))", len(ids))
        by_user: dict[int, list[Pending]] = {}
        for p in left:
            by_user.setdefault(p.user_id, []).append(p)
        for user_id, items in by_user.items():
            session = self.sessions.setdefault(user_id, Session())
            session.queue.extend(Job(p.chat_id, p.text, p.channel, p.channels, p.update_id, p.answer) for p in items)
            them = "it" if len(items) == 1 else "them"
            note = (
                f"🔄 The bot restarted before answering {len(items)} message(s) of yours "
                f"({', '.join(f'“{preview(p.text)}”' for p in items)}): answering {them} now, in order."
            )
            try:
                await send(app.bot.send_message, items[0].chat_id, note)
            except TelegramError as exc:
                log.error("could not tell user %s about the restart: %s: %s", user_id, type(exc).__name__, exc)
            session.worker = asyncio.get_running_loop().create_task(self.work(app.bot, user_id, session))
        if left:
            log.info("answering %d message(s) left by the previous bot", len(left))

    async def stop(self) -> None:
        """On shutdown: every running call is cancelled (its agent killed); it and the queued
        texts stay in the database for the next start, and their users are told so."""
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
                cancel = threading.Event()
                session.current, session.cancel, session.started = job, cancel, time.monotonic()
                try:
                    answer = job.answer
                    if answer is None:
                        correlation_id = f"corr-{uuid.uuid4().hex}"  # its agent's processes carry it
                        self.pending.running(job.update_id, correlation_id)
                        answer = await self.call(bot, job, cancel, correlation_id)
                finally:
                    session.current = session.cancel = None
                queued = len(session.queue)
                if self.stopping and cancel.is_set() and job.answer is None:  # stopped with the bot
                    self.pending.requeue(job.update_id)
                    more = f" (and your {queued} queued message(s))" if queued else ""
                    await self.tell(
                        bot,
                        user_id,
                        job.chat_id,
                        f"⏸ The bot is stopping: your message to {job.channel}{more} will be answered when it is back.",
                    )
                    continue
                self.pending.answered(job.update_id, answer)
                if self.stopping and queued:
                    answer = (
                        f"{answer}\n\n(The bot is stopping: your {queued} queued message(s) will be answered "
                        "when it is back.)"
                    )
                await self.deliver(bot, user_id, job, answer)
        except Exception as exc:  # a worker never dies silently, and never takes the bot with it
            log.error("the calls of user %s failed: %s: %s", user_id, type(exc).__name__, exc)
        finally:
            session.worker = None
            if self.sessions.get(user_id) is session and (self.stopping or not session.queue):
                del self.sessions[user_id]

    async def deliver(self, bot: Bot, user_id: int, job: Job, answer: str) -> None:
        """Sends an answer; the message is done once Telegram has it, or refuses it for good. A
        network failure leaves it `answered`: the next start sends it again."""
        try:
            await self.send_answer(bot, user_id, job.chat_id, answer)
        except (BadRequest, Forbidden) as exc:
            log.error("Telegram refused the answer to user %s: %s: %s", user_id, type(exc).__name__, exc)
        except TelegramError as exc:
            log.error(
                "could not send the answer to user %s (%s: %s); it is sent again when the bot restarts",
                user_id,
                type(exc).__name__,
                exc,
            )
            return
        self.pending.done(job.update_id)

    async def tell(self, bot: Bot, user_id: int, chat_id: int, text: str) -> None:
        try:
            await send(bot.send_message, chat_id, text, reply_markup=self.keyboard(self.active.get(user_id)))
        except TelegramError as exc:
            log.error("could not send a note to user %s: %s: %s", user_id, type(exc).__name__, exc)

    async def call(self, bot: Bot, job: Job, cancel: threading.Event, correlation_id: str) -> str:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        typing = loop.create_task(self.keep_typing(bot, job.chat_id, stop))
        try:
            return await loop.run_in_executor(
                self.pool, router.route, job.text, job.channel, self.root, job.channels, cancel, correlation_id
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
