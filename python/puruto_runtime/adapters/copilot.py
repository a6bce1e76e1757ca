"""The copilot adapter: GitHub Copilot CLI (`copilot --prompt=`)."""

from __future__ import annotations

import re
from typing import Any

from ..errors import IpcError
from ..invocation import tail
from ..skills import agent_message, tool_base
from . import syntax_of
from .base import Adapter, Call, answer, failed, json_lines, obj, user_args


def copilot_permissions(call: Call) -> list[str]:
    """Copilot's --allow-tool / --deny-tool patterns from the skill's allowed-tools: `Bash` ->
    shell, `Bash(python3:*)` -> shell(python3:*) (only commands starting with python3);
    Write/Edit -> write; without Bash / without Write-Edit the shell / writes are denied (deny
    rules win over any allow rule of the user's config). Anything else needs an approval a
    headless run cannot give, so it is denied."""
    flags: list[str] = []
    for tool in call.tools:
        if tool_base(tool) == "Bash":
            m = re.fullmatch(r"\s*Bash\((.+)\)\s*", tool)
            spec = m.group(1).strip() if m else ""
            spec = spec[:-2] + ":*" if spec.endswith(" *") else spec
            flags.append(f"--allow-tool=shell({spec})" if spec else "--allow-tool=shell")
    flags.append("--allow-tool=write" if call.write else "--deny-tool=write")
    if not call.shell:
        flags.append("--deny-tool=shell")
    return list(dict.fromkeys(flags))


def copilot_argv(call: Call) -> list[str]:
    """`copilot --prompt=MSG --output-format json`: the skill named for Copilot's skill tool
    (in prompt mode `/name` is plain text); permissions from copilot_permissions (never
    --allow-all-tools or --yolo). `--prompt=` keeps a message that starts with "-" a prompt."""
    message = agent_message(call.request, syntax_of("copilot"))
    return ["copilot", f"--prompt={message}", "--output-format", "json", *copilot_permissions(call)] + user_args(call)


def parse_copilot(code: int, out: str, err: str) -> dict[str, Any]:
    """copilot -p --output-format json: JSON lines (session.*, user.message, assistant.message
    with data.content, tool.execution_complete with success/error.code, session.error with
    message/statusCode, result with exitCode). The answer is the last assistant message; a
    tool whose error code is `denied` is permission_denied (exit 0); session.error or exit 1
    is agent_error. Copilot retries an API 5xx 5 times itself (~15 s)."""
    events = [e for e in json_lines(out) if isinstance(e.get("type"), str)]
    if not events:
        if code != 0:
            shown = (out.strip() or err.strip())[:300]
            raise failed(
                "copilot", "agent_exit", f"copilot exited with code {code}: {shown}", code, err, stdout=tail(out)
            )
        raise IpcError(
            "INVALID_RESPONSE",
            "copilot printed no JSON events",
            {"agent": "copilot", "exit_code": code, "stdout": tail(out), "stderr": tail(err)},
        )
    text, session = None, None
    errors: list[dict[str, Any]] = []
    denied: list[dict[str, Any]] = []
    for event in events:
        data = obj(event.get("data"))
        kind = event["type"]
        if kind == "assistant.message" and isinstance(data.get("content"), str):
            text = data["content"]
        elif kind == "session.error":
            errors.append({"message": str(data.get("message") or "error"), "status": data.get("statusCode")})
        elif kind == "tool.execution_complete" and data.get("success") is False:
            error = obj(data.get("error"))
            if error.get("code") == "denied":
                denied.append(
                    {"tool_call_id": data.get("toolCallId"), "message": str(error.get("message") or "")[:300]}
                )
        elif kind == "result":
            session = event.get("sessionId")
            code = event.get("exitCode", code) if isinstance(event.get("exitCode"), int) else code
    if errors or code != 0:
        why = "; ".join(e["message"] for e in errors) or f"exit code {code}"
        raise failed("copilot", "agent_error", f"copilot reported an error: {why[:500]}", code, err, errors=errors)
    if denied:
        raise failed(
            "copilot",
            "permission_denied",
            "copilot was denied a tool it needed",
            code,
            err,
            denied=denied,
            answer=(text or "")[:500],
        )
    return answer("copilot", text, code, err, session_id=session)


ADAPTER = Adapter(
    name="copilot",
    binary="copilot",
    rules="AGENTS.md",
    skills=".agents/skills (or .github/skills)",
    syntax='Invoke the "{skill}" skill (skill tool) for:',
    permissions="--allow-tool: Bash -> shell (Bash(p:*) -> shell(p:*), only commands starting with p), "
    "Write/Edit -> write; --deny-tool shell / write without them",
    setup="log in once (copilot login) or set COPILOT_GITHUB_TOKEN; or a model provider of your own "
    "(COPILOT_PROVIDER_BASE_URL, COPILOT_PROVIDER_TYPE, COPILOT_PROVIDER_API_KEY, COPILOT_MODEL)",
    argv=copilot_argv,
    parse=parse_copilot,
)
