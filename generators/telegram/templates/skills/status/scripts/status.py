#!/usr/bin/env python3
"""/status of puruto-telegram: the Python ./run uses and its packages, token, allowlist,
channels, database, pending inbox events, what to fix. Read-only.

Usage: python3 .claude/skills/status/scripts/status.py [--json]
Always exits 0: missing configuration is reported, never a crash.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from puruto_env import (  # noqa: E402
    ROOT,
    collect_status,
    render_status,
    runtime_check,
    runtime_line,
    settings,
    status_cli,
)

MODULES = ("telegram", "dotenv")  # what ./run needs (requirements.txt)

sys.path.insert(0, str(ROOT))
import db  # noqa: E402
import inbox  # noqa: E402


def bot_report(root: Path) -> tuple[dict[str, Any], list[str]]:
    env = settings(root)
    problems: list[str] = []
    token = bool(env.get("PURUTO_TELEGRAM_BOT_TOKEN", "").strip())
    allowed = [u for u in env.get("PURUTO_TELEGRAM_ALLOWED_USERS", "").replace(";", ",").split(",") if u.strip()]
    if not allowed:
        problems.append(
            "PURUTO_TELEGRAM_ALLOWED_USERS is empty: the bot answers nobody; put your Telegram user id in .env"
        )
    try:
        channels, channels_error = db.load_channels(root), None
    except db.ChannelsError as exc:
        channels, channels_error = [], str(exc)
        problems.append(channels_error)
    if not channels and not channels_error:
        problems.append("no channels yet: add one with /add-channel")
    database = "ok" if db.db_path(root).exists() else "missing"
    if database == "missing":
        problems.append("db/telegram.db is missing: run /init")
    path, pending = root / inbox.INBOX_FILE, 0
    if path.is_file():
        offset = inbox.read_offsets(root / inbox.OFFSETS_FILE).get(inbox.INBOX_FILE, 0)
        offset = offset if isinstance(offset, int) and 0 <= offset <= path.stat().st_size else 0
        with path.open("rb") as fh:
            fh.seek(offset)
            pending = sum(1 for line in fh if line.strip() and line.endswith(b"\n"))
    return {
        "token": "set" if token else "missing",
        "allowed_users": len(allowed),
        "channels": channels,
        "channels_error": channels_error,
        "database": database,
        "inbox_pending": pending,
    }, problems


def collect(root: Path = ROOT) -> dict[str, Any]:
    return collect_status(root, (("runtime", runtime_check(MODULES)), ("bot", bot_report)))


def render(r: dict[str, Any]) -> str:
    ok, bad = "✓", "✗"
    b = r.get("bot") or {}
    lines = [
        runtime_line(r.get("runtime")),
        f"  {ok if b.get('token') == 'set' else bad} bot token: {b.get('token')}",
        f"  {ok if b.get('allowed_users') else bad} allowed users: {b.get('allowed_users', 0)}",
        f"  {bad if b.get('channels_error') else ok} channels: "
        + (b.get("channels_error") or (", ".join(b.get("channels") or []) or "none")),
        f"  {ok if b.get('database') == 'ok' else bad} database: {b.get('database')}",
        f"  · cron events waiting in the inbox: {b.get('inbox_pending', 0)} (drain them with /drain-inbox)",
    ]
    return render_status(r, lines)


def main(argv: list[str] | None = None) -> int:
    return status_cli(__doc__, collect, render, argv)


if __name__ == "__main__":
    sys.exit(main())
