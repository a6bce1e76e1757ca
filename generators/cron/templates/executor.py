"""Runs one job of puruto-cron: lease (renewed by a heartbeat thread while it runs), invoke
the target through invoker.py (in process), record the run, notify, release.

Retries: a scheduled run (tick) makes one attempt per pass; after a failed attempt the run
waits as `retrying` and the job's next_run_at moves by the backoff, so a retry never holds a
pass or a worker. run-now (a person waiting for the answer) retries in place."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

import db
import notifier
from jobs import Job
from schedule import next_run
from settings import Settings

DEFAULT_ACTION = "message"  # a job without `action`: its prompt is free text, the target's agent picks the skill
MAX_BACKOFF = 86400.0  # one wait is never longer than a day, whatever max_retries
Clock = Callable[[], datetime]  # -> aware UTC datetime
Sleep = Callable[[float], None]


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def backoff(job: Job, attempt: int) -> float:
    """Seconds to wait after failed attempt n (1-based): retry_backoff_sec * 2^(n-1), at most a day."""
    base = float(job.retry_backoff_sec)
    return min(base * float(2 ** min(attempt - 1, 64)), MAX_BACKOFF)


@dataclass
class Heartbeat:
    """Renews a job's lease every lease/4 seconds on its own connection while the job runs, so
    however long the agent takes, no other scheduler can take the job."""

    path: str
    job_id: str
    owner: str
    lease: int
    clock: Clock = _now

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{self.job_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None  # opened at the first beat: most jobs end before it
        try:
            while not self._stop.wait(self.lease / 4):
                try:
                    conn = conn or db.connect(Path(self.path))
                    db.renew_lease(conn, self.job_id, self.owner, db.iso(self.clock() + timedelta(seconds=self.lease)))
                except sqlite3.Error:
                    pass  # busy for longer than busy_timeout: the next beat tries again
        finally:
            if conn is not None:
                conn.close()


def invoke_once(conn: sqlite3.Connection, job: Job, run_id: str, root: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """One attempt. Each attempt is a chain of its own (hop 0, a new correlation id, even when
    this scheduler runs inside another call): the id is recorded in the run's row before the
    agent starts, so the next scheduler can find and stop this agent if this one dies (orphans.py)."""
    import invoker

    request = invoker.build_request(
        root.name, job.puruto_target, job.action or DEFAULT_ACTION, job.prompt, job.timeout_sec, hop=0
    )
    request["correlation_id"] = f"corr-{uuid.uuid4().hex}"
    db.set_agent(conn, run_id, request["correlation_id"])
    try:
        response = invoker.invoke(request, root)
    except Exception as exc:  # invoke() maps its failures itself; this is a last resort
        response = invoker.error_result(request, "IPC_ERROR", f"unexpected failure: {exc}")
    return dict(request), dict(response)


def error_response(code: str, message: str, **extra: object) -> dict[str, Any]:
    return {"status": "error", "error": {"code": code, "message": message}, **extra}


def _write_record(root: Path, run_id: str, event: dict[str, Any]) -> None:
    try:
        (root / "runs").mkdir(exist_ok=True)
        (root / "runs" / f"{run_id}.json").write_text(json.dumps(event, indent=2) + "\n", encoding="utf-8")
    except OSError:
        pass  # the run is in the database; the file is a convenience


def _finish(
    conn: sqlite3.Connection,
    job: Job,
    run_id: str,
    attempt: int,
    attempts: int,
    request: dict[str, Any],
    response: dict[str, Any],
    finished: datetime,
    root: Path,
    settings: Settings,
) -> dict[str, Any]:
    """Records the final outcome of a run, writes runs/<id>.json and notifies."""
    job_id = job.job_id
    if response.get("status") == "ok":
        result = {"status": "ok", "request": request, "response": response}
        event = {"job_id": job_id, "run_id": run_id, "attempt": attempt, "result": result}
        db.finish_run(conn, run_id, db.iso(finished), "ok", result, None)
        outcome = {"job_id": job_id, "run_id": run_id, "status": "ok", "attempts": attempt}
    else:
        err = response.get("error") or {}
        error = {
            "code": "INVOKER_ERROR_STATUS",
            "message": f"{job.puruto_target} failed after {attempts} attempt(s): {err.get('code')}: "
            f"{err.get('message')}",
            "details": {"request": request, "response": response},
        }
        event = {"job_id": job_id, "run_id": run_id, "attempts": attempts, "error": error}
        db.finish_run(conn, run_id, db.iso(finished), "error", None, error)
        outcome = {
            "job_id": job_id,
            "run_id": run_id,
            "status": "error",
            "attempts": attempts,
            "error": {"code": error["code"], "message": error["message"]},
        }
    _write_record(root, run_id, event)
    notified = notifier.notify(event, root, settings, job.notify_channel)
    if notified["problems"]:
        outcome["notify_problems"] = notified["problems"]
    return outcome


def run_job(
    conn: sqlite3.Connection,
    job_id: str,
    owner: str,
    settings: Settings,
    root: Path,
    scheduled: bool,
    sleep: Sleep | None = None,
    clock: Clock | None = None,
    default_tz: str | None = None,
) -> dict[str, Any]:
    """Runs the job now. scheduled=True (tick): only if still due, skipped when leased, one
    attempt (a failed one is rescheduled). scheduled=False (run-now): JOB_NOT_FOUND /
    JOB_DISABLED / JOB_LOCKED as errors, retries in place. clock() -> aware UTC datetime (the
    real clock unless given), sleep(seconds) waits between run-now retries."""
    sleep = sleep or time.sleep
    clock = clock or _now
    row = db.get_job(conn, job_id)
    if row is None:
        return error_response(
            "JOB_NOT_FOUND",
            f"no job {job_id!r} in the database: add it to .jobs.json and run `python3 main.py sync-jobs`",
            job_id=job_id,
        )
    job = Job.of(row)
    if not job.enabled and not scheduled:
        return error_response(
            "JOB_DISABLED", f"job {job_id!r} is disabled: `python3 main.py resume {job_id}` first", job_id=job_id
        )
    zone = job.zone(default_tz or settings.default_zone())
    started = clock()
    lease = settings.lease_seconds
    try:
        leased = db.acquire_lease(
            conn, job_id, owner, db.iso(started), db.iso(started + timedelta(seconds=lease)), due_only=scheduled
        )
    except db.AgentsAlive as exc:
        if scheduled:
            return {"job_id": job_id, "status": "skipped", "reason": str(exc)}
        return error_response("JOB_LOCKED", str(exc), job_id=job_id)
    if not leased:
        if scheduled:
            return {"job_id": job_id, "status": "skipped", "reason": "leased by another scheduler or already run"}
        current = db.get_job(conn, job_id) or {}
        return error_response(
            "JOB_LOCKED",
            f"job {job_id!r} is running (lease held by {current.get('lease_owner')} "
            f"until {current.get('lease_expires_at')}); try again later",
            job_id=job_id,
        )
    next_run_at = None
    # run-now leaves a scheduled run that waits for its retry as it is; a tick run clears it.
    retry = None if scheduled or not job.retry_run_id else (int(job.retry_attempt), job.retry_run_id)
    try:
        with Heartbeat(db.db_file(conn), job_id, owner, lease, clock):
            attempt, run_id = 1, None
            if scheduled and job.retry_run_id and db.resume_run(conn, job.retry_run_id, owner):
                attempt, run_id = int(job.retry_attempt) + 1, job.retry_run_id
            if run_id is None:
                run_id = db.start_run(
                    conn, f"{job_id}-{started.strftime('%Y%m%dT%H%M%S')}", job_id, db.iso(started), owner
                )
            attempts = job.attempts
            while True:
                request, response = invoke_once(conn, job, run_id, root)
                if response.get("status") == "ok" or attempt >= attempts:
                    break
                if scheduled:  # wait outside the pass: the run resumes when next_run_at comes
                    wait = backoff(job, attempt)
                    retry_at = clock() + timedelta(seconds=wait)
                    next_run_at, retry = db.iso(retry_at), (attempt, run_id)
                    err = response.get("error") or {}
                    db.finish_run(
                        conn,
                        run_id,
                        None,
                        "retrying",
                        None,
                        {"code": err.get("code"), "message": err.get("message"), "attempt": attempt},
                    )
                    return {
                        "job_id": job_id,
                        "run_id": run_id,
                        "status": "retry_scheduled",
                        "attempt": attempt,
                        "retry_in_sec": wait,
                        "retry_at": next_run_at,
                    }
                sleep(backoff(job, attempt))
                attempt += 1
            finished = clock()
            outcome = _finish(conn, job, run_id, attempt, attempts, request, response, finished, root, settings)
            if scheduled:
                next_run_at = db.iso(next_run(job.schedule, finished, zone))
            return outcome
    finally:
        db.release_lease(conn, job_id, owner, db.iso(started), next_run_at, retry)
