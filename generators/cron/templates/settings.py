"""The settings of puruto-cron: `Settings`, one typed value built in one place (`load`: the
process environment, then .env; `parse`: from KEY=value text). Every field is parsed here;
the passes take a `Settings` and never read a string themselves.

A bad PURUTO_CRON_TZ or PURUTO_CRON_MAX_PARALLEL is kept as `Invalid` and raised as
SettingsError only where it is used (`default_zone()`, `workers()`), so a command that does
not need it (init-db, logs) still works, and one that does says INVALID_SETTINGS."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from schedule import local_zone_name, zone_problem

NAMES = (
    "DB_PATH",
    "PURUTO_CRON_POLL_SECONDS",
    "PURUTO_CRON_LEASE_SECONDS",
    "PURUTO_CRON_MAX_PARALLEL",
    "PURUTO_CRON_TZ",
    "PURUTO_TELEGRAM_PATH",
    "PURUTO_TELEGRAM_OUTBOX_FILE",
)
DEFAULT_DB = "db/cron.db"
DEFAULT_POLL = 30.0
DEFAULT_LEASE = 120
MIN_LEASE = 2  # seconds; leases are stored to the second, so a shorter one could lapse between renewals
DEFAULT_PARALLEL = 4
MAX_PARALLEL_LIMIT = 64
DEFAULT_TELEGRAM_PATH = "../puruto-telegram"
DEFAULT_OUTBOX_FILE = "inbox/cron-events.jsonl"
MIN_GRACE = 60.0  # seconds a run may be reached late before it counts as missed, at least

T = TypeVar("T")


class SettingsError(Exception):
    """A setting that is not valid, raised where it is used: the message names it and the fix."""


@dataclass(frozen=True)
class Invalid:
    """A setting that did not parse: why, in the words of the error it raises when used."""

    message: str


def _valid(value: T | Invalid) -> T:
    if isinstance(value, Invalid):
        raise SettingsError(value.message)
    return value


@dataclass(frozen=True)
class Settings:
    """What .env / the environment set, parsed. Paths are as written (~ and relative ones are
    resolved against the repo root by `resolve`)."""

    db_path: Path = Path(DEFAULT_DB)
    poll_seconds: float = DEFAULT_POLL
    lease_seconds: int = DEFAULT_LEASE
    max_parallel: int | Invalid = DEFAULT_PARALLEL
    time_zone: str | Invalid = field(default_factory=local_zone_name)
    telegram_path: Path = Path(DEFAULT_TELEGRAM_PATH)
    outbox_file: Path = Path(DEFAULT_OUTBOX_FILE)

    def default_zone(self) -> str:
        """PURUTO_CRON_TZ, else the machine's zone; SettingsError when the setting is not a zone."""
        return _valid(self.time_zone)

    def workers(self) -> int:
        """How many due jobs run at once; SettingsError when PURUTO_CRON_MAX_PARALLEL is bad."""
        return _valid(self.max_parallel)

    @property
    def missed_grace(self) -> float:
        """How late a scheduler may reach a run before it counts as missed: max(60 s, 2 polls)."""
        return max(MIN_GRACE, 2 * self.poll_seconds)


def resolve(root: Path, path: Path) -> Path:
    """A path setting on disk: ~ expanded, a relative one under root."""
    p = path.expanduser()
    return p if p.is_absolute() else root / p


# --- parsing ----------------------------------------------------------------------------


def _poll(raw: str) -> float:
    try:
        value = float(raw or DEFAULT_POLL)
    except ValueError:
        return DEFAULT_POLL
    return value if 0 < value < math.inf else DEFAULT_POLL


def _lease(raw: str) -> int:
    try:
        value = float(raw or DEFAULT_LEASE)
    except ValueError:
        return DEFAULT_LEASE
    return max(math.ceil(value), MIN_LEASE) if math.isfinite(value) else DEFAULT_LEASE


def _parallel(raw: str) -> int | Invalid:
    raw = raw.strip()
    if not raw:
        return DEFAULT_PARALLEL
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_PARALLEL_LIMIT:
        return Invalid(
            f"PURUTO_CRON_MAX_PARALLEL={raw!r} must be a whole number from 1 to {MAX_PARALLEL_LIMIT}: "
            f"fix it in .env (default {DEFAULT_PARALLEL})"
        )
    return value


def _zone(raw: str) -> str | Invalid:
    name = raw.strip()
    if not name:
        return local_zone_name()
    problem = zone_problem(name)
    return Invalid(f"PURUTO_CRON_TZ {problem}: fix it in .env (empty = the machine's zone)") if problem else name


def parse(values: Mapping[str, str]) -> Settings:
    """Settings from KEY=value text (a missing or empty key = its default). Never raises."""

    def text(key: str) -> str:
        return values.get(key) or ""

    return Settings(
        db_path=Path(text("DB_PATH") or DEFAULT_DB),
        poll_seconds=_poll(text("PURUTO_CRON_POLL_SECONDS")),
        lease_seconds=_lease(text("PURUTO_CRON_LEASE_SECONDS")),
        max_parallel=_parallel(text("PURUTO_CRON_MAX_PARALLEL")),
        time_zone=_zone(text("PURUTO_CRON_TZ")),
        telegram_path=Path(text("PURUTO_TELEGRAM_PATH") or DEFAULT_TELEGRAM_PATH),
        outbox_file=Path(text("PURUTO_TELEGRAM_OUTBOX_FILE") or DEFAULT_OUTBOX_FILE),
    )


def load(root: Path, environ: Mapping[str, str] = os.environ) -> Settings:
    """The settings of the repo at root: each from the environment if set there, else from .env."""
    from invoker import read_dotenv

    dotenv = read_dotenv(root / ".env")
    return parse({k: environ.get(k) or dotenv.get(k, "") for k in NAMES})
