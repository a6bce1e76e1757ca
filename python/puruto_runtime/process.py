"""Process-tree control of an agent: run it in its own session, read its output, and on a
timeout, a cancel or an adapter's give-up kill its whole tree (grandchildren that left the
group included, found through the subreaper and /proc)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from .chain import CALLER_VAR, CORRELATION_VAR, HOP_VAR
from .errors import IpcError
from .invocation import tail
from .shapes import InvocationRequest

KILL_GRACE_SEC = 1  # between SIGTERM and SIGKILL of a timed-out agent's process tree
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

        return bool(ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def process_table() -> dict[int, int]:
    """pid -> parent pid of every process (Linux /proc; elsewhere empty)."""
    table: dict[int, int] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return table
    for name in entries:
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as fh:
                    stat = fh.read(4096)
                table[int(name)] = int(stat.rsplit(b")", 1)[1].split()[1])
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


def run_agent(
    argv: list[str],
    cwd: Path,
    request: InvocationRequest,
    cancel: threading.Event | None = None,
    extra_env: dict[str, str] | None = None,
    give_up: Callable[[str], bool] | None = None,
) -> tuple[int, str, str]:
    """Runs argv in its own session, in `cwd` (PWD too); on timeout kills its whole process
    tree -> TIMEOUT with the tail of its stderr. `cancel` (a threading.Event, optional):
    once set, the tree is killed -> IPC_ERROR cancelled. `give_up` (optional): sees each
    stdout line as it comes; the first one it is true for ends the agent (its tree is killed)
    and what was printed so far is returned: how an adapter caps retries no flag can cap."""
    env = dict(os.environ)
    env.update(extra_env or {})
    env.update(
        {
            CORRELATION_VAR: request["correlation_id"],
            HOP_VAR: str(request["hop"] + 1),
            CALLER_VAR: request["caller"],
            "PWD": str(cwd),
        }
    )
    become_subreaper()
    try:
        with _ACTIVE_LOCK:
            proc = subprocess.Popen(
                argv,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                errors="replace",
                start_new_session=True,
            )
            _ACTIVE.add(proc.pid)
    except OSError as exc:
        raise IpcError(
            "IPC_ERROR", f"cannot start the agent {argv[0]!r}: {exc}", {"reason": "agent_not_started", "argv0": argv[0]}
        ) from None
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
                    raise IpcError(
                        "IPC_ERROR",
                        f"the call to {request['target']} was cancelled; its agent and every "
                        "process it started were killed",
                        {"reason": "cancelled"},
                    ) from None
                if time.monotonic() >= deadline:
                    break
        _, err = kill_tree(proc)
        raise IpcError(
            "TIMEOUT",
            f"{request['target']} did not answer within {request['timeout_sec']} s; "
            "its agent and every process it started were killed",
            {"timeout_sec": request["timeout_sec"], "stderr": tail(err)},
        )
    finally:
        with _ACTIVE_LOCK:
            _ACTIVE.discard(proc.pid)
        reap_orphans()


def watch_agent(
    proc: subprocess.Popen[str],
    request: InvocationRequest,
    cancel: threading.Event | None,
    deadline: float,
    give_up: Callable[[str], bool],
) -> tuple[int, str, str]:
    """run_agent reading the agent's output line by line (two reader threads) so that
    `give_up` can stop it early; timeout and cancel as in run_agent."""
    out: list[str] = []
    err: list[str] = []
    stop = threading.Event()

    def pump(stream: IO[str], sink: list[str], watch: bool) -> None:
        for line in stream:
            sink.append(line)
            if watch and not stop.is_set() and give_up(line):
                stop.set()

    readers = [
        threading.Thread(target=pump, args=(proc.stdout, out, True), daemon=True),
        threading.Thread(target=pump, args=(proc.stderr, err, False), daemon=True),
    ]
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
        raise IpcError(
            "IPC_ERROR",
            f"the call to {request['target']} was cancelled; its agent and every process it started were killed",
            {"reason": "cancelled"},
        )
    if why == "timeout":
        raise IpcError(
            "TIMEOUT",
            f"{request['target']} did not answer within {request['timeout_sec']} s; "
            "its agent and every process it started were killed",
            {"timeout_sec": request["timeout_sec"], "stderr": tail("".join(err))},
        )
    return proc.returncode if proc.returncode is not None else proc.wait(), "".join(out), "".join(err)


def kill_tree(proc: subprocess.Popen[str]) -> tuple[str, str]:
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


def signal_all(proc: subprocess.Popen[str], pids: set[int], sig: int) -> None:
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
