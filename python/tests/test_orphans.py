"""orphans: the processes of a call, found by the correlation id in their environment (through
/proc and through `ps`), stopped with their process group, and nobody else's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from puruto_runtime import orphans

# Started with a call's correlation id, in a session of its own: it starts a child that drops
# the variable (same process group), prints the child's pid, and both sleep.
PARENT = (
    "import os, subprocess, sys, time\n"
    "env = {k: v for k, v in os.environ.items() if k != 'PURUTO_IPC_CORRELATION_ID'}\n"
    "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'], env=env)\n"
    "print(child.pid, flush=True)\n"
    "time.sleep(120)\n"
)


def alive(pid: int) -> bool:
    """True while pid runs (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return False


@pytest.mark.parametrize("use_proc", [True, False], ids=["proc", "ps"])
def test_the_processes_of_a_call_are_found_by_its_id_and_stopped_with_their_group(use_proc: bool) -> None:
    marker = f"corr-test-{os.getpid()}-{use_proc}"
    p = subprocess.Popen(
        [sys.executable, "-c", PARENT],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, orphans.MARKER_VAR: marker},
    )
    child = 0
    try:
        assert p.stdout is not None
        child = int(p.stdout.readline())
        assert orphans.marked([marker], use_proc) == {p.pid: p.pid}  # the child dropped the id
        assert orphans.marked(["corr-someone-else"], use_proc) == {}
        assert orphans.marked([""], use_proc) == {}
        assert orphans.stop([marker], use_proc) == set()
        p.wait(timeout=30)
        deadline = time.monotonic() + 30
        while alive(child):  # stopped with its group; init reaps it
            assert time.monotonic() < deadline, "the child of the group survived"
            time.sleep(0.05)
    finally:
        for pid in (p.pid, child):
            if pid and alive(pid):
                os.kill(pid, signal.SIGKILL)
        if p.poll() is None:
            p.wait()


def test_nothing_to_stop_returns_at_once() -> None:
    assert orphans.stop([]) == set()
    assert orphans.stop([f"corr-nobody-{os.getpid()}"]) == set()
