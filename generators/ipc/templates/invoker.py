#!/usr/bin/env python3
"""Invoker of a Puruto: runs another Puruto's agent headless and maps its answer.

Usage: python3 invoker.py --target T --action A --prompt P [--caller C] [--timeout S]
Prints an InvocationResult as JSON; exit 0 when its status is ok, 1 when it is an error.
It applies no allowlist: `ipc.py` is the entry point that checks .puruto-ipc.json first.

Settings (process environment first, then this repo's .env):
  PURUTO_AGENT          claude | codex | gemini | command | stub
                        (default: the first of claude, codex, gemini found on PATH)
  PURUTO_AGENT_COMMAND  template run by the `command` adapter, split like a shell line
                        (no shell runs it); placeholders: {message} {prompt} {action}
                        {target} {target_path} {caller} {request_id} {correlation_id} {hop}
  PURUTO_AGENT_ARGS     extra arguments appended for claude, codex and gemini
  PURUTO_DATA_PATH      the data vault whose registry.json locates targets (../puruto-data)
Chain variables, read from the process environment only and set for the agent it runs:
  PURUTO_IPC_CORRELATION_ID (shared along a chain), PURUTO_IPC_HOP (hop of the next
  call: this request's hop + 1), PURUTO_IPC_CALLER (the Puruto that called).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent
SETTINGS = ("PURUTO_AGENT", "PURUTO_AGENT_COMMAND", "PURUTO_AGENT_ARGS", "PURUTO_DATA_PATH")
CORRELATION_VAR, HOP_VAR, CALLER_VAR = "PURUTO_IPC_CORRELATION_ID", "PURUTO_IPC_HOP", "PURUTO_IPC_CALLER"
REPO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # a folder name: no "/", never "." or ".."
MESSAGE_ACTION = "message"  # reserved: free text, no skill named; the agent picks one by AGENTS.md
SKILL_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # the Agent Skills name rule
KILL_GRACE_SEC = 2  # between SIGTERM and SIGKILL of a timed-out agent's process group
TAIL = 2000  # characters of an agent's output kept in error details


class IpcError(Exception):
    """A failure with its InvocationResult error code (SPEC §6)."""

    def __init__(self, code: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.code, self.message, self.details = code, message, details or {}


# --- requests and results -------------------------------------------------------------

def env_hop() -> int:
    """The hop of a call made from here: PURUTO_IPC_HOP set by a parent call, else 0."""
    raw = os.environ.get(HOP_VAR, "").strip()
    if not raw:
        return 0
    try:
        return max(int(raw), 0)
    except ValueError:
        raise IpcError("IPC_ERROR", f"{HOP_VAR}={raw!r} is not a whole number") from None


def build_request(caller: str, target: str, action: str, prompt: str, timeout_sec: float,
                  hop: int | None = None) -> dict:
    """An InvocationRequest. Inside a chain the correlation id and hop come from the parent."""
    return {
        "request_id": f"req-{uuid.uuid4().hex}",
        "correlation_id": os.environ.get(CORRELATION_VAR, "").strip() or f"corr-{uuid.uuid4().hex}",
        "caller": caller, "target": target, "action": action, "prompt": prompt,
        "timeout_sec": timeout_sec, "hop": env_hop() if hop is None else hop,
    }


def error_result(request: dict, code: str, message: str, duration_ms: int = 0, details: dict | None = None) -> dict:
    return {"request_id": request["request_id"], "correlation_id": request["correlation_id"], "status": "error",
            "duration_ms": duration_ms, "error": {"code": code, "message": message, "details": details or {}}}


def ok_result(request: dict, result: dict, duration_ms: int) -> dict:
    return {"request_id": request["request_id"], "correlation_id": request["correlation_id"], "status": "ok",
            "duration_ms": duration_ms, "result": result}


# --- settings and target resolution ---------------------------------------------------

def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file (comments skipped); missing or unreadable -> {}."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    out = {}
    for line in lines:
        m = re.match(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$", line)
        if m:  # a commented line never matches: it starts with "#"
            value = m.group(2)
            quoted = len(value) >= 2 and value[0] == value[-1] and value[0] in "'\""
            out[m.group(1)] = value[1:-1] if quoted else value.split(" #", 1)[0].strip()
    return out


def load_settings(root: Path = ROOT) -> dict[str, str]:
    """The invoker's settings: the process environment wins over this repo's .env."""
    dotenv = read_dotenv(root / ".env")
    return {k: os.environ.get(k) or dotenv.get(k, "") for k in SETTINGS}


def resolve_target(target: str, root: Path, settings: dict[str, str]) -> Path:
    """The target's folder: its registry.json entry with a `path`, else ../<target>."""
    if not REPO_NAME.fullmatch(target):
        raise IpcError("DENIED", f"target {target!r} is refused: a target is a plain repo name "
                                 "(letters, digits, '.', '_', '-'; no '/' and no leading dot)")
    vault = (root / Path(settings.get("PURUTO_DATA_PATH") or "../puruto-data").expanduser()).resolve()
    registry, tried, notes = vault / "registry.json", [], []
    if registry.is_file():
        try:
            data = json.loads(registry.read_text(encoding="utf-8"))
            # The vault's root is `purutos`; `repos` is accepted for compatibility, as the gateway does.
            entries = data.get("purutos") if isinstance(data.get("purutos"), list) else data.get("repos")
        except (OSError, ValueError, AttributeError) as exc:
            entries = None
            notes.append(f"{registry} is unreadable ({exc}); it was skipped")
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict) or (entry.get("name") or entry.get("id")) != target:
                continue
            if isinstance(entry.get("path"), str) and entry["path"]:
                candidate = (vault / Path(entry["path"]).expanduser()).resolve()  # relative to the vault
                if candidate.is_dir():
                    return candidate
                tried.append(str(candidate))
    sibling = root.parent / target
    if sibling.is_dir():
        return sibling.resolve()
    tried.append(str(sibling))
    raise IpcError("TARGET_NOT_FOUND", f"no Puruto named {target!r}: register it in {registry} with a path, "
                                       f"or put it beside this repo ({sibling})", {"tried": tried, **({"notes": notes} if notes else {})})


# --- skills and permissions -----------------------------------------------------------

def target_skills(target_dir: Path) -> list[str]:
    """The skills of a target: folders of .claude/skills holding a SKILL.md, sorted."""
    skills = target_dir / ".claude" / "skills"
    try:
        return sorted(d.name for d in skills.iterdir() if (d / "SKILL.md").is_file())
    except OSError:
        return []


def check_skill(request: dict, target_dir: Path) -> None:
    """Before any agent starts: the action is `message` or a skill of the target."""
    action = request["action"]
    if action == MESSAGE_ACTION:
        return
    skills = target_skills(target_dir)
    if SKILL_NAME.fullmatch(action) and action in skills:
        return
    raise IpcError("TARGET_NOT_FOUND", f"{request['target']} has no skill {action!r} "
                   f"(.claude/skills/{action}/SKILL.md); its skills: {', '.join(skills) or 'none'}; "
                   f"for free text use the action {MESSAGE_ACTION!r}",
                   {"reason": "skill_not_found", "action": action, "skills": skills})


def allowed_tools(skill_md: Path) -> list[str]:
    """The `allowed-tools` of a SKILL.md frontmatter: a YAML list (block or [a, b]) or a
    space/comma separated string, e.g. ["Read", "Bash(python3:*)"]. Unreadable -> []."""
    try:
        text = skill_md.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return []
    tools: list[str] = []
    in_list = False
    for line in lines[1:]:
        if line.strip() == "---":
            break
        m = re.match(r"allowed-tools\s*:\s*(.*?)\s*$", line)
        if m:
            value = m.group(1).strip("[]")
            tools += [t.strip().strip("'\"") for t in re.split(r"[,\s]+(?![^(]*\))", value) if t.strip()]
            in_list = not value
        elif in_list and re.match(r"\s+-\s+", line):
            tools.append(re.sub(r"^\s+-\s+", "", line).strip().strip("'\""))
        elif in_list and line.strip() and not line.startswith((" ", "\t")):
            in_list = False
    return [t for t in tools if t]


def granted_tools(request: dict, target_dir: Path) -> tuple[str, ...]:
    """What the headless agent may use: the skill's `allowed-tools`; for `message`, those of
    every skill of the target (the agent picks one of them by the target's rules)."""
    skills = target_skills(target_dir) if request["action"] == MESSAGE_ACTION else [request["action"]]
    granted: dict[str, None] = {}
    for skill in skills:
        for tool in allowed_tools(target_dir / ".claude" / "skills" / skill / "SKILL.md"):
            granted[tool] = None
    return tuple(granted)


def tool_base(tool: str) -> str:
    """`Bash(python3:*)` -> `Bash`."""
    return tool.split("(", 1)[0].strip()


WRITE_TOOLS = {"Write", "Edit", "MultiEdit", "NotebookEdit"}


@dataclass(frozen=True)
class Call:
    """One invocation as an adapter sees it."""
    request: dict
    target_dir: Path
    tools: tuple[str, ...]  # the granted allowed-tools, as the skills write them
    settings: dict

    @property
    def shell(self) -> bool:
        return any(tool_base(t) == "Bash" for t in self.tools)

    @property
    def write(self) -> bool:
        return any(tool_base(t) in WRITE_TOOLS for t in self.tools)


def agent_message(request: dict, syntax: str = "/{skill}") -> str:
    """What the target's agent is asked. A skill: its invocation in the agent's own syntax
    (e.g. `/status`, `$status`), the prompt, and where the skill is. `message`: the user's
    text as it is (no slash command), with how to handle it."""
    origin = f"This request comes from the Puruto {request['caller']} through IPC."
    if request["action"] == MESSAGE_ACTION:
        return (f"{request['prompt']}\n\n{origin} Follow the rules of this repository (AGENTS.md) and use "
                "the skill of .claude/skills that fits the message, then answer with a short summary of the result.")
    skill = request["action"]
    return (f"{syntax.format(skill=skill)} {request['prompt']}\n\n{origin} Follow the `{skill}` skill of this "
            f"repository (.claude/skills/{skill}/SKILL.md) with the text above, then answer with a short "
            "summary of the result.")


# --- running an agent -----------------------------------------------------------------

def run_agent(argv: list[str], cwd: Path, request: dict, cancel=None, extra_env: dict | None = None,
              give_up: Callable[[str], bool] | None = None) -> tuple[int, str, str]:
    """Runs argv in its own session, in `cwd` (PWD too); on timeout kills its whole process
    group -> TIMEOUT with the tail of its stderr. `cancel` (a threading.Event, optional):
    once set, the group is killed -> IPC_ERROR cancelled. `give_up` (optional): sees each
    stdout line as it comes; the first one it is true for ends the agent (its group is killed)
    and what was printed so far is returned: how an adapter caps retries no flag can cap."""
    env = dict(os.environ)
    env.update(extra_env or {})
    env.update({CORRELATION_VAR: request["correlation_id"], HOP_VAR: str(request["hop"] + 1),
                CALLER_VAR: request["caller"], "PWD": str(cwd)})
    try:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, errors="replace", start_new_session=True)
    except OSError as exc:
        raise IpcError("IPC_ERROR", f"cannot start the agent {argv[0]!r}: {exc}",
                       {"reason": "agent_not_started", "argv0": argv[0]}) from None
    deadline = time.monotonic() + request["timeout_sec"]
    if give_up is not None:
        return watch_agent(proc, request, cancel, deadline, give_up)
    while True:
        step = deadline - time.monotonic()
        if cancel is not None:
            step = min(step, 0.1)
        try:
            out, err = proc.communicate(timeout=max(step, 0))
            return proc.returncode, out, err
        except subprocess.TimeoutExpired:
            if cancel is not None and cancel.is_set():
                kill_group(proc)
                raise IpcError("IPC_ERROR", f"the call to {request['target']} was cancelled; its agent and every "
                                            "process it started were killed", {"reason": "cancelled"}) from None
            if time.monotonic() >= deadline:
                break
    _, err = kill_group(proc)
    raise IpcError("TIMEOUT", f"{request['target']} did not answer within {request['timeout_sec']} s; "
                              "its agent and every process it started were killed",
                   {"timeout_sec": request["timeout_sec"], "stderr": tail(err)})


def watch_agent(proc: subprocess.Popen, request: dict, cancel, deadline: float,
                give_up: Callable[[str], bool]) -> tuple[int, str, str]:
    """run_agent reading the agent's output line by line (two reader threads) so that
    `give_up` can stop it early; timeout and cancel as in run_agent."""
    out: list[str] = []
    err: list[str] = []
    stop = threading.Event()

    def pump(stream, sink: list[str], watch: bool) -> None:
        for line in stream:
            sink.append(line)
            if watch and not stop.is_set() and give_up(line):
                stop.set()
    readers = [threading.Thread(target=pump, args=(proc.stdout, out, True), daemon=True),
               threading.Thread(target=pump, args=(proc.stderr, err, False), daemon=True)]
    for reader in readers:
        reader.start()
    why = ""
    while proc.poll() is None and not why:
        if stop.wait(0.05):
            why = "gave_up"
        elif cancel is not None and cancel.is_set():
            why = "cancelled"
        elif time.monotonic() >= deadline:
            why = "timeout"
    if why:
        for sig in (signal.SIGTERM, signal.SIGKILL):  # the whole group, as kill_group does
            signal_group(proc, sig)
            try:
                proc.wait(timeout=KILL_GRACE_SEC)
            except subprocess.TimeoutExpired:
                continue
    for reader in readers:
        reader.join(KILL_GRACE_SEC)  # a process outside the group may hold the pipes
    if why == "cancelled":
        raise IpcError("IPC_ERROR", f"the call to {request['target']} was cancelled; its agent and every "
                                    "process it started were killed", {"reason": "cancelled"})
    if why == "timeout":
        raise IpcError("TIMEOUT", f"{request['target']} did not answer within {request['timeout_sec']} s; "
                                  "its agent and every process it started were killed",
                       {"timeout_sec": request["timeout_sec"], "stderr": tail("".join(err))})
    return proc.returncode, "".join(out), "".join(err)


def kill_group(proc: subprocess.Popen) -> tuple[str, str]:
    """SIGTERM the agent's process group, give it a moment, then SIGKILL what is left.
    Returns what the agent printed (stdout, stderr), for the error details."""
    out, err = "", ""
    signal_group(proc, signal.SIGTERM)  # start_new_session: the group id is the agent's pid
    try:
        out, err = proc.communicate(timeout=KILL_GRACE_SEC)
        done = True
    except subprocess.TimeoutExpired:
        done = False
    signal_group(proc, signal.SIGKILL)  # grandchildren too, even those that ignored SIGTERM
    if not done:
        try:
            out, err = proc.communicate(timeout=KILL_GRACE_SEC)
        except subprocess.TimeoutExpired:  # a process outside the group holds the pipes
            proc.wait()
    return out or "", err or ""


def signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass  # the group is already gone


def tail(text: str) -> str:
    return text[-TAIL:]


def failed(agent: str, reason: str, message: str, code: int, err: str, **extra) -> IpcError:
    """An agent that answered but failed: IPC_ERROR with details.reason saying why."""
    return IpcError("IPC_ERROR", message, {"agent": agent, "reason": reason, "exit_code": code, "stderr": tail(err), **extra})


def parse_json_object(agent: str, code: int, out: str, err: str) -> dict:
    """stdout as one JSON object: garbage is INVALID_RESPONSE (IPC_ERROR if the agent also failed)."""
    try:
        data = json.loads(out)
    except ValueError:
        data = None
    if isinstance(data, dict):
        return data
    if code != 0:
        raise failed(agent, "agent_exit", f"{agent} exited with code {code} without a JSON answer", code, err)
    raise IpcError("INVALID_RESPONSE", f"{agent} did not print a JSON object",
                   {"agent": agent, "exit_code": code, "stdout": tail(out), "stderr": tail(err)})


def json_lines(out: str) -> list[dict]:
    """The JSON objects of a JSON-lines output; other lines are skipped."""
    events = []
    for line in out.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict):
            events.append(event)
    return events


def answer(agent: str, text, code: int, err: str, **extra) -> dict:
    """The result of a successful call, or `empty_answer` when the text is blank."""
    if not isinstance(text, str) or not text.strip():
        raise failed(agent, "empty_answer", f"{agent} returned an empty answer", code, err)
    return {"summary": text.strip(), "agent": agent, **extra}


def no_env(call: Call) -> dict:
    return {}


def user_args(call: Call) -> list[str]:
    return shlex.split(call.settings.get("PURUTO_AGENT_ARGS") or "")


# --- adapter: claude (Claude Code) ------------------------------------------------------

def claude_argv(call: Call) -> list[str]:
    """`claude -p`: the skill as `/name`; the granted tools as --allowedTools (anything else is
    asked for, and a headless run denies what it would ask)."""
    argv = ["claude", "-p", agent_message(call.request, "/{skill}"), "--output-format", "json"]
    if call.tools:
        argv += ["--allowedTools", ",".join(call.tools)]
    return argv + user_args(call)


def claude_env(call: Call) -> dict:
    # Claude retries API errors for minutes by default: cap it so the error comes back in time.
    return {"CLAUDE_CODE_MAX_RETRIES": os.environ.get("CLAUDE_CODE_MAX_RETRIES", "2")}


def parse_claude(code: int, out: str, err: str) -> dict:
    """claude -p --output-format json: {result, is_error, subtype, permission_denials, api_error_status}."""
    data = parse_json_object("claude", code, out, err)
    subtype = data.get("subtype")
    if data.get("is_error") or (isinstance(subtype, str) and subtype != "success") or code != 0:
        raise failed("claude", "agent_error", f"claude reported an error ({subtype or 'is_error'}): "
                     f"{str(data.get('result') or '')[:500]}", code, err, subtype=subtype,
                     api_error_status=data.get("api_error_status"))
    if data.get("permission_denials"):  # a denied tool still exits 0
        raise failed("claude", "permission_denied", "claude was denied a tool it needed", code, err,
                     permission_denials=data["permission_denials"], answer=str(data.get("result") or "")[:500])
    if "result" not in data:
        raise IpcError("INVALID_RESPONSE", "claude's JSON has no `result`", {"agent": "claude", "stdout": tail(out)})
    return answer("claude", data["result"], code, err, session_id=data.get("session_id"),
                  total_cost_usd=data.get("total_cost_usd"))


# --- adapter: codex (OpenAI Codex CLI) ---------------------------------------------------

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
    return argv + user_args(call) + ["--", agent_message(call.request, "${skill}")]


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
    return bool(retry) and retry[0] > CODEX_RETRIES and not re.search(r"\bwss?://", retry[1])


def codex_api_message(message: str) -> str:
    """Codex passes a 400's body on as it came: `{"error": {"message": ...}}` -> that message."""
    try:
        body = json.loads(message)
    except ValueError:
        return message
    error = body.get("error") if isinstance(body, dict) else None
    text = error.get("message") if isinstance(error, dict) else None
    return f"API error: {text}" if isinstance(text, str) and text else message


def parse_codex(code: int, out: str, err: str) -> dict:
    """codex exec --json: JSONL events; the answer is the last agent_message. `turn.failed`, an
    `error` event without a completed turn, or a non-zero exit is agent_error (with the API's
    text when codex gives it); `item.completed` of type `error` is only a warning."""
    events = [e for e in json_lines(out) if isinstance(e.get("type"), str)]
    if not events:
        if code != 0:
            raise failed("codex", "agent_exit", f"codex exited with code {code} without JSON events: "
                         f"{err.strip().splitlines()[-1] if err.strip() else 'no output'}"[:500], code, err)
        raise IpcError("INVALID_RESPONSE", "codex printed no JSON events",
                       {"agent": "codex", "exit_code": code, "stdout": tail(out), "stderr": tail(err)})
    text, completed, errors, declined, thread_id, reconnect = None, False, [], [], None, ""
    for event in events:
        kind, item = event["type"], event.get("item") if isinstance(event.get("item"), dict) else {}
        if kind == "thread.started":
            thread_id = event.get("thread_id")
        elif kind == "turn.completed":
            completed = True
        elif kind in ("turn.failed", "error"):
            error = event.get("error") if isinstance(event.get("error"), dict) else {}
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
        raise failed("codex", "agent_error", f"codex reported an error: {why}"[:1000], code, err,
                     errors=errors, reconnect=reconnect or None)
    if declined:
        raise failed("codex", "permission_denied", "codex was denied a tool it needed", code, err, declined=declined)
    return answer("codex", text, code, err, thread_id=thread_id)


# --- adapter: gemini (Gemini CLI) --------------------------------------------------------

def gemini_argv(call: Call) -> list[str]:
    return ["gemini", "-p", agent_message(call.request, "/{skill}"), "--output-format", "json"] + user_args(call)


def parse_gemini(code: int, out: str, err: str) -> dict:
    """gemini -p --output-format json: {response, stats, error?}; exit 0/1/42/53."""
    data = parse_json_object("gemini", code, out, err)
    meaning = {1: "general error or API failure", 42: "input error", 53: "turn limit exceeded"}
    if data.get("error") or code != 0:
        error = data.get("error") if isinstance(data.get("error"), dict) else {}
        why = error.get("message") or meaning.get(code, f"exit code {code}")
        raise failed("gemini", "agent_error", f"gemini reported an error: {why}", code, err, error=data.get("error"))
    decisions = ((data.get("stats") or {}).get("tools") or {}).get("totalDecisions") or {}
    if isinstance(decisions, dict) and decisions.get("reject"):
        raise failed("gemini", "permission_denied", "gemini was denied a tool it needed", code, err, decisions=decisions)
    if "response" not in data:
        raise IpcError("INVALID_RESPONSE", "gemini's JSON has no `response`", {"agent": "gemini", "stdout": tail(out)})
    return answer("gemini", data["response"], code, err)


# --- adapter: command (a command line from the settings) -----------------------------------

def parse_command(code: int, out: str, err: str) -> dict:
    """The command prints one JSON object: it is the result, unless it has `error` or status "error"."""
    data = parse_json_object("command", code, out, err)
    if data.get("error") or data.get("status") == "error" or code != 0:
        raise failed("command", "agent_error" if code == 0 else "agent_exit",
                     f"the agent command reported an error: {str(data.get('error') or data)[:500]}", code, err, output=data)
    return data


def command_argv(call: Call) -> list[str]:
    """PURUTO_AGENT_COMMAND split like a shell line, then placeholders filled per word (no shell)."""
    template, request = call.settings.get("PURUTO_AGENT_COMMAND", ""), call.request
    if not template.strip():
        raise IpcError("IPC_ERROR", "PURUTO_AGENT=command needs PURUTO_AGENT_COMMAND, e.g. "
                                    "'my-agent --cwd {target_path} {message}'", {"reason": "not_configured"})
    values = {"message": agent_message(request), "target_path": str(call.target_dir), "tools": ",".join(call.tools),
              **{k: str(request[k]) for k in ("prompt", "action", "target", "caller", "request_id", "correlation_id", "hop")}}

    def fill(m: re.Match) -> str:
        if m.group(1) not in values:
            raise IpcError("IPC_ERROR", f"PURUTO_AGENT_COMMAND has an unknown placeholder {m.group(0)}; "
                                        f"known: {', '.join('{' + k + '}' for k in values)}", {"reason": "not_configured"})
        return values[m.group(1)]
    try:
        words = shlex.split(template)
    except ValueError as exc:
        raise IpcError("IPC_ERROR", f"PURUTO_AGENT_COMMAND cannot be parsed: {exc}", {"reason": "not_configured"}) from None
    return [re.sub(r"\{(\w+)\}", fill, w) for w in words]


# --- the adapter table --------------------------------------------------------------------

@dataclass(frozen=True)
class Adapter:
    """One way of running an agent. The string fields are also the documentation: the
    generator renders the adapter lists of .env.example and the READMEs from them."""
    name: str
    binary: str  # executable looked up on PATH; "" when nothing is looked up
    rules: str  # the rules file the agent reads in the target
    skills: str  # where it finds the target's skills
    syntax: str  # how the message names a skill
    permissions: str  # how a skill's allowed-tools become the agent's permissions
    setup: str  # what a user does once so it runs headless
    argv: Callable[[Call], list[str]]
    parse: Callable[[int, str, str], dict]
    env: Callable[[Call], dict] = no_env
    auto: bool = True  # part of auto-detection (in table order) when PURUTO_AGENT is unset
    give_up: Callable[[str], bool] | None = None  # a stdout line after which the agent is stopped


ADAPTERS = (
    Adapter(name="claude", binary="claude", rules="CLAUDE.md (imports AGENTS.md)", skills=".claude/skills",
            syntax="/{skill}", permissions="--allowedTools <the skill's allowed-tools>",
            setup="log in once (claude) or set ANTHROPIC_API_KEY",
            argv=claude_argv, parse=parse_claude, env=claude_env),
    Adapter(name="codex", binary="codex", rules="AGENTS.md", skills=".agents/skills (the link to .claude/skills)",
            syntax="${skill}", permissions="--sandbox workspace-write with Write/Edit (Bash: with network), "
                                            "else --sandbox read-only",
            setup="log in once (codex login) or set CODEX_API_KEY (codex exec ignores OPENAI_API_KEY); another "
                  "endpoint: openai_base_url or a [model_providers.<id>] table in ~/.codex/config.toml",
            argv=codex_argv, parse=parse_codex, give_up=codex_give_up),
    Adapter(name="gemini", binary="gemini", rules="AGENTS.md (.gemini/settings.json)", skills=".agents/skills",
            syntax="/{skill}", permissions="default approval mode",
            setup="log in once (gemini) or set GEMINI_API_KEY",
            argv=gemini_argv, parse=parse_gemini),
    Adapter(name="command", binary="", rules="-", skills="-", syntax="{message}",
            permissions="{tools} placeholder", setup="PURUTO_AGENT_COMMAND",
            argv=command_argv, parse=parse_command, auto=False),
    Adapter(name="stub", binary="", rules="-", skills="-", syntax="-", permissions="nothing runs",
            setup="-", argv=lambda call: [], parse=parse_command, auto=False),
)
BY_NAME = {a.name: a for a in ADAPTERS}


def pick_agent(settings: dict[str, str]) -> Adapter:
    """PURUTO_AGENT's adapter, else the first auto-detected CLI found on PATH."""
    agent = settings.get("PURUTO_AGENT", "").strip().lower()
    auto = [a for a in ADAPTERS if a.auto]
    if agent:
        if agent not in BY_NAME:
            raise IpcError("IPC_ERROR", f"PURUTO_AGENT={agent!r} is unknown: use {', '.join(BY_NAME)}",
                           {"reason": "not_configured"})
        return BY_NAME[agent]
    for adapter in auto:
        if shutil.which(adapter.binary):
            return adapter
    raise IpcError("IPC_ERROR", f"no agent CLI found on PATH ({', '.join(a.binary for a in auto)}): install one, set "
                                "PURUTO_AGENT=command with PURUTO_AGENT_COMMAND, or PURUTO_AGENT=stub for a dry run",
                   {"reason": "not_configured"})


def stub_summary(request: dict) -> str:
    if request["action"] == MESSAGE_ACTION:
        return f"{request['target']} would answer the message"
    return f"{request['target']} would run /{request['action']}"


def invoke(request: dict, root: Path = ROOT, cancel=None) -> dict:
    """Resolves the target, checks the skill, runs its agent through the chosen adapter, returns
    an InvocationResult. `cancel`: an optional threading.Event that stops a running call."""
    start = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - start) * 1000)
    try:
        settings = load_settings(root)
        target_dir = resolve_target(request["target"], root, settings)
        check_skill(request, target_dir)
        adapter = pick_agent(settings)
        if adapter.name == "stub":  # deterministic echo: nothing runs
            return ok_result(request, {"stub": True, "summary": stub_summary(request),
                                       "target_path": str(target_dir), "message": agent_message(request),
                                       "echo": {k: request[k] for k in ("target", "action", "prompt")}}, elapsed())
        call = Call(request, target_dir, granted_tools(request, target_dir), settings)
        code, out, err = run_agent(adapter.argv(call), target_dir, request, cancel, adapter.env(call), adapter.give_up)
        return ok_result(request, adapter.parse(code, out, err), elapsed())
    except IpcError as exc:
        return error_result(request, exc.code, exc.message, elapsed(), exc.details)
    except Exception as exc:  # never a traceback: a structured IPC_ERROR
        return error_result(request, "IPC_ERROR", f"unexpected failure: {exc}", elapsed(), {"type": type(exc).__name__})


def adapter_facts() -> list[dict]:
    """The table as data (`invoker.py --adapters`): what the docs of every repo are made from."""
    return [{k: getattr(a, k) for k in ("name", "binary", "rules", "skills", "syntax", "permissions", "setup", "auto")}
            for a in ADAPTERS]


def positive(text: str) -> float:
    value = float(text)
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return int(value) if value.is_integer() else value


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--adapters"]:  # the adapter table as JSON, for the generator's docs and tests
        print(json.dumps(adapter_facts(), indent=2))
        return 0
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", required=True)
    p.add_argument("--action", required=True)
    p.add_argument("--prompt", required=True)
    p.add_argument("--caller", default=ROOT.name)
    p.add_argument("--timeout", type=positive, default=120)
    args = p.parse_args(argv)
    request = build_request(args.caller, args.target, args.action, args.prompt, args.timeout, hop=0)
    try:
        request["hop"] = env_hop()
        response = invoke(request)
    except IpcError as exc:
        response = error_result(request, exc.code, exc.message, 0, exc.details)
    print(json.dumps(response, indent=2))
    return 0 if response["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
