"""Schedules of puruto-cron: .jobs.json validation, cron expressions (croniter: the full
5-field syntax, lists, ranges, steps, names, @daily ...) and one scheduler pass (tick)."""
from __future__ import annotations

import json
import re
import socket
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import db

DEFAULTS = {"enabled": True, "notify_channel": "telegram", "timeout_sec": 120, "max_retries": 0, "retry_backoff_sec": 30}
REQUIRED = ("job_id", "puruto_target", "schedule", "prompt")
JOB_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
ALIASES = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")


class JobsError(Exception):
    """An invalid .jobs.json: the message names the job and the field."""


def cron_problem(expr: object) -> str | None:
    """None when expr is a valid 5-field cron expression or alias, else why not."""
    from croniter import croniter

    if not isinstance(expr, str) or not expr.strip():
        return "must be a non-empty cron expression such as \"*/5 * * * *\""
    text = expr.strip()
    if text.startswith("@"):
        if text.lower() not in ALIASES:
            return f"{text!r} is not a known alias (use one of {', '.join(ALIASES)})"
        return None
    if len(text.split()) != 5:
        return f"{text!r} has {len(text.split())} fields; cron needs 5 (minute hour day-of-month month day-of-week)"
    if not croniter.is_valid(text):
        return f"{text!r} is not valid cron"
    return None


def next_run(schedule: str, after: datetime) -> datetime:
    """The first time strictly after `after` (UTC) that matches the schedule."""
    from croniter import croniter

    expr = schedule.strip()
    if expr.lower() == "@annually":
        expr = "@yearly"
    elif expr.lower() == "@midnight":
        expr = "@daily"
    nxt = croniter(expr, after.astimezone(timezone.utc).replace(microsecond=0)).get_next(datetime)
    return nxt.astimezone(timezone.utc)


def _number(job: dict, key: str, label: str, integer: bool, minimum: float, exclusive: bool = False):
    value = job[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
        raise JobsError(f"{label}: field \"{key}\" must be {'a whole number' if integer else 'a number'}, got {value!r}")
    if value < minimum or (exclusive and value == minimum):
        raise JobsError(f"{label}: field \"{key}\" must be {'>' if exclusive else '>='} {minimum}, got {value!r}")
    return value


def validate_jobs(data: object) -> list[dict]:
    """The jobs of a parsed .jobs.json with defaults filled in, or JobsError for the first problem."""
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise JobsError('.jobs.json: the root must be an object with a "jobs" list, e.g. {"jobs": []}')
    jobs, seen = [], set()
    for i, raw in enumerate(data["jobs"]):
        label = f".jobs.json: job #{i}"
        if not isinstance(raw, dict):
            raise JobsError(f"{label}: must be an object")
        if isinstance(raw.get("job_id"), str) and raw["job_id"]:
            label = f'.jobs.json: job "{raw["job_id"]}" (#{i})'
        for key in REQUIRED:
            if key not in raw:
                raise JobsError(f'{label}: field "{key}" is required')
        job = {**DEFAULTS, **raw}
        if not isinstance(job["job_id"], str) or not JOB_ID.fullmatch(job["job_id"]):
            raise JobsError(f'{label}: field "job_id" must be 1-64 letters, digits, ".", "_" or "-" (not starting with them), got {job["job_id"]!r}')
        if job["job_id"] in seen:
            raise JobsError(f'{label}: field "job_id" duplicates an earlier job: job ids must be unique')
        seen.add(job["job_id"])
        for key in ("puruto_target", "prompt", "notify_channel"):
            if not isinstance(job[key], str) or not job[key].strip():
                raise JobsError(f'{label}: field "{key}" must be a non-empty string, got {job[key]!r}')
        if "action" in job and (not isinstance(job["action"], str) or not JOB_ID.fullmatch(job["action"])):
            raise JobsError(f'{label}: field "action" must be a skill name such as "status", got {job["action"]!r}')
        problem = cron_problem(job["schedule"])
        if problem:
            raise JobsError(f'{label}: field "schedule": {problem}')
        if not isinstance(job["enabled"], bool):
            raise JobsError(f'{label}: field "enabled" must be true or false, got {job["enabled"]!r}')
        _number(job, "timeout_sec", label, True, 1)
        _number(job, "max_retries", label, True, 0)
        _number(job, "retry_backoff_sec", label, False, 0)
        job["schedule"] = job["schedule"].strip()
        jobs.append(job)
    return jobs


def load_jobs_file(path: Path) -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise JobsError(f"{path.name} is missing: create it with {{\"jobs\": []}}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise JobsError(f"{path.name} cannot be read: {exc}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise JobsError(f"{path.name} is not valid JSON ({exc}); fix the syntax (no comments or trailing commas)") from None
    return validate_jobs(data)


def lease_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def tick(conn, now: datetime, settings: dict, root: Path, should_stop=lambda: False, sleep=None) -> dict:
    """One pass: every enabled job whose next_run_at has come is leased, run and rescheduled.
    A job leased by another scheduler is skipped; so is one it already ran meanwhile."""
    import executor

    owner = lease_owner()
    now_iso = db.iso(now)
    due = db.due_job_ids(conn, now_iso)
    results = []
    for job_id in due:
        if should_stop():
            results.append({"job_id": job_id, "status": "skipped", "reason": "stopping"})
            continue
        outcome = executor.run_job(conn, job_id, owner, settings, root, scheduled=True, sleep=sleep)
        results.append(outcome)
    return {"status": "ok", "now": now_iso, "lease_owner": owner, "due_jobs": due, "results": results}
