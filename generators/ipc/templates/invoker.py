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
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SETTINGS = ("PURUTO_AGENT", "PURUTO_AGENT_COMMAND", "PURUTO_AGENT_ARGS", "PURUTO_DATA_PATH")
CORRELATION_VAR, HOP_VAR, CALLER_VAR = "PURUTO_IPC_CORRELATION_ID", "PURUTO_IPC_HOP", "PURUTO_IPC_CALLER"
AUTO_AGENTS = ("claude", "codex", "gemini")
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
    """The target's folder: its registry.json entry with a `path`, else ../<target>.
    A registry path is used only inside the ecosystem folder (the vault's parent) or a folder
    of PURUTO_ECOSYSTEM_ROOTS (os.pathsep-separated, relative to this repo, ~ expanded; process
    environment, then .env): anything else (/etc, /, ~) is DENIED, never run and never skipped."""
    if not REPO_NAME.fullmatch(target):
        raise IpcError("DENIED", f"target {target!r} is refused: a target is a plain repo name "
                                 "(letters, digits, '.', '_', '-'; no '/' and no leading dot)")
    vault = (root / Path(settings.get("PURUTO_DATA_PATH") or "../puruto-data").expanduser()).resolve()
    roots_var = "PURUTO_ECOSYSTEM_ROOTS"
    extra = settings.get(roots_var) or os.environ.get(roots_var) or read_dotenv(root / ".env").get(roots_var, "")
    roots = [vault.parent] + [(root / Path(p.strip()).expanduser()).resolve() for p in extra.split(os.pathsep) if p.strip()]
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
                if not any(candidate != r and candidate.is_relative_to(r) for r in roots):
                    raise IpcError("DENIED", f"the registry path of {target} ({entry['path']!r} -> {candidate}) is outside "
                                             f"the ecosystem folder {vault.parent}: it is refused; move the Puruto there, "
                                             f"fix its entry in {registry}, or add its folder to {roots_var}",
                                   {"reason": "path_outside_ecosystem", "path": str(candidate),
                                    "roots": [str(r) for r in roots]})
                if candidate.is_dir():
                    return candidate
                tried.append(str(candidate))
    sibling = root.parent / target
    if sibling.is_dir():
        return sibling.resolve()
    tried.append(str(sibling))
    raise IpcError("TARGET_NOT_FOUND", f"no Puruto named {target!r}: register it in {registry} with a path, "
                                       f"or put it beside this repo ({sibling})", {"tried": tried, **({"notes": notes} if notes else {})})


# --- running an agent -----------------------------------------------------------------

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


def agent_message(request: dict) -> str:
    """What the target's agent is asked: its skill as a slash command, then the context;
    for `message`, the user's text as it is, with how to handle it."""
    if request["action"] == MESSAGE_ACTION:
        return (f"{request['prompt']}\n\n"
                f"This message comes from the Puruto {request['caller']} through IPC. Follow the rules of "
                "this repository (AGENTS.md) and use the skill of .claude/skills that fits the message, "
                "then answer with a short summary of the result.")
    return (f"/{request['action']} {request['prompt']}\n\n"
            f"This request comes from the Puruto {request['caller']} through IPC. Follow the "
            f"`{request['action']}` skill of this repository (.claude/skills/{request['action']}/SKILL.md) "
            "with the text above, then answer with a short summary of the result.")


def run_agent(argv: list[str], cwd: Path, request: dict, cancel=None) -> tuple[int, str, str]:
    """Runs argv in its own session; on timeout kills its whole process group -> TIMEOUT.
    `cancel` (a threading.Event, optional): once set, the group is killed -> IPC_ERROR cancelled."""
    env = dict(os.environ)
    env.update({CORRELATION_VAR: request["correlation_id"], HOP_VAR: str(request["hop"] + 1),
                CALLER_VAR: request["caller"]})
    try:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, errors="replace", start_new_session=True)
    except OSError as exc:
        raise IpcError("IPC_ERROR", f"cannot start the agent {argv[0]!r}: {exc}",
                       {"reason": "agent_not_started", "argv0": argv[0]}) from None
    deadline = time.monotonic() + request["timeout_sec"]
    while True:
        step = deadline - time.monotonic()
        if cancel is not None:
            step = min(step, 0.1)
        try:
            out, err = proc.communicate(timeout=max(step, 0))
            break
        except subprocess.TimeoutExpired:
            if cancel is not None and cancel.is_set():
                kill_group(proc)
                raise IpcError("IPC_ERROR", f"the call to {request['target']} was cancelled; its agent and every "
                                            "process it started were killed", {"reason": "cancelled"}) from None
            if time.monotonic() < deadline:
                continue
        kill_group(proc)
        raise IpcError("TIMEOUT", f"{request['target']} did not answer within {request['timeout_sec']} s; "
                                  "its agent and every process it started were killed",
                       {"timeout_sec": request["timeout_sec"]}) from None
    return proc.returncode, out, err


def kill_group(proc: subprocess.Popen) -> None:
    """SIGTERM the agent's process group, give it a moment, then SIGKILL what is left."""
    signal_group(proc, signal.SIGTERM)  # start_new_session: the group id is the agent's pid
    try:
        proc.communicate(timeout=KILL_GRACE_SEC)
        done = True
    except subprocess.TimeoutExpired:
        done = False
    signal_group(proc, signal.SIGKILL)  # grandchildren too, even those that ignored SIGTERM
    if not done:
        try:
            proc.communicate(timeout=KILL_GRACE_SEC)
        except subprocess.TimeoutExpired:  # a process outside the group holds the pipes
            proc.wait()


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


def parse_claude(code: int, out: str, err: str) -> dict:
    """claude -p --output-format json: {result, is_error, subtype, permission_denials, ...}."""
    data = parse_json_object("claude", code, out, err)
    subtype = data.get("subtype")
    if data.get("is_error") or (isinstance(subtype, str) and subtype != "success") or code != 0:
        raise failed("claude", "agent_error", f"claude reported an error ({subtype or 'is_error'}): "
                     f"{str(data.get('result') or '')[:500]}", code, err, subtype=subtype)
    if data.get("permission_denials"):  # a denied tool still exits 0
        raise failed("claude", "permission_denied", "claude was denied a tool it needed", code, err,
                     permission_denials=data["permission_denials"])
    if "result" not in data:
        raise IpcError("INVALID_RESPONSE", "claude's JSON has no `result`", {"agent": "claude", "stdout": tail(out)})
    if not isinstance(data["result"], str) or not data["result"].strip():
        raise failed("claude", "empty_answer", "claude returned an empty answer", code, err)
    return {"summary": data["result"].strip(), "agent": "claude", "session_id": data.get("session_id"),
            "total_cost_usd": data.get("total_cost_usd")}


def parse_codex(code: int, out: str, err: str) -> dict:
    """codex exec --json: JSONL events; the answer is the last agent_message."""
    events = []
    for line in out.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue  # tolerate stray lines; no event at all is INVALID_RESPONSE below
        if isinstance(event, dict) and isinstance(event.get("type"), str):
            events.append(event)
    if not events:
        if code != 0:
            raise failed("codex", "agent_exit", f"codex exited with code {code} without JSON events", code, err)
        raise IpcError("INVALID_RESPONSE", "codex printed no JSON events",
                       {"agent": "codex", "exit_code": code, "stdout": tail(out), "stderr": tail(err)})
    answer, completed, errors, declined, thread_id = None, False, [], [], None
    for event in events:
        kind, item = event["type"], event.get("item") if isinstance(event.get("item"), dict) else {}
        if kind == "thread.started":
            thread_id = event.get("thread_id")
        elif kind == "turn.completed":
            completed = True
        elif kind == "turn.failed":
            errors.append(str((event.get("error") or {}).get("message") or "turn failed"))
        elif kind == "error":
            errors.append(str(event.get("message") or "error"))
        elif kind == "item.completed" and item.get("type") == "agent_message":
            answer = item.get("text")
        elif kind == "item.completed" and item.get("status") == "declined":
            declined.append(item.get("command") or item.get("type"))
    if any(e["type"] == "turn.failed" for e in events) or (errors and not completed) or code != 0:
        raise failed("codex", "agent_error", f"codex reported an error: {'; '.join(errors) or f'exit code {code}'}",
                     code, err, errors=errors)
    if declined:
        raise failed("codex", "permission_denied", "codex was denied a tool it needed", code, err, declined=declined)
    if not isinstance(answer, str) or not answer.strip():
        raise failed("codex", "empty_answer", "codex returned no agent message", code, err)
    return {"summary": answer.strip(), "agent": "codex", "thread_id": thread_id}


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
    if not isinstance(data["response"], str) or not data["response"].strip():
        raise failed("gemini", "empty_answer", "gemini returned an empty answer", code, err)
    return {"summary": data["response"].strip(), "agent": "gemini"}


def parse_command(code: int, out: str, err: str) -> dict:
    """The command prints one JSON object: it is the result, unless it has `error` or status "error"."""
    data = parse_json_object("command", code, out, err)
    if data.get("error") or data.get("status") == "error" or code != 0:
        raise failed("command", "agent_error" if code == 0 else "agent_exit",
                     f"the agent command reported an error: {str(data.get('error') or data)[:500]}", code, err, output=data)
    return data


def command_argv(template: str, request: dict, target_dir: Path) -> list[str]:
    """PURUTO_AGENT_COMMAND split like a shell line, then placeholders filled per word (no shell)."""
    if not template.strip():
        raise IpcError("IPC_ERROR", "PURUTO_AGENT=command needs PURUTO_AGENT_COMMAND, e.g. "
                                    "'my-agent --cwd {target_path} {message}'", {"reason": "not_configured"})
    values = {"message": agent_message(request), "target_path": str(target_dir), **{k: str(request[k]) for k in (
        "prompt", "action", "target", "caller", "request_id", "correlation_id", "hop")}}

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


PARSERS = {"claude": parse_claude, "codex": parse_codex, "gemini": parse_gemini, "command": parse_command}


def pick_agent(settings: dict[str, str]) -> str:
    agent = settings.get("PURUTO_AGENT", "").strip().lower()
    if agent:
        if agent not in (*PARSERS, "stub"):
            raise IpcError("IPC_ERROR", f"PURUTO_AGENT={agent!r} is unknown: use claude, codex, gemini, command or stub",
                           {"reason": "not_configured"})
        return agent
    for name in AUTO_AGENTS:
        if shutil.which(name):
            return name
    raise IpcError("IPC_ERROR", "no agent CLI found on PATH (claude, codex, gemini): install one, set "
                                "PURUTO_AGENT=command with PURUTO_AGENT_COMMAND, or PURUTO_AGENT=stub for a dry run",
                   {"reason": "not_configured"})


def agent_argv(agent: str, request: dict, target_dir: Path, settings: dict[str, str]) -> list[str]:
    if agent == "command":
        return command_argv(settings.get("PURUTO_AGENT_COMMAND", ""), request, target_dir)
    base = {"claude": ["claude", "-p", agent_message(request), "--output-format", "json"],
            "codex": ["codex", "exec", agent_message(request), "--json"],
            "gemini": ["gemini", "-p", agent_message(request), "--output-format", "json"]}[agent]
    return base + shlex.split(settings.get("PURUTO_AGENT_ARGS") or "")


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
        agent = pick_agent(settings)
        if agent == "stub":  # deterministic echo: nothing runs
            return ok_result(request, {"stub": True, "summary": stub_summary(request),
                                       "target_path": str(target_dir), "message": agent_message(request),
                                       "echo": {k: request[k] for k in ("target", "action", "prompt")}}, elapsed())
        code, out, err = run_agent(agent_argv(agent, request, target_dir, settings), target_dir, request, cancel)
        return ok_result(request, PARSERS[agent](code, out, err), elapsed())
    except IpcError as exc:
        return error_result(request, exc.code, exc.message, elapsed(), exc.details)
    except Exception as exc:  # never a traceback: a structured IPC_ERROR
        return error_result(request, "IPC_ERROR", f"unexpected failure: {exc}", elapsed(), {"type": type(exc).__name__})


def positive(text: str) -> float:
    value = float(text)
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return int(value) if value.is_integer() else value


def main(argv: list[str] | None = None) -> int:
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
