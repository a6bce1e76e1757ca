"""The agents a dead scheduler left behind, found and stopped before their job runs again.

A scheduler killed outright (SIGKILL, out of memory) leaves its agents working: they run in
sessions of their own. Each run's agent is started with a correlation id of its own in its
environment (PURUTO_IPC_CORRELATION_ID, recorded in the run's row); every process it starts
inherits it. When the lease of a run's scheduler has expired, the next scheduler stops every
process carrying that id (and the process group of each), and waits until they are gone: only
then is the run `interrupted` and the job free. A process that survives keeps the job from
starting, so a job never runs twice at once, across scheduler deaths too.

Processes are found through /proc (Linux), else through `ps` (macOS, the BSDs), which show the
environment a process of the same user started with. Standard library only."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterable

MARKER_VAR = "PURUTO_IPC_CORRELATION_ID"  # the invoker's name for it (invoker.CORRELATION_VAR)
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
