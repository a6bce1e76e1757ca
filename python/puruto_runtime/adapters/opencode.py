"""The opencode adapter: OpenCode (`opencode run`), run under the opencode guard."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from typing import Any

from ..errors import IpcError
from ..invocation import tail
from ..process import KILL_GRACE_SEC
from ..skills import MESSAGE_ACTION, agent_message, tool_base
from .base import GUARD_ENTRY, Adapter, Call, answer, failed, json_lines, obj, user_args

OPENCODE_MAX_ATTEMPTS = 3  # model requests of one turn before an API error is final (OpenCode itself makes 6)
OPENCODE_DENIED = re.compile(r"rejected permission|prevents you from using")  # its ask / deny rule texts


def opencode_bash(tools: tuple[str, ...]) -> str | dict[str, str]:
    """Claude's Bash entries as OpenCode bash rules: `Bash` -> allow, `Bash(python3:*)` ->
    {"python3 *": allow}; anything else is asked for, which a headless run rejects."""
    patterns: dict[str, str] = {}
    for tool in tools:
        if tool.strip() == "Bash":
            return "allow"
        m = re.fullmatch(r"\s*Bash\((.+)\)\s*", tool)
        if m:
            rule = m.group(1).strip()
            if rule.endswith(":*"):
                patterns[rule[:-2]] = "allow"
                rule = rule[:-2] + " *"
            patterns[rule] = "allow"
    return {"*": "ask", **patterns} if patterns else "ask"


def opencode_permission(call: Call) -> dict[str, Any]:
    """OPENCODE_PERMISSION from the skill's allowed-tools. `ask` is not a prompt here:
    `opencode run` rejects every ask, so the call ends with a denied tool (never a bypass)."""
    bases = {tool_base(t) for t in call.tools}

    def grant(*names: str) -> str:
        return "allow" if bases & set(names) else "ask"

    return {
        "bash": opencode_bash(call.tools),
        "edit": "allow" if call.write else "ask",
        "webfetch": grant("WebFetch"),
        "websearch": grant("WebSearch"),
        "task": grant("Task", "Agent"),
    }


def opencode_argv(call: Call) -> list[str]:
    """`opencode run --format json`: the skill's SKILL.md attached (--file) and named for its
    skill tool. Not `--command <skill>`: OpenCode's own commands (init, review, loop) win over
    a skill of the same name. The message goes after `--` word by word: opencode joins them
    with spaces (and quotes any word holding a space), so the text arrives as it is.
    It runs under `invoker.py --opencode-guard`, which caps OpenCode's retries."""
    binary = shutil.which("opencode")
    if not binary:
        raise IpcError(
            "IPC_ERROR",
            "cannot start the agent 'opencode': it is not on PATH (npm i -g opencode-ai)",
            {"reason": "agent_not_started", "argv0": "opencode"},
        )
    request, target = call.request, call.target_dir
    argv = [
        binary,
        "run",
        "--format",
        "json",
        "--print-logs",
        "--log-level",
        "ERROR",
        "--dir",
        str(target),
        "--title",
        f"puruto {request['caller']} -> {request['target']} {request['action']}",
    ]
    if request["action"] != MESSAGE_ACTION:
        argv += ["--file", str(target / ".claude" / "skills" / request["action"] / "SKILL.md")]
    message = agent_message(request, 'Use the skill "{skill}" (its SKILL.md is attached; the skill tool loads it):')
    return [
        sys.executable,
        str(GUARD_ENTRY),
        "--opencode-guard",
        str(OPENCODE_MAX_ATTEMPTS),
        "--",
        *argv,
        *user_args(call),
        "--",
        *message.split(" "),
    ]


def opencode_env(call: Call) -> dict[str, str]:
    return {"OPENCODE_PERMISSION": json.dumps(opencode_permission(call))}


def opencode_guard(argv: list[str]) -> int:
    """`invoker.py --opencode-guard N -- opencode ...`: runs OpenCode (same process group),
    passes its output through, and stops it once its main turn hit N stream errors (OpenCode
    retries 5 times with backoff, ~75 s, and has no setting for it); then prints the last
    error as an OpenCode `error` event and exits 1."""
    cap, cmd = int(argv[0]), argv[2:]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, errors="replace")
    errors: list[str] = []
    for line in proc.stderr or ():
        sys.stderr.write(line)
        if 'message="stream error"' in line and "small=true" not in line:
            m = re.search(r'error\.error="((?:[^"\\]|\\.)*)"', line)
            errors.append(m.group(1) if m else line.strip())
            if len(errors) >= cap:
                proc.terminate()
                try:
                    proc.wait(timeout=KILL_GRACE_SEC)
                except subprocess.TimeoutExpired:
                    proc.kill()
                message = re.sub(r"^\w+Error: ", "", errors[-1])
                print(
                    json.dumps(
                        {
                            "type": "error",
                            "error": {
                                "name": "APIError",
                                "data": {
                                    "message": message,
                                    "attempts": len(errors),
                                    "note": f"stopped by invoker.py after {len(errors)} failed model requests",
                                },
                            },
                        }
                    ),
                    flush=True,
                )
                return 1
    return proc.wait()


def parse_opencode(code: int, out: str, err: str) -> dict[str, Any]:
    """opencode run --format json: JSON lines `step_start`, `text` (part.text), `tool_use`
    (part.state.status completed|error), `step_finish`, `error` (error.data.message); exit 1 on error."""
    events = [e for e in json_lines(out) if isinstance(e.get("type"), str)]
    if not events:
        if code != 0:
            raise failed("opencode", "agent_exit", f"opencode exited with code {code} without JSON events", code, err)
        raise IpcError(
            "INVALID_RESPONSE",
            "opencode printed no JSON events",
            {"agent": "opencode", "exit_code": code, "stdout": tail(out), "stderr": tail(err)},
        )
    texts: list[str] = []
    errors, denied, session = [], [], None
    for event in events:
        part = obj(event.get("part"))
        session = event.get("sessionID") or session
        if event["type"] == "step_start":
            texts = []  # the answer is the text of the last step
        elif event["type"] == "text" and isinstance(part.get("text"), str):
            texts.append(part["text"])
        elif (
            event["type"] == "tool_use"
            and isinstance(part.get("state"), dict)
            and part["state"].get("status") == "error"
        ):
            if OPENCODE_DENIED.search(str(part["state"].get("error") or "")):
                denied.append({"tool": part.get("tool"), "input": part["state"].get("input")})
        elif event["type"] == "error":
            error = obj(event.get("error"))
            data = obj(error.get("data"))
            errors.append(str(data.get("message") or error.get("name") or "error"))
    if errors or code != 0:
        raise failed(
            "opencode",
            "agent_error",
            f"opencode reported an error: {'; '.join(errors) or f'exit code {code}'}",
            code,
            err,
            errors=errors,
        )
    if denied:
        raise failed(
            "opencode",
            "permission_denied",
            "opencode was denied a tool it needed",
            code,
            err,
            denied=denied,
            answer="\n".join(texts)[:500],
        )
    return answer("opencode", "\n".join(texts), code, err, session_id=session)


ADAPTER = Adapter(
    name="opencode",
    binary="opencode",
    rules="AGENTS.md",
    skills=".agents/skills (or .claude/skills)",
    syntax="its SKILL.md attached (--file) and named for the skill tool",
    permissions='OPENCODE_PERMISSION: bash allow with Bash (Bash(x:*) -> "x *"), edit allow with Write/Edit, '
    "else ask (rejected headless)",
    setup="log in once (opencode auth login) or configure a provider and model (opencode.json or "
    "OPENCODE_CONFIG_CONTENT)",
    argv=opencode_argv,
    parse=parse_opencode,
    env=opencode_env,
)
