"""Free text stays data: what an agent is given, checked before any agent starts.

Every agent CLI gets the message on its stdin, never as an argv word: no CLI can then read a
prompt such as `-v --help 42` as its own options, and a prompt is not bound by the size of one
argv string. Only the `command` adapter fills argv words (one word each; no shell runs them)."""

from __future__ import annotations

from .errors import IpcError

ARG_MAX_STRLEN = 128 * 1024  # Linux MAX_ARG_STRLEN: the bytes of one argv string, its closing NUL included
STDIN_MAX_BYTES = 8 * 1024 * 1024  # Gemini CLI and Qwen Code cut their stdin there: the cap for every CLI


def agent_text(text: str, agent: str, limit: int = STDIN_MAX_BYTES, way: str = "on its stdin") -> str:
    """`text` (what `agent` is given) checked before any agent starts: a NUL is IPC_ERROR
    prompt_has_nul (no command line, and no CLI's prompt, can hold one), text that is not valid
    Unicode (a lone surrogate) prompt_not_utf8, more than `limit` UTF-8 bytes prompt_too_long."""
    if "\0" in text:
        raise IpcError(
            "IPC_ERROR",
            f"the prompt holds a NUL character (at {text.index(chr(0))}): {agent} cannot be given one; remove it",
            {"reason": "prompt_has_nul", "agent": agent},
        )
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise IpcError(
            "IPC_ERROR",
            f"the prompt is not valid Unicode text ({exc.reason} at {exc.start})",
            {"reason": "prompt_not_utf8", "agent": agent},
        ) from None
    if size > limit:
        raise IpcError(
            "IPC_ERROR",
            f"the message for {agent} is {size} bytes, more than the {limit} bytes it can be given {way}: "
            "shorten the prompt",
            {"reason": "prompt_too_long", "agent": agent, "bytes": size, "limit_bytes": limit},
        )
    return text
