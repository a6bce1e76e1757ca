"""The codex adapter: OpenAI Codex CLI (`codex exec`)."""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import IpcError
from ..invocation import tail
from ..skills import agent_message
from . import syntax_of
from .base import Adapter, Call, answer, failed, json_lines, obj, user_args

# Reconnects of a failing turn codex may make before the invoker stops it (each of its turns
# already retries an HTTP error 4 times).
CODEX_RETRIES = 1
RECONNECT = re.compile(r"Reconnecting\.\.\. (\d+)/(\d+) \((.*)\)\s*$", re.S)


def codex_argv(call: Call) -> list[str]:
    """`codex exec`: the skill as `$name` (codex then loads its SKILL.md); not a git repo and
    never trusted, hence --skip-git-repo-check. `codex exec` never asks for approval, so the
    sandbox is the permission: Bash/Write/Edit -> workspace-write (writes inside the target
    only), Bash also with network (a skill script may call the model API or another Puruto);
    anything else -> read-only (codex still reads through read-only shell commands)."""
    argv = ["codex", "exec", "--json", "--skip-git-repo-check"]
    if call.shell or call.write:
        argv += ["--sandbox", "workspace-write"]
        if call.shell:
            argv += ["-c", "sandbox_workspace_write.network_access=true"]
    else:
        argv += ["--sandbox", "read-only"]
    # The message last, after `--`: a text starting with "-" is no option, none is a subcommand.
    return argv + user_args(call) + ["--", agent_message(call.request, syntax_of("codex"))]


def codex_reconnect(message: str) -> tuple[int, str] | None:
    """`Reconnecting... 2/5 (why)` -> (2, why); other messages -> None."""
    m = RECONNECT.match(message)
    return (int(m.group(1)), m.group(3)) if m else None


def codex_give_up(line: str) -> bool:
    """Codex retries a failing turn 5 times (each with 4 request retries) and no flag caps that
    for its built-in provider: stop it at its second reconnect of a failing HTTP turn (its
    WebSocket reconnects, `ws://`/`wss://`, are left alone: it then falls back to HTTPS)."""
    try:
        event = json.loads(line)
    except ValueError:
        return False
    if not isinstance(event, dict) or event.get("type") != "error":
        return False
    retry = codex_reconnect(str(event.get("message") or ""))
    return retry is not None and retry[0] > CODEX_RETRIES and not re.search(r"\bwss?://", retry[1])


def codex_api_message(message: str) -> str:
    """Codex passes a 400's body on as it came: `{"error": {"message": ...}}` -> that message."""
    try:
        body = json.loads(message)
    except ValueError:
        return message
    error = body.get("error") if isinstance(body, dict) else None
    text = error.get("message") if isinstance(error, dict) else None
    return f"API error: {text}" if isinstance(text, str) and text else message


def parse_codex(code: int, out: str, err: str) -> dict[str, Any]:
    """codex exec --json: JSONL events; the answer is the last agent_message. `turn.failed`, an
    `error` event without a completed turn, or a non-zero exit is agent_error (with the API's
    text when codex gives it); `item.completed` of type `error` is only a warning."""
    events = [e for e in json_lines(out) if isinstance(e.get("type"), str)]
    if not events:
        if code != 0:
            raise failed(
                "codex",
                "agent_exit",
                f"codex exited with code {code} without JSON events: "
                f"{err.strip().splitlines()[-1] if err.strip() else 'no output'}"[:500],
                code,
                err,
            )
        raise IpcError(
            "INVALID_RESPONSE",
            "codex printed no JSON events",
            {"agent": "codex", "exit_code": code, "stdout": tail(out), "stderr": tail(err)},
        )
    text, completed, errors, declined, thread_id, reconnect = None, False, [], [], None, ""
    for event in events:
        kind, item = event["type"], obj(event.get("item"))
        if kind == "thread.started":
            thread_id = event.get("thread_id")
        elif kind == "turn.completed":
            completed = True
        elif kind in ("turn.failed", "error"):
            error = obj(event.get("error"))
            message = str((error.get("message") if kind == "turn.failed" else event.get("message")) or "")
            retry = codex_reconnect(message)
            if retry:
                reconnect, message = message.split(" (", 1)[0].removeprefix("Reconnecting... "), retry[1]
            message = codex_api_message(message)
            if message and message not in errors:
                errors.append(message)
        elif kind == "item.completed" and item.get("type") == "agent_message":
            text = item.get("text")
        elif kind == "item.completed" and item.get("status") == "declined":
            declined.append(item.get("command") or item.get("type"))
    if any(e["type"] == "turn.failed" for e in events) or (errors and not completed) or code != 0:
        why = "; ".join(errors) or f"exit code {code}"
        if reconnect and not completed and not any(e["type"] == "turn.failed" for e in events):
            why += f" (codex was stopped at its reconnect {reconnect})"
        raise failed(
            "codex",
            "agent_error",
            f"codex reported an error: {why}"[:1000],
            code,
            err,
            errors=errors,
            reconnect=reconnect or None,
        )
    if declined:
        raise failed("codex", "permission_denied", "codex was denied a tool it needed", code, err, declined=declined)
    return answer("codex", text, code, err, thread_id=thread_id)


ADAPTER = Adapter(
    name="codex",
    binary="codex",
    rules="AGENTS.md",
    skills=".agents/skills (the link to .claude/skills)",
    syntax="${skill}",
    permissions="--sandbox workspace-write with Write/Edit (Bash: with network), else --sandbox read-only",
    setup="log in once (codex login) or set CODEX_API_KEY (codex exec ignores OPENAI_API_KEY); another "
    "endpoint: openai_base_url or a [model_providers.<id>] table in ~/.codex/config.toml",
    argv=codex_argv,
    parse=parse_codex,
    give_up=codex_give_up,
)
