"""The gemini adapter: Gemini CLI (`gemini -p`)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any

from ..errors import IpcError
from ..invocation import tail
from ..skills import agent_message, tool_base
from . import syntax_of
from .base import Adapter, Call, answer, failed, json_lines, obj, user_args

GEMINI_SHELL = "run_shell_command"
GEMINI_PRIORITY = 350  # in the user tier: above settings' tools.allowed (.300), below tools.exclude (.400)
GEMINI_EXIT = {
    1: "general error",
    41: "authentication error (set GEMINI_API_KEY or log in once with gemini)",
    42: "input error",
    44: "sandbox error",
    52: "configuration error",
    53: "turn limit exceeded",
    55: "the folder is not trusted",
    130: "cancelled",
}


def gemini_shell_prefixes(tools: tuple[str, ...]) -> list[str] | None:
    """The shell commands a skill may run: None for any (a bare `Bash`), else the prefixes of
    its `Bash(prefix:*)` entries (`Bash(python3:*)` -> `python3`); [] when it has no Bash."""
    prefixes = []
    for tool in tools:
        if tool_base(tool) != "Bash":
            continue
        m = re.fullmatch(r"Bash\((.*)\)", tool.strip())
        prefix = re.sub(r"(:\*|\s*\*)$", "", m.group(1).strip()).strip() if m else ""
        if not prefix:
            return None
        prefixes.append(prefix)
    return prefixes


def gemini_policy(call: Call) -> str:
    """A Gemini CLI policy (TOML) from the skill's allowed-tools. Reading tools are allowed by
    Gemini's defaults; activate_skill (how Gemini loads a SKILL.md) is allowed; write_file and
    replace only with Write/Edit; the shell with Bash (only the given prefixes with
    Bash(prefix:*)). Any other shell command is denied by policy, and the shell stays offered so
    that an attempt is reported as a denial rather than hidden."""

    def rule(tool: str | list[str], decision: str, priority: int = GEMINI_PRIORITY, **extra: Any) -> str:
        lines = ["[[rule]]", f"toolName = {json.dumps(tool)}", f'decision = "{decision}"', f"priority = {priority}"]
        return "\n".join(lines + [f"{k} = {json.dumps(v)}" for k, v in extra.items()]) + "\n"

    rules = [rule("activate_skill", "allow")]
    if call.write:
        rules.append(rule(["write_file", "replace"], "allow"))
    prefixes = gemini_shell_prefixes(call.tools)
    if prefixes is None:
        rules.append(rule(GEMINI_SHELL, "allow"))
    else:
        if prefixes:
            rules.append(rule(GEMINI_SHELL, "allow", commandPrefix=prefixes))
        skill = call.request["action"]
        rules.append(
            rule(
                GEMINI_SHELL,
                "deny",
                GEMINI_PRIORITY - 1,
                argsPattern=".*",
                denyMessage=f"The allowed-tools of the skill {skill!r} do not allow this command.",
            )
        )
        # Headless Gemini drops a tool that is denied outright: this never-reached rule keeps it listed.
        rules.append(rule(GEMINI_SHELL, "ask_user", GEMINI_PRIORITY - 2, argsPattern=".*"))
    return "# Written by the Puruto invoker from the skill's allowed-tools.\n\n" + "\n".join(rules)


def gemini_policy_file(text: str) -> Path:
    """The policy in a private folder of the temp dir (one file per distinct policy, reused)."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    folder = Path(tempfile.gettempdir()) / f"puruto-gemini-{uid}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != uid) or info.st_mode & 0o022:
            raise IpcError(
                "IPC_ERROR",
                f"{folder} is not a private folder of this user: remove it and call again",
                {"reason": "not_configured"},
            )
        path = folder / f"policy-{hashlib.sha256(text.encode()).hexdigest()[:16]}.toml"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            part = folder / f".{path.name}.{os.getpid()}"
            part.write_text(text, encoding="utf-8")
            os.replace(part, path)
    except OSError as exc:
        raise IpcError(
            "IPC_ERROR", f"cannot write the Gemini policy file in {folder}: {exc}", {"reason": "not_configured"}
        ) from None
    return path


def gemini_argv(call: Call) -> list[str]:
    """`gemini -p`: the skill named for activate_skill (a leading `/` would run a built-in
    command such as /init); permissions as a --policy file; JSON-lines events."""
    return [
        "gemini",
        "-p",
        agent_message(call.request, syntax_of("gemini")),
        "--output-format",
        "stream-json",
        "--policy",
        str(gemini_policy_file(gemini_policy(call))),
    ] + user_args(call)


def gemini_model_set(target_dir: Path) -> bool:
    """Whether the user chose a model: GEMINI_MODEL, or model.name in the target's or the
    user's Gemini settings."""
    if os.environ.get("GEMINI_MODEL"):
        return True
    home = Path(os.environ.get("GEMINI_CLI_HOME") or Path.home())
    for settings in (target_dir / ".gemini" / "settings.json", home / ".gemini" / "settings.json"):
        try:
            model = (json.loads(settings.read_text(encoding="utf-8")).get("model") or {}).get("name")
        except (OSError, ValueError, AttributeError):
            continue
        if model:
            return True
    return False


def gemini_env(call: Call) -> dict[str, str]:
    # A generated repo is not in Gemini's trusted folders (exit 55): trust it for this run. The
    # `auto` model's router request retries a 5xx 5 times (~75 s; no setting caps it): unless the
    # user chose a model, run `flash` (the chat model's retries: general.maxAttempts in .gemini/settings.json).
    env = {"GEMINI_CLI_TRUST_WORKSPACE": os.environ.get("GEMINI_CLI_TRUST_WORKSPACE") or "true"}
    if not gemini_model_set(call.target_dir):
        env["GEMINI_MODEL"] = "flash"
    return env


def trailing_json(text: str) -> dict[str, Any] | None:
    """The JSON object that ends `text` (Gemini prints its fatal errors so on stderr), or None."""
    lines = text.rstrip().splitlines()
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].startswith("{"):
            try:
                data = json.loads("\n".join(lines[i:]))
            except ValueError:
                continue
            return data if isinstance(data, dict) else None
    return None


def parse_gemini(code: int, out: str, err: str) -> dict[str, Any]:
    """gemini -p --output-format stream-json: JSON lines (init, message, tool_use, tool_result,
    result). The answer is the assistant's text; `result.status: error` or an error object on
    stderr (exit code = HTTP status mod 256 for API errors) is agent_error; a tool_result denied
    by policy is permission_denied."""
    events = [e for e in json_lines(out) if isinstance(e.get("type"), str)]
    result = next((e for e in reversed(events) if e["type"] == "result"), None)
    fatal = trailing_json(err) if result is None else None
    if result is None and (code != 0 or fatal):
        error = obj((fatal or {}).get("error"))
        why = error.get("message") or GEMINI_EXIT.get(code, f"exit code {code}")
        raise failed(
            "gemini",
            "agent_error" if error else "agent_exit",
            f"gemini reported an error: {str(why)[:500]}",
            code,
            err,
            error=error or None,
        )
    if not events:
        raise IpcError(
            "INVALID_RESPONSE",
            "gemini printed no JSON events",
            {"agent": "gemini", "exit_code": code, "stdout": tail(out), "stderr": tail(err)},
        )
    if result is None or result.get("status") != "success" or code != 0:
        error = obj((result or {}).get("error"))
        why = error.get("message") or GEMINI_EXIT.get(code, f"exit code {code}")
        raise failed(
            "gemini", "agent_error", f"gemini reported an error: {str(why)[:500]}", code, err, error=error or None
        )
    text, denied, session_id = "", [], None
    for event in events:
        kind = event["type"]
        if kind == "init":
            session_id = event.get("session_id")
        elif kind == "message" and event.get("role") == "assistant" and isinstance(event.get("content"), str):
            text = text + event["content"] if event.get("delta") else event["content"]
        elif kind == "tool_result" and event.get("status") == "error":
            error = obj(event.get("error"))
            message = str(error.get("message") or event.get("output") or "")
            if (
                error.get("type") == "policy_violation"
                or "denied by policy" in message
                or "requires user confirmation" in message
            ):
                denied.append({"tool_id": event.get("tool_id"), "message": message[:300]})
    if denied:
        raise failed(
            "gemini",
            "permission_denied",
            "gemini was denied a tool it needed",
            code,
            err,
            denied=denied,
            answer=text[:500],
        )
    return answer("gemini", text, code, err, session_id=session_id)


ADAPTER = Adapter(
    name="gemini",
    binary="gemini",
    rules="AGENTS.md (context.fileName in .gemini/settings.json)",
    skills=".agents/skills",
    syntax='Activate the "{skill}" skill (activate_skill) for:',
    permissions="a --policy file: activate_skill; Bash -> run_shell_command (Bash(p:*) -> only commands "
    "starting with p); Write/Edit -> write_file, replace; any other shell command denied",
    setup="set GEMINI_API_KEY (or log in once with gemini); the folder is trusted per run "
    "(GEMINI_CLI_TRUST_WORKSPACE); model flash unless GEMINI_MODEL or model.name is set",
    argv=gemini_argv,
    parse=parse_gemini,
    env=gemini_env,
)
