"""Time zones: PURUTO_CRON_TZ and a job's `timezone`, DST shifts on a fixed clock, `status` in
both clocks, and missed runs (run once on the next pass; catch_up: false skips them)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import Cli, Cron, Sql, WriteJobs, job

import db
import schedule

UTC = timezone.utc
MADRID, NEW_YORK = "Europe/Madrid", "America/New_York"


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    "expr, zone, after, expected",
    [
        ("0 9 * * *", MADRID, at(2025, 1, 28, 12), at(2025, 1, 29, 8)),  # CET: 09:00 = 08:00Z
        ("0 9 * * *", MADRID, at(2025, 3, 29, 10), at(2025, 3, 30, 7)),  # across spring forward: CEST
        ("0 9 * * *", MADRID, at(2025, 10, 25, 10), at(2025, 10, 26, 8)),  # across fall back: CET again
        ("0 9 * * 1-5", NEW_YORK, at(2025, 3, 7, 15), at(2025, 3, 10, 13)),  # Fri -> Mon, EST -> EDT
        (
            "30 2 * * *",
            MADRID,
            at(2025, 3, 29, 10),
            at(2025, 3, 30, 1),
        ),  # 02:30 does not exist: at the jump (03:00 CEST)
        ("30 2 * * *", MADRID, at(2025, 10, 25, 10), at(2025, 10, 26, 0, 30)),  # 02:30 happens twice: the first one
        ("30 2 * * *", MADRID, at(2025, 10, 26, 0, 30), at(2025, 10, 27, 1, 30)),  # ... and only once
        (
            "*/30 * * * *",
            MADRID,
            at(2025, 10, 26, 0, 30),
            at(2025, 10, 26, 1),
        ),  # every-hour schedules run in both 02:xx
        ("*/30 * * * *", MADRID, at(2025, 3, 30, 0, 30), at(2025, 3, 30, 1)),  # 01:30 CET -> 03:00 CEST
        ("0 9 * * *", None, at(2025, 3, 29, 10), at(2025, 3, 30, 9)),  # no zone: UTC
        ("@daily", "Asia/Kolkata", at(2025, 1, 6, 3), at(2025, 1, 6, 18, 30)),  # half-hour offsets
    ],
)
def test_next_run_on_the_wall_clock_of_a_zone(expr: str, zone: str | None, after: datetime, expected: datetime) -> None:
    assert schedule.next_run(expr, after, zone) == expected


def test_sync_and_status_use_the_default_zone_and_a_jobs_own(cli: Cli, write_jobs: WriteJobs) -> None:
    write_jobs([job("here", schedule="0 9 * * *"), job("ny", schedule="0 9 * * *", timezone=NEW_YORK)])
    env = {"PURUTO_CRON_TZ": MADRID}
    assert cli("sync-jobs", env=env)[0] == 0
    jobs = {j["job_id"]: j for j in cli("status", env=env)[1]["jobs"]}
    for job_id, zone in (("here", MADRID), ("ny", NEW_YORK)):
        j = jobs[job_id]
        local = datetime.fromisoformat(j["next_run_local"])
        assert j["timezone"] == zone and (local.hour, local.minute) == (9, 0)
        assert local.utcoffset() == local.astimezone(ZoneInfo(zone)).utcoffset()
        assert db.parse_iso(j["next_run_at"]) == local.astimezone(UTC)  # next_run_at stays UTC


def test_the_default_zone_is_the_machines(cli: Cli, write_jobs: WriteJobs) -> None:
    write_jobs([job("a", schedule="0 9 * * *")])
    env = {"PURUTO_CRON_TZ": "", "TZ": "America/Sao_Paulo"}
    cli("sync-jobs", env=env)
    [j] = cli("status", env=env)[1]["jobs"]
    assert j["timezone"] == "America/Sao_Paulo" and j["next_run_local"].endswith("T09:00:00-03:00")


def test_changing_the_zone_recomputes_next_run(cli: Cli, write_jobs: WriteJobs, sql: Sql) -> None:
    write_jobs([job("a", schedule="0 9 * * *")])
    cli("sync-jobs")
    utc_next = sql("SELECT next_run_at FROM jobs")[0]["next_run_at"]
    assert cli("sync-jobs", env={"PURUTO_CRON_TZ": "Asia/Tokyo"})[1]["updated"] == ["a"]
    tokyo_next = sql("SELECT next_run_at FROM jobs")[0]["next_run_at"]
    assert utc_next.endswith("T09:00:00Z") and tokyo_next.endswith("T00:00:00Z")


def test_a_bad_zone_setting_is_one_clear_error(cli: Cli, write_jobs: WriteJobs) -> None:
    write_jobs([job("a")])
    for command in ("sync-jobs", "tick", "status"):
        code, out, r = cli(command, env={"PURUTO_CRON_TZ": "Mars/Olympus"})
        assert code == 1 and out["error"]["code"] == "INVALID_SETTINGS", command
        assert "PURUTO_CRON_TZ" in out["error"]["message"] and "Traceback" not in r.stderr


def tick_at(cron: Cron, now: datetime) -> dict[str, Any]:
    """One pass with a fixed clock: `now` is both the pass's time and every job's clock."""
    return cron.tick(at=now, sleep=lambda s: pytest.fail("a pass never sleeps"))


def test_a_run_reschedules_across_a_dst_shift_with_a_fixed_clock(cron: Cron, write_jobs: WriteJobs, sql: Sql) -> None:
    write_jobs([job("morning", schedule="0 9 * * *", timezone=MADRID)])
    cron.sync(at=at(2025, 3, 29, 7))
    assert sql("SELECT next_run_at FROM jobs")[0]["next_run_at"] == "2025-03-29T08:00:00Z"  # Saturday 09:00 CET
    out = tick_at(cron, at(2025, 3, 29, 8, 0, 5))
    assert [r["status"] for r in out["results"]] == ["ok"]
    assert sql("SELECT next_run_at FROM jobs")[0]["next_run_at"] == "2025-03-30T07:00:00Z"  # Sunday 09:00 CEST


def test_missed_runs_run_once_then_follow_the_schedule_unless_catch_up_is_false(
    cron: Cron, write_jobs: WriteJobs, sql: Sql
) -> None:
    missed = [job("catch", schedule="0 * * * *"), job("skip", schedule="0 * * * *", catch_up=False)]
    write_jobs(missed)
    cron.sync(at=at(2030, 6, 1, 6, 30))  # next run 07:00Z: 5 runs missed by 12:00:30
    write_jobs([*missed, job("late", schedule="0 * * * *", catch_up=False)])
    assert cron.sync(at=at(2030, 6, 1, 11, 30))["unchanged"] == ["catch", "skip"]  # late: 12:00Z, 30 s late
    now = at(2030, 6, 1, 12, 0, 30)
    out = tick_at(cron, now)
    results = {r["job_id"]: r for r in out["results"]}
    assert results["catch"]["status"] == "ok" and results["late"]["status"] == "ok"
    assert results["skip"]["status"] == "skipped" and "catch_up: false" in results["skip"]["reason"]
    assert results["skip"]["missed_run_at"] == "2030-06-01T07:00:00Z"
    assert [r["job_id"] for r in sql("SELECT job_id FROM runs ORDER BY job_id")] == ["catch", "late"]  # once each
    assert {r["job_id"]: r["next_run_at"] for r in sql("SELECT job_id, next_run_at FROM jobs")} == {
        "catch": "2030-06-01T13:00:00Z",
        "skip": "2030-06-01T13:00:00Z",
        "late": "2030-06-01T13:00:00Z",
    }
    assert tick_at(cron, now + timedelta(minutes=1))["due_jobs"] == []
