#!/usr/bin/env python3
"""State of puruto-telegram: the channel catalogue (.channels.json) and each user's active
channel (SQLite, DB_PATH, default db/telegram.db). Standard library only.

Usage (prints JSON; exit 0 ok, 1 error):
  python3 db.py channels             the validated catalogue with each channel's command
  python3 db.py add-channel <name>   register ../<name> (it must exist) as a channel
  python3 db.py active <user_id>     that user's active channel
"""

from __future__ import annotations

import io
import json
import sqlite3
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, cast

import json_schema
from puruto_runtime.settings import SettingsError, resolve_path
from telegram_env import TelegramSettings, write_json_atomic

ROOT = Path(__file__).resolve().parent
CHANNELS_FILE = ".channels.json"
BUILTIN_COMMANDS = ("start", "help", "list", "status", "cancel")
# A channel is the folder name of a Puruto beside this one (its rule: .puruto-schemas/channels.schema.json);
# its command is that name in lower case with "-" turned into "_" (Telegram: a-z, 0-9 and _, 32 at most).


class ChannelsError(Exception):
    """.channels.json is missing, unreadable or invalid; the message says how to fix it."""


def command_for(channel: str) -> str:
    return channel.lower().replace("-", "_")


def channel_rules() -> dict[str, Any]:
    """The rules of .channels.json: .puruto-schemas/channels.schema.json, the schema `puruto validate` applies."""
    try:
        return json_schema.load("channels")
    except json_schema.SchemaFileError as exc:
        raise ChannelsError(str(exc)) from None


def validate_channels(data: object, source: str = CHANNELS_FILE) -> list[str]:
    """The channel names of a parsed .channels.json, or ChannelsError naming the problem. The shape
    comes from the schema; what it cannot say (a command per channel, none built in) is checked here."""
    problem = json_schema.first_problem(data, channel_rules())
    doc = cast(dict[str, Any], data)  # indexed only where the schema found "channels" a list
    if problem and problem.path[:1] == ("channels",) and len(problem.path) == 2 and problem.keyword != "uniqueItems":
        i = problem.path[1]
        raise ChannelsError(
            f"{source}: channel #{i} {doc['channels'][i]!r} is not a valid name ({problem.message}; "
            "a channel is the folder name of a Puruto: letters, digits, - and _, at most 32 "
            "characters)"
        )
    if problem:
        raise ChannelsError(
            f'{source}: {problem}; expected an object {{"channels": [...]}} with a list of channel names, each once'
        )
    seen: dict[str, str] = {}
    for name in doc["channels"]:
        cmd = command_for(name)
        if cmd in BUILTIN_COMMANDS:
            raise ChannelsError(f"{source}: channel {name!r} would hide the built-in command /{cmd}: rename it")
        if cmd in seen:
            raise ChannelsError(f"{source}: channels {seen[cmd]!r} and {name!r} both map to /{cmd}: keep one")
        seen[cmd] = name
    return list(doc["channels"])


def load_channels(root: Path = ROOT) -> list[str]:
    path = root / CHANNELS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ChannelsError(f'{CHANNELS_FILE} is missing: create it with {{"channels": []}} (or run /init)') from None
    except UnicodeDecodeError as exc:
        raise ChannelsError(
            f"{CHANNELS_FILE} is not UTF-8 text (byte {exc.start}): save it as UTF-8, "
            'e.g. {"channels": ["puruto-notes"]}'
        ) from None
    except OSError as exc:
        raise ChannelsError(f"{CHANNELS_FILE} cannot be read: {exc}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ChannelsError(
            f'{CHANNELS_FILE} is not valid JSON ({exc}): fix it, e.g. {{"channels": ["puruto-notes"]}}'
        ) from None
    return validate_channels(data)


class ChannelCatalog:
    """The catalogue, re-read whenever .channels.json changes (no restart needed).

    A broken file never stops the caller: `channels` keeps the last good list and `error`
    says what is wrong until the file is fixed.
    """

    def __init__(self, root: Path = ROOT):
        self.root = root
        self._stamp: tuple[object, ...] | None = None
        self.channels: list[str] = []
        self.error: str | None = None
        self.loaded = False  # True once a good file was read: `channels` is then trustworthy

    def _current_stamp(self) -> tuple[object, ...] | None:
        try:
            st = (self.root / CHANNELS_FILE).stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def refresh(self) -> bool:
        """Re-reads the file if it changed; True when the channel list changed."""
        stamp = self._current_stamp()
        if stamp is not None and stamp == self._stamp:
            return False
        self._stamp = stamp
        try:
            channels = load_channels(self.root)
        except ChannelsError as exc:
            self.error = str(exc)
            return False
        self.error = None
        self.loaded = True
        changed = channels != self.channels
        self.channels = channels
        return changed

    def by_command(self, command: str) -> str | None:
        command = command.lower()
        return next((c for c in self.channels if command_for(c) == command), None)


def db_path(root: Path = ROOT, settings: TelegramSettings | None = None) -> Path:
    """DB_PATH (default db/telegram.db) on disk; SettingsError when .env cannot be read."""
    return resolve_path(root, (settings or TelegramSettings.load(root)).db_path)


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS active_channels ("
        "user_id INTEGER PRIMARY KEY, channel TEXT NOT NULL, timestamp TEXT NOT NULL)"
    )
    return conn


class ActiveChannels:
    """Each user's active channel, in SQLite (user_id, channel, timestamp)."""

    def __init__(self, path: Path):
        self.path = path

    def get(self, user_id: int) -> str | None:
        conn = connect(self.path)
        try:
            row = conn.execute("SELECT channel FROM active_channels WHERE user_id = ?", (int(user_id),)).fetchone()
            return row[0] if row else None
        finally:
            conn.close()

    def set(self, user_id: int, channel: str) -> None:
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        conn = connect(self.path)
        try:
            with conn:
                conn.execute(
                    "INSERT INTO active_channels (user_id, channel, timestamp) VALUES (?, ?, ?) "
                    "ON CONFLICT(user_id) DO UPDATE SET channel = excluded.channel, timestamp = "
                    "excluded.timestamp",
                    (int(user_id), channel, now),
                )
        finally:
            conn.close()


def add_channel(name: str, root: Path = ROOT) -> dict[str, Any]:
    """Registers ../<name> as a channel (idempotent). Raises ChannelsError."""
    validate_channels({"channels": [name]}, "channel name")
    if not (root.parent / name).is_dir():
        raise ChannelsError(f"../{name} does not exist: create or clone that Puruto beside {root.name} first")
    channels = load_channels(root)
    if name in channels:
        return {
            "status": "ok",
            "channel": name,
            "added": False,
            "command": f"/{command_for(name)}",
            "message": f"{name} is already a channel",
        }
    validate_channels({"channels": [*channels, name]})
    write_json_atomic(root / CHANNELS_FILE, {"channels": [*channels, name]})
    return {
        "status": "ok",
        "channel": name,
        "added": True,
        "command": f"/{command_for(name)}",
        "message": "registered; a running bot picks it up on its next message (restart it if it is an older version)",
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        out: dict[str, Any]
        if args == ["channels"]:
            out = {"status": "ok", "channels": [{"name": c, "command": f"/{command_for(c)}"} for c in load_channels()]}
        elif len(args) == 2 and args[0] == "add-channel":
            out = add_channel(args[1])
        elif len(args) == 2 and args[0] == "active" and args[1].lstrip("-").isdigit():
            out = {"status": "ok", "user_id": int(args[1]), "channel": ActiveChannels(db_path()).get(int(args[1]))}
        else:
            print(__doc__.strip(), file=sys.stderr)
            return 2
    except ChannelsError as exc:
        print(json.dumps({"status": "error", "error": {"code": "INVALID_CHANNELS", "message": str(exc)}}))
        return 1
    except SettingsError as exc:
        print(json.dumps({"status": "error", "error": {"code": "INVALID_SETTINGS", "message": str(exc)}}))
        return 1
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    # a lone surrogate from a file: escaped, not a crash
    cast(io.TextIOWrapper, sys.stdout).reconfigure(errors="backslashreplace")
    sys.exit(main())
