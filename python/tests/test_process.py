"""Process-tree control with real children: an answer, a timeout that kills the agent and the
grandchild it started, a cancel, an adapter's give-up line, and the message fed on stdin (byte
for byte, far over a pipe's buffer, to a child that never reads it)."""

from __future__ import annotations

import os
import sys
import threading
import time
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


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


def alive(pid: int) -> bool:
    """Whether pid still runs once a SIGKILL sent to it had time to land (bounded wait: delivery is
    asynchronous, and a loaded machine may show a killed process running for a moment)."""
    deadline = time.monotonic() + 5
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return running(pid)


# A message far over a pipe's buffer (64 KiB) and one argv string (128 KiB), hostile at both ends.
BIG = (
    "-v --help $HOME \U0001f389\n"
    + "".join(f"line {i:06}: -x --help \U0001f389 caf\u00e9\n" for i in range(8000))
    + "\\"
)


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


def test_the_message_on_stdin_arrives_byte_for_byte_then_end_of_input(tmp_path: Path) -> None:
    echo = "import sys; data = sys.stdin.buffer.read(); sys.stdout.write(data.decode('utf-8')); print(len(data))"
    code, out, _ = process.run_agent([sys.executable, "-c", echo], tmp_path, request(), stdin=BIG)
    assert code == 0
    assert out == f"{BIG}{len(BIG.encode('utf-8'))}\n"
    code, out, _ = process.run_agent([sys.executable, "-c", echo], tmp_path, request())  # no stdin: /dev/null
    assert (code, out) == (0, "0\n")


def test_an_agent_that_never_reads_its_stdin_answers_and_the_writer_ends(tmp_path: Path) -> None:
    before = threading.active_count()
    code, out, _ = process.run_agent(
        [sys.executable, "-c", "print('answer without reading')"], tmp_path, request(), stdin=BIG
    )
    assert (code, out) == (0, "answer without reading\n")
    give_up = [sys.executable, "-c", "import time; print('ready', flush=True); time.sleep(60)"]  # holds stdin unread
    code, out, _ = process.run_agent(give_up, tmp_path, request(), stdin=BIG, give_up=lambda line: line == "ready\n")
    assert out == "ready\n"
    deadline = time.monotonic() + 5
    while threading.active_count() > before and time.monotonic() < deadline:  # bounded: the writer saw the end
        time.sleep(0.05)
    assert threading.active_count() <= before


def test_a_timeout_with_an_unread_message_still_kills_the_tree(tmp_path: Path) -> None:
    req = request()
    req["timeout_sec"] = 5
    pidfile = tmp_path / "pid"
    with pytest.raises(IpcError) as caught:
        process.run_agent([sys.executable, "-c", TREE, str(pidfile)], tmp_path, req, stdin=BIG)
    assert caught.value.code == "TIMEOUT"
    assert not alive(int(pidfile.read_text()))


def test_feed_stdin_stops_when_told_even_if_nobody_reads(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    stop = threading.Event()
    writer = threading.Thread(target=process.feed_stdin, args=(write_end, BIG.encode("utf-8") * 4, stop))
    writer.start()
    writer.join(0.5)
    assert writer.is_alive()  # blocked on the full pipe: nobody reads
    stop.set()
    writer.join(10)
    assert not writer.is_alive()
    with pytest.raises(OSError, match="Bad file descriptor"):
        os.fstat(write_end)  # closed by the writer
    os.close(read_end)


def test_feed_stdin_ends_quietly_when_the_reader_is_gone() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the agent ended before reading (EPIPE; Python ignores SIGPIPE)
    process.feed_stdin(write_end, BIG.encode("utf-8"), threading.Event())
    with pytest.raises(OSError, match="Bad file descriptor"):
        os.fstat(write_end)


def test_a_missing_binary_with_a_message_leaks_no_descriptor(tmp_path: Path) -> None:
    before = len(os.listdir("/proc/self/fd"))
    with pytest.raises(IpcError) as caught:
        process.run_agent(["/nonexistent/agent"], tmp_path, request(), stdin="hello")
    assert caught.value.details["reason"] == "agent_not_started"
    assert len(os.listdir("/proc/self/fd")) == before
