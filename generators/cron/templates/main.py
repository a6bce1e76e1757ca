#!/usr/bin/env python3
"""puruto-cron: the local scheduler of a Puruto ecosystem.

Usage: python3 main.py <command>
  init-db              create db/cron.db (tables jobs and runs) if missing
  sync-jobs            make the database's jobs those of .jobs.json: added, updated, removed
                       (all validated first; nothing changes on error; run history stays)
  status               jobs, recent runs and notification targets, as JSON
  tick                 one scheduler pass: run every due job once (PURUTO_CRON_MAX_PARALLEL at a time)
  run-now <job_id>     run one job now (JOB_NOT_FOUND, JOB_DISABLED, JOB_LOCKED)
  run                  tick every PURUTO_CRON_POLL_SECONDS until SIGTERM/SIGINT
  pause <job_id>       disable a job (in .jobs.json and the database)
  resume <job_id>      enable it again
  logs [--limit N] [--job ID]   the latest runs with their results and errors

Every command prints JSON. Exit codes: 0 ok, 1 an error (JSON with "status": "error"),
2 usage error. Settings: process environment, then .env (see .env.example).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import sqlite3
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from types import FrameType
from typing import Any, cast
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import db  # noqa: E402
import heartbeat  # noqa: E402
import notifier  # noqa: E402
import scheduler  # noqa: E402
from jobs import Job, JobsError  # noqa: E402
from puruto_runtime.settings import resolve_path  # noqa: E402
from schedule import next_run  # noqa: E402
from settings import CronSettings, SettingsError  # noqa: E402

JOBS_FILE = ".jobs.json"


def db_path(settings: CronSettings, root: Path = ROOT) -> Path:
    return resolve_path(root, settings.db_path)


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def fail(code: str, message: str, **extra: object) -> dict[str, Any]:
    return {"status": "error", "error": {"code": code, "message": message}, **extra}


def open_db(settings: CronSettings) -> sqlite3.Connection:
    conn = db.connect(db_path(settings))
    db.init_db(conn)
    return conn


def cmd_init_db(args: argparse.Namespace, settings: CronSettings) -> dict[str, Any]:
    path = db_path(settings)
    existed = path.exists()
    open_db(settings).close()
    return {
        "status": "ok",
        "db_path": str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path),
        "created": not existed,
    }


def cmd_sync_jobs(args: argparse.Namespace, settings: CronSettings) -> dict[str, Any]:
    settings.default_zone()  # a bad PURUTO_CRON_TZ is INVALID_SETTINGS, not INVALID_JOBS
    try:
        report = scheduler.sync(ROOT / JOBS_FILE, settings, now(), lambda: open_db(settings))
    except JobsError as exc:
        return fail("INVALID_JOBS", f"{exc}; nothing was changed in the database")
    return {"status": "ok", **report}


def local_time(utc_iso: str | None, zone: str) -> str | None:
    if not utc_iso:
        return None
    return db.parse_iso(utc_iso).astimezone(ZoneInfo(zone)).isoformat()


def cmd_status(args: argparse.Namespace, settings: CronSettings) -> dict[str, Any]:
    """Each job as stored, plus `timezone` (its effective zone) and `next_run_local` (next_run_at,
    which is UTC, on that zone's clock)."""
    default_tz = settings.default_zone()
    conn = open_db(settings)
    jobs = []
    for row in db.list_jobs(conn):
        zone = Job.of(row).zone(default_tz)
        jobs.append({**row, "timezone": zone, "next_run_local": local_time(row["next_run_at"], zone)})
    return {
        "jobs": jobs,
        "recent_runs": db.recent_runs(conn, 10),
        "notification_targets": notifier.targets(ROOT, settings),
    }


def cmd_tick(args: argparse.Namespace, settings: CronSettings) -> dict[str, Any]:
    return scheduler.tick(open_db(settings), now(), settings, ROOT)


def cmd_run_now(args: argparse.Namespace, settings: CronSettings) -> dict[str, Any]:
    out = scheduler.run_now(open_db(settings), args.job_id, settings, ROOT, now())
    return out if out.get("status") == "error" and "run_id" not in out else {**out, "status": out["status"]}


def cmd_run(args: argparse.Namespace, settings: CronSettings) -> dict[str, Any]:
    """The long-running loop: a tick, then a wait, until SIGTERM or SIGINT (running jobs finish,
    no new one starts)."""
    stop: dict[str, str | None] = {"signal": None}

    def handler(signum: int, frame: FrameType | None) -> None:
        stop["signal"] = signal.Signals(signum).name

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    poll = settings.poll_seconds
    settings.workers(), settings.default_zone()  # a bad setting fails now, not every tick
    conn = open_db(settings)
    ticks = 0
    print(json.dumps({"status": "running", "poll_seconds": poll, "lease_owner": scheduler.lease_owner()}), flush=True)
    while stop["signal"] is None:
        try:
            result = scheduler.tick(conn, now(), settings, ROOT, should_stop=lambda: stop["signal"] is not None)
        except Exception as exc:  # a bad pass is reported; the loop goes on
            result = fail("TICK_FAILED", str(exc))
        ticks += 1
        heartbeat.beat(ROOT, poll, last_tick=time.time(), ticks=ticks)
        print(json.dumps(result), flush=True)
        deadline = time.monotonic() + poll
        while stop["signal"] is None and time.monotonic() < deadline:
            time.sleep(min(0.2, max(deadline - time.monotonic(), 0)))
    return {"status": "stopped", "signal": stop["signal"], "ticks": ticks}


def set_enabled(job_id: str, enabled: bool, settings: CronSettings) -> dict[str, Any]:
    """pause/resume: the flag in .jobs.json (so sync-jobs keeps it) and in the database."""
    path = ROOT / JOBS_FILE
    in_file = False
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        for job in data.get("jobs", []) if isinstance(data, dict) else []:
            if isinstance(job, dict) and job.get("job_id") == job_id:
                job["enabled"], in_file = enabled, True
        if in_file:
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            os.replace(tmp, path)
    except (OSError, ValueError):
        pass  # a missing or broken .jobs.json is reported by sync-jobs
    conn = open_db(settings)
    row = db.get_job(conn, job_id)
    if row is None:
        return fail(
            "JOB_NOT_FOUND",
            f"no job {job_id!r} in the database: add it to .jobs.json and run `python3 main.py sync-jobs`",
            job_id=job_id,
        )
    job = Job.of(row)
    zone = job.zone(settings.default_zone())
    nxt = db.iso(next_run(job.schedule, now(), zone)) if enabled and not job.enabled else None
    db.set_enabled(conn, job_id, enabled, nxt)
    return {"status": "ok", "job_id": job_id, "enabled": enabled, "jobs_file_updated": in_file}


def cmd_pause(args: argparse.Namespace, settings: CronSettings) -> dict[str, Any]:
    return set_enabled(args.job_id, False, settings)


def cmd_resume(args: argparse.Namespace, settings: CronSettings) -> dict[str, Any]:
    return set_enabled(args.job_id, True, settings)


def cmd_logs(args: argparse.Namespace, settings: CronSettings) -> dict[str, Any]:
    return {"runs": db.recent_runs(open_db(settings), args.limit, args.job, full=True)}


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="main.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = p.add_subparsers(dest="command", required=True)
    for name in ("init-db", "sync-jobs", "status", "tick", "run"):
        sub.add_parser(name)
    for name in ("run-now", "pause", "resume"):
        sub.add_parser(name).add_argument("job_id")
    logs = sub.add_parser("logs")
    logs.add_argument("--limit", type=positive_int, default=20)
    logs.add_argument("--job", default=None)
    return p


COMMANDS = {
    "init-db": cmd_init_db,
    "sync-jobs": cmd_sync_jobs,
    "status": cmd_status,
    "tick": cmd_tick,
    "run-now": cmd_run_now,
    "run": cmd_run,
    "pause": cmd_pause,
    "resume": cmd_resume,
    "logs": cmd_logs,
}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        out = COMMANDS[args.command](args, CronSettings.load(ROOT))
    except SettingsError as exc:  # an unreadable .env, or a bad setting (PURUTO_CRON_TZ, ...) where it is used
        out = fail("INVALID_SETTINGS", str(exc))
    except ImportError as exc:
        out = fail(
            "MISSING_DEPENDENCY",
            f"{exc}: run /init (it installs requirements.txt) or `pip install -r requirements.txt`",
        )
    except Exception as exc:
        out = fail("CRON_ERROR", f"{type(exc).__name__}: {exc}")
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 1 if out.get("status") == "error" else 0


if __name__ == "__main__":
    # a lone surrogate from a file: escaped, not a crash
    cast(io.TextIOWrapper, sys.stdout).reconfigure(errors="backslashreplace")
    sys.exit(main())
