"""Runs one job of puruto-cron: lease, invoke the target through invoker.py (in process),
retry with exponential backoff up to max_retries, record the run, notify, release."""
from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import db
import notifier

DEFAULT_ACTION = "status"  # the skill asked of the target when a job names none: every Puruto has it


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def lease_seconds(settings: dict) -> int:
    try:
        return max(int(float(settings.get("PURUTO_CRON_LEASE_SECONDS") or 120)), 1)
    except ValueError:
        return 120


def backoff(job: dict, attempt: int) -> float:
    """Seconds to wait after failed attempt n (1-based): retry_backoff_sec * 2^(n-1)."""
    return float(job["retry_backoff_sec"]) * (2 ** (attempt - 1))


def invoke_once(job: dict, root: Path) -> tuple[dict, dict]:
    import invoker

    request = invoker.build_request(root.name, job["puruto_target"], job.get("action") or DEFAULT_ACTION,
                                    job["prompt"], job["timeout_sec"], hop=0)
    try:
        response = invoker.invoke(request, root)
    except Exception as exc:  # invoke() maps its failures itself; this is a last resort
        response = invoker.error_result(request, "IPC_ERROR", f"unexpected failure: {exc}")
    return request, response


def error_response(code: str, message: str, **extra) -> dict:
    return {"status": "error", "error": {"code": code, "message": message}, **extra}


def run_job(conn, job_id: str, owner: str, settings: dict, root: Path, scheduled: bool, sleep=None) -> dict:
    """Runs the job now. scheduled=True (tick): only if still due, skipped when leased.
    scheduled=False (run-now): JOB_NOT_FOUND / JOB_DISABLED / JOB_LOCKED as errors."""
    sleep = sleep or time.sleep
    job = db.get_job(conn, job_id)
    if job is None:
        return error_response("JOB_NOT_FOUND", f"no job {job_id!r} in the database: add it to .jobs.json and run `python3 main.py sync-jobs`", job_id=job_id)
    if not job["enabled"] and not scheduled:
        return error_response("JOB_DISABLED", f"job {job_id!r} is disabled: `python3 main.py resume {job_id}` first", job_id=job_id)
    started = _now()
    hold = max(lease_seconds(settings), int(job["timeout_sec"]) + 30)
    if not db.acquire_lease(conn, job_id, owner, db.iso(started), db.iso(started + timedelta(seconds=hold)), due_only=scheduled):
        if scheduled:
            return {"job_id": job_id, "status": "skipped", "reason": "leased by another scheduler or already run"}
        current = db.get_job(conn, job_id) or {}
        return error_response("JOB_LOCKED", f"job {job_id!r} is running (lease held by {current.get('lease_owner')} "
                                            f"until {current.get('lease_expires_at')}); try again later", job_id=job_id)
    run_id = f"{job_id}-{started.strftime('%Y%m%dT%H%M%S')}"
    next_run_at = None
    try:
        run_id = db.start_run(conn, run_id, job_id, db.iso(started))
        attempts = int(job["max_retries"]) + 1
        for attempt in range(1, attempts + 1):
            db.renew_lease(conn, job_id, owner, db.iso(_now() + timedelta(seconds=hold)))
            request, response = invoke_once(job, root)
            if response.get("status") == "ok":
                break
            if attempt < attempts:
                sleep(backoff(job, attempt))
        finished = _now()
        if response.get("status") == "ok":
            result = {"status": "ok", "request": request, "response": response}
            event = {"job_id": job_id, "run_id": run_id, "attempt": attempt, "result": result}
            db.finish_run(conn, run_id, db.iso(finished), "ok", result, None)
            outcome = {"job_id": job_id, "run_id": run_id, "status": "ok", "attempts": attempt}
        else:
            err = response.get("error") or {}
            error = {"code": "INVOKER_ERROR_STATUS",
                     "message": f"{job['puruto_target']} failed after {attempts} attempt(s): {err.get('code')}: {err.get('message')}",
                     "details": {"request": request, "response": response}}
            event = {"job_id": job_id, "run_id": run_id, "attempts": attempts, "error": error}
            db.finish_run(conn, run_id, db.iso(finished), "error", None, error)
            outcome = {"job_id": job_id, "run_id": run_id, "status": "error", "attempts": attempts,
                       "error": {"code": error["code"], "message": error["message"]}}
        try:
            (root / "runs").mkdir(exist_ok=True)
            (root / "runs" / f"{run_id}.json").write_text(json.dumps(event, indent=2) + "\n", encoding="utf-8")
        except OSError:
            pass  # the run is in the database; the file is a convenience
        notified = notifier.notify(event, root, settings, job["notify_channel"])
        if notified["problems"]:
            outcome["notify_problems"] = notified["problems"]
        if scheduled:
            import scheduler

            next_run_at = db.iso(scheduler.next_run(job["schedule"], finished))
        return outcome
    finally:
        db.release_lease(conn, job_id, owner, db.iso(started), next_run_at)
