"""The messages the bot accepted and has not answered yet, in SQLite (the bot's database,
table pending_messages), so that no accepted message is lost when the bot dies.

A text is recorded when the bot accepts it (before the "queued" note), marked `running` with
the correlation id of its agent call before the agent starts, `answered` with the answer when
the call ends, and `done` once Telegram has the answer. On start the bot finishes what is left:
it stops the agents a killed bot left running (by their correlation id), asks again the texts
that were queued or running, sends the answers it had not sent, and tells each user so.
Telegram's update id is the key: an update Telegram delivers again after a crash (fetched but
not confirmed) is recognised and not answered twice. Done rows are kept two days for that,
then deleted. Standard library only."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

KEEP_DONE = timedelta(days=2)  # Telegram keeps an unconfirmed update 24 hours
SCHEMA = """
CREATE TABLE IF NOT EXISTS pending_messages (
    update_id      INTEGER PRIMARY KEY,
    user_id        INTEGER NOT NULL,
    chat_id        INTEGER NOT NULL,
    channel        TEXT NOT NULL,
    text           TEXT NOT NULL,
    channels_json  TEXT,
    state          TEXT NOT NULL DEFAULT 'queued',
    correlation_id TEXT,
    answer         TEXT,
    accepted_at    TEXT NOT NULL,
    done_at        TEXT
);
CREATE INDEX IF NOT EXISTS pending_messages_state ON pending_messages (state, update_id);
"""


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Pending:
    """One accepted message not yet answered (state: queued, running or answered)."""

    update_id: int
    user_id: int
    chat_id: int
    channel: str
    text: str
    channels: list[str] | None
    state: str
    correlation_id: str | None
    answer: str | None


class PendingMessages:
    def __init__(self, path: Path):
        self.path = path
        conn = self._connect()
        try:
            conn.executescript(SCHEMA)
        finally:
            conn.close()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return sqlite3.connect(str(self.path), timeout=30)

    def _run(self, sql: str, args: tuple[object, ...]) -> int:
        conn = self._connect()
        try:
            with conn:
                return conn.execute(sql, args).rowcount
        finally:
            conn.close()

    def accept(
        self, update_id: int, user_id: int, chat_id: int, channel: str, text: str, channels: list[str] | None
    ) -> bool:
        """Records an accepted text; False when this update was accepted before (delivered again)."""
        try:
            self._run(
                "INSERT INTO pending_messages (update_id, user_id, chat_id, channel, text, channels_json, accepted_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    update_id,
                    user_id,
                    chat_id,
                    channel,
                    text,
                    None if channels is None else json.dumps(channels),
                    _now(),
                ),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    def running(self, update_id: int, correlation_id: str) -> None:
        """Before the agent starts: the id its processes carry (orphans.py finds them by it)."""
        self._run(
            "UPDATE pending_messages SET state = 'running', correlation_id = ? WHERE update_id = ?",
            (correlation_id, update_id),
        )

    def answered(self, update_id: int, answer: str) -> None:
        self._run(
            "UPDATE pending_messages SET state = 'answered', answer = ? WHERE update_id = ? AND state != 'done'",
            (answer, update_id),
        )

    def requeue(self, update_id: int) -> None:
        """A call stopped with the bot (SIGTERM): asked again on the next start."""
        self._run(
            "UPDATE pending_messages SET state = 'queued', answer = NULL WHERE update_id = ? AND state != 'done'",
            (update_id,),
        )

    def done(self, *update_ids: int) -> None:
        """Answered (or dropped by /cancel): kept two days to recognise a repeated delivery."""
        now = datetime.now(timezone.utc)
        conn = self._connect()
        try:
            with conn:
                conn.executemany(
                    "UPDATE pending_messages SET state = 'done', done_at = ?, answer = NULL, text = '' "
                    "WHERE update_id = ?",
                    [(now.strftime("%Y-%m-%dT%H:%M:%SZ"), u) for u in update_ids],
                )
                conn.execute(
                    "DELETE FROM pending_messages WHERE state = 'done' AND done_at < ?",
                    ((now - KEEP_DONE).strftime("%Y-%m-%dT%H:%M:%SZ"),),
                )
        finally:
            conn.close()

    def unfinished(self) -> list[Pending]:
        """What a bot left behind: every message not done, in the order they came."""
        conn = self._connect()
        try:
            rows = conn.execute(
                "SELECT update_id, user_id, chat_id, channel, text, channels_json, state, correlation_id, answer "
                "FROM pending_messages WHERE state != 'done' ORDER BY update_id"
            ).fetchall()
        finally:
            conn.close()
        return [
            Pending(
                int(r[0]),
                int(r[1]),
                int(r[2]),
                str(r[3]),
                str(r[4]),
                None if r[5] is None else json.loads(r[5]),
                *r[6:],
            )
            for r in rows
        ]
