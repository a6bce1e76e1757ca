"""The settings of puruto-cron: `CronSettings`, one typed value read once (`CronSettings.load`: the
process environment, then .env, through the vendored puruto_runtime package; `from_values`: from
KEY=value text). Every field is parsed here; the passes take a `CronSettings` and never read a
string themselves.

A bad PURUTO_CRON_TZ or PURUTO_CRON_MAX_PARALLEL is kept as `Invalid` and raised as
SettingsError only where it is used (`default_zone()`, `workers()`), so a command that does
not need it (init-db, logs) still works, and one that does says INVALID_SETTINGS. A poll or
lease value that is not a usable number falls back to its default."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from puruto_runtime import settings as base
from puruto_runtime.settings import Invalid, SettingsError, max_parallel, number, path, setting, valid
from schedule import local_zone_name, zone_problem

__all__ = ["CronSettings", "Invalid", "Settings", "SettingsError"]

DEFAULT_POLL = 30.0
DEFAULT_LEASE = 120
MIN_LEASE = 2  # seconds; leases are stored to the second, so a shorter one could lapse between renewals
MIN_GRACE = 60.0  # seconds a run may be reached late before it counts as missed, at least
_positive = number(positive=True)


def _poll(raw: str) -> float:
    try:
        return _positive(raw)
    except ValueError:
        return DEFAULT_POLL


def _lease(raw: str) -> int:
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_LEASE
    return max(math.ceil(value), MIN_LEASE) if math.isfinite(value) else DEFAULT_LEASE


def _zone(raw: str) -> str:
    if zone_problem(raw):
        raise ValueError('must be an IANA time zone name known here, such as "Europe/Madrid" or "UTC" (case-sensitive)')
    return raw


@dataclass(frozen=True)
class CronSettings(base.Settings):
    """What .env / the environment set, parsed. Paths are as written (~ and relative ones are
    resolved against the repo root by puruto_runtime.settings.resolve_path)."""

    db_path: Path = setting("DB_PATH", path(), Path("db/cron.db"))
    poll_seconds: float = setting("PURUTO_CRON_POLL_SECONDS", _poll, DEFAULT_POLL)
    lease_seconds: int = setting("PURUTO_CRON_LEASE_SECONDS", _lease, DEFAULT_LEASE)
    max_parallel: int | Invalid = setting("PURUTO_CRON_MAX_PARALLEL", max_parallel(64), 4, deferred=True)
    time_zone: str | Invalid = setting("PURUTO_CRON_TZ", _zone, "", deferred=True, default_text="the machine's zone")
    telegram_path: Path = setting("PURUTO_TELEGRAM_PATH", path(), Path("../puruto-telegram"))
    outbox_file: Path = setting("PURUTO_TELEGRAM_OUTBOX_FILE", path(), Path("inbox/cron-events.jsonl"))

    def default_zone(self) -> str:
        """PURUTO_CRON_TZ, else the machine's zone; SettingsError when the setting is not a zone."""
        return valid(self.time_zone) or local_zone_name()

    def workers(self) -> int:
        """How many due jobs run at once; SettingsError when PURUTO_CRON_MAX_PARALLEL is bad."""
        return valid(self.max_parallel)

    @property
    def missed_grace(self) -> float:
        """How late a scheduler may reach a run before it counts as missed: max(60 s, 2 polls)."""
        return max(MIN_GRACE, 2 * self.poll_seconds)


Settings = CronSettings  # the name scheduler.py and executor.py import
