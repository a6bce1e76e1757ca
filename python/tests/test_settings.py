"""The Settings base: environment first, then .env; typed parsers; one message per bad variable."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from puruto_runtime.settings import (
    Settings,
    SettingsError,
    boolean,
    choice,
    integer,
    max_parallel,
    number,
    path,
    positive_int,
    resolve_path,
    setting,
    text,
)


@dataclass(frozen=True)
class Demo(Settings):
    parallel: int = setting("DEMO_MAX_PARALLEL", max_parallel(64), 4)
    retries: int = setting("DEMO_RETRIES", integer(0, 100), 10)
    workers: int = setting("DEMO_WORKERS", positive_int(), 2)
    poll: float = setting("DEMO_POLL", number(positive=True), 30.0)
    debug: bool = setting("DEMO_DEBUG", boolean(), False)
    mode: str = setting("DEMO_MODE", choice("fast", "safe"), "safe")
    db: Path = setting("DEMO_DB", path(), Path("db/demo.db"))
    name: str = setting("DEMO_NAME", text(), "")
    plain: int = 7  # not a setting: keeps its default


def test_defaults_when_nothing_is_set(tmp_path: Path) -> None:
    assert Demo.load(tmp_path, environ={}) == Demo()
    assert Demo.variables()[0] == "DEMO_MAX_PARALLEL"


def test_the_environment_wins_over_dotenv_and_blank_falls_through(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DEMO_MAX_PARALLEL=8\nDEMO_RETRIES=3 # note\nDEMO_MODE=FAST\n", encoding="utf-8")
    s = Demo.load(tmp_path, environ={"DEMO_MAX_PARALLEL": "16", "DEMO_RETRIES": ""})
    assert (s.parallel, s.retries, s.mode) == (16, 3, "fast")


def test_every_parser(tmp_path: Path) -> None:
    s = Demo.from_values(
        {"DEMO_WORKERS": "3", "DEMO_POLL": "0.5", "DEMO_DEBUG": "Yes", "DEMO_DB": "~/x.db", "DEMO_NAME": "  n  "}
    )
    assert (s.workers, s.poll, s.debug, s.db, s.name) == (3, 0.5, True, Path("~/x.db"), "n")
    assert resolve_path(tmp_path, s.db) == Path(os.path.expanduser("~/x.db"))
    assert resolve_path(tmp_path, Path("rel")) == tmp_path / "rel"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"DEMO_MAX_PARALLEL": "0"},
            "DEMO_MAX_PARALLEL='0' must be a whole number from 1 to 64: fix it in .env (default 4)",
        ),
        ({"DEMO_MAX_PARALLEL": "x"}, "DEMO_MAX_PARALLEL='x' must be a whole number from 1 to 64"),
        ({"DEMO_WORKERS": "0"}, "DEMO_WORKERS='0' must be a whole number of at least 1"),
        ({"DEMO_POLL": "inf"}, "DEMO_POLL='inf' must be a positive number"),
        ({"DEMO_POLL": "-1"}, "DEMO_POLL='-1' must be a positive number"),
        (
            {"DEMO_DEBUG": "maybe"},
            "DEMO_DEBUG='maybe' must be true or false (or 1/0, yes/no, on/off): fix it in .env (default false)",
        ),
        ({"DEMO_MODE": "turbo"}, "DEMO_MODE='turbo' must be one of fast, safe"),
    ],
)
def test_a_bad_value_names_the_variable_and_the_fix(values: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Demo.from_values(values)
    assert message in str(caught.value)


def test_every_bad_variable_is_reported_at_once() -> None:
    with pytest.raises(SettingsError) as caught:
        Demo.from_values({"DEMO_MAX_PARALLEL": "0", "DEMO_RETRIES": "101"})
    assert [p.split("=")[0] for p in caught.value.problems] == ["DEMO_MAX_PARALLEL", "DEMO_RETRIES"]


def test_a_fifo_dotenv_is_reported_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / ".env")
    with pytest.raises(SettingsError, match="FIFO"):
        Demo.load(tmp_path, environ={})


def test_a_dotenv_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"DEMO_NAME=\xff\n")
    with pytest.raises(SettingsError, match="not UTF-8"):
        Demo.load(tmp_path, environ={})
