"""Schedules of puruto-cron: .jobs.json validation, cron expressions (croniter: the full
5-field syntax, lists, ranges, steps, names, @daily ...) evaluated on the wall clock of a
time zone, and one scheduler pass (tick) that runs the due jobs on a bounded thread pool."""
from __future__ import annotations

import functools
import json
import math
import os
import re
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import db

DEFAULTS = {"enabled": True, "notify_channel": "telegram", "timeout_sec": 120, "max_retries": 0,
            "retry_backoff_sec": 30, "catch_up": True}
REQUIRED = ("job_id", "puruto_target", "schedule", "prompt")
JOB_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
TARGET = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # a folder name: no "/", never "." or ".."
SKILL = re.compile(r"(?=.{1,64}$)[a-z0-9]+(?:-[a-z0-9]+)*")  # the Agent Skills name rule
ZONE_NAME = re.compile(r"(?=.{1,64}$)[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*")
ALIASES = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
DAY = 86400
# (field, whole number?, minimum, maximum): the bounds of the numeric fields.
NUMBERS = (("timeout_sec", True, 1, DAY), ("max_retries", True, 0, 100), ("retry_backoff_sec", False, 0, DAY))
MAX_PARALLEL_LIMIT = 64
LOOKBACK = timedelta(hours=3)  # longer than any DST shift: wall times that map near `after`
UTC = timezone.utc


class JobsError(Exception):
    """An invalid .jobs.json or setting: the message names the job and the field."""


# --- time zones -----------------------------------------------------------------------

def zone_problem(name: object) -> str | None:
    """None when name is an IANA time zone this machine knows (Europe/Madrid, UTC ...)."""
    if not isinstance(name, str) or not ZONE_NAME.fullmatch(name):
        return f"must be an IANA time zone name such as \"Europe/Madrid\" or \"UTC\", got {name!r}"
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError; a folder is an OSError
        return (f"{name!r} is not a time zone known here (IANA names such as \"America/New_York\"; names are "
                "case-sensitive)")
    return None


def local_zone_name() -> str:
    """The machine's zone: $TZ, else the /etc/localtime link, else /etc/timezone, else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = os.path.realpath("/etc/localtime")
        if "/zoneinfo/" in target:
            candidates.append(target.split("/zoneinfo/", 1)[1])
    except OSError:
        pass
    try:
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except (OSError, UnicodeDecodeError):
        pass
    for name in candidates:
        if name and zone_problem(name) is None:
            return name
    return "UTC"


def default_zone(settings: dict) -> str:
    """PURUTO_CRON_TZ, else the machine's zone; JobsError when the setting is not a zone."""
    name = (settings.get("PURUTO_CRON_TZ") or "").strip()
    if not name:
        return local_zone_name()
    problem = zone_problem(name)
    if problem:
        raise JobsError(f"PURUTO_CRON_TZ {problem}: fix it in .env (empty = the machine's zone)")
    return name


def job_zone(job: dict, default: str) -> str:
    return job.get("timezone") or default


# --- cron expressions -----------------------------------------------------------------

# Pure functions of their arguments, cached: a .jobs.json often repeats a schedule, and
# building a croniter is the costly part of validating thousands of jobs.
def cron_problem(expr: object) -> str | None:
    """None when expr is a valid 5-field cron expression or alias, else why not."""
    if not isinstance(expr, str) or not expr.strip():
        return "must be a non-empty cron expression such as \"*/5 * * * *\""
    return _cron_text_problem(expr.strip())


@functools.lru_cache(maxsize=4096)
def _cron_text_problem(text: str) -> str | None:
    from croniter import croniter

    if text.startswith("@"):
        if text.lower() not in ALIASES:
            return f"{text!r} is not a known alias (use one of {', '.join(ALIASES)})"
        return None
    if len(text.split()) != 5:
        return f"{text!r} has {len(text.split())} fields; cron needs 5 (minute hour day-of-month month day-of-week)"
    if not croniter.is_valid(text):
        return f"{text!r} is not valid cron"
    return None


def _expr(schedule: str) -> str:
    expr = schedule.strip()
    return {"@annually": "@yearly", "@midnight": "@daily"}.get(expr.lower(), expr)


def _exists(wall: datetime, tz) -> bool:
    aware = wall.replace(tzinfo=tz)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall


def instants(wall: datetime, tz, both_folds: bool) -> list[datetime]:
    """The UTC instants of a wall-clock time in tz. A time skipped by a spring-forward shift
    runs when the clocks jump (the first existing minute after it); a time that occurs twice
    (autumn) runs once, the first time, unless both_folds (an every-hour schedule)."""
    first = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    second = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if first == second:
        return [first]
    if not _exists(wall, tz):
        after_gap = wall
        for _ in range(24 * 60):
            after_gap += timedelta(minutes=1)
            if _exists(after_gap, tz):
                break
        return [after_gap.replace(tzinfo=tz).astimezone(UTC)]
    return [first, second] if both_folds else [first]


@functools.lru_cache(maxsize=4096)
def next_run(schedule: str, after: datetime, tz: str | None = None) -> datetime:
    """The first instant strictly after `after` at which the schedule fires on the wall clock
    of the zone tz (default UTC), as an aware UTC datetime. croniter walks naive wall-clock
    times (its own DST handling differs between versions); zoneinfo maps them to instants."""
    from croniter import croniter

    zone = ZoneInfo(tz) if tz else UTC
    expr = _expr(schedule)
    fields = expr.split()
    every_hour = expr == "@hourly" or (len(fields) == 5 and fields[1] == "*")
    after = after.astimezone(UTC)
    wall_after = after.astimezone(zone).replace(tzinfo=None, microsecond=0)
    if len({(after + d).astimezone(zone).utcoffset() for d in (-LOOKBACK, timedelta(0), LOOKBACK)}) == 1:
        # No shift near `after` (the usual case): the next wall-clock match is the answer,
        # unless that time itself falls in a shift.
        wall = croniter(expr, wall_after).get_next(datetime)
        found = instants(wall, zone, every_hour)
        if len(found) == 1 and _exists(wall, zone) and found[0] > after:
            return found[0]
    it = croniter(expr, wall_after - LOOKBACK)
    best = None
    while True:
        wall = it.get_next(datetime)
        if best is not None and wall > wall_after + LOOKBACK:
            return best
        for instant in instants(wall, zone, every_hour):
            if instant > after and (best is None or instant < best):
                best = instant


@functools.lru_cache(maxsize=4096)
def never_fires(schedule: str, tz: str | None) -> bool:
    from croniter import CroniterBadDateError

    try:
        next_run(schedule, datetime.now(UTC).replace(second=0, microsecond=0), tz)
    except (CroniterBadDateError, OverflowError, ValueError):
        return True
    return False


# --- .jobs.json -----------------------------------------------------------------------

def _number(job: dict, key: str, label: str, integer: bool, minimum: float, maximum: float):
    value = job[key]
    if isinstance(value, float) and integer and value.is_integer() and math.isfinite(value):
        value = int(value)  # 5.0 is a whole number in JSON (and to the JSON Schema)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
        raise JobsError(f"{label}: field \"{key}\" must be {'a whole number' if integer else 'a number'}, got "
                        f"{value!r}")
    if not minimum <= value <= maximum:
        raise JobsError(f"{label}: field \"{key}\" must be from {minimum} to {maximum}, got {value!r}")
    job[key] = value


def _text(job: dict, key: str, label: str) -> None:
    if not isinstance(job[key], str) or not job[key].strip():
        raise JobsError(f'{label}: field "{key}" must be a non-empty string, got {job[key]!r}')


def validate_job(raw: object, i: int, seen: set, default_tz: str) -> dict:
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
        raise JobsError(f'{label}: field "job_id" must be 1-64 letters, digits, ".", "_" or "-" (not starting with '
                        f'them), got {job["job_id"]!r}')
    if job["job_id"] in seen:
        raise JobsError(f'{label}: field "job_id" duplicates an earlier job: job ids must be unique')
    seen.add(job["job_id"])
    for key in ("puruto_target", "prompt", "notify_channel"):
        _text(job, key, label)
    if not TARGET.fullmatch(job["puruto_target"]):
        raise JobsError(f'{label}: field "puruto_target" must be a Puruto folder name such as "puruto-notes" (no "/", '
                        f'no leading dot), got {job["puruto_target"]!r}')
    if "action" in raw and (not isinstance(job["action"], str) or not SKILL.fullmatch(job["action"])):
        raise JobsError(f'{label}: field "action" must be a skill name such as "status" (lowercase letters, digits, '
                        f'single hyphens), got {job["action"]!r}')
    for key in ("enabled", "catch_up"):
        if not isinstance(job[key], bool):
            raise JobsError(f'{label}: field "{key}" must be true or false, got {job[key]!r}')
    for key, integer, low, high in NUMBERS:
        _number(job, key, label, integer, low, high)
    if "timezone" in raw:
        problem = zone_problem(job["timezone"])
        if problem:
            raise JobsError(f'{label}: field "timezone" {problem}')
    problem = cron_problem(job["schedule"])
    if problem:
        raise JobsError(f'{label}: field "schedule": {problem}')
    job["schedule"] = job["schedule"].strip()
    if never_fires(job["schedule"], job_zone(job, default_tz)):
        raise JobsError(f'{label}: field "schedule": {job["schedule"]!r} never fires (no such date, e.g. 30 February): '
                        'fix the day or month')
    job.setdefault("action", None)
    job.setdefault("timezone", None)
    return job


def validate_jobs(data: object, default_tz: str = "UTC") -> list[dict]:
    """The jobs of a parsed .jobs.json with defaults filled in, or JobsError for the first problem."""
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise JobsError('.jobs.json: the root must be an object with a "jobs" list, e.g. {"jobs": []}')
    seen: set = set()
    return [validate_job(raw, i, seen, default_tz) for i, raw in enumerate(data["jobs"])]


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def load_jobs_file(path: Path, default_tz: str = "UTC") -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise JobsError(f"{path.name} is missing: create it with {{\"jobs\": []}}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise JobsError(f"{path.name} cannot be read: {exc}") from None
    try:
        data = json.loads(text, parse_constant=_no_constant)  # NaN / Infinity are not JSON
    except ValueError as exc:
        raise JobsError(f"{path.name} is not valid JSON ({exc}); fix the syntax "
                        "(no comments or trailing commas)") from None
    return validate_jobs(data, default_tz)


# --- settings of a pass ---------------------------------------------------------------

def max_parallel(settings: dict) -> int:
    raw = (settings.get("PURUTO_CRON_MAX_PARALLEL") or "").strip()
    if not raw:
        return 4
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_PARALLEL_LIMIT:
        raise JobsError(f"PURUTO_CRON_MAX_PARALLEL={raw!r} must be a whole number from 1 to {MAX_PARALLEL_LIMIT}: fix "
                        "it in .env (default 4)")
    return value


def poll_seconds(settings: dict) -> float:
    try:
        value = float(settings.get("PURUTO_CRON_POLL_SECONDS") or 30)
    except ValueError:
        value = 30
    return value if 0 < value < math.inf else 30


def missed_grace(settings: dict) -> float:
    """How late a scheduler may reach a run before it counts as missed: max(60 s, 2 polls)."""
    return max(60.0, 2 * poll_seconds(settings))


def lease_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


# --- one pass -------------------------------------------------------------------------

class ThreadConnections:
    """One SQLite connection per worker thread of a pass, all closed when the pass ends."""

    def __init__(self, path: str):
        self.path, self.local, self.opened, self.lock = path, threading.local(), [], threading.Lock()

    def get(self):
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = db.connect(Path(self.path), any_thread=True)
            with self.lock:
                self.opened.append(conn)
        return conn

    def close(self) -> None:
        for conn in self.opened:
            conn.close()


def run_due_job(conns: ThreadConnections, job_id: str, owner: str, now: datetime, settings: dict, root: Path,
                default_tz: str, should_stop, sleep, clock) -> dict:
    """One due job in a worker thread, on that thread's SQLite connection."""
    import executor

    if should_stop():
        return {"job_id": job_id, "status": "skipped", "reason": "stopping"}
    conn = conns.get()
    job = db.get_job(conn, job_id)
    if job is None:
        return {"job_id": job_id, "status": "skipped", "reason": "removed from .jobs.json"}
    due = db.parse_iso(job["next_run_at"]) if job["next_run_at"] else now
    if (not job["catch_up"] and not job["retry_run_id"]
            and (now - due).total_seconds() > missed_grace(settings)):
        nxt = db.iso(next_run(job["schedule"], now, job_zone(job, default_tz)))
        if db.skip_missed(conn, job_id, job["next_run_at"], nxt, db.iso(now)):
            return {"job_id": job_id, "status": "skipped", "reason": "missed run skipped (catch_up: false)",
                    "missed_run_at": job["next_run_at"], "next_run_at": nxt}
        return {"job_id": job_id, "status": "skipped", "reason": "leased by another scheduler or already run"}
    return executor.run_job(conn, job_id, owner, settings, root, scheduled=True, sleep=sleep, clock=clock,
                            default_tz=default_tz)


def tick(conn, now: datetime, settings: dict, root: Path, should_stop=lambda: False, sleep=None, clock=None) -> dict:
    """One pass: runs whose scheduler died are marked interrupted; then every enabled job whose
    next_run_at has come is leased, run and rescheduled, up to PURUTO_CRON_MAX_PARALLEL at
    once. A job leased by another scheduler is skipped; so is one it already ran meanwhile."""
    default_tz = default_zone(settings)
    workers = max_parallel(settings)
    owner = lease_owner()
    now_iso = db.iso(now)
    interrupted = db.mark_interrupted(conn, now_iso)
    due = db.due_job_ids(conn, now_iso)
    conns = ThreadConnections(db.db_file(conn))
    results: list[dict] = []
    if due:
        with ThreadPoolExecutor(max_workers=min(workers, len(due)), thread_name_prefix="cron-job") as pool:
            futures = [pool.submit(run_due_job, conns, job_id, owner, now, settings, root, default_tz,
                                   should_stop, sleep, clock) for job_id in due]
            for job_id, future in zip(due, futures):
                try:
                    results.append(future.result())
                except Exception as exc:  # one broken job never hides the others' results
                    results.append({"job_id": job_id, "status": "error",
                                    "error": {"code": "CRON_ERROR", "message": f"{type(exc).__name__}: {exc}"}})
        conns.close()
    out = {"status": "ok", "now": now_iso, "lease_owner": owner, "due_jobs": due, "results": results}
    if interrupted:
        out["interrupted_runs"] = interrupted
    return out
