"""The jobs of puruto-cron: `Job`, one typed value built in one place from a .jobs.json entry
(validated: the same verdict as `puruto validate --strict`, test/runtime/cron.parity.test.ts)
or from a row of the jobs table."""
from __future__ import annotations

import dataclasses
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from schedule import cron_problem, never_fires, zone_problem

DEFAULTS = {"enabled": True, "notify_channel": "telegram", "timeout_sec": 120, "max_retries": 0,
            "retry_backoff_sec": 30, "catch_up": True}
REQUIRED = ("job_id", "puruto_target", "schedule", "prompt")
JOB_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
TARGET = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # a folder name: no "/", never "." or ".."
SKILL = re.compile(r"(?=.{1,64}$)[a-z0-9]+(?:-[a-z0-9]+)*")  # the Agent Skills name rule
DAY = 86400
# (field, whole number?, minimum, maximum): the bounds of the numeric fields.
NUMBERS = (("timeout_sec", True, 1, DAY), ("max_retries", True, 0, 100), ("retry_backoff_sec", False, 0, DAY))


class JobsError(Exception):
    """An invalid .jobs.json: the message names the job and the field."""


@dataclass(frozen=True)
class Job:
    """One job: what .jobs.json sets (action/timezone None = the defaults: `message`, the
    scheduler's zone), then the scheduler's state of it (a job from .jobs.json has none yet)."""
    job_id: str
    puruto_target: str
    schedule: str
    prompt: str
    enabled: bool = True
    notify_channel: str = "telegram"
    timeout_sec: int = 120
    max_retries: int = 0
    retry_backoff_sec: float = 30
    action: str | None = None
    timezone: str | None = None
    catch_up: bool = True
    next_run_at: str | None = None
    last_run_at: str | None = None
    lease_owner: str | None = None
    lease_expires_at: str | None = None
    schedule_tz: str | None = None
    retry_attempt: int = 0
    retry_run_id: str | None = None

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> "Job":
        """A Job from a validated .jobs.json entry or a jobs-table row (sqlite3.Row or dict):
        the fields it knows, SQLite's 0/1 flags as booleans; other keys are ignored."""
        keys = values.keys()
        job = cls(**{f.name: values[f.name] for f in dataclasses.fields(cls) if f.name in keys})
        return dataclasses.replace(job, enabled=bool(job.enabled), catch_up=bool(job.catch_up))

    def zone(self, default: str) -> str:
        """The zone its schedule is read in: its own, else the scheduler's."""
        return self.timezone or default

    @property
    def attempts(self) -> int:
        return int(self.max_retries) + 1


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


def validate_job(raw: object, i: int, seen: set, default_tz: str) -> Job:
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
    if never_fires(job["schedule"], job.get("timezone") or default_tz):
        raise JobsError(f'{label}: field "schedule": {job["schedule"]!r} never fires (no such date, e.g. 30 February): '
                        'fix the day or month')
    job.setdefault("action", None)
    job.setdefault("timezone", None)
    return Job.of(job)


def validate_jobs(data: object, default_tz: str = "UTC") -> list[Job]:
    """The jobs of a parsed .jobs.json with defaults filled in, or JobsError for the first problem."""
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise JobsError('.jobs.json: the root must be an object with a "jobs" list, e.g. {"jobs": []}')
    seen: set = set()
    return [validate_job(raw, i, seen, default_tz) for i, raw in enumerate(data["jobs"])]


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def load_jobs_file(path: Path, default_tz: str = "UTC") -> list[Job]:
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
