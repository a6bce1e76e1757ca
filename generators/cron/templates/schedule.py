"""Schedule math of puruto-cron (no database, no jobs): IANA time zones and cron expressions
(croniter: the full 5-field syntax, lists, ranges, steps, names, @daily ...) evaluated on the
wall clock of a time zone. Pure functions of their arguments."""

from __future__ import annotations

import functools
import os
import re
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

ALIASES = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
LOOKBACK = timedelta(hours=3)  # longer than any DST shift: wall times that map near `after`
UTC = timezone.utc
ZONE_NAME = re.compile(r"(?=.{1,64}$)[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*")


# --- time zones -----------------------------------------------------------------------


def zone_problem(name: object) -> str | None:
    """None when name is an IANA time zone this machine knows (Europe/Madrid, UTC ...)."""
    if not isinstance(name, str) or not ZONE_NAME.fullmatch(name):
        return f'must be an IANA time zone name such as "Europe/Madrid" or "UTC", got {name!r}'
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError; a folder is an OSError
        return (
            f'{name!r} is not a time zone known here (IANA names such as "America/New_York"; names are case-sensitive)'
        )
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


# --- cron expressions -----------------------------------------------------------------


# Pure functions of their arguments, cached: a .jobs.json often repeats a schedule, and
# building a croniter is the costly part of validating thousands of jobs.
def cron_problem(expr: object) -> str | None:
    """None when expr is a valid 5-field cron expression or alias, else why not."""
    if not isinstance(expr, str) or not expr.strip():
        return 'must be a non-empty cron expression such as "*/5 * * * *"'
    return _cron_text_problem(expr.strip())


@functools.lru_cache(maxsize=4096)
def _cron_text_problem(text: str) -> str | None:
    from croniter import croniter  # type: ignore[import-untyped,unused-ignore]  # croniter ships no type hints

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


def _exists(wall: datetime, tz: tzinfo) -> bool:
    aware = wall.replace(tzinfo=tz)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall


def instants(wall: datetime, tz: tzinfo, both_folds: bool) -> list[datetime]:
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
    from croniter import croniter  # type: ignore[import-untyped,unused-ignore]  # croniter ships no type hints

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
    from croniter import CroniterBadDateError  # type: ignore[import-untyped,unused-ignore]  # croniter ships no type hints

    try:
        next_run(schedule, datetime.now(UTC).replace(second=0, microsecond=0), tz)
    except (CroniterBadDateError, OverflowError, ValueError):
        return True
    return False
