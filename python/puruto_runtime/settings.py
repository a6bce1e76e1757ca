"""The typed Settings base every kind's settings derive from: a frozen dataclass whose fields
say which variable sets them and how its text is parsed.

    @dataclass(frozen=True)
    class CronSettings(Settings):
        max_parallel: int = setting("PURUTO_CRON_MAX_PARALLEL", max_parallel(64), 4)
        db_path: Path = setting("DB_PATH", path(), Path("db/cron.db"))

    CronSettings.load(root)  # the process environment first, then root/.env; SettingsError if bad

A variable that is unset or blank takes the field's default. A value that does not parse is a
SettingsError whose message names the variable, what it must be and the default, e.g.
`PURUTO_CRON_MAX_PARALLEL='0' must be a whole number from 1 to 64: fix it in .env (default 4)`.
The .env file is read by dotenv.py (python-dotenv's rules) through safe_read: a FIFO or a device
there is reported, never waited on.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

from . import dotenv
from .safe_read import UnsafeRead

T = TypeVar("T")
S = TypeVar("S", bound="Settings")
Parser = Callable[[str], T]  # the stripped, non-empty text of a variable -> its value; ValueError says why not
SPEC = "puruto_setting"  # the dataclass field metadata key


class SettingsError(ValueError):
    """Settings that cannot be used: one message per bad variable (and the .env file when unreadable)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Spec:
    """How a field is set: its variable and its parser."""

    var: str
    parse: Parser[Any]


def setting(var: str, parse: Parser[T], default: T) -> T:
    """A Settings field set by the variable `var` (parsed by `parse`), `default` when unset or blank."""
    found: T = field(default=default, metadata={SPEC: Spec(var, parse)})
    return found


def shown(value: object) -> str:
    """A default as a message shows it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if value != "" else "empty"


@dataclass(frozen=True)
class Settings:
    """The base: subclasses add fields made with setting(...). Plain fields keep their defaults."""

    @classmethod
    def from_values(cls: type[S], values: Mapping[str, str], where: str = ".env") -> S:
        """Settings from KEY=text values (a missing or blank key takes its default)."""
        parsed: dict[str, Any] = {}
        problems: list[str] = []
        for f in fields(cls):
            spec = f.metadata.get(SPEC)
            if not isinstance(spec, Spec):
                continue
            raw = (values.get(spec.var) or "").strip()
            if not raw:
                continue  # the dataclass default
            try:
                parsed[f.name] = spec.parse(raw)
            except ValueError as exc:
                problems.append(f"{spec.var}={raw!r} {exc}: fix it in {where} (default {shown(f.default)})")
        if problems:
            raise SettingsError(problems)
        return cls(**parsed)

    @classmethod
    def load(cls: type[S], root: Path, environ: Mapping[str, str] | None = None, env_file: str = ".env") -> S:
        """The settings of the repo at root: each variable from the process environment when set
        there (and not blank), else from root/.env."""
        environ = os.environ if environ is None else environ
        path = root / env_file
        try:
            from_file = dotenv.settings_of(path)
        except UnsafeRead as exc:
            raise SettingsError([f"{exc.strerror}: replace it with a regular file of KEY=value lines"]) from None
        except UnicodeDecodeError:
            raise SettingsError([f"{path} is not UTF-8 text: save it as UTF-8"]) from None
        except OSError as exc:
            raise SettingsError([f"{path} cannot be read ({exc.strerror or exc})"]) from None
        merged = {**from_file, **{k: v for k, v in environ.items() if v}}
        return cls.from_values(merged, env_file)

    @classmethod
    def variables(cls) -> tuple[str, ...]:
        """The variables this class reads, in field order."""
        return tuple(f.metadata[SPEC].var for f in fields(cls) if isinstance(f.metadata.get(SPEC), Spec))


# --- parsers: each returns a Parser; ValueError's text completes "VAR='raw' ..." -----------------


def _bounds(minimum: float | None, maximum: float | None) -> str:
    if minimum is not None and maximum is not None:
        return f" from {minimum:g} to {maximum:g}"
    if minimum is not None:
        return f" of at least {minimum:g}"
    return f" of at most {maximum:g}" if maximum is not None else ""


def integer(minimum: int | None = None, maximum: int | None = None) -> Parser[int]:
    """A whole number (within the bounds given)."""
    why = f"must be a whole number{_bounds(minimum, maximum)}"

    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(why) from None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise ValueError(why)
        return value

    return parse


def positive_int(maximum: int | None = None) -> Parser[int]:
    """A whole number of at least 1."""
    return integer(1, maximum)


def max_parallel(limit: int) -> Parser[int]:
    """How many calls run at once: a whole number from 1 to limit (the one parser of every kind's
    PURUTO_*_MAX_PARALLEL)."""
    return integer(1, limit)


def number(minimum: float | None = None, maximum: float | None = None, positive: bool = False) -> Parser[float]:
    """A finite number (greater than 0 with positive=True; within the bounds given)."""
    why = "must be a positive number" if positive else "must be a number"
    why += _bounds(minimum, maximum)

    def parse(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(why) from None
        if not math.isfinite(value) or (positive and value <= 0):
            raise ValueError(why)
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise ValueError(why)
        return value

    return parse


TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")


def boolean() -> Parser[bool]:
    """true/false (also 1/0, yes/no, on/off; any case)."""

    def parse(raw: str) -> bool:
        word = raw.lower()
        if word in TRUE:
            return True
        if word in FALSE:
            return False
        raise ValueError("must be true or false (or 1/0, yes/no, on/off)")

    return parse


def path() -> Parser[Path]:
    """A path as written (~ and relative paths are resolved where used: see resolve_path)."""
    return Path


def choice(*options: str) -> Parser[str]:
    """One of options (compared without case; the option's own spelling is returned)."""
    by_key = {o.lower(): o for o in options}

    def parse(raw: str) -> str:
        if raw.lower() not in by_key:
            raise ValueError(f"must be one of {', '.join(options)}")
        return by_key[raw.lower()]

    return parse


def text() -> Parser[str]:
    """The text as it is (stripped)."""
    return str


def resolve_path(root: Path, value: Path) -> Path:
    """A path setting on disk: ~ expanded, a relative one under root."""
    p = value.expanduser()
    return p if p.is_absolute() else root / p
