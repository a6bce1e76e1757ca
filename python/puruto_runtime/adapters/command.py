"""The command adapter: a command line from the settings (PURUTO_AGENT_COMMAND, no shell)."""

from __future__ import annotations

import re
import shlex
from typing import Any

from ..errors import IpcError
from ..skills import agent_message
from .base import Adapter, Call, failed, parse_json_object


def parse_command(code: int, out: str, err: str) -> dict[str, Any]:
    """The command prints one JSON object: it is the result, unless it has `error` or status "error"."""
    data = parse_json_object("command", code, out, err)
    if data.get("error") or data.get("status") == "error" or code != 0:
        raise failed(
            "command",
            "agent_error" if code == 0 else "agent_exit",
            f"the agent command reported an error: {str(data.get('error') or data)[:500]}",
            code,
            err,
            output=data,
        )
    return data


def command_argv(call: Call) -> list[str]:
    """PURUTO_AGENT_COMMAND split like a shell line, then placeholders filled per word (no shell)."""
    template, request = call.settings.get("PURUTO_AGENT_COMMAND", ""), call.request
    if not template.strip():
        raise IpcError(
            "IPC_ERROR",
            "PURUTO_AGENT=command needs PURUTO_AGENT_COMMAND, e.g. 'my-agent --cwd {target_path} {message}'",
            {"reason": "not_configured"},
        )
    values = {
        "message": agent_message(request),
        "target_path": str(call.target_dir),
        "tools": ",".join(call.tools),
        **{k: str(request[k]) for k in ("prompt", "action", "target", "caller", "request_id", "correlation_id", "hop")},
    }

    def fill(m: re.Match[str]) -> str:
        if m.group(1) not in values:
            raise IpcError(
                "IPC_ERROR",
                f"PURUTO_AGENT_COMMAND has an unknown placeholder {m.group(0)}; "
                f"known: {', '.join('{' + k + '}' for k in values)}",
                {"reason": "not_configured"},
            )
        return values[m.group(1)]

    try:
        words = shlex.split(template)
    except ValueError as exc:
        raise IpcError(
            "IPC_ERROR", f"PURUTO_AGENT_COMMAND cannot be parsed: {exc}", {"reason": "not_configured"}
        ) from None
    return [re.sub(r"\{(\w+)\}", fill, w) for w in words]


ADAPTER = Adapter(
    name="command",
    binary="",
    rules="-",
    skills="-",
    syntax="{message}",
    permissions="{tools} placeholder",
    setup="PURUTO_AGENT_COMMAND",
    argv=command_argv,
    parse=parse_command,
    auto=False,
)
