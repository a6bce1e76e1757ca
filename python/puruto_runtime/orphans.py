"""The agents a dead process left behind (a scheduler, a bot killed outright: SIGKILL, out of
memory), found by their correlation id and stopped.

Agents run in sessions of their own (process.run_agent), so they outlive the process that
started them. Each call's agent has its correlation id in its environment (CORRELATION_VAR);
every process it starts inherits it. A caller that records the id of each call before the agent
starts (cron's runs, the bot's pending messages) can, after a crash, stop every process carrying
it, with the process group of each, and know when they are gone: only then is the call over
(a cron job free to run again, a message asked again).

Processes are found through /proc (Linux), else through `ps` (macOS, the BSDs), which show the
environment a process of the same user started with. Standard library only."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterable

from .chain import CORRELATION_VAR

MARKER_VAR = CORRELATION_VAR  # the variable that marks the processes of a call

TERM_GRACE = 1.0  # seconds between SIGTERM and SIGKILL
GONE_WAIT = 5.0  # seconds to wait for killed processes to disappear


def _proc_marked(markers: set[bytes]) -> dict[int, int] | None:
    """pid -> pgid of each live process whose starting environment has one of `markers`
    (b"VAR=value"); None when there is no /proc."""
    try:
        names = os.listdir("/proc")
    except OSError:
        return None
    if "self" not in names:
        return None
    found: dict[int, int] = {}
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as fh:
                environ = set(fh.read().split(b"\0"))
            if not environ & markers:
                continue
            with open(f"/proc/{name}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile, or another user's
        if fields[0] != b"Z":  # a zombie has stopped already
            found[int(name)] = int(fields[2])
    return found


def _ps_marked(markers: set[bytes]) -> dict[int, int]:
    """The same through `ps e` (each line: pid, pgid, state, then the command with its environment)."""
    try:
        out = subprocess.run(
            ["ps", "axeww", "-o", "pid=,pgid=,stat=,command="], capture_output=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    found: dict[int, int] = {}
    for line in out.splitlines():
        words = line.split()
        if len(words) > 3 and not words[2].startswith(b"Z") and markers & set(words[3:]):
            try:
                found[int(words[0])] = int(words[1])
            except ValueError:
                continue
    return found


def marked(correlation_ids: Iterable[str], use_proc: bool = True) -> dict[int, int]:
    """pid -> pgid of the live processes started by the agents of these correlation ids."""
    markers = {f"{MARKER_VAR}={c}".encode() for c in correlation_ids if c}
    if not markers:
        return {}
    found = _proc_marked(markers) if use_proc else None
    found = _ps_marked(markers) if found is None else found
    found.pop(os.getpid(), None)
    return found


def _signal(found: dict[int, int], sig: int) -> None:
    own_group = os.getpgrp()
    for pid, pgid in found.items():
        if pgid > 1 and pgid != own_group:
            try:
                os.killpg(pgid, sig)  # group members that dropped the variable go too
            except (ProcessLookupError, PermissionError):
                pass
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def stop(correlation_ids: Iterable[str], use_proc: bool = True) -> set[int]:
    """SIGTERM, then SIGKILL, every process of these agents; returns the pids still alive
    after GONE_WAIT seconds (empty: none is left, the runs are over)."""
    ids = [c for c in correlation_ids if c]
    found = marked(ids, use_proc)
    if not found:
        return set()
    _signal(found, signal.SIGTERM)
    deadline = time.monotonic() + TERM_GRACE
    while found and time.monotonic() < deadline:
        time.sleep(0.05)
        found = marked(ids, use_proc)
    deadline = time.monotonic() + GONE_WAIT
    while found and time.monotonic() < deadline:
        _signal(found, signal.SIGKILL)
        time.sleep(0.05)
        found = marked(ids, use_proc)
    return set(found)
