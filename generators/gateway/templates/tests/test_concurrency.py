"""Invocations run side by side on a bounded pool while /health and the GET routes answer.

The agent is the invoker's `command` adapter running a small script that records when it
started and ended (and can wait for the test to release it): overlap is proven from those
recorded intervals and from the order of events, never from elapsed time."""

from __future__ import annotations

import os
import shlex
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import pytest
from conftest import Workspace
from fastapi.testclient import TestClient

import app as app_module
from puruto_runtime.settings import SettingsError

AGENT = """
import json, os, sys, time
log, name, release, sleep = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
start = time.time()
with open(os.path.join(log, name + ".start"), "w") as f:
    f.write(str(start))
deadline = start + 60  # bounded: never waits forever for the test
while release != "-" and not os.path.exists(release) and time.time() < deadline:
    time.sleep(0.05)
time.sleep(sleep)
print(json.dumps({"summary": "done", "name": name, "start": start, "end": time.time()}))
"""


class UseAgent(Protocol):
    def __call__(self, release: str = "-", sleep: float = 0.0) -> Path: ...


@pytest.fixture
def agent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> UseAgent:
    """agent(release="-", sleep=0.0): sets PURUTO_AGENT=command to the recording script."""
    script, log = tmp_path / "agent.py", tmp_path / "log"
    script.write_text(AGENT, encoding="utf-8")
    log.mkdir()

    def use(release: str = "-", sleep: float = 0.0) -> Path:
        monkeypatch.setenv("PURUTO_AGENT", "command")
        monkeypatch.setenv(
            "PURUTO_AGENT_COMMAND",
            " ".join(shlex.quote(w) for w in (sys.executable, str(script), str(log), "{prompt}", release, str(sleep))),
        )
        return log

    return use


def post_all(client: TestClient, auth: dict[str, str], names: list[str]) -> dict[str, dict[str, Any]]:
    """POSTs one invocation per name from its own thread; returns each response body."""
    out: dict[str, dict[str, Any]] = {}

    def one(name: str) -> None:
        r = client.post("/purutos/puruto-notes/status", headers=auth, json={"prompt": name, "timeout_sec": 60})
        out[name] = r.json()

    threads = [threading.Thread(target=one, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    return out


def wait_for(predicate: Callable[[], bool], what: str, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)


def max_overlap(intervals: list[tuple[float, float]]) -> int:
    events = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
    running = deepest = 0
    for _, step in events:
        running += step
        deepest = max(deepest, running)
    return deepest


SERVER_THREADS = 40  # the server's own thread pool (anyio's default) that runs the sync GET routes


def test_invocations_run_at_the_same_time_while_health_and_gets_answer(
    ws: Workspace, agent: UseAgent, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """More agents running than the server has threads: the GET routes still answer, because
    invocations run on their own pool."""
    ws.folder("puruto-notes")
    release = tmp_path / "release"
    log = agent(release=str(release))
    count = SERVER_THREADS + 1
    monkeypatch.setenv("PURUTO_GATEWAY_API_KEY", auth["X-API-Key"])
    monkeypatch.setenv("PURUTO_GATEWAY_MAX_PARALLEL", str(count))
    names = [f"call-{i}" for i in range(count)]
    with TestClient(app_module.create_app(ws.gateway)) as client:
        results: dict[str, dict[str, Any]] = {}
        poster = threading.Thread(target=lambda: results.update(post_all(client, auth, names)))
        poster.start()
        try:
            # every agent has started, and none can finish before the release file exists
            wait_for(lambda: len(list(log.glob("*.start"))) == count, f"{count} agents running at once", 60)
            assert client.get("/health").json() == {"status": "ok", "service": "puruto-gateway"}
            assert client.get("/purutos", headers=auth).json()["count"] == 1
            assert client.get("/purutos/puruto-notes", headers=auth).status_code == 200
            assert results == {}, "no invocation finished before the release"
        finally:
            release.touch()
            poster.join(90)
    assert sorted(results) == sorted(names)
    for name, body in results.items():
        assert body["invocation"]["status"] == "ok", body
        assert body["invocation"]["result"]["name"] == name


def test_at_most_max_parallel_invocations_run_at_once(
    ws: Workspace, agent: UseAgent, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws.folder("puruto-notes")
    agent(sleep=0.8)
    monkeypatch.setenv("PURUTO_GATEWAY_API_KEY", auth["X-API-Key"])
    monkeypatch.setenv("PURUTO_GATEWAY_MAX_PARALLEL", "2")
    with TestClient(app_module.create_app(ws.gateway)) as client:
        results = post_all(client, auth, [f"call-{i}" for i in range(6)])
    assert len(results) == 6 and all(b["invocation"]["status"] == "ok" for b in results.values()), results
    intervals = [(b["invocation"]["result"]["start"], b["invocation"]["result"]["end"]) for b in results.values()]
    assert max_overlap(intervals) == 2, intervals


@pytest.mark.parametrize("value", ["0", "-1", "many", "1.5", "257"])
def test_a_bad_max_parallel_is_one_clear_error(ws: Workspace, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("PURUTO_GATEWAY_MAX_PARALLEL", value)
    with pytest.raises(
        SettingsError,
        match=r"PURUTO_GATEWAY_MAX_PARALLEL=.* must be a whole number from 1 "
        r"to 256",
    ):
        app_module.create_app(ws.gateway)


def test_a_fifo_env_file_is_one_clear_error_not_a_wait(ws: Workspace) -> None:
    os.mkfifo(ws.gateway / ".env")
    with pytest.raises(SettingsError, match=r"\.env is a FIFO \(named pipe\), not a regular file"):
        app_module.create_app(ws.gateway)


def test_max_parallel_default_and_value(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    assert app_module.create_app(ws.gateway).state.pool._max_workers == app_module.DEFAULT_MAX_PARALLEL == 8
    monkeypatch.setenv("PURUTO_GATEWAY_MAX_PARALLEL", "3")
    assert app_module.create_app(ws.gateway).state.pool._max_workers == 3


def test_a_bad_max_parallel_stops_uvicorn_with_one_line(ws: Workspace, tmp_path: Path) -> None:
    import subprocess

    repo = Path(app_module.__file__).resolve().parent
    env = {
        "PATH": "/usr/bin:/bin",
        "PURUTO_GATEWAY_MAX_PARALLEL": "lots",
        "PYTHONDONTWRITEBYTECODE": "1",
        **({"PYTHONPATH": p} if (p := os.environ.get("PYTHONPATH")) else {}),
    }
    r = subprocess.run(
        [sys.executable, "-c", "import app"], cwd=repo, capture_output=True, text=True, timeout=60, check=False, env=env
    )
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [
        (
            "puruto-gateway: PURUTO_GATEWAY_MAX_PARALLEL='lots' must be a whole "
            "number from 1 to 256: fix it in .env (default 8)"
        )
    ]


def test_the_invocation_pool_stops_with_the_server(ws: Workspace) -> None:
    """The app's lifespan shuts the pool down when the server stops (no thread left waiting for work)."""
    app = app_module.create_app(ws.gateway)
    with TestClient(app) as client:
        assert client.get("/health").status_code == 200
        assert not app.state.pool._shutdown
    assert app.state.pool._shutdown
