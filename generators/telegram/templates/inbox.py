#!/usr/bin/env python3
"""Drains the puruto-cron events of puruto-telegram: reads the new lines of
inbox/cron-events.jsonl from a persisted byte offset (db/inbox_offsets.json), appends each
processed event to db/cron-forwarded.jsonl and, with --deliver, sends it to
PURUTO_TELEGRAM_DEFAULT_CHAT_ID through the Bot API (sendMessage). Standard library only.

Usage: python3 inbox.py [--limit N] [--deliver]
Prints one JSON object. Exit 0 ok; 1 when a delivery failed (the offset stops before that
event, so the next run retries it); 2 usage.
--deliver without a token or chat id sends nothing and processes nothing: the events stay
pending (counted in skipped_delivery, the offset does not move) and `message` says which
setting is missing; the next --deliver once it is set sends them. Not an error (exit 0).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, cast

from puruto_runtime.settings import SettingsError
from telegram_env import TelegramSettings, write_json_atomic

ROOT = Path(__file__).resolve().parent
INBOX_FILE = "inbox/cron-events.jsonl"
OFFSETS_FILE = "db/inbox_offsets.json"
FORWARDED_LOG = "db/cron-forwarded.jsonl"
PREVIEW = 10


class DeliveryError(Exception):
    pass


def read_offsets(path: Path) -> dict[str, Any]:
    """{"inbox/cron-events.jsonl": <byte offset>}; missing or corrupt -> {}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def event_text(event: dict[str, Any]) -> str:
    job, run = event.get("job_id", "?"), event.get("run_id", "?")
    if "error" in event:
        err = event.get("error") or {}
        return (
            f"❌ cron job {job} failed after {event.get('attempts', '?')} attempt(s) (run {run})\n"
            f"{err.get('code', 'ERROR')}: {err.get('message', '')}"
        )[:4000]
    result = event.get("result") or {}
    response = result.get("response") or {}
    summary = ((response.get("result") or {}).get("summary") or "") if isinstance(response, dict) else ""
    return (f"✅ cron job {job} {result.get('status', 'done')} (run {run})" + (f"\n{summary}" if summary else ""))[
        :4000
    ]


def send_message(base: str, token: str, chat_id: str, text: str, timeout: float = 20.0) -> None:
    body = json.dumps({"chat_id": chat_id, "text": text}).encode()
    req = urllib.request.Request(
        f"{base.rstrip('/')}/bot{token}/sendMessage",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            answer = json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:300]
        raise DeliveryError(f"sendMessage failed: HTTP {exc.code} {detail}") from None
    except (OSError, ValueError) as exc:
        raise DeliveryError(f"sendMessage failed: {exc}") from None
    if not answer.get("ok"):
        raise DeliveryError(f"sendMessage refused: {answer.get('description', answer)}")


def pending_lines(inbox: Path, offset: int, limit: int | None) -> int:
    """How many complete, non-blank lines wait after `offset` (at most `limit`)."""
    count = 0
    with inbox.open("rb") as fh:
        fh.seek(offset)
        for raw in fh:
            if not raw.endswith(b"\n") or (limit is not None and count >= limit):
                break
            count += bool(raw.strip())
    return count


def drain(root: Path = ROOT, limit: int | None = None, deliver: bool = False) -> tuple[int, dict[str, Any]]:
    inbox = root / INBOX_FILE
    if not inbox.is_file():
        return 0, {
            "status": "ok",
            "pending": 0,
            "processed": 0,
            "message": f"no inbox yet ({INBOX_FILE}): puruto-cron has not sent any event",
        }
    offsets_path, forwarded = root / OFFSETS_FILE, root / FORWARDED_LOG
    offsets = read_offsets(offsets_path)
    offset = offsets.get(INBOX_FILE, 0)
    size = inbox.stat().st_size
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0 or offset > size:
        offset = 0  # corrupt, or the inbox was truncated: start again from the beginning
    settings = TelegramSettings.load(root)
    token, chat_id, base = settings.bot_token, settings.default_chat_id, settings.api_base
    out: dict[str, Any] = {
        "status": "ok",
        "processed": 0,
        "deliver": deliver,
        "delivered": 0,
        "skipped_delivery": 0,
        "offset": offset,
        "inbox_file": INBOX_FILE,
        "forwarded_log": FORWARDED_LOG,
        "preview": [],
    }
    missing = [
        name
        for name, value in (("PURUTO_TELEGRAM_BOT_TOKEN", token), ("PURUTO_TELEGRAM_DEFAULT_CHAT_ID", chat_id))
        if not value
    ]
    if deliver and missing:
        out["skipped_delivery"] = pending_lines(inbox, offset, limit)
        out["message"] = (
            f"{out['skipped_delivery']} event(s) not sent, kept pending: {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} empty in .env (the chat id is your Telegram user id for "
            "a private chat, or a group id); run `python3 inbox.py --deliver` again once set"
        )
        return 0, out
    forwarded.parent.mkdir(parents=True, exist_ok=True)
    code = 0
    with inbox.open("rb") as fh:
        fh.seek(offset)
        while limit is None or out["processed"] < limit:
            raw = fh.readline()
            if not raw.endswith(b"\n"):
                break  # end of file, or a line puruto-cron is still writing
            line = raw.decode("utf-8", "replace").strip()
            if not line:
                offset += len(raw)
                continue
            try:
                event = json.loads(line)
                if not isinstance(event, dict):
                    raise ValueError("not an object")
            except ValueError:
                event = {"invalid_line": line[:1000]}
            delivery = "not_requested"
            if deliver:
                if "invalid_line" in event:  # never deliverable: skipped, and the offset moves on
                    delivery = "skipped"
                    out["skipped_delivery"] += 1
                else:
                    try:
                        send_message(base, token, chat_id, event_text(event))
                    except DeliveryError as exc:
                        out["status"] = "error"
                        out["error"] = {"code": "DELIVERY_FAILED", "message": str(exc)}
                        code = 1
                        break
                    delivery = "sent"
                    out["delivered"] += 1
            record = {
                "forwarded_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "delivery": delivery,
                "event": event,
            }
            with forwarded.open("a", encoding="utf-8") as log:
                log.write(json.dumps(record, ensure_ascii=False) + "\n")
            offset += len(raw)
            offsets[INBOX_FILE] = offset
            write_json_atomic(offsets_path, offsets)
            out["processed"] += 1
            out["preview"].append({k: event.get(k) for k in ("job_id", "run_id", "ts")})
    out["preview"] = out["preview"][-PREVIEW:]
    out["offset"] = offset
    return code, out


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("--limit must be 1 or more")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=positive_int, default=None, help="process at most N events")
    parser.add_argument("--deliver", action="store_true", help="send each event to PURUTO_TELEGRAM_DEFAULT_CHAT_ID")
    args = parser.parse_args(argv)
    try:
        code, out = drain(ROOT, args.limit, args.deliver)
    except SettingsError as exc:
        code, out = 1, {"status": "error", "error": {"code": "INVALID_SETTINGS", "message": str(exc)}}
    print(json.dumps(out, ensure_ascii=False))
    return code


if __name__ == "__main__":
    # a lone surrogate from a file: escaped, not a crash
    cast(io.TextIOWrapper, sys.stdout).reconfigure(errors="backslashreplace")
    sys.exit(main())
