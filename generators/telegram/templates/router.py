"""Deterministic routing of puruto-telegram: a user's plain text goes to their *active
channel* (a Puruto beside this folder) through invoker.py, and the answer comes back as
text. No AI decides where a message goes. Standard library only.
"""
from __future__ import annotations

from pathlib import Path

import db
import invoker

ROOT = Path(__file__).resolve().parent
# The target's skill the message is handed to: the agent reads the text and answers it.
CHAT_ACTION = "chat"
TIMEOUT_SEC = 120.0
MAX_REPLY = 4000  # Telegram refuses messages over 4096 characters


def result_text(response: dict, channel: str) -> str:
    """The text to send back for an InvocationResult: the answer, or a clear error."""
    if response.get("status") == "ok":
        result = response.get("result") or {}
        text = str(result.get("summary") or result.get("text") or "").strip() or f"{channel} answered with no text."
    else:
        err = response.get("error") or {}
        text = (f"⚠️ {channel} could not answer: {err.get('message') or 'unknown error'} "
                f"({err.get('code') or 'IPC_ERROR'})")
    return text if len(text) <= MAX_REPLY else text[: MAX_REPLY - 1] + "…"


def route(text: str, channel: str | None, root: Path = ROOT, channels: list[str] | None = None) -> str:
    """Sends `text` to `channel` and returns the reply text (never raises)."""
    if not channel:
        return "No active channel yet: choose one with its command (see /list)."
    if channels is not None and channel not in channels:
        return f"The channel {channel} is no longer in .channels.json: choose another one (see /list)."
    request = invoker.build_request(root.name, channel, CHAT_ACTION, text, TIMEOUT_SEC)
    try:
        response = invoker.invoke(request, root)
    except Exception as exc:  # invoke() maps its failures itself; this is a last resort
        response = invoker.error_result(request, "IPC_ERROR", f"unexpected failure: {exc}")
    return result_text(response, channel)


def route_for_user(text: str, user_id: int, root: Path = ROOT) -> str:
    """Looks up the user's active channel in the database and routes the text there."""
    try:
        channels = db.load_channels(root)
    except db.ChannelsError as exc:
        return f"⚠️ {exc}"
    active = db.ActiveChannels(db.db_path(root)).get(user_id)
    return route(text, active, root, channels)
