"""The passes of puruto-cron: sync (.jobs.json into the database) and tick (one scheduler pass
that runs the due jobs on a bounded thread pool). The clock (`now`, `clock`) and the settings
are arguments, so a pass runs in process at any moment (the repo's tests do).

Modules depend one way: main -> scheduler -> executor -> jobs -> schedule (and db, notifier);
every pass takes its settings as one typed `Settings` (settings.py, built once by main)."""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import db
import executor
from executor import Clock, Sleep
from jobs import Job, load_jobs_file
from schedule import next_run
from settings import Settings


def sync(
    jobs_file: Path, settings: Settings, now: datetime, open_db: Callable[[], sqlite3.Connection]
) -> dict[str, Any]:
    """sync-jobs: validates the whole file first (JobsError: the database is not even opened),
    then makes the jobs table of open_db() equal to it; a new or changed schedule gets its next
    run after `now`."""
    default_tz = settings.default_zone()
    jobs = load_jobs_file(jobs_file, default_tz)

    def next_run_of(job: Job) -> tuple[str, str]:
        zone = job.zone(default_tz)
        return db.iso(next_run(job.schedule, now, zone)), zone

    return {"synced_jobs": len(jobs), **db.sync_jobs(open_db(), jobs, next_run_of)}


# --- one pass -------------------------------------------------------------------------


def lease_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class ThreadConnections:
    """One SQLite connection per worker thread of a pass, all closed when the pass ends."""

    def __init__(self, path: str):
        self.path, self.local, self.lock = path, threading.local(), threading.Lock()
        self.opened: list[sqlite3.Connection] = []

    def get(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = db.connect(Path(self.path), any_thread=True)
            with self.lock:
                self.opened.append(conn)
        return conn

    def close(self) -> None:
        for conn in self.opened:
            conn.close()


def run_due_job(
    conns: ThreadConnections,
    job_id: str,
    owner: str,
    now: datetime,
    settings: Settings,
    root: Path,
    default_tz: str,
    should_stop: Callable[[], bool],
    sleep: Sleep | None,
    clock: Clock | None,
) -> dict[str, Any]:
    """One due job in a worker thread, on that thread's SQLite connection."""
    if should_stop():
        return {"job_id": job_id, "status": "skipped", "reason": "stopping"}
    conn = conns.get()
    row = db.get_job(conn, job_id)
    if row is None:
        return {"job_id": job_id, "status": "skipped", "reason": "removed from .jobs.json"}
    job = Job.of(row)
    due = db.parse_iso(job.next_run_at) if job.next_run_at else now
    if (
        not job.catch_up
        and not job.retry_run_id
        and job.next_run_at is not None  # always so when late: without it, due is now
        and (now - due).total_seconds() > settings.missed_grace
    ):
        nxt = db.iso(next_run(job.schedule, now, job.zone(default_tz)))
        if db.skip_missed(conn, job_id, job.next_run_at, nxt, db.iso(now)):
            return {
                "job_id": job_id,
                "status": "skipped",
                "reason": "missed run skipped (catch_up: false)",
                "missed_run_at": job.next_run_at,
                "next_run_at": nxt,
            }
        return {"job_id": job_id, "status": "skipped", "reason": "leased by another scheduler or already run"}
    return executor.run_job(
        conn, job_id, owner, settings, root, scheduled=True, sleep=sleep, clock=clock, default_tz=default_tz
    )


def tick(
    conn: sqlite3.Connection,
    now: datetime,
    settings: Settings,
    root: Path,
    should_stop: Callable[[], bool] = lambda: False,
    sleep: Sleep | None = None,
    clock: Clock | None = None,
) -> dict[str, Any]:
    """One pass: runs whose scheduler died are marked interrupted once their agents are stopped
    (a job whose old agent survives is skipped); then every enabled job whose
    next_run_at has come is leased, run and rescheduled, up to PURUTO_CRON_MAX_PARALLEL at
    once. A job leased by another scheduler is skipped; so is one it already ran meanwhile.
    `now` is the moment of the pass (what is due); clock() is read while jobs run (run times,
    lease renewals, retries): the real UTC clock unless given."""
    default_tz = settings.default_zone()
    workers = settings.workers()
    owner = lease_owner()
    now_iso = db.iso(now)
    interrupted, alive = db.mark_interrupted(conn, now_iso)
    due = db.due_job_ids(conn, now_iso)
    conns = ThreadConnections(db.db_file(conn))
    results: list[dict[str, Any]] = []
    # a job whose previous agent survived the stop waits: it is not even offered a lease
    waiting = {job_id: (run_id, pids) for run_id, (job_id, pids) in alive.items()}
    runnable = [job_id for job_id in due if job_id not in waiting]
    if runnable:
        with ThreadPoolExecutor(max_workers=min(workers, len(runnable)), thread_name_prefix="cron-job") as pool:
            futures = [
                pool.submit(
                    run_due_job, conns, job_id, owner, now, settings, root, default_tz, should_stop, sleep, clock
                )
                for job_id in runnable
            ]
            for job_id, future in zip(runnable, futures, strict=True):
                try:
                    results.append(future.result())
                except Exception as exc:  # one broken job never hides the others' results
                    results.append(
                        {
                            "job_id": job_id,
                            "status": "error",
                            "error": {"code": "CRON_ERROR", "message": f"{type(exc).__name__}: {exc}"},
                        }
                    )
        conns.close()
    for job_id in due:
        if job_id in waiting:
            run_id, pids = waiting[job_id]
            reason = f"the agent of its previous run {run_id} is still alive (pids {pids}); it runs once gone"
            results.append({"job_id": job_id, "status": "skipped", "reason": reason})
    out = {"status": "ok", "now": now_iso, "lease_owner": owner, "due_jobs": due, "results": results}
    if interrupted:
        out["interrupted_runs"] = interrupted
    return out


def run_now(
    conn: sqlite3.Connection,
    job_id: str,
    settings: Settings,
    root: Path,
    now: datetime,
    sleep: Sleep | None = None,
    clock: Clock | None = None,
) -> dict[str, Any]:
    """run-now: runs whose scheduler died are marked interrupted, then the job runs at once
    (JOB_NOT_FOUND / JOB_DISABLED / JOB_LOCKED as errors; retries in place)."""
    db.mark_interrupted(conn, db.iso(now))  # a job whose old agent survives: JOB_LOCKED below
    return executor.run_job(conn, job_id, lease_owner(), settings, root, scheduled=False, sleep=sleep, clock=clock)
