"""Deterministic routing of puruto-telegram: a user's plain text goes to their *active
channel* (a Puruto beside this folder) through invoker.py with the reserved action
`message` (free text: the channel's agent picks the skill by its AGENTS.md), and the
answer comes back as text. No AI decides where a message goes. Standard library only.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import db
import invoker

ROOT = Path(__file__).resolve().parent
ACTION = invoker.MESSAGE_ACTION
TIMEOUT_SEC = 120.0


def result_text(response: dict[str, Any], channel: str) -> str:
    """The text to send back for an InvocationResult: the whole answer, or a clear error.
    (bot.py splits long answers into several messages; nothing is cut here.)"""
    if response.get("status") == "ok":
        result = response.get("result") or {}
        return str(result.get("summary") or result.get("text") or "").strip() or f"{channel} answered with no text."
    err = response.get("error") or {}
    if (err.get("details") or {}).get("reason") == "cancelled":
        return f"⏹ The call to {channel} was cancelled; its agent was stopped."
    return f"⚠️ {channel} could not answer: {err.get('message') or 'unknown error'} ({err.get('code') or 'IPC_ERROR'})"


def refusal(channel: str | None, channels: list[str] | None) -> str | None:
    """Why a text cannot go to `channel` (no channel, or no longer in the catalogue), else None."""
    if not channel:
        return "No active channel yet: choose one with its command (see /list)."
    if channels is not None and channel not in channels:
        return f"The channel {channel} is no longer in .channels.json: choose another one (see /list)."
    return None


def route(
    text: str,
    channel: str | None,
    root: Path = ROOT,
    channels: list[str] | None = None,
    cancel: threading.Event | None = None,
    correlation_id: str | None = None,
) -> str:
    """Sends `text` to `channel` and returns the reply text (never raises). `channels`: the
    catalogue to check the channel against (None: not checked). `cancel`: once set, the
    running call's agent is killed and the reply says it was cancelled. `correlation_id`: the
    call's id (a chain of its own), which its agent's processes carry in their environment."""
    refused = refusal(channel, channels)
    if refused:
        return refused
    assert channel is not None  # refusal() answered a missing channel
    request = invoker.build_request(root.name, channel, ACTION, text, TIMEOUT_SEC)
    if correlation_id:
        request["correlation_id"] = correlation_id
    try:
        response = invoker.invoke(request, root, cancel=cancel)
    except Exception as exc:  # invoke() maps its failures itself; this is a last resort
        response = invoker.error_result(request, "IPC_ERROR", f"unexpected failure: {exc}")
    return result_text(dict(response), channel)


def route_for_user(text: str, user_id: int, root: Path = ROOT) -> str:
    """Looks up the user's active channel in the database and routes the text there."""
    try:
        channels = db.load_channels(root)
    except db.ChannelsError as exc:
        return f"⚠️ {exc}"
    active = db.ActiveChannels(db.db_path(root)).get(user_id)
    return route(text, active, root, channels)
