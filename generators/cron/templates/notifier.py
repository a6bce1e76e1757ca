"""Notifications of puruto-cron: one JSON line per finished run in notifications/events.jsonl,
replicated to the puruto-telegram inbox only when that repo exists. Never raises."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypedDict

from puruto_runtime.settings import resolve_path
from settings import CronSettings

LOCAL_EVENTS = "notifications/events.jsonl"


class Notified(TypedDict):
    """Where one event went (None: not written there) and the write problems."""

    local: str | None
    telegram: str | None
    problems: list[str]


def targets(root: Path, settings: CronSettings) -> dict[str, Any]:
    """Where notifications go (the shape of `main.py status`)."""
    return {
        "local_events": LOCAL_EVENTS,
        "telegram_outbox": f"{settings.telegram_path}/{settings.outbox_file}",
        "telegram_repo_exists": resolve_path(root, settings.telegram_path).is_dir(),
    }


def _append(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:  # one write of one line: appends do not interleave
        fh.write(line)


def notify(event: dict[str, Any], root: Path, settings: CronSettings, channel: str = "telegram") -> Notified:
    """Appends {"ts": <UTC ISO>, **event}; returns where it went and any write problem."""
    line_obj = {"ts": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"), **event}
    line = json.dumps(line_obj, ensure_ascii=False) + "\n"
    out: Notified = {"local": None, "telegram": None, "problems": []}
    try:
        _append(root / LOCAL_EVENTS, line)
        out["local"] = LOCAL_EVENTS
    except OSError as exc:
        out["problems"].append(f"{LOCAL_EVENTS}: {exc}")
    telegram = resolve_path(root, settings.telegram_path)
    if channel == "telegram" and telegram.is_dir():
        outbox = resolve_path(telegram, settings.outbox_file)
        try:
            _append(outbox, line)
            out["telegram"] = str(outbox)
        except OSError as exc:
            out["problems"].append(f"telegram outbox: {exc}")
    return out
