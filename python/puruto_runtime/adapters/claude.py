"""The claude adapter: Claude Code (`claude -p`)."""

from __future__ import annotations

import os
from typing import Any

from ..errors import IpcError
from ..invocation import tail
from ..skills import agent_message
from . import syntax_of
from .base import Adapter, Call, answer, failed, parse_json_object, user_args


def claude_argv(call: Call) -> list[str]:
    """`claude -p`: the skill as `/name`; the granted tools as --allowedTools (anything else is
    asked for, and a headless run denies what it would ask)."""
    argv = ["claude", "-p", agent_message(call.request, syntax_of("claude")), "--output-format", "json"]
    if call.tools:
        argv += ["--allowedTools", ",".join(call.tools)]
    return argv + user_args(call)


def claude_env(call: Call) -> dict[str, str]:
    # Claude retries API errors for minutes by default: cap it so the error comes back in time.
    return {"CLAUDE_CODE_MAX_RETRIES": os.environ.get("CLAUDE_CODE_MAX_RETRIES", "2")}


def parse_claude(code: int, out: str, err: str) -> dict[str, Any]:
    """claude -p --output-format json: {result, is_error, subtype, permission_denials, api_error_status}."""
    data = parse_json_object("claude", code, out, err)
    subtype = data.get("subtype")
    if data.get("is_error") or (isinstance(subtype, str) and subtype != "success") or code != 0:
        raise failed(
            "claude",
            "agent_error",
            f"claude reported an error ({subtype or 'is_error'}): {str(data.get('result') or '')[:500]}",
            code,
            err,
            subtype=subtype,
            api_error_status=data.get("api_error_status"),
        )
    if data.get("permission_denials"):  # a denied tool still exits 0
        raise failed(
            "claude",
            "permission_denied",
            "claude was denied a tool it needed",
            code,
            err,
            permission_denials=data["permission_denials"],
            answer=str(data.get("result") or "")[:500],
        )
    if "result" not in data:
        raise IpcError("INVALID_RESPONSE", "claude's JSON has no `result`", {"agent": "claude", "stdout": tail(out)})
    return answer(
        "claude",
        data["result"],
        code,
        err,
        session_id=data.get("session_id"),
        total_cost_usd=data.get("total_cost_usd"),
    )


ADAPTER = Adapter(
    name="claude",
    binary="claude",
    rules="CLAUDE.md (imports AGENTS.md)",
    skills=".claude/skills",
    syntax="/{skill}",
    permissions="`--allowedTools` = the skill's allowed-tools (anything else is denied)",
    setup="log in once (claude) or set ANTHROPIC_API_KEY",
    argv=claude_argv,
    parse=parse_claude,
    env=claude_env,
)
