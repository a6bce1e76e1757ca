"""Process-tree control with real children: an answer, a timeout that kills the agent and the
grandchild it started, a cancel, and an adapter's give-up line."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest
from helpers import request

from puruto_runtime import process
from puruto_runtime.errors import IpcError

# A child that starts a sleeping grandchild (its pid written to argv[1]), prints a line, then sleeps.
TREE = (
    "import subprocess, sys, time\n"
    "g = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
    "open(sys.argv[1], 'w').write(str(g.pid))\n"
    "print('started', flush=True)\n"
    "time.sleep(60)\n"
)


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


def test_an_answer_and_the_chain_variables(tmp_path: Path) -> None:
    req = request()
    req["hop"] = 1
    script = "import os; print(os.environ['PURUTO_IPC_HOP'], os.environ['PURUTO_IPC_CALLER'], os.getcwd())"
    code, out, err = process.run_agent([sys.executable, "-c", script], tmp_path, req, extra_env={"X": "1"})
    assert (code, out.split(), err) == (0, ["2", "puruto-a", str(tmp_path)], "")


def test_a_missing_binary_is_agent_not_started(tmp_path: Path) -> None:
    with pytest.raises(IpcError) as caught:
        process.run_agent(["/nonexistent/agent"], tmp_path, request())
    assert caught.value.details["reason"] == "agent_not_started"


def test_a_timeout_kills_the_agent_and_its_grandchild(tmp_path: Path) -> None:
    req = request()
    req["timeout_sec"] = 5  # time enough for the child to start its grandchild on a loaded machine
    pidfile = tmp_path / "pid"
    with pytest.raises(IpcError) as caught:
        process.run_agent([sys.executable, "-c", TREE, str(pidfile)], tmp_path, req)
    assert caught.value.code == "TIMEOUT"
    assert not alive(int(pidfile.read_text()))


def test_a_cancel_kills_the_tree(tmp_path: Path) -> None:
    cancel = threading.Event()
    pidfile = tmp_path / "pid"
    threading.Timer(0.5, cancel.set).start()
    with pytest.raises(IpcError) as caught:
        process.run_agent([sys.executable, "-c", TREE, str(pidfile)], tmp_path, request(), cancel)
    assert caught.value.details == {"reason": "cancelled"}
    assert not alive(int(pidfile.read_text()))


def test_give_up_stops_the_agent_and_returns_what_it_printed(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    code, out, _ = process.run_agent(
        [sys.executable, "-c", TREE, str(pidfile)], tmp_path, request(), give_up=lambda line: line.startswith("started")
    )
    assert out == "started\n"
    assert code != 0
    assert not alive(int(pidfile.read_text()))


def test_the_process_table_and_a_gone_group() -> None:
    table = process.process_table()
    assert table[os.getpid()] == os.getppid()
    assert process.group_gone(2**22 + 12345, wait_sec=0.1)  # no such group
