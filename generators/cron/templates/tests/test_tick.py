"""tick and run-now with the stub agent: runs recorded, error codes, retries and backoff,
notification lines and their replication, and the `run` loop stopping on SIGTERM."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import LONG_AGO, Cli, Cron, Sql, WriteJobs, clean_env, events, job

import db
import executor
from jobs import Job

RUN_ID = re.compile(r"^[a-z0-9-]+-\d{8}T\d{6}$")


def test_tick_runs_only_due_enabled_jobs_and_records_them(
    cli: Cli, cron: Cron, sql: Sql, write_jobs: WriteJobs, cron_dir: Path
) -> None:
    write_jobs([job("due"), job("off", enabled=False)])
    cron.sync(at=LONG_AGO)  # next runs on 2001-01-01: due by the real clock
    write_jobs([job("due"), job("later"), job("off", enabled=False)])
    assert cli("sync-jobs")[1]["unchanged"] == ["due", "off"]  # their next runs are kept; "later" is not due
    code, out, _ = cli("tick")
    assert code == 0 and out["status"] == "ok" and out["due_jobs"] == ["due"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", out["now"])
    assert re.fullmatch(r".+:\d+", out["lease_owner"])
    [result] = out["results"]
    assert result["status"] == "ok" and result["attempts"] == 1 and RUN_ID.match(result["run_id"])
    [run] = sql("SELECT * FROM runs")
    assert (run["job_id"], run["status"], run["run_id"]) == ("due", "ok", result["run_id"])
    assert json.loads(run["result_json"])["response"]["result"]["stub"] is True
    row = sql("SELECT * FROM jobs WHERE job_id = 'due'")[0]
    assert row["next_run_at"] > out["now"] and row["last_run_at"] and row["lease_owner"] is None
    assert (cron_dir / "runs" / f"{result['run_id']}.json").is_file()
    assert cli("tick")[1]["due_jobs"] == []  # rescheduled: nothing due now
    status = cli("status")[1]
    assert status["recent_runs"][0].keys() == {"run_id", "job_id", "started_at", "finished_at", "status"}
    assert status["notification_targets"] == {
        "local_events": "notifications/events.jsonl",
        "telegram_outbox": "../puruto-telegram/inbox/cron-events.jsonl",
        "telegram_repo_exists": False,
    }


def test_run_now_and_its_error_codes(cli: Cli, cron: Cron, write_jobs: WriteJobs) -> None:
    write_jobs([job("a"), job("off", enabled=False)])
    cli("sync-jobs")
    code, out, _ = cli("run-now", "a")
    assert code == 0 and out["status"] == "ok" and out["job_id"] == "a"
    assert cli("run-now", "nope")[1]["error"]["code"] == "JOB_NOT_FOUND"
    code, out, _ = cli("run-now", "off")
    assert code == 1 and out["error"]["code"] == "JOB_DISABLED"
    now = datetime.now(timezone.utc).replace(microsecond=0)
    with closing(cron.db()) as conn:  # another scheduler holds the job for an hour
        assert db.acquire_lease(conn, "a", "other:1", db.iso(now), db.iso(now + timedelta(hours=1)), due_only=False)
    code, out, r = cli("run-now", "a")
    assert code == 1 and out["error"]["code"] == "JOB_LOCKED" and "other:1" in out["error"]["message"]
    assert "Traceback" not in r.stderr
    assert cron.run_now("a", at=now + timedelta(minutes=59))["error"]["code"] == "JOB_LOCKED"
    assert cron.run_now("a", at=now + timedelta(hours=1))["status"] == "ok"  # its lease has expired


def test_notification_lines_and_no_replication_without_telegram(
    cli: Cli, write_jobs: WriteJobs, cron_dir: Path
) -> None:
    write_jobs([job("ok"), job("bad", puruto_target="puruto-missing", max_retries=1)])
    cli("sync-jobs")
    assert cli("run-now", "ok")[0] == 0
    code, out, _ = cli("run-now", "bad")
    assert code == 1 and out["status"] == "error" and out["attempts"] == 2
    success, failure = events(cron_dir)
    assert list(success) == ["ts", "job_id", "run_id", "attempt", "result"]
    assert success["ts"].endswith("Z") and RUN_ID.match(success["run_id"]) and success["attempt"] == 1
    assert list(success["result"]) == ["status", "request", "response"]
    assert success["result"]["request"]["target"] == "puruto-target"
    assert list(failure) == ["ts", "job_id", "run_id", "attempts", "error"]
    assert failure["attempts"] == 2 and failure["error"]["code"] == "INVOKER_ERROR_STATUS"
    assert set(failure["error"]) == {"code", "message", "details"}
    assert failure["error"]["details"]["response"]["error"]["code"] == "TARGET_NOT_FOUND"
    assert not (cron_dir.parent / "puruto-telegram").exists()


def test_replication_to_the_telegram_inbox_only_when_the_repo_exists(
    cli: Cli, write_jobs: WriteJobs, cron_dir: Path, tmp_path: Path
) -> None:
    write_jobs([job("a")])
    cli("sync-jobs")
    (tmp_path / "puruto-telegram").mkdir()
    assert cli("status")[1]["notification_targets"]["telegram_repo_exists"] is True
    cli("run-now", "a")
    inbox = tmp_path / "puruto-telegram" / "inbox" / "cron-events.jsonl"
    assert inbox.read_text() == (cron_dir / "notifications" / "events.jsonl").read_text()
    other = tmp_path / "tg2"
    other.mkdir()
    cli("run-now", "a", env={"PURUTO_TELEGRAM_PATH": str(other), "PURUTO_TELEGRAM_OUTBOX_FILE": "in/x.jsonl"})
    assert len((other / "in" / "x.jsonl").read_text().splitlines()) == 1
    assert len(inbox.read_text().splitlines()) == 1
    write_jobs([job("quiet", notify_channel="none")])
    cli("sync-jobs")
    cli("run-now", "quiet")
    assert len(inbox.read_text().splitlines()) == 1  # local only
    assert len(events(cron_dir)) == 3


def test_retries_with_exponential_backoff(cron: Cron, write_jobs: WriteJobs) -> None:
    write_jobs([job("bad", puruto_target="puruto-missing", max_retries=3, retry_backoff_sec=5)])
    cron.sync()
    slept: list[float] = []
    out = cron.run_now("bad", sleep=slept.append)
    assert out["status"] == "error" and out["attempts"] == 4
    assert slept == [5, 10, 20]


def test_a_retry_that_succeeds_reports_its_attempt(
    cron: Cron, write_jobs: WriteJobs, cron_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_jobs([job("flaky", max_retries=2, retry_backoff_sec=1)])
    cron.sync()
    real, calls = executor.invoke_once, []

    def flaky(conn: sqlite3.Connection, j: Job, run_id: str, root: Path) -> tuple[dict[str, Any], dict[str, Any]]:
        calls.append(1)
        request, response = real(conn, j, run_id, root)
        return (
            (request, {**response, "status": "error", "error": {"code": "TIMEOUT", "message": "slow"}})
            if len(calls) == 1
            else (request, response)
        )

    monkeypatch.setattr(executor, "invoke_once", flaky)
    slept: list[float] = []
    out = cron.run_now("flaky", sleep=slept.append)
    assert (out["status"], out["attempts"], slept) == ("ok", 2, [1])
    assert events(cron_dir)[-1]["attempt"] == 2


def test_run_loop_ticks_and_stops_cleanly_on_sigterm(
    cron: Cron, write_jobs: WriteJobs, sql: Sql, cron_dir: Path
) -> None:
    write_jobs([job("a")])
    cron.sync(at=LONG_AGO)
    proc = subprocess.Popen(
        [sys.executable, str(cron_dir / "main.py"), "run"],
        cwd=cron_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env({"PURUTO_CRON_POLL_SECONDS": "0.2"}),
    )
    assert proc.stdout is not None  # stdout=PIPE
    try:
        assert json.loads(proc.stdout.readline())["status"] == "running"
        first = json.loads(proc.stdout.readline())
        assert first["due_jobs"] == ["a"] and first["results"][0]["status"] == "ok"
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    last = json.loads(out[out.rindex("\n{") + 1 :] if "\n{" in out else out)
    assert last["status"] == "stopped" and last["signal"] == "SIGTERM" and last["ticks"] >= 2
    assert len(sql("SELECT * FROM runs")) == 1
