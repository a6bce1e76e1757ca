"""Notifications of puruto-cron: one JSON line per finished run in notifications/events.jsonl,
replicated to the puruto-telegram inbox only when that repo exists. Never raises."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

LOCAL_EVENTS = "notifications/events.jsonl"
DEFAULT_TELEGRAM_PATH = "../puruto-telegram"
DEFAULT_OUTBOX_FILE = "inbox/cron-events.jsonl"


def _resolve(root: Path, value: str) -> Path:
    p = Path(value).expanduser()
    return p if p.is_absolute() else root / p


def targets(root: Path, settings: dict) -> dict:
    """Where notifications go (the shape of `main.py status`)."""
    telegram = settings.get("PURUTO_TELEGRAM_PATH") or DEFAULT_TELEGRAM_PATH
    outbox = settings.get("PURUTO_TELEGRAM_OUTBOX_FILE") or DEFAULT_OUTBOX_FILE
    return {
        "local_events": LOCAL_EVENTS,
        "telegram_outbox": f"{telegram.rstrip('/')}/{outbox}",
        "telegram_repo_exists": _resolve(root, telegram).is_dir(),
    }


def _append(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:  # one write of one line: appends do not interleave
        fh.write(line)


def notify(event: dict, root: Path, settings: dict, channel: str = "telegram") -> dict:
    """Appends {"ts": <UTC ISO>, **event}; returns where it went and any write problem."""
    line_obj = {"ts": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"), **event}
    line = json.dumps(line_obj, ensure_ascii=False) + "\n"
    out = {"local": None, "telegram": None, "problems": []}
    try:
        _append(root / LOCAL_EVENTS, line)
        out["local"] = LOCAL_EVENTS
    except OSError as exc:
        out["problems"].append(f"{LOCAL_EVENTS}: {exc}")
    telegram = _resolve(root, settings.get("PURUTO_TELEGRAM_PATH") or DEFAULT_TELEGRAM_PATH)
    if channel == "telegram" and telegram.is_dir():
        outbox = settings.get("PURUTO_TELEGRAM_OUTBOX_FILE") or DEFAULT_OUTBOX_FILE
        try:
            _append(_resolve(telegram, outbox), line)
            out["telegram"] = str(_resolve(telegram, outbox))
        except OSError as exc:
            out["problems"].append(f"telegram outbox: {exc}")
    return out
