"""Jobs at agent speed, with a command agent that sleeps and records each call: due jobs run
side by side on a bounded pool, a failed attempt is rescheduled (never slept on), the lease
is renewed while a job runs, and a run whose scheduler was killed becomes `interrupted`."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import pytest
from conftest import DUE, LONG_AGO, Agent, Cli, Cron, Sql, WriteJobs, clean_env, events, job, max_concurrent

import db
import executor
from jobs import Job

UTC = timezone.utc
T = TypeVar("T")


def wait_for(predicate: Callable[[], T | None], what: str, seconds: float = 60) -> T:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def test_due_jobs_run_side_by_side_on_a_bounded_pool(
    cron: Cron, write_jobs: WriteJobs, agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in agent["env"].items():
        monkeypatch.setenv(key, value)
    write_jobs([job(f"j{i}", prompt=f"sleep=1.5 j{i}") for i in range(6)])
    cron.sync()
    default = cron.settings
    cron.settings = dataclasses.replace(default, max_parallel=3)
    out = cron.tick(at=DUE)
    assert [x["status"] for x in out["results"]] == ["ok"] * 6, out
    assert [x["job_id"] for x in out["results"]] == out["due_jobs"]  # results in due order
    calls = agent["calls"]()
    assert sum(c["event"] == "start" for c in calls) == 6
    assert max_concurrent(calls) == 3
    agent["log"].unlink()
    cron.settings = default
    again = cron.tick(at=DUE.replace(year=DUE.year + 1))  # the next first of January; the default pool: 4
    assert [x["status"] for x in again["results"]] == ["ok"] * 6, again
    assert max_concurrent(agent["calls"]()) == 4


def test_a_job_without_action_is_sent_as_a_message(cli: Cli, write_jobs: WriteJobs, cron_dir: Path) -> None:
    write_jobs([job("free", prompt="What changed today?"), job("skill", action="digest"), job("nope", action="nope")])
    cli("sync-jobs")
    code, out, _ = cli("run-now", "free")
    assert code == 0
    [event] = events(cron_dir)
    request = event["result"]["request"]
    assert (request["action"], request["prompt"]) == ("message", "What changed today?")
    assert not event["result"]["response"]["result"]["message"].startswith("/")
    assert cli("run-now", "skill")[1]["status"] == "ok"
    code, out, _ = cli("run-now", "nope")  # a skill the target lacks: refused before any agent starts
    assert code == 1
    response = events(cron_dir)[-1]["error"]["details"]["response"]
    assert response["error"]["code"] == "TARGET_NOT_FOUND"
    assert response["error"]["details"]["reason"] == "skill_not_found"


def open_db(cron_dir: Path) -> sqlite3.Connection:
    conn = db.connect(cron_dir / "db" / "cron.db")
    db.init_db(conn)
    return conn


def test_a_failed_attempt_is_rescheduled_instead_of_slept_on(
    cron: Cron, write_jobs: WriteJobs, sql: Sql, cron_dir: Path
) -> None:
    write_jobs([job("bad", puruto_target="puruto-missing", max_retries=2, retry_backoff_sec=60), job("good")])
    t = datetime(2030, 1, 1, tzinfo=UTC)
    cron.sync(at=t - timedelta(days=1))  # both first fire at t

    def tick(now: datetime) -> dict[str, Any]:
        return cron.tick(at=now, sleep=lambda s: pytest.fail("a pass never sleeps"))

    out = {r["job_id"]: r for r in tick(t)["results"]}
    assert out["good"]["status"] == "ok"
    assert out["bad"]["status"] == "retry_scheduled" and out["bad"]["attempt"] == 1
    assert out["bad"]["retry_at"] == "2030-01-01T00:01:00Z"
    [run] = sql("SELECT * FROM runs WHERE job_id = 'bad'")
    assert run["status"] == "retrying" and run["finished_at"] is None
    assert json.loads(run["error_json"])["code"] == "TARGET_NOT_FOUND"
    assert sql("SELECT lease_owner, retry_attempt FROM jobs WHERE job_id = 'bad'")[0] == {
        "lease_owner": None,
        "retry_attempt": 1,
    }
    assert tick(t + timedelta(seconds=59))["due_jobs"] == []
    second = tick(t + timedelta(seconds=60))["results"][0]
    assert (second["status"], second["attempt"], second["retry_at"]) == ("retry_scheduled", 2, "2030-01-01T00:03:00Z")
    final = tick(t + timedelta(seconds=180))["results"][0]
    assert (final["status"], final["attempts"], final["run_id"]) == ("error", 3, run["run_id"])
    runs = sql("SELECT * FROM runs WHERE job_id = 'bad'")
    assert len(runs) == 1 and runs[0]["status"] == "error"
    failures = [e for e in events(cron_dir) if e["job_id"] == "bad"]
    assert len(failures) == 1 and failures[0]["attempts"] == 3  # one notification, at the end
    row = sql("SELECT * FROM jobs WHERE job_id = 'bad'")[0]
    assert (row["retry_attempt"], row["retry_run_id"], row["next_run_at"]) == (0, None, "2031-01-01T00:00:00Z")


def test_backoff_is_capped_at_a_day() -> None:
    assert executor.backoff(Job.of(job("a", retry_backoff_sec=86400)), 100) == 86400
    assert executor.backoff(Job.of(job("a", retry_backoff_sec=5)), 3) == 20


def start_tick(cron_dir: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(cron_dir / "main.py"), "tick"],
        cwd=cron_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(env),
    )


def started(agent: Agent) -> list[dict[str, Any]]:
    return [c for c in agent["calls"]() if c["event"] == "start"]


def test_the_lease_is_renewed_while_a_job_runs(
    cli: Cli, cron: Cron, write_jobs: WriteJobs, sql: Sql, cron_dir: Path, agent: Agent
) -> None:
    write_jobs([job("long", prompt="hold long")])
    cron.sync(at=LONG_AGO)  # due by the real clock the `tick` process reads
    env = {**agent["env"], "PURUTO_CRON_LEASE_SECONDS": "2"}
    hold = agent["log"].with_name(agent["log"].name + ".hold")
    hold.write_text("")
    proc = start_tick(cron_dir, env)
    try:
        wait_for(lambda: started(agent), "the agent to start")
        first = sql("SELECT lease_expires_at FROM jobs")[0]["lease_expires_at"]
        # Past the first lease's end: only renewals keep the job leased now.
        wait_for(lambda: time.time() > db.parse_iso(first).timestamp() + 1.5, "the first lease to end")
        renewed = sql("SELECT lease_owner, lease_expires_at FROM jobs")[0]
        assert renewed["lease_expires_at"] > first and renewed["lease_owner"].endswith(f":{proc.pid}")
        code, other, _ = cli("tick", env=env)  # a second scheduler
        assert code == 0 and other["results"] == [
            {"job_id": "long", "status": "skipped", "reason": "leased by another scheduler or already run"}
        ]
        code, now, _ = cli("run-now", "long", env=env)
        assert code == 1 and now["error"]["code"] == "JOB_LOCKED"
    finally:
        hold.unlink()
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert json.loads(out)["results"][0]["status"] == "ok"
    assert len(started(agent)) == 1 and len(sql("SELECT * FROM runs")) == 1


def test_a_run_whose_scheduler_was_killed_becomes_interrupted(
    cli: Cli, cron: Cron, write_jobs: WriteJobs, sql: Sql, cron_dir: Path, agent: Agent
) -> None:
    write_jobs([job("doomed", prompt="hold doomed")])
    cron.sync(at=LONG_AGO)
    env = {**agent["env"], "PURUTO_CRON_LEASE_SECONDS": "2"}
    hold = agent["log"].with_name(agent["log"].name + ".hold")
    hold.write_text("")
    proc = start_tick(cron_dir, env)
    try:
        [call] = wait_for(lambda: started(agent), "the agent to start")
        assert sql("SELECT status FROM runs")[0]["status"] == "running"
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=30)
        hold.unlink()
        for pid in {c["pid"] for c in started(agent)}:  # the orphaned agent, by its own pid
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    assert sql("SELECT status FROM runs")[0]["status"] == "running"  # nobody has noticed yet

    # passes before the lease's end skip the job; the first after it takes it over
    def next_pass() -> dict[str, Any] | None:
        code, out, _ = cli("tick", env=env)
        assert code == 0
        return out if [r for r in out["results"] if r["status"] != "skipped"] else None

    out = wait_for(next_pass, "the dead scheduler's lease to expire")
    assert out["results"][0]["status"] == "ok"  # the job was free again and ran
    runs = sql("SELECT * FROM runs ORDER BY started_at, rowid")
    assert [r["status"] for r in runs] == ["interrupted", "ok"]
    assert runs[0]["finished_at"] and runs[0]["owner"].endswith(f":{proc.pid}")
    error = json.loads(runs[0]["error_json"])
    assert error["code"] == "INTERRUPTED" and str(proc.pid) in error["message"]
    assert sql("SELECT lease_owner FROM jobs")[0]["lease_owner"] is None


def test_a_running_run_is_marked_interrupted_by_the_next_pass_once_its_lease_expired(
    cli: Cli, write_jobs: WriteJobs, sql: Sql, cron_dir: Path
) -> None:
    write_jobs([job("a"), job("b")])
    cli("sync-jobs")
    conn = open_db(cron_dir)
    # What a scheduler killed mid-run leaves: a `running` run and a lease that has expired;
    # b's scheduler is alive (its lease runs to 2999).
    start = "2001-01-01T00:00:00Z"
    assert db.acquire_lease(conn, "a", "gone:42", start, "2001-01-01T00:02:00Z", due_only=False)
    assert db.acquire_lease(conn, "b", "alive:1", start, "2999-01-01T00:00:00Z", due_only=False)
    db.start_run(conn, "a-20010101T000000", "a", start, "gone:42")
    db.start_run(conn, "b-20010101T000000", "b", start, "alive:1")
    out = cli("tick")[1]
    assert out["interrupted_runs"] == ["a-20010101T000000"] and out["due_jobs"] == []
    assert {r["run_id"]: r["status"] for r in sql("SELECT run_id, status FROM runs")} == {
        "a-20010101T000000": "interrupted",
        "b-20010101T000000": "running",
    }  # b's lease is alive
    assert sql("SELECT lease_owner FROM jobs WHERE job_id = 'a'")[0]["lease_owner"] is None
    assert cli("run-now", "a")[1]["status"] == "ok"  # free again
