#!/usr/bin/env python3
"""Invoker of a Puruto: runs another Puruto's agent headless and maps its answer.

Usage: python3 invoker.py --target T --action A (--prompt=P | --prompt-file PATH) [--caller C] [--timeout S]
       python3 invoker.py --adapters     (the adapter table as JSON)
A prompt that starts with "-" is written --prompt=P; --prompt-file reads it from a UTF-8
file as it is ("-": stdin), for a long one (one argument holds at most 128 KiB on Linux).
Prints an InvocationResult as JSON; exit 0 when its status is ok, 1 when it is an error,
2 for bad arguments (with IPC_ERROR bad_arguments, null ids).
It applies no allowlist: `ipc.py` is the entry point that checks .puruto-ipc.json first.
The action is a skill of the target (checked before any agent starts) or `message` (free
text: the agent picks the skill by the target's rules). The skill's `allowed-tools` are
what the agent may use.

Settings (process environment first, then this repo's .env):
  PURUTO_AGENT          an adapter of ADAPTERS below (default: the first CLI of the table
                        found on PATH); `command` and `stub` are never auto-detected
  PURUTO_AGENT_COMMAND  template run by the `command` adapter, split like a shell line
                        (no shell runs it); placeholders, each filled into its word (one
                        argument whatever the text holds): {message} {prompt} {action}
                        {target} {target_path} {caller} {request_id} {correlation_id} {hop} {tools}
  PURUTO_AGENT_ARGS     extra arguments appended to an agent CLI's command line
  PURUTO_DATA_PATH      the data vault whose registry.json locates targets (../puruto-data)
  PURUTO_ECOSYSTEM_ROOTS  more folders (":"-separated) where registry paths may point; by
                        default only the ecosystem folder (the vault's parent)
Chain variables, read from the process environment only and set for the agent it runs:
  PURUTO_IPC_CORRELATION_ID (shared along a chain), PURUTO_IPC_HOP (hop of the next
  call: this request's hop + 1), PURUTO_IPC_CALLER (the Puruto that called).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import select
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import threading
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, NoReturn

ROOT = Path(__file__).resolve().parent
SETTINGS = ("PURUTO_AGENT", "PURUTO_AGENT_COMMAND", "PURUTO_AGENT_ARGS", "PURUTO_DATA_PATH", "PURUTO_ECOSYSTEM_ROOTS")
CORRELATION_VAR, HOP_VAR, CALLER_VAR = "PURUTO_IPC_CORRELATION_ID", "PURUTO_IPC_HOP", "PURUTO_IPC_CALLER"
REPO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # a folder name: no "/", never "." or ".."
MESSAGE_ACTION = "message"  # reserved: free text, no skill named; the agent picks one by AGENTS.md
SKILL_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # the Agent Skills name rule
KILL_GRACE_SEC = 1  # between SIGTERM and SIGKILL of a timed-out agent's process tree
TAIL = 2000  # characters of an agent's output kept in error details


class IpcError(Exception):
    """A failure with its InvocationResult error code (SPEC §6)."""

    def __init__(self, code: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.code, self.message, self.details = code, message, details or {}


# --- requests and results -------------------------------------------------------------

def env_hop() -> int:
    """The hop of a call made from here: the largest PURUTO_IPC_HOP set by a parent call, in
    this process's environment or in the environment any ancestor started with (Linux
    /proc/<pid>/environ). An agent that unsets or lowers the variable for its own child cannot
    rewrite its ancestors', so max_hops holds against a tampering agent. None: 0."""
    raw = os.environ.get(HOP_VAR, "").strip()
    own = 0
    if raw:
        try:
            own = max(int(raw), 0)
        except ValueError:
            raise IpcError("IPC_ERROR", f"{HOP_VAR}={raw!r} is not a whole number") from None
    return max([own, *ancestor_hops()])


def ancestor_hops(limit: int = 64) -> list[int]:
    """PURUTO_IPC_HOP of each ancestor's starting environment (unreadable ones skipped)."""
    hops, pid, key = [], os.getppid(), HOP_VAR.encode() + b"="
    for _ in range(limit):
        if pid <= 1:
            break
        try:
            with open(f"/proc/{pid}/environ", "rb") as fh:
                environ = fh.read(1 << 20).split(b"\0")
            with open(f"/proc/{pid}/stat", "rb") as fh:
                stat = fh.read(4096)
        except OSError:
            break
        for item in environ:
            if item.startswith(key):
                try:
                    hops.append(max(int(item[len(key):].strip() or b"0"), 0))
                except ValueError:
                    pass
        try:
            pid = int(stat[stat.rindex(b")") + 2:].split()[1])
        except (ValueError, IndexError):
            break
    return hops


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
    roots = [vault.parent] + [(root / Path(p.strip()).expanduser()).resolve()
                              for p in extra.split(os.pathsep) if p.strip()]
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
                    raise IpcError("DENIED", f"the registry path of {target} ({entry['path']!r} -> {candidate}) is "
                                             "outside "
                                             f"the ecosystem folder {vault.parent}: it is refused; move the Puruto "
                                             "there, "
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
                                       f"or put it beside this repo ({sibling})",
                   {"tried": tried, **({"notes": notes} if notes else {})})


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


# --- free text stays data ------------------------------------------------------------------
# Every agent CLI gets the message on its stdin, never as an argv word: no CLI can then read a
# prompt such as `-v --help 42` as its own options, and a prompt is not bound by the size of one
# argv string. Only the `command` adapter fills argv words (one word each; no shell runs them).

ARG_MAX_STRLEN = 128 * 1024  # Linux MAX_ARG_STRLEN: the bytes of one argv string, its closing NUL included
STDIN_MAX_BYTES = 8 * 1024 * 1024  # Gemini CLI and Qwen Code cut their stdin there: the cap for every CLI


def agent_text(text: str, agent: str, limit: int = STDIN_MAX_BYTES, way: str = "on its stdin") -> str:
    """`text` (what `agent` is given) checked before any agent starts: a NUL is IPC_ERROR
    prompt_has_nul (no command line, and no CLI's prompt, can hold one), text that is not valid
    Unicode (a lone surrogate) prompt_not_utf8, more than `limit` UTF-8 bytes prompt_too_long."""
    if "\0" in text:
        raise IpcError("IPC_ERROR", f"the prompt holds a NUL character (at {text.index(chr(0))}): {agent} cannot be "
                                    "given one; remove it", {"reason": "prompt_has_nul", "agent": agent})
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise IpcError("IPC_ERROR", f"the prompt is not valid Unicode text ({exc.reason} at {exc.start})",
                       {"reason": "prompt_not_utf8", "agent": agent}) from None
    if size > limit:
        raise IpcError("IPC_ERROR", f"the message for {agent} is {size} bytes, more than the {limit} bytes it can be "
                                    f"given {way}: shorten the prompt",
                       {"reason": "prompt_too_long", "agent": agent, "bytes": size, "limit_bytes": limit})
    return text


def feed_stdin(fd: int, data: bytes, stop: threading.Event) -> None:
    """Writes `data` into the agent's stdin pipe, then closes it (end of input). Non-blocking
    writes: a big message never deadlocks against the agent's output, and the thread ends once
    `stop` is set (the call is over) even if a stray process holds the pipe without reading."""
    try:
        os.set_blocking(fd, False)
        writable = select.poll()  # not select.select: no FD_SETSIZE limit in a long-running host (the gateway)
        writable.register(fd, select.POLLOUT)
        view = memoryview(data)
        while view and not stop.is_set():
            try:
                view = view[os.write(fd, view):]
            except BlockingIOError:
                writable.poll(100)
    except OSError:  # BrokenPipeError: the agent ended, or closed its stdin, before reading it all
        pass
    finally:
        os.close(fd)


# --- running an agent -----------------------------------------------------------------

PR_SET_CHILD_SUBREAPER = 36  # Linux prctl option
_ACTIVE: set[int] = set()  # pids of the agents this process is running (never reaped by us)
_ACTIVE_LOCK = threading.Lock()


def become_subreaper() -> bool:
    """Linux: orphans of our agents are re-parented to this process instead of init, so a
    timeout finds and kills even a grandchild that left the group with setsid."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def process_table() -> dict[int, int]:
    """pid -> parent pid of every process (Linux /proc; elsewhere empty)."""
    table = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return table
    for name in entries:
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as fh:
                    stat = fh.read(4096)
                table[int(name)] = int(stat[stat.rindex(b")") + 2:].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    return table


def strays(agent_pid: int) -> set[int]:
    """The agent's descendants, and the orphans re-parented to this process (not agents of
    other calls) with theirs: what a timeout must kill besides the process group."""
    table = process_table()
    children: dict[int, list[int]] = {}
    for pid, ppid in table.items():
        children.setdefault(ppid, []).append(pid)
    with _ACTIVE_LOCK:
        others = set(_ACTIVE) - {agent_pid}
    roots = [agent_pid] + [p for p in children.get(os.getpid(), []) if p not in others and p != agent_pid]
    found, todo = set(), list(roots)
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo += children.get(pid, [])
    return found - {os.getpid()}


def reap_orphans() -> None:
    """Collect the exit status of dead orphans re-parented to us (no zombies left behind).
    Only zombies outside this process's own group: those are strays of an agent (which runs
    in a session of its own); a child the host program started itself (same group) is left
    to the code that waits for it, so its exit status is never stolen."""
    own_group = os.getpgrp()
    with _ACTIVE_LOCK:
        active = set(_ACTIVE)
        for pid, ppid in process_table().items():
            if ppid != os.getpid() or pid in active:
                continue
            try:
                with open(f"/proc/{pid}/stat", "rb") as fh:
                    fields = fh.read(4096).rsplit(b")", 1)[1].split()
                if fields[0] == b"Z" and int(fields[2]) != own_group:
                    os.waitpid(pid, os.WNOHANG)
            except (ChildProcessError, OSError, ValueError, IndexError):
                pass


def run_agent(argv: list[str], cwd: Path, request: dict, cancel=None, extra_env: dict | None = None,
              give_up: Callable[[str], bool] | None = None, stdin: str | None = None) -> tuple[int, str, str]:
    """Runs argv in its own session, in `cwd` (PWD too); on timeout kills its whole process
    tree -> TIMEOUT with the tail of its stderr. `cancel` (a threading.Event, optional):
    once set, the tree is killed -> IPC_ERROR cancelled. `give_up` (optional): sees each
    stdout line as it comes; the first one it is true for ends the agent (its tree is killed)
    and what was printed so far is returned: how an adapter caps retries no flag can cap.
    `stdin` (optional): text the agent reads on its stdin (UTF-8, then end of input), written
    by a thread of its own; without it the agent's stdin is /dev/null."""
    env = dict(os.environ)
    env.update(extra_env or {})
    env.update({CORRELATION_VAR: request["correlation_id"], HOP_VAR: str(request["hop"] + 1),
                CALLER_VAR: request["caller"], "PWD": str(cwd)})
    become_subreaper()
    data = None if stdin is None else stdin.encode("utf-8")
    read_end, write_end = os.pipe() if data is not None else (subprocess.DEVNULL, -1)
    try:
        with _ACTIVE_LOCK:
            proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=read_end, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, errors="replace", start_new_session=True)
            _ACTIVE.add(proc.pid)
    except OSError as exc:
        if data is not None:
            os.close(write_end)
        raise IpcError("IPC_ERROR", f"cannot start the agent {argv[0]!r}: {exc}",
                       {"reason": "agent_not_started", "argv0": argv[0]}) from None
    finally:
        if data is not None:
            os.close(read_end)  # the agent has its copy
    fed = threading.Event()  # set when the call is over: the writer stops
    if data is not None:
        threading.Thread(target=feed_stdin, args=(write_end, data, fed), daemon=True).start()
    try:
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
                    kill_tree(proc)
                    raise IpcError("IPC_ERROR", f"the call to {request['target']} was cancelled; its agent and every "
                                                "process it started were killed", {"reason": "cancelled"}) from None
                if time.monotonic() >= deadline:
                    break
        _, err = kill_tree(proc)
        raise IpcError("TIMEOUT", f"{request['target']} did not answer within {request['timeout_sec']} s; "
                                  "its agent and every process it started were killed",
                       {"timeout_sec": request["timeout_sec"], "stderr": tail(err)})
    finally:
        fed.set()
        with _ACTIVE_LOCK:
            _ACTIVE.discard(proc.pid)
        reap_orphans()


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
        victims = strays(proc.pid)
        for sig in (signal.SIGTERM, signal.SIGKILL):  # the whole tree, as kill_tree does
            signal_all(proc, victims | strays(proc.pid), sig)
            try:
                proc.wait(timeout=KILL_GRACE_SEC)
            except subprocess.TimeoutExpired:
                continue
    for reader in readers:
        reader.join(KILL_GRACE_SEC)  # a process outside our reach may hold the pipes
    if why == "cancelled":
        raise IpcError("IPC_ERROR", f"the call to {request['target']} was cancelled; its agent and every "
                                    "process it started were killed", {"reason": "cancelled"})
    if why == "timeout":
        raise IpcError("TIMEOUT", f"{request['target']} did not answer within {request['timeout_sec']} s; "
                                  "its agent and every process it started were killed",
                       {"timeout_sec": request["timeout_sec"], "stderr": tail("".join(err))})
    return proc.returncode if proc.returncode is not None else proc.wait(), "".join(out), "".join(err)


def kill_tree(proc: subprocess.Popen) -> tuple[str, str]:
    """SIGTERM the agent's group and every stray process of its tree, give them a moment, then
    SIGKILL what is left. Returns what the agent printed (stdout, stderr), for the details."""
    victims = strays(proc.pid)
    signal_all(proc, victims, signal.SIGTERM)
    out, err = "", ""
    try:
        out, err = proc.communicate(timeout=KILL_GRACE_SEC)
    except subprocess.TimeoutExpired:
        pass
    signal_all(proc, victims | strays(proc.pid), signal.SIGKILL)  # even those that ignored SIGTERM
    try:
        more_out, more_err = proc.communicate(timeout=KILL_GRACE_SEC)
        out, err = out + (more_out or ""), err + (more_err or "")
    except (subprocess.TimeoutExpired, ValueError):  # a process outside our reach holds the pipes
        for pipe in (proc.stdout, proc.stderr):
            if pipe:
                pipe.close()
        proc.wait()
    return out or "", err or ""


def signal_all(proc: subprocess.Popen, pids: set[int], sig: int) -> None:
    """Signals the agent's process group (its id is the agent's pid) and each pid."""
    for target in (proc.pid,):
        try:
            os.killpg(target, sig)
        except (ProcessLookupError, PermissionError):
            pass  # the group is already gone
    for pid in pids:
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def tail(text: str) -> str:
    return text[-TAIL:]


def failed(agent: str, reason: str, message: str, code: int, err: str, **extra) -> IpcError:
    """An agent that answered but failed: IPC_ERROR with details.reason saying why."""
    return IpcError("IPC_ERROR", message,
                    {"agent": agent, "reason": reason, "exit_code": code, "stderr": tail(err), **extra})


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


def syntax_of(adapter: str) -> str:
    """How `adapter` names a skill in its message: the `syntax` of its row in ADAPTERS."""
    return BY_NAME[adapter].syntax


def no_env(call: Call) -> dict:
    return {}


def no_stdin(call: Call) -> str | None:
    return None


def user_args(call: Call) -> list[str]:
    return shlex.split(call.settings.get("PURUTO_AGENT_ARGS") or "")


# --- adapter: claude (Claude Code) ------------------------------------------------------

def claude_argv(call: Call) -> list[str]:
    """`claude -p`: the granted tools as --allowedTools (anything else is asked for, and a
    headless run denies what it would ask); the message on stdin (claude_stdin)."""
    argv = ["claude", "-p", "--output-format", "json"]
    if call.tools:
        argv += ["--allowedTools", ",".join(call.tools)]
    return argv + user_args(call)


def claude_stdin(call: Call) -> str:
    """The message, the skill as `/name`: `claude -p` without a prompt argument reads it on stdin."""
    return agent_text(agent_message(call.request, syntax_of("claude")), "claude")


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
    # PROMPT `-` after `--`: codex reads the message on stdin (codex_stdin), so no text is an option or a subcommand.
    return argv + user_args(call) + ["--", "-"]


def codex_stdin(call: Call) -> str:
    """The message, the skill as `$name`: `codex exec -` reads it on stdin."""
    return agent_text(agent_message(call.request, syntax_of("codex")), "codex")


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

GEMINI_SHELL = "run_shell_command"
GEMINI_PRIORITY = 350  # in the user tier: above settings' tools.allowed (.300), below tools.exclude (.400)
GEMINI_EXIT = {1: "general error", 41: "authentication error (set GEMINI_API_KEY or log in once with gemini)",
               42: "input error", 44: "sandbox error", 52: "configuration error", 53: "turn limit exceeded",
               55: "the folder is not trusted", 130: "cancelled"}


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
    def rule(tool, decision: str, priority: int = GEMINI_PRIORITY, **extra) -> str:
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
        rules.append(rule(GEMINI_SHELL, "deny", GEMINI_PRIORITY - 1, argsPattern=".*",
                          denyMessage=f"The allowed-tools of the skill {skill!r} do not allow this command."))
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
            raise IpcError("IPC_ERROR", f"{folder} is not a private folder of this user: remove it and call again",
                           {"reason": "not_configured"})
        path = folder / f"policy-{hashlib.sha256(text.encode()).hexdigest()[:16]}.toml"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            part = folder / f".{path.name}.{os.getpid()}"
            part.write_text(text, encoding="utf-8")
            os.replace(part, path)
    except OSError as exc:
        raise IpcError("IPC_ERROR", f"cannot write the Gemini policy file in {folder}: {exc}",
                       {"reason": "not_configured"}) from None
    return path


def gemini_argv(call: Call) -> list[str]:
    """`gemini -p ""`: headless, the message on stdin (gemini_stdin; an empty -p adds nothing to
    it); permissions as a --policy file; JSON-lines events."""
    return ["gemini", "-p", "", "--output-format", "stream-json",
            "--policy", str(gemini_policy_file(gemini_policy(call)))] + user_args(call)


def gemini_stdin(call: Call) -> str:
    """The message, the skill named for activate_skill (a leading `/` would run a built-in
    command such as /init). Gemini reads at most 8 MiB of stdin (STDIN_MAX_BYTES)."""
    return agent_text(agent_message(call.request, syntax_of("gemini")), "gemini")


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


def gemini_env(call: Call) -> dict:
    # A generated repo is not in Gemini's trusted folders (exit 55): trust it for this run. The
    # `auto` model's router request retries a 5xx 5 times (~75 s; no setting caps it): unless the
    # user chose a model, run `flash` (the chat model's retries: general.maxAttempts in .gemini/settings.json).
    env = {"GEMINI_CLI_TRUST_WORKSPACE": os.environ.get("GEMINI_CLI_TRUST_WORKSPACE") or "true"}
    if not gemini_model_set(call.target_dir):
        env["GEMINI_MODEL"] = "flash"
    return env


def trailing_json(text: str) -> dict | None:
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


def parse_gemini(code: int, out: str, err: str) -> dict:
    """gemini -p --output-format stream-json: JSON lines (init, message, tool_use, tool_result,
    result). The answer is the assistant's text; `result.status: error` or an error object on
    stderr (exit code = HTTP status mod 256 for API errors) is agent_error; a tool_result denied
    by policy is permission_denied."""
    events = [e for e in json_lines(out) if isinstance(e.get("type"), str)]
    result = next((e for e in reversed(events) if e["type"] == "result"), None)
    fatal = trailing_json(err) if result is None else None
    if result is None and (code != 0 or fatal):
        error = (fatal or {}).get("error") if isinstance((fatal or {}).get("error"), dict) else {}
        why = error.get("message") or GEMINI_EXIT.get(code, f"exit code {code}")
        raise failed("gemini", "agent_error" if error else "agent_exit", f"gemini reported an error: {str(why)[:500]}",
                     code, err, error=error or None)
    if not events:
        raise IpcError("INVALID_RESPONSE", "gemini printed no JSON events",
                       {"agent": "gemini", "exit_code": code, "stdout": tail(out), "stderr": tail(err)})
    if result is None or result.get("status") != "success" or code != 0:
        error = (result or {}).get("error") if isinstance((result or {}).get("error"), dict) else {}
        why = error.get("message") or GEMINI_EXIT.get(code, f"exit code {code}")
        raise failed("gemini", "agent_error", f"gemini reported an error: {str(why)[:500]}", code, err,
                     error=error or None)
    text, denied, session_id = "", [], None
    for event in events:
        kind = event["type"]
        if kind == "init":
            session_id = event.get("session_id")
        elif kind == "message" and event.get("role") == "assistant" and isinstance(event.get("content"), str):
            text = text + event["content"] if event.get("delta") else event["content"]
        elif kind == "tool_result" and event.get("status") == "error":
            error = event.get("error") if isinstance(event.get("error"), dict) else {}
            message = str(error.get("message") or event.get("output") or "")
            if (error.get("type") == "policy_violation" or "denied by policy" in message
                    or "requires user confirmation" in message):
                denied.append({"tool_id": event.get("tool_id"), "message": message[:300]})
    if denied:
        raise failed("gemini", "permission_denied", "gemini was denied a tool it needed", code, err, denied=denied,
                     answer=text[:500])
    return answer("gemini", text, code, err, session_id=session_id)


# --- adapter: opencode (OpenCode) -------------------------------------------------------

OPENCODE_MAX_ATTEMPTS = 3  # model requests of one turn before an API error is final (OpenCode itself makes 6)
OPENCODE_DENIED = re.compile(r"rejected permission|prevents you from using")  # its ask / deny rule texts


def opencode_bash(tools: tuple[str, ...]):
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


def opencode_permission(call: Call) -> dict:
    """OPENCODE_PERMISSION from the skill's allowed-tools. `ask` is not a prompt here:
    `opencode run` rejects every ask, so the call ends with a denied tool (never a bypass)."""
    bases = {tool_base(t) for t in call.tools}

    def grant(*names: str) -> str:
        return "allow" if bases & set(names) else "ask"
    return {"bash": opencode_bash(call.tools), "edit": "allow" if call.write else "ask",
            "webfetch": grant("WebFetch"), "websearch": grant("WebSearch"), "task": grant("Task", "Agent")}


def opencode_argv(call: Call) -> list[str]:
    """`opencode run --format json`: the skill's SKILL.md attached (--file) and named for its
    skill tool. Not `--command <skill>`: OpenCode's own commands (init, review, loop) win over
    a skill of the same name. No message argument: `opencode run` reads it on stdin
    (opencode_stdin); its words would be parsed as options and numbers, and re-quoted.
    It runs under `invoker.py --opencode-guard`, which caps OpenCode's retries (and passes
    its stdin on)."""
    binary = shutil.which("opencode")
    if not binary:
        raise IpcError("IPC_ERROR", "cannot start the agent 'opencode': it is not on PATH (npm i -g opencode-ai)",
                       {"reason": "agent_not_started", "argv0": "opencode"})
    request, target = call.request, call.target_dir
    argv = [binary, "run", "--format", "json", "--print-logs", "--log-level", "ERROR", "--dir", str(target),
            "--title", f"puruto {request['caller']} -> {request['target']} {request['action']}"]
    if request["action"] != MESSAGE_ACTION:
        argv += ["--file", str(target / ".claude" / "skills" / request["action"] / "SKILL.md")]
    return [sys.executable, str(Path(__file__).resolve()), "--opencode-guard", str(OPENCODE_MAX_ATTEMPTS), "--",
            *argv, *user_args(call)]


def opencode_stdin(call: Call) -> str:
    """The message, the skill named for its skill tool (its SKILL.md attached by opencode_argv)."""
    syntax = 'Use the skill "{skill}" (its SKILL.md is attached; the skill tool loads it):'
    return agent_text(agent_message(call.request, syntax), "opencode")


def opencode_env(call: Call) -> dict:
    return {"OPENCODE_PERMISSION": json.dumps(opencode_permission(call))}


def opencode_guard(argv: list[str]) -> int:
    """`invoker.py --opencode-guard N -- opencode ...`: runs OpenCode (same process group),
    passes its output through, and stops it once its main turn hit N stream errors (OpenCode
    retries 5 times with backoff, ~75 s, and has no setting for it); then prints the last
    error as an OpenCode `error` event and exits 1."""
    cap, cmd = int(argv[0]), argv[2:]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, errors="replace")  # its stdin: ours (the message)
    errors: list[str] = []
    for line in proc.stderr:
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
                print(json.dumps({"type": "error", "error": {"name": "APIError", "data": {
                    "message": message, "attempts": len(errors), "note": "stopped by invoker.py after "
                    f"{len(errors)} failed model requests"}}}), flush=True)
                return 1
    return proc.wait()


def parse_opencode(code: int, out: str, err: str) -> dict:
    """opencode run --format json: JSON lines `step_start`, `text` (part.text), `tool_use`
    (part.state.status completed|error), `step_finish`, `error` (error.data.message); exit 1 on error."""
    events = [e for e in json_lines(out) if isinstance(e.get("type"), str)]
    if not events:
        if code != 0:
            raise failed("opencode", "agent_exit", f"opencode exited with code {code} without JSON events", code, err)
        raise IpcError("INVALID_RESPONSE", "opencode printed no JSON events",
                       {"agent": "opencode", "exit_code": code, "stdout": tail(out), "stderr": tail(err)})
    texts: list[str] = []
    errors, denied, session = [], [], None
    for event in events:
        part = event.get("part") if isinstance(event.get("part"), dict) else {}
        session = event.get("sessionID") or session
        if event["type"] == "step_start":
            texts = []  # the answer is the text of the last step
        elif event["type"] == "text" and isinstance(part.get("text"), str):
            texts.append(part["text"])
        elif (event["type"] == "tool_use" and isinstance(part.get("state"), dict)
              and part["state"].get("status") == "error"):
            if OPENCODE_DENIED.search(str(part["state"].get("error") or "")):
                denied.append({"tool": part.get("tool"), "input": part["state"].get("input")})
        elif event["type"] == "error":
            error = event.get("error") if isinstance(event.get("error"), dict) else {}
            data = error.get("data") if isinstance(error.get("data"), dict) else {}
            errors.append(str(data.get("message") or error.get("name") or "error"))
    if errors or code != 0:
        raise failed("opencode", "agent_error", "opencode reported an error: "
                                                f"{'; '.join(errors) or f'exit code {code}'}",
                     code, err, errors=errors)
    if denied:
        raise failed("opencode", "permission_denied", "opencode was denied a tool it needed", code, err,
                     denied=denied, answer="\n".join(texts)[:500])
    return answer("opencode", "\n".join(texts), code, err, session_id=session)


# --- adapter: qwen (Qwen Code) ----------------------------------------------------------

QWEN_MAX_ATTEMPTS = 2  # failed model requests of a turn before an API error is final (Qwen Code makes 7, ~75 s)
QWEN_RETRY = re.compile(r"^\S+ \[ERROR\] \[RETRY\](?: \[trace_id=[^\]]*\])? Attempt \d+ failed", re.M)  # its debug log
QWEN_SHELL = "run_shell_command"
QWEN_TOOLS = {"Write": ["write_file", "edit"], "Edit": ["edit", "write_file"], "MultiEdit": ["edit", "write_file"],
              "NotebookEdit": ["notebook_edit"], "WebFetch": ["web_fetch"], "WebSearch": ["web_search"]}


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
    """`qwen --output-format stream-json`, the message on stdin (qwen_stdin); --approval-mode
    default (never auto or yolo, whatever the settings say); the tools of qwen_tools. It runs
    under `invoker.py --qwen-guard`, which caps Qwen Code's retries (and passes its stdin on)."""
    binary = shutil.which("qwen")
    if not binary:
        raise IpcError("IPC_ERROR", "cannot start the agent 'qwen': it is not on PATH (npm i -g @qwen-code/qwen-code)",
                       {"reason": "agent_not_started", "argv0": "qwen"})
    allow, deny = qwen_tools(call)
    argv = [binary, "--output-format", "stream-json", "--approval-mode", "default", "--session-id", str(uuid.uuid4()),
            *[f"--allowed-tools={t}" for t in allow], *[f"--exclude-tools={t}" for t in deny]]
    return [sys.executable, str(Path(__file__).resolve()), "--qwen-guard", str(QWEN_MAX_ATTEMPTS), "--",
            *argv, *user_args(call)]


def qwen_stdin(call: Call) -> str:
    """The message, the skill as `/name` (a project skill replaces Qwen's built-in command of that
    name, e.g. /init). Qwen reads at most 8 MiB of stdin (STDIN_MAX_BYTES)."""
    return agent_text(agent_message(call.request, syntax_of("qwen")), "qwen")


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
    logs, offsets, text = qwen_debug_logs(session), {}, ""
    proc = subprocess.Popen(cmd, env={**os.environ, "QWEN_DEBUG_LOG_FILE": "1"},  # its stdin: ours (the message)
                            start_new_session=True)
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
                last = text[failures[-1]:]
                m = re.search(r"^\}? ?Error: (.+)$", last, re.M)
                why = m.group(1).strip() if m else last.splitlines()[0]
                print(json.dumps({"type": "result", "subtype": "error_during_execution", "is_error": True,
                                  "session_id": session, "permission_denials": [], "error": {
                                      "message": f"[API Error: {why}]", "attempts": len(failures),
                                      "note": f"stopped by invoker.py after {len(failures)} failed model requests"}}),
                      flush=True)
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


def group_gone(pgid: int, wait_sec: float = 2.0) -> bool:
    """Waits (bounded) until no live process of the group `pgid` is left (Linux /proc; zombies
    do not count). True when none is left."""
    deadline = time.monotonic() + wait_sec
    while True:
        alive = False
        for name in os.listdir("/proc") if os.path.isdir("/proc") else []:
            if name.isdigit():
                try:
                    with open(f"/proc/{name}/stat", "rb") as fh:
                        fields = fh.read(4096).rsplit(b")", 1)[1].split()
                except (OSError, IndexError):
                    continue
                if len(fields) > 2 and fields[2] == str(pgid).encode() and fields[0] != b"Z":
                    alive = True
                    break
        if not alive or time.monotonic() >= deadline:
            return not alive
        time.sleep(0.05)


def parse_qwen(code: int, out: str, err: str) -> dict:
    """qwen --output-format stream-json: JSON lines (system init, assistant, user, result). The
    `result` event has result, is_error, subtype, error.message, permission_denials (a tool
    the rules refused or that would need confirmation; exit 0). Exit 1 on an error."""
    events = [e for e in json_lines(out) if isinstance(e.get("type"), str)]
    result = next((e for e in reversed(events) if e["type"] == "result"), None)
    if result is None:
        if code != 0:
            raise failed("qwen", "agent_exit", f"qwen exited with code {code} without a result event", code, err)
        raise IpcError("INVALID_RESPONSE", "qwen printed no result event",
                       {"agent": "qwen", "exit_code": code, "stdout": tail(out), "stderr": tail(err)})
    subtype = result.get("subtype")
    if result.get("is_error") or subtype != "success" or code != 0:
        error = result.get("error") if isinstance(result.get("error"), dict) else {}
        why = error.get("message") or result.get("result") or f"exit code {code}"
        raise failed("qwen", "agent_error", f"qwen reported an error ({subtype}): {str(why)[:500]}", code, err,
                     subtype=subtype, error=error or None)
    if result.get("permission_denials"):
        raise failed("qwen", "permission_denied", "qwen was denied a tool it needed", code, err,
                     permission_denials=result["permission_denials"], answer=str(result.get("result") or "")[:500])
    return answer("qwen", result.get("result"), code, err, session_id=result.get("session_id"))


# --- adapter: copilot (GitHub Copilot CLI) ----------------------------------------------

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
    """`copilot --output-format json`, the message piped on stdin (copilot_stdin) instead of
    -p; permissions from copilot_permissions (never --allow-all-tools or --yolo)."""
    return ["copilot", "--output-format", "json", *copilot_permissions(call)] + user_args(call)


def copilot_stdin(call: Call) -> str:
    """The message, the skill named for Copilot's skill tool (in prompt mode `/name` is plain text)."""
    return agent_text(agent_message(call.request, syntax_of("copilot")), "copilot")


def parse_copilot(code: int, out: str, err: str) -> dict:
    """copilot -p --output-format json: JSON lines (session.*, user.message, assistant.message
    with data.content, tool.execution_complete with success/error.code, session.error with
    message/statusCode, result with exitCode). The answer is the last assistant message; a
    tool whose error code is `denied` is permission_denied (exit 0); session.error or exit 1
    is agent_error. Copilot retries an API 5xx 5 times itself (~15 s)."""
    events = [e for e in json_lines(out) if isinstance(e.get("type"), str)]
    if not events:
        if code != 0:
            shown = (out.strip() or err.strip())[:300]
            raise failed("copilot", "agent_exit", f"copilot exited with code {code}: {shown}", code, err,
                         stdout=tail(out))
        raise IpcError("INVALID_RESPONSE", "copilot printed no JSON events",
                       {"agent": "copilot", "exit_code": code, "stdout": tail(out), "stderr": tail(err)})
    text, errors, denied, session = None, [], [], None
    for event in events:
        data = event.get("data") if isinstance(event.get("data"), dict) else {}
        kind = event["type"]
        if kind == "assistant.message" and isinstance(data.get("content"), str):
            text = data["content"]
        elif kind == "session.error":
            errors.append({"message": str(data.get("message") or "error"), "status": data.get("statusCode")})
        elif kind == "tool.execution_complete" and data.get("success") is False:
            error = data.get("error") if isinstance(data.get("error"), dict) else {}
            if error.get("code") == "denied":
                denied.append({"tool_call_id": data.get("toolCallId"),
                               "message": str(error.get("message") or "")[:300]})
        elif kind == "result":
            session = event.get("sessionId")
            code = event.get("exitCode", code) if isinstance(event.get("exitCode"), int) else code
    if errors or code != 0:
        why = "; ".join(e["message"] for e in errors) or f"exit code {code}"
        raise failed("copilot", "agent_error", f"copilot reported an error: {why[:500]}", code, err, errors=errors)
    if denied:
        raise failed("copilot", "permission_denied", "copilot was denied a tool it needed", code, err, denied=denied,
                     answer=(text or "")[:500])
    return answer("copilot", text, code, err, session_id=session)


# --- adapter: command (a command line from the settings) -----------------------------------

def parse_command(code: int, out: str, err: str) -> dict:
    """The command prints one JSON object: it is the result, unless it has `error` or status "error"."""
    data = parse_json_object("command", code, out, err)
    if data.get("error") or data.get("status") == "error" or code != 0:
        raise failed("command", "agent_error" if code == 0 else "agent_exit",
                     f"the agent command reported an error: {str(data.get('error') or data)[:500]}", code, err,
                     output=data)
    return data


def command_argv(call: Call) -> list[str]:
    """PURUTO_AGENT_COMMAND split like a shell line, then placeholders filled per word (no shell):
    a filled word is one argument whatever the text holds (spaces, quotes, `$VARS`, a leading
    "-": the command must take it as a value, e.g. after `--` or as --flag={message}). A word
    holding a NUL is prompt_has_nul; one over MAX_ARG_STRLEN bytes prompt_too_long."""
    template, request = call.settings.get("PURUTO_AGENT_COMMAND", ""), call.request
    if not template.strip():
        raise IpcError("IPC_ERROR", "PURUTO_AGENT=command needs PURUTO_AGENT_COMMAND, e.g. "
                                    "'my-agent --cwd {target_path} {message}'", {"reason": "not_configured"})
    values = {"message": agent_message(request), "target_path": str(call.target_dir), "tools": ",".join(call.tools),
              **{k: str(request[k]) for k in ("prompt", "action", "target", "caller", "request_id", "correlation_id",
                                              "hop")}}

    def fill(m: re.Match) -> str:
        if m.group(1) not in values:
            raise IpcError("IPC_ERROR", f"PURUTO_AGENT_COMMAND has an unknown placeholder {m.group(0)}; "
                                        f"known: {', '.join('{' + k + '}' for k in values)}",
                           {"reason": "not_configured"})
        return values[m.group(1)]
    try:
        words = shlex.split(template)
    except ValueError as exc:
        raise IpcError("IPC_ERROR", f"PURUTO_AGENT_COMMAND cannot be parsed: {exc}",
                       {"reason": "not_configured"}) from None
    way = f"as one command-line argument (Linux MAX_ARG_STRLEN, {ARG_MAX_STRLEN} bytes with its closing NUL)"
    return [agent_text(re.sub(r"\{(\w+)\}", fill, w), "command", ARG_MAX_STRLEN - 1, way) for w in words]


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
    stdin: Callable[[Call], str | None] = no_stdin  # the text on the agent's stdin (None: /dev/null)
    auto: bool = True  # part of auto-detection (in table order) when PURUTO_AGENT is unset
    give_up: Callable[[str], bool] | None = None  # a stdout line after which the agent is stopped


ADAPTERS = (
    Adapter(name="claude", binary="claude", rules="CLAUDE.md (imports AGENTS.md)", skills=".claude/skills",
            syntax="/{skill}", permissions="`--allowedTools` = the skill's allowed-tools (anything else is denied)",
            setup="log in once (claude) or set ANTHROPIC_API_KEY",
            argv=claude_argv, parse=parse_claude, env=claude_env, stdin=claude_stdin),
    Adapter(name="codex", binary="codex", rules="AGENTS.md", skills=".agents/skills (the link to .claude/skills)",
            syntax="${skill}", permissions="--sandbox workspace-write with Write/Edit (Bash: with network), "
                                           "else --sandbox read-only",
            setup="log in once (codex login) or set CODEX_API_KEY (codex exec ignores OPENAI_API_KEY); another "
                  "endpoint: openai_base_url or a [model_providers.<id>] table in ~/.codex/config.toml",
            argv=codex_argv, parse=parse_codex, give_up=codex_give_up, stdin=codex_stdin),
    Adapter(name="gemini", binary="gemini", rules="AGENTS.md (context.fileName in .gemini/settings.json)",
            skills=".agents/skills", syntax='Activate the "{skill}" skill (activate_skill) for:',
            permissions="a --policy file: activate_skill; Bash -> run_shell_command (Bash(p:*) -> only commands "
                        "starting with p); Write/Edit -> write_file, replace; any other shell command denied",
            setup="set GEMINI_API_KEY (or log in once with gemini); the folder is trusted per run "
                  "(GEMINI_CLI_TRUST_WORKSPACE); model flash unless GEMINI_MODEL or model.name is set",
            argv=gemini_argv, parse=parse_gemini, env=gemini_env, stdin=gemini_stdin),
    Adapter(name="opencode", binary="opencode", rules="AGENTS.md", skills=".agents/skills (or .claude/skills)",
            syntax='its SKILL.md attached (--file) and named for the skill tool',
            permissions="OPENCODE_PERMISSION: bash allow with Bash (Bash(x:*) -> \"x *\"), edit allow with Write/Edit, "
                        "else ask (rejected headless)",
            setup="log in once (opencode auth login) or configure a provider and model (opencode.json or "
                  "OPENCODE_CONFIG_CONTENT)",
            argv=opencode_argv, parse=parse_opencode, env=opencode_env, stdin=opencode_stdin),
    Adapter(name="qwen", binary="qwen", rules="AGENTS.md (and QWEN.md)", skills=".agents/skills (or .qwen/skills)",
            syntax="/{skill}",
            permissions="--allowed-tools: Bash -> run_shell_command (Bash(p:*) -> only commands starting with p), "
                        "Write/Edit -> write_file, edit (else denied); without Bash every shell command is denied; "
                        "--approval-mode default",
            setup="choose an auth type once (security.auth.selectedType in ~/.qwen/settings.json) and set its "
                  "provider's key and model (e.g. OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL)",
            argv=qwen_argv, parse=parse_qwen, stdin=qwen_stdin),
    Adapter(name="copilot", binary="copilot", rules="AGENTS.md", skills=".agents/skills (or .github/skills)",
            syntax='Invoke the "{skill}" skill (skill tool) for:',
            permissions="--allow-tool: Bash -> shell (Bash(p:*) -> shell(p:*), only commands starting with p), "
                        "Write/Edit -> write; --deny-tool shell / write without them",
            setup="log in once (copilot login) or set COPILOT_GITHUB_TOKEN; or a model provider of your own "
                  "(COPILOT_PROVIDER_BASE_URL, COPILOT_PROVIDER_TYPE, COPILOT_PROVIDER_API_KEY, COPILOT_MODEL)",
            argv=copilot_argv, parse=parse_copilot, stdin=copilot_stdin),
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
        stdin = adapter.stdin(call)  # checked first (NUL, size): nothing has run yet
        code, out, err = run_agent(adapter.argv(call), target_dir, request, cancel, adapter.env(call), adapter.give_up,
                                   stdin)
        return ok_result(request, adapter.parse(code, out, err), elapsed())
    except IpcError as exc:
        return error_result(request, exc.code, exc.message, elapsed(), exc.details)
    except Exception as exc:  # never a traceback: a structured IPC_ERROR
        return error_result(request, "IPC_ERROR", f"unexpected failure: {exc}", elapsed(), {"type": type(exc).__name__})


def adapter_facts() -> list[dict]:
    """The table as data (`invoker.py --adapters`): what the docs of every repo are made from."""
    return [{k: getattr(a, k) for k in ("name", "binary", "rules", "skills", "syntax", "permissions", "setup", "auto")}
            for a in ADAPTERS]


class Arguments(argparse.ArgumentParser):
    """argparse for the JSON CLIs (invoker.py, ipc.py): a bad argument raises IpcError
    bad_arguments instead of printing a usage text and exiting."""

    def error(self, message: str) -> NoReturn:
        hint = (" (a prompt that starts with '-' is written --prompt=TEXT; a long one is read with "
                "--prompt-file PATH, '-' for stdin)") if "--prompt" in message else ""
        raise IpcError("IPC_ERROR", f"bad arguments: {message}{hint}",
                       {"reason": "bad_arguments", "usage": self.format_usage().strip()})


def add_prompt_arguments(p: argparse.ArgumentParser) -> None:
    """--prompt TEXT (--prompt=TEXT when it starts with "-") or --prompt-file PATH: exactly one."""
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--prompt", help="the prompt; write --prompt=TEXT when it starts with '-'")
    group.add_argument("--prompt-file", metavar="PATH",
                       help="read the prompt from this UTF-8 file as it is ('-': stdin)")


def prompt_of(args: argparse.Namespace) -> str:
    """The prompt of --prompt, or read from --prompt-file (at most STDIN_MAX_BYTES, UTF-8)."""
    if args.prompt is not None:
        return str(args.prompt)
    path = str(args.prompt_file)
    try:
        if path == "-":
            data = sys.stdin.buffer.read(STDIN_MAX_BYTES + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(STDIN_MAX_BYTES + 1)
    except OSError as exc:
        raise IpcError("IPC_ERROR", f"bad arguments: --prompt-file {path}: {exc.strerror or exc}",
                       {"reason": "bad_arguments"}) from None
    if len(data) > STDIN_MAX_BYTES:
        raise IpcError("IPC_ERROR", f"the prompt of --prompt-file {path} is over {STDIN_MAX_BYTES} bytes, more than "
                                    "any agent is given: shorten it",
                       {"reason": "prompt_too_long", "limit_bytes": STDIN_MAX_BYTES})
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IpcError("IPC_ERROR", f"bad arguments: --prompt-file {path} is not UTF-8 text (byte {exc.start})",
                       {"reason": "bad_arguments"}) from None


def arguments_result(exc: IpcError) -> dict[str, object]:
    """The InvocationResult of a call whose arguments were refused: no request, so no ids."""
    return {"request_id": None, "correlation_id": None, "status": "error", "duration_ms": 0,
            "error": {"code": exc.code, "message": exc.message, "details": exc.details}}


def positive(text: str) -> float:
    value = float(text)
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return int(value) if value.is_integer() else value


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--opencode-guard"]:  # the opencode adapter runs OpenCode under this guard
        return opencode_guard(argv[1:])
    if argv[:1] == ["--qwen-guard"]:  # the qwen adapter runs Qwen Code under this guard
        return qwen_guard(argv[1:])
    if argv == ["--adapters"]:  # the adapter table as JSON, for the generator's docs and tests
        print(json.dumps(adapter_facts(), indent=2))
        return 0
    p = Arguments(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", required=True)
    p.add_argument("--action", required=True)
    add_prompt_arguments(p)
    p.add_argument("--caller", default=ROOT.name)
    p.add_argument("--timeout", type=positive, default=120)
    try:
        args = p.parse_args(argv)
        prompt = prompt_of(args)
    except IpcError as exc:  # JSON even for bad arguments (and the reason on stderr), exit 2
        print(f"invoker.py: error: {exc.message}", file=sys.stderr)
        print(json.dumps(arguments_result(exc), indent=2))
        return 2
    request = build_request(args.caller, args.target, args.action, prompt, args.timeout, hop=0)
    try:
        request["hop"] = env_hop()
        response = invoke(request)
    except IpcError as exc:
        response = error_result(request, exc.code, exc.message, 0, exc.details)
    print(json.dumps(response, indent=2))
    return 0 if response["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
