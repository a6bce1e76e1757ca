"""init-db, the schema, sync-jobs (valid and invalid), cron syntax, pause/resume."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import LONG_AGO, Cli, Cron, Sql, WriteJobs, job

import schedule

# The standard's columns (SPEC §8) first, then ours.
JOBS_COLUMNS = [
    "job_id",
    "enabled",
    "puruto_target",
    "schedule",
    "prompt",
    "notify_channel",
    "timeout_sec",
    "max_retries",
    "retry_backoff_sec",
    "next_run_at",
    "last_run_at",
    "lease_owner",
    "lease_expires_at",
    "action",
    "timezone",
    "catch_up",
    "schedule_tz",
    "retry_attempt",
    "retry_run_id",
]
RUNS_COLUMNS = [
    "run_id",
    "job_id",
    "started_at",
    "finished_at",
    "status",
    "result_json",
    "error_json",
    "owner",
    "correlation_id",
]


def test_init_db_creates_the_schema(cli: Cli, sql: Sql) -> None:
    code, out, _ = cli("init-db")
    assert code == 0 and out == {"status": "ok", "db_path": "db/cron.db", "created": True}
    assert [r["name"] for r in sql("PRAGMA table_info(jobs)")] == JOBS_COLUMNS
    assert [r["name"] for r in sql("PRAGMA table_info(runs)")] == RUNS_COLUMNS
    assert [r["name"] for r in sql("PRAGMA table_info(jobs)") if r["pk"]] == ["job_id"]
    assert cli("init-db")[1]["created"] is False


def test_the_scaffold_sample_job_syncs_disabled(cli: Cli) -> None:
    code, out, _ = cli("sync-jobs")
    assert (code, out) == (
        0,
        {"status": "ok", "synced_jobs": 1, "added": ["daily-status"], "updated": [], "unchanged": [], "removed": []},
    )
    jobs = cli("status")[1]["jobs"]
    assert [(j["job_id"], j["enabled"]) for j in jobs] == [("daily-status", False)]


def test_sync_fills_defaults_and_computes_next_run(cli: Cli, cron: Cron, sql: Sql, write_jobs: WriteJobs) -> None:
    write_jobs([{"job_id": "a", "puruto_target": "puruto-target", "schedule": "*/5 * * * *", "prompt": "p"}])
    assert cli("sync-jobs")[1] == {
        "status": "ok",
        "synced_jobs": 1,
        "added": ["a"],
        "updated": [],
        "unchanged": [],
        "removed": [],
    }
    row = sql("SELECT * FROM jobs")[0]
    assert (
        row["enabled"],
        row["notify_channel"],
        row["timeout_sec"],
        row["max_retries"],
        row["retry_backoff_sec"],
    ) == (1, "telegram", 120, 0, 30)
    nxt = datetime.strptime(row["next_run_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert nxt.minute % 5 == 0 and nxt.second == 0
    assert cron.sync(at=LONG_AGO)["unchanged"] == ["a"]  # same schedule: next_run_at kept, not recomputed
    assert sql("SELECT next_run_at FROM jobs")[0]["next_run_at"] == row["next_run_at"]
    write_jobs([{"job_id": "a", "puruto_target": "puruto-target", "schedule": "0 9 * * *", "prompt": "p2"}])
    assert cli("sync-jobs")[1]["updated"] == ["a"]  # schedule changed: recomputed
    row = sql("SELECT * FROM jobs")[0]
    assert row["next_run_at"].endswith("T09:00:00Z") and row["prompt"] == "p2"


@pytest.mark.parametrize(
    "bad, field",
    [
        (job("b", schedule="61 * * * *"), "schedule"),
        (job("b", schedule="* * * *"), "schedule"),
        (job("b", schedule="* * * * * *"), "schedule"),
        (job("b", schedule="@sometimes"), "schedule"),
        ({k: v for k, v in job("b").items() if k != "prompt"}, "prompt"),
        (job("b", max_retries=-1), "max_retries"),
        (job("b", timeout_sec="soon"), "timeout_sec"),
        (job("b", enabled="yes"), "enabled"),
        (job("a"), "job_id"),  # duplicate
        (job("bad id"), "job_id"),
        (job("x" * 70), "job_id"),
        (job("b", prompt=" "), "prompt"),
        (job("b", notify_channel=""), "notify_channel"),
        (job("b", action="../x"), "action"),
        (job("b", puruto_target="../x"), "puruto_target"),
        (job("b", max_retries=101), "max_retries"),
        (job("b", retry_backoff_sec=1e308), "retry_backoff_sec"),
        (job("b", retry_backoff_sec=86401), "retry_backoff_sec"),
        (job("b", timeout_sec=0), "timeout_sec"),
        (job("b", timeout_sec=86401), "timeout_sec"),
        (job("b", timeout_sec=1e308), "timeout_sec"),
        (job("b", timezone="Mars/Olympus"), "timezone"),
        (job("b", timezone="../../etc/passwd"), "timezone"),
        (job("b", catch_up="no"), "catch_up"),
        (job("b", schedule="0 0 30 2 *"), "schedule"),  # never fires
        (job("b", schedule=["*"]), "schedule"),
        (job("b", timezone=["UTC"]), "timezone"),
    ],
)
def test_an_invalid_job_fails_naming_job_and_field_and_changes_nothing(
    cli: Cli, sql: Sql, write_jobs: WriteJobs, bad: dict[str, Any], field: str
) -> None:
    write_jobs([job("a")])
    cli("sync-jobs")
    before = sql("SELECT * FROM jobs")
    write_jobs([job("a", prompt="changed"), bad])
    code, out, r = cli("sync-jobs")
    assert code == 1 and out["status"] == "error" and out["error"]["code"] == "INVALID_JOBS"
    assert f'field "{field}"' in out["error"]["message"]
    assert f'job "{bad["job_id"]}"' in out["error"]["message"]
    assert "nothing was changed" in out["error"]["message"]
    assert "Traceback" not in r.stderr
    assert sql("SELECT * FROM jobs") == before


def test_the_bounds_themselves_are_accepted(cli: Cli, sql: Sql, write_jobs: WriteJobs) -> None:
    write_jobs(
        [
            job(
                "edge",
                timeout_sec=86400.0,
                max_retries=100,
                retry_backoff_sec=86400,
                timezone="Europe/Madrid",
                catch_up=False,
                action="status",
            )
        ]
    )
    code, out, r = cli("sync-jobs")
    assert code == 0, r.stdout
    row = sql("SELECT * FROM jobs")[0]
    assert (row["timeout_sec"], row["max_retries"], row["timezone"], row["catch_up"], row["action"]) == (
        86400,
        100,
        "Europe/Madrid",
        0,
        "status",
    )


def test_a_never_firing_schedule_names_the_job_and_is_no_bare_croniter_error(cli: Cli, write_jobs: WriteJobs) -> None:
    write_jobs([job("feb30", schedule="0 0 30 2 *")])
    code, out, r = cli("sync-jobs")
    assert code == 1 and out["error"]["code"] == "INVALID_JOBS"
    assert 'job "feb30"' in out["error"]["message"] and "never fires" in out["error"]["message"]
    assert "CroniterBadDateError" not in r.stdout + r.stderr


def test_nan_and_infinity_are_not_json(cli: Cli, cron_dir: Path) -> None:
    for text in (
        '{"jobs": [{"job_id": "a", "puruto_target": "t", "schedule": "* * * * *", "prompt": "p", '
        '"retry_backoff_sec": NaN}]}',
        '{"jobs": [{"job_id": "a", "puruto_target": "t", "schedule": "* * * * *", "prompt": "p", '
        '"timeout_sec": Infinity}]}',
    ):
        (cron_dir / ".jobs.json").write_text(text)
        code, out, _ = cli("sync-jobs")
        assert code == 1 and "not valid JSON" in out["error"]["message"]


def test_sync_removes_jobs_gone_from_the_file_and_keeps_their_runs(
    cli: Cli, cron: Cron, sql: Sql, write_jobs: WriteJobs
) -> None:
    write_jobs([job("a"), job("b"), job("c")])
    assert cli("sync-jobs")[1]["added"] == ["a", "b", "c"]
    assert cli("run-now", "b")[0] == 0
    write_jobs([job("a", prompt="new words"), job("d")])
    code, out, _ = cli("sync-jobs")
    assert code == 0
    assert out == {
        "status": "ok",
        "synced_jobs": 2,
        "added": ["d"],
        "updated": ["a"],
        "unchanged": [],
        "removed": ["b", "c"],
    }
    assert [r["job_id"] for r in sql("SELECT job_id FROM jobs ORDER BY job_id")] == ["a", "d"]
    assert [(r["job_id"], r["status"]) for r in sql("SELECT job_id, status FROM runs")] == [("b", "ok")]
    far = datetime(2099, 1, 1, tzinfo=timezone.utc)
    assert cron.tick(at=far)["due_jobs"] == ["a", "d"]  # the removed jobs never run again


def test_invalid_json_changes_nothing(cli: Cli, sql: Sql, cron_dir: Path) -> None:
    cli("init-db")
    (cron_dir / ".jobs.json").write_text('{"jobs": [,]}')
    code, out, _ = cli("sync-jobs")
    assert code == 1 and "not valid JSON" in out["error"]["message"]
    assert sql("SELECT * FROM jobs") == []


UTC = timezone.utc


@pytest.mark.parametrize(
    "expr, after, expected",
    [
        ("*/5 * * * *", datetime(2025, 1, 6, 10, 2, tzinfo=UTC), datetime(2025, 1, 6, 10, 5, tzinfo=UTC)),
        ("0 9 * * 1-5", datetime(2025, 1, 4, 12, 0, tzinfo=UTC), datetime(2025, 1, 6, 9, 0, tzinfo=UTC)),  # Sat -> Mon
        ("30 8 * * mon", datetime(2025, 1, 6, 9, 0, tzinfo=UTC), datetime(2025, 1, 13, 8, 30, tzinfo=UTC)),
        ("0 0 1,15 * *", datetime(2025, 1, 2, tzinfo=UTC), datetime(2025, 1, 15, tzinfo=UTC)),
        ("0 12-14 * * *", datetime(2025, 1, 6, 12, 30, tzinfo=UTC), datetime(2025, 1, 6, 13, 0, tzinfo=UTC)),
        ("15,45 */6 * * *", datetime(2025, 1, 6, 6, 50, tzinfo=UTC), datetime(2025, 1, 6, 12, 15, tzinfo=UTC)),
        ("@daily", datetime(2025, 1, 6, 3, 0, tzinfo=UTC), datetime(2025, 1, 7, tzinfo=UTC)),
        ("@hourly", datetime(2025, 1, 6, 3, 0, tzinfo=UTC), datetime(2025, 1, 6, 4, 0, tzinfo=UTC)),
        ("@weekly", datetime(2025, 1, 6, 3, 0, tzinfo=UTC), datetime(2025, 1, 12, tzinfo=UTC)),
        ("@midnight", datetime(2025, 1, 6, 3, 0, tzinfo=UTC), datetime(2025, 1, 7, tzinfo=UTC)),
    ],
)
def test_full_cron_syntax(expr: str, after: datetime, expected: datetime) -> None:
    assert schedule.cron_problem(expr) is None
    assert schedule.next_run(expr, after) == expected


@pytest.mark.parametrize("expr", ["61 * * * *", "* 24 * * *", "* * * *", "* * * * * *", "@sometimes", "", "a b c d e"])
def test_invalid_cron(expr: str) -> None:
    assert schedule.cron_problem(expr)


def test_pause_and_resume_update_file_and_database(cli: Cli, cron_dir: Path, write_jobs: WriteJobs, sql: Sql) -> None:
    write_jobs([job("a")])
    cli("sync-jobs")
    code, out, _ = cli("pause", "a")
    assert code == 0 and out == {"status": "ok", "job_id": "a", "enabled": False, "jobs_file_updated": True}
    assert json.loads((cron_dir / ".jobs.json").read_text())["jobs"][0]["enabled"] is False
    cli("sync-jobs")  # the file now says disabled: sync keeps it paused
    assert sql("SELECT enabled FROM jobs")[0]["enabled"] == 0
    assert cli("resume", "a")[1]["enabled"] is True
    assert sql("SELECT enabled FROM jobs")[0]["enabled"] == 1
    code, out, _ = cli("pause", "nope")
    assert code == 1 and out["error"]["code"] == "JOB_NOT_FOUND"


def test_usage_errors_exit_2(cli: Cli) -> None:
    assert cli("explode")[0] == 2
    assert cli("logs", "--limit", "0")[0] == 2
