"""The jobs of puruto-cron: `Job`, one typed value built in one place from a .jobs.json entry
(validated with the schema `puruto validate --strict` applies, test/runtime/cron.parity.test.ts)
or from a row of the jobs table."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import json_schema
from schedule import cron_problem, never_fires, zone_problem

DEFAULTS = {
    "enabled": True,
    "notify_channel": "telegram",
    "timeout_sec": 120,
    "max_retries": 0,
    "retry_backoff_sec": 30,
    "catch_up": True,
}


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
    def of(cls, values: Mapping[str, Any]) -> Job:
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
# The shape of .jobs.json is .puruto-schemas/jobs.schema.json, the JSON Schema `puruto validate
# --strict` applies (read through json_schema.py). Checked here: what a schema cannot say.

# What a pattern of the schema means, in words (a field's message adds it after the pattern).
PATTERN_HINTS = {
    "job_id": 'letters, digits, ".", "_" or "-", starting with a letter or digit',
    "puruto_target": 'a Puruto folder name such as "puruto-notes" (no "/", no leading dot)',
    "action": 'a skill name such as "status" (lowercase letters, digits, single hyphens)',
    "timezone": 'an IANA zone name such as "Europe/Madrid" or "UTC"',
}


def job_rules() -> dict[str, Any]:
    """The schema of one job (the items of "jobs")."""
    try:
        rules: dict[str, Any] = json_schema.load("jobs")["properties"]["jobs"]["items"]
        return rules
    except json_schema.SchemaFileError as exc:
        raise JobsError(f".jobs.json cannot be checked: {exc}") from None


def _schema_problem(raw: dict[str, Any], rules: dict[str, Any], label: str) -> str | None:
    found = json_schema.problems(raw, rules)
    if not found:
        return None
    p = found[0]
    if not p.path:  # "required": the first field the schema requires that the job lacks
        key = next((k for k in rules.get("required", []) if k not in raw), "?")
        return f'{label}: field "{key}" is required'
    key = p.path[0]
    hint = f" ({PATTERN_HINTS[key]})" if p.keyword == "pattern" and key in PATTERN_HINTS else ""
    return f'{label}: field "{key}": {p.message}{hint}'


def validate_job(raw: object, i: int, seen: set[str], default_tz: str, rules: dict[str, Any] | None = None) -> Job:
    """One .jobs.json entry as a Job: the schema's rules, then unique ids, an existing zone and a cron
    expression that parses and fires. `rules`: job_rules() (read when not given)."""
    label = f".jobs.json: job #{i}"
    if not isinstance(raw, dict):
        raise JobsError(f"{label}: must be an object")
    if isinstance(raw.get("job_id"), str) and raw["job_id"]:
        label = f'.jobs.json: job "{raw["job_id"]}" (#{i})'
    rules = rules if rules is not None else job_rules()
    problem = _schema_problem(raw, rules, label)
    if problem:
        raise JobsError(problem)
    job = {**DEFAULTS, **raw}
    if job["job_id"] in seen:
        raise JobsError(f'{label}: field "job_id" duplicates an earlier job: job ids must be unique')
    seen.add(job["job_id"])
    for key, rule in rules.get("properties", {}).items():
        if rule.get("type") == "integer" and isinstance(job.get(key), float):
            job[key] = int(job[key])  # 5.0 is a whole number in JSON (and to the JSON Schema)
    if "timezone" in raw:
        problem = zone_problem(job["timezone"])
        if problem:
            raise JobsError(f'{label}: field "timezone" {problem}')
    problem = cron_problem(job["schedule"])
    if problem:
        raise JobsError(f'{label}: field "schedule": {problem}')
    job["schedule"] = job["schedule"].strip()
    if never_fires(job["schedule"], job.get("timezone") or default_tz):
        raise JobsError(
            f'{label}: field "schedule": {job["schedule"]!r} never fires (no such date, e.g. 30 February): '
            "fix the day or month"
        )
    job.setdefault("action", None)
    job.setdefault("timezone", None)
    return Job.of(job)


def validate_jobs(data: object, default_tz: str = "UTC") -> list[Job]:
    """The jobs of a parsed .jobs.json with defaults filled in, or JobsError for the first problem."""
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise JobsError('.jobs.json: the root must be an object with a "jobs" list, e.g. {"jobs": []}')
    rules = job_rules()
    seen: set[str] = set()
    return [validate_job(raw, i, seen, default_tz, rules) for i, raw in enumerate(data["jobs"])]


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


def load_jobs_file(path: Path, default_tz: str = "UTC") -> list[Job]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise JobsError(f'{path.name} is missing: create it with {{"jobs": []}}') from None
    except (OSError, UnicodeDecodeError) as exc:
        raise JobsError(f"{path.name} cannot be read: {exc}") from None
    try:
        data = json.loads(text, parse_constant=_no_constant)  # NaN / Infinity are not JSON
    except ValueError as exc:
        raise JobsError(
            f"{path.name} is not valid JSON ({exc}); fix the syntax (no comments or trailing commas)"
        ) from None
    return validate_jobs(data, default_tz)
