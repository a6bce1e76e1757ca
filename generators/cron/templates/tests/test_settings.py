"""Settings: parsed once into a typed, frozen `CronSettings` (environment over .env, defaults for
empty or unusable numbers); a bad zone or pool size is reported where it is used, so each
command fails (or not) at the same moment as before; an .env that cannot be read is one error."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import Cron, WriteJobs, clean_env, job

from puruto_runtime.settings import resolve_path
from settings import CronSettings, Invalid, SettingsError

parse = CronSettings.from_values


def test_empty_settings_are_the_defaults() -> None:
    s = parse({"PURUTO_CRON_TZ": "UTC"})
    assert s == CronSettings(time_zone="UTC")
    assert (s.db_path, s.poll_seconds, s.lease_seconds, s.workers(), s.default_zone()) == (
        Path("db/cron.db"),
        30.0,
        120,
        4,
        "UTC",
    )
    assert (s.telegram_path, s.outbox_file) == (Path("../puruto-telegram"), Path("inbox/cron-events.jsonl"))
    assert s.missed_grace == 60.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.poll_seconds = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    "raw, poll",
    [("0.2", 0.2), (" 45 ", 45.0), ("0", 30.0), ("-1", 30.0), ("x", 30.0), ("inf", 30.0), ("nan", 30.0), ("", 30.0)],
)
def test_poll_seconds_falls_back_to_30(raw: str, poll: float) -> None:
    assert parse({"PURUTO_CRON_POLL_SECONDS": raw}).poll_seconds == poll


def test_missed_grace_is_two_polls_when_longer_than_a_minute() -> None:
    assert parse({"PURUTO_CRON_POLL_SECONDS": "45"}).missed_grace == 90.0


@pytest.mark.parametrize("raw, lease", [("2", 2), ("2.1", 3), ("1", 2), ("-5", 2), ("x", 120), ("inf", 120), ("", 120)])
def test_lease_seconds_is_a_whole_number_of_at_least_2(raw: str, lease: int) -> None:
    assert parse({"PURUTO_CRON_LEASE_SECONDS": raw}).lease_seconds == lease


@pytest.mark.parametrize("raw", ["0", "65", "two", "2.5"])
def test_a_bad_pool_size_is_kept_and_raised_where_it_is_used(raw: str) -> None:
    s = parse({"PURUTO_CRON_MAX_PARALLEL": raw, "PURUTO_CRON_TZ": "UTC"})
    assert isinstance(s.max_parallel, Invalid)
    assert s.default_zone() == "UTC"  # the other settings still work
    with pytest.raises(SettingsError, match=r"PURUTO_CRON_MAX_PARALLEL=.* must be a whole number from 1 to 64"):
        s.workers()


def test_a_bad_zone_is_kept_and_raised_where_it_is_used() -> None:
    s = parse({"PURUTO_CRON_TZ": "Mars/Olympus", "PURUTO_CRON_MAX_PARALLEL": " 8 "})
    assert s.workers() == 8
    with pytest.raises(
        SettingsError,
        match=r"PURUTO_CRON_TZ='Mars/Olympus' must be an IANA time zone .*fix it in \.env "
        r"\(default the machine's zone\)",
    ):
        s.default_zone()


def test_no_zone_is_the_machines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert parse({}).default_zone() == "Asia/Tokyo" == CronSettings().default_zone()


def test_the_environment_wins_over_env_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "PURUTO_CRON_POLL_SECONDS=5\nPURUTO_CRON_LEASE_SECONDS=10\nDB_PATH=~/x.db\nPURUTO_TELEGRAM_PATH=../tg\n"
    )
    s = CronSettings.load(
        tmp_path, {"PURUTO_CRON_POLL_SECONDS": "7", "PURUTO_CRON_LEASE_SECONDS": "", "PURUTO_CRON_TZ": "UTC"}
    )
    assert (s.poll_seconds, s.lease_seconds, s.db_path, s.telegram_path) == (7.0, 10, Path("~/x.db"), Path("../tg"))
    assert resolve_path(tmp_path, s.db_path) == Path.home() / "x.db"
    assert resolve_path(tmp_path, s.telegram_path) == tmp_path / "../tg"


def test_injected_settings_reach_the_pass(cron: Cron, write_jobs: WriteJobs, cron_dir: Path, tmp_path: Path) -> None:
    """In process, without the environment: the telegram path of the Settings given is used."""
    write_jobs([job("a")])
    inbox = tmp_path / "elsewhere"
    inbox.mkdir()
    cron.settings = dataclasses.replace(cron.settings, telegram_path=inbox, outbox_file=Path("in.jsonl"))
    cron.sync()
    assert cron.run_now("a")["status"] == "ok"
    assert len((inbox / "in.jsonl").read_text().splitlines()) == 1


def run_main(cron_dir: Path, *args: str, **env: str) -> tuple[int, Any, subprocess.CompletedProcess[str]]:
    r = subprocess.run(
        [sys.executable, str(cron_dir / "main.py"), *args],
        cwd=cron_dir,
        capture_output=True,
        text=True,
        env=clean_env(env),
        timeout=60,
    )
    return r.returncode, json.loads(r.stdout), r


@pytest.mark.parametrize(
    "env, command, code",
    [
        ({"PURUTO_CRON_TZ": "Mars/Olympus"}, "init-db", None),  # init-db and logs never read the zone
        ({"PURUTO_CRON_TZ": "Mars/Olympus"}, "logs", None),
        ({"PURUTO_CRON_TZ": "Mars/Olympus"}, "sync-jobs", "INVALID_SETTINGS"),
        ({"PURUTO_CRON_TZ": "Mars/Olympus"}, "run", "INVALID_SETTINGS"),
        ({"PURUTO_CRON_MAX_PARALLEL": "0"}, "sync-jobs", None),  # only a pass uses the pool
        ({"PURUTO_CRON_MAX_PARALLEL": "0"}, "status", None),
        ({"PURUTO_CRON_MAX_PARALLEL": "0"}, "tick", "INVALID_SETTINGS"),
        ({"PURUTO_CRON_MAX_PARALLEL": "0"}, "run", "INVALID_SETTINGS"),  # at start-up, before any pass
    ],
)
def test_a_bad_setting_fails_only_the_commands_that_use_it(
    cron_dir: Path, write_jobs: WriteJobs, env: dict[str, str], command: str, code: str | None
) -> None:
    write_jobs([job("a")])
    rc, out, r = run_main(cron_dir, command, **env)
    if code is None:
        assert rc == 0 and out.get("status") != "error", r.stdout + r.stderr
    else:
        assert rc == 1 and out["error"]["code"] == code and "Traceback" not in r.stderr, r.stdout + r.stderr
        assert next(iter(env)) in out["error"]["message"]


def test_an_env_file_that_is_a_fifo_is_one_clear_error(cron_dir: Path, write_jobs: WriteJobs) -> None:
    """A FIFO at .env is reported, never waited on: the command ends at once with INVALID_SETTINGS."""
    write_jobs([job("a")])
    os.mkfifo(cron_dir / ".env")
    rc, out, r = run_main(cron_dir, "status")
    assert rc == 1 and out["error"]["code"] == "INVALID_SETTINGS", r.stdout + r.stderr
    assert "FIFO" in out["error"]["message"] and ".env" in out["error"]["message"]
