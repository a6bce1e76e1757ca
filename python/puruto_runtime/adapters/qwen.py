"""The qwen adapter: Qwen Code (`qwen PROMPT`), run under the qwen guard."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from ..errors import IpcError
from ..invocation import tail
from ..process import KILL_GRACE_SEC, group_gone
from ..skills import agent_message, tool_base
from . import syntax_of
from .base import GUARD_ENTRY, Adapter, Call, answer, failed, json_lines, obj, user_args

QWEN_MAX_ATTEMPTS = 2  # failed model requests of a turn before an API error is final (Qwen Code makes 7, ~75 s)
QWEN_RETRY = re.compile(r"^\S+ \[ERROR\] \[RETRY\](?: \[trace_id=[^\]]*\])? Attempt \d+ failed", re.M)  # its debug log
QWEN_SHELL = "run_shell_command"
QWEN_TOOLS = {
    "Write": ["write_file", "edit"],
    "Edit": ["edit", "write_file"],
    "MultiEdit": ["edit", "write_file"],
    "NotebookEdit": ["notebook_edit"],
    "WebFetch": ["web_fetch"],
    "WebSearch": ["web_search"],
}


def qwen_tools(call: Call) -> tuple[list[str], list[str]]:
    """Qwen Code's --allowed-tools and --exclude-tools from the skill's allowed-tools. Headless
    Qwen offers a shell, write or edit tool only when it is allowed by name, and then asks for
    (which a headless run declines) any command its rules do not allow: `Bash` ->
    run_shell_command, `Bash(python3:*)` -> run_shell_command(python3:*) (only commands
    starting with python3); Write/Edit -> write_file, edit, else both denied (deny rules win
    over allow rules of the user's settings). Without Bash the shell stays offered and every
    command is denied, so an attempt is reported as a denial."""
    allow: list[str] = []
    for tool in call.tools:
        base = tool_base(tool)
        if base == "Bash":
            m = re.fullmatch(r"\s*Bash\((.+)\)\s*", tool)
            allow.append(f"{QWEN_SHELL}({m.group(1).strip()})" if m else QWEN_SHELL)
        allow += QWEN_TOOLS.get(base, [])
    deny = [] if call.write else ["edit", "write_file"]
    if not call.shell:
        # A rule that names the shell keeps it listed; the deny rule (deny wins) refuses every command.
        allow.append(f"{QWEN_SHELL}(denied-by-the-skill)")
        deny.append(f"{QWEN_SHELL}(*)")
    return list(dict.fromkeys(allow)), deny


def qwen_argv(call: Call) -> list[str]:
    """`qwen PROMPT --output-format stream-json`: the skill as `/name` (a project skill replaces
    Qwen's built-in command of that name, e.g. /init); --approval-mode default (never auto or
    yolo, whatever the settings say); the tools of qwen_tools. It runs under
    `invoker.py --qwen-guard`, which caps Qwen Code's retries."""
    binary = shutil.which("qwen")
    if not binary:
        raise IpcError(
            "IPC_ERROR",
            "cannot start the agent 'qwen': it is not on PATH (npm i -g @qwen-code/qwen-code)",
            {"reason": "agent_not_started", "argv0": "qwen"},
        )
    message = agent_message(call.request, syntax_of("qwen"))
    allow, deny = qwen_tools(call)
    # The prompt is the first word (yargs reads a word starting with "-" as an option).
    argv = [
        binary,
        " " + message if message.startswith("-") else message,
        "--output-format",
        "stream-json",
        "--approval-mode",
        "default",
        "--session-id",
        str(uuid.uuid4()),
        *[f"--allowed-tools={t}" for t in allow],
        *[f"--exclude-tools={t}" for t in deny],
    ]
    return [sys.executable, str(GUARD_ENTRY), "--qwen-guard", str(QWEN_MAX_ATTEMPTS), "--", *argv, *user_args(call)]


def qwen_debug_logs(session_id: str) -> list[Path]:
    """Where Qwen Code writes the debug log of a session: <runtime dir>/debug/<id>.txt, the
    runtime dir being QWEN_RUNTIME_DIR, else QWEN_HOME, else ~/.qwen (a runtimeOutputDir set
    in its settings is not followed: the guard then never fires and Qwen's own retries run)."""
    roots = [os.environ.get("QWEN_RUNTIME_DIR"), os.environ.get("QWEN_HOME"), str(Path.home() / ".qwen")]
    return list(dict.fromkeys(Path(r).expanduser().resolve() / "debug" / f"{session_id}.txt" for r in roots if r))


def qwen_guard(argv: list[str]) -> int:
    """`invoker.py --qwen-guard N -- qwen ... --session-id ID ...`: runs Qwen Code with its
    debug log on (QWEN_DEBUG_LOG_FILE=1) and stops it once the log shows N failed model
    requests (it retries an API error 7 times with backoff, ~75 s, and has no setting for
    it); then prints the last error as a Qwen `result` event and exits 1. The debug log and
    the skill-arguments folder of the session (.qwen/tmp/s-<id>) are removed afterwards."""
    cap, cmd = int(argv[0]), argv[2:]
    session = cmd[cmd.index("--session-id") + 1]
    own_log = os.environ.get("QWEN_DEBUG_LOG_FILE", "").strip().lower() in ("", "0", "false", "off", "no")
    logs, offsets, text = qwen_debug_logs(session), dict[Path, int](), ""
    proc = subprocess.Popen(
        cmd, stdin=subprocess.DEVNULL, env={**os.environ, "QWEN_DEBUG_LOG_FILE": "1"}, start_new_session=True
    )
    try:
        while True:
            try:
                return proc.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass
            for log in logs:  # what the log gained since the last look
                try:
                    with open(log, "rb") as fh:
                        fh.seek(offsets.get(log, 0))
                        chunk = fh.read()
                except OSError:
                    continue
                offsets[log] = offsets.get(log, 0) + len(chunk)
                text += chunk.decode("utf-8", errors="replace")
            failures = [m.start() for m in QWEN_RETRY.finditer(text)]
            if len(failures) >= cap:
                for sig in (signal.SIGTERM, signal.SIGKILL):
                    try:
                        os.killpg(proc.pid, sig)
                        proc.wait(timeout=KILL_GRACE_SEC)
                        break
                    except (ProcessLookupError, PermissionError):
                        break
                    except subprocess.TimeoutExpired:
                        continue
                start = failures[-1]
                last = text[start:]
                m = re.search(r"^\}? ?Error: (.+)$", last, re.M)
                why = m.group(1).strip() if m else last.splitlines()[0]
                print(
                    json.dumps(
                        {
                            "type": "result",
                            "subtype": "error_during_execution",
                            "is_error": True,
                            "session_id": session,
                            "permission_denials": [],
                            "error": {
                                "message": f"[API Error: {why}]",
                                "attempts": len(failures),
                                "note": f"stopped by invoker.py after {len(failures)} failed model requests",
                            },
                        }
                    ),
                    flush=True,
                )
                return 1
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL if proc.poll() is None else 0)
        except (ProcessLookupError, PermissionError):
            pass
        group_gone(proc.pid)  # Qwen relaunches itself: its child may still be writing the log
        for log in logs if own_log else []:
            try:
                log.unlink()
                latest = log.parent / "latest"
                if latest.is_symlink() and os.readlink(latest) == log.name:
                    latest.unlink()
            except OSError:
                pass
        shutil.rmtree(Path.cwd() / ".qwen" / "tmp" / f"s-{session}", ignore_errors=True)


def parse_qwen(code: int, out: str, err: str) -> dict[str, Any]:
    """qwen --output-format stream-json: JSON lines (system init, assistant, user, result). The
    `result` event has result, is_error, subtype, error.message, permission_denials (a tool
    the rules refused or that would need confirmation; exit 0). Exit 1 on an error."""
    events = [e for e in json_lines(out) if isinstance(e.get("type"), str)]
    result = next((e for e in reversed(events) if e["type"] == "result"), None)
    if result is None:
        if code != 0:
            raise failed("qwen", "agent_exit", f"qwen exited with code {code} without a result event", code, err)
        raise IpcError(
            "INVALID_RESPONSE",
            "qwen printed no result event",
            {"agent": "qwen", "exit_code": code, "stdout": tail(out), "stderr": tail(err)},
        )
    subtype = result.get("subtype")
    if result.get("is_error") or subtype != "success" or code != 0:
        error = obj(result.get("error"))
        why = error.get("message") or result.get("result") or f"exit code {code}"
        raise failed(
            "qwen",
            "agent_error",
            f"qwen reported an error ({subtype}): {str(why)[:500]}",
            code,
            err,
            subtype=subtype,
            error=error or None,
        )
    if result.get("permission_denials"):
        raise failed(
            "qwen",
            "permission_denied",
            "qwen was denied a tool it needed",
            code,
            err,
            permission_denials=result["permission_denials"],
            answer=str(result.get("result") or "")[:500],
        )
    return answer("qwen", result.get("result"), code, err, session_id=result.get("session_id"))


ADAPTER = Adapter(
    name="qwen",
    binary="qwen",
    rules="AGENTS.md (and QWEN.md)",
    skills=".agents/skills (or .qwen/skills)",
    syntax="/{skill}",
    permissions="--allowed-tools: Bash -> run_shell_command (Bash(p:*) -> only commands starting with p), "
    "Write/Edit -> write_file, edit (else denied); without Bash every shell command is denied; "
    "--approval-mode default",
    setup="choose an auth type once (security.auth.selectedType in ~/.qwen/settings.json) and set its "
    "provider's key and model (e.g. OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL)",
    argv=qwen_argv,
    parse=parse_qwen,
)
