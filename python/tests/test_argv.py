"""The invoker's command line read without argparse (argv.common_form, cli.read_common): every line
it takes, it reads as argparse (cli.read_argparse) does, errors included; any other line it leaves
to argparse."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from puruto_runtime import cli
from puruto_runtime.argv import common_form
from puruto_runtime.errors import IpcError

TAKEN = [
    ["--target", "puruto-b", "--action", "status", "--prompt", "hi"],
    ["--prompt", "hi", "--action", "status", "--target", "puruto-b"],
    ["--target=puruto-b", "--action=status", "--prompt=-v --help 42"],
    ["--target", "b", "--action", "message", "--prompt=", "--caller", "me", "--timeout", "2.5"],
    ["--target", "b", "--action", "s", "--prompt", "", "--timeout=30"],
    ["--target", "b", "--action", "s", "--prompt", "a=b", "--caller=x=y"],
    ["--target", "", "--action", "", "--prompt-file", "prompt.txt"],
    ["--target", "b", "--action", "s", "--prompt-file=missing.txt"],  # IpcError both ways
    ["--target", "b", "--action", "s", "--prompt", " -starts with a space"],
    ["--target", "b", "--action", "s", "--prompt", "line\nnext --target x"],
]
LEFT = [
    [],
    ["--help"],
    ["-h"],
    ["--target", "b", "--action", "s"],  # no prompt
    ["--target", "b", "--prompt", "hi"],  # no action
    ["--target", "b", "--action", "s", "--prompt", "-x"],  # a value that starts with "-"
    ["--target", "b", "--action", "s", "--prompt", "-x y"],
    ["--target", "b", "--action", "s", "--prompt", "-"],
    ["--target", "b", "--action", "s", "--prompt", "-5"],
    ["--target", "b", "--action", "s", "--prompt", "hi", "--prompt", "again"],  # repeated
    ["--target", "b", "--action", "s", "--prompt", "hi", "--prompt-file", "f"],  # both
    ["--targ", "b", "--action", "s", "--prompt", "hi"],  # abbreviated
    ["--target", "b", "--action", "s", "--prompt", "hi", "extra"],  # positional
    ["--target", "b", "--action", "s", "--prompt", "hi", "--"],
    ["--target", "b", "--action", "s", "--prompt", "hi", "--caller"],  # no value
    ["--target", "b", "--action", "s", "--prompt", "hi", "--verbose", "1"],  # unknown
    ["--target", "b", "--action=--", "--prompt", "hi"],  # argparse reads "--" as nothing
]


def outcome(read: object, argv: list[str]) -> object:
    """What a reader answers: its tuple, or the IpcError it raises (code, message, details)."""
    assert callable(read)
    try:
        return read(argv, "puruto-a")
    except IpcError as exc:
        return ("IpcError", exc.code, exc.message, exc.details)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "prompt.txt").write_text("from a file\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("argv", TAKEN)
def test_a_common_line_reads_as_argparse_reads_it(argv: list[str], in_tmp: Path) -> None:
    assert common_form(argv) is not None
    mine = outcome(cli.read_common, argv)
    assert mine == outcome(cli.read_argparse, argv)
    assert mine != ("IpcError",) or argv[-1].startswith("--prompt-file")


@pytest.mark.parametrize("argv", LEFT)
def test_any_other_line_is_left_to_argparse(argv: list[str]) -> None:
    assert common_form(argv) is None
    assert cli.read_common(argv, "puruto-a") is None


def test_a_timeout_positive_refuses_is_left_to_argparse(capsys: pytest.CaptureFixture[str]) -> None:
    for value in ("0", "-1", "nan", "inf", "x"):
        argv = ["--target", "b", "--action", "s", "--prompt", "hi", f"--timeout={value}"]
        assert common_form(argv) is not None
        assert cli.read_common(argv, "puruto-a") is None
        with pytest.raises(IpcError) as refused:
            cli.parsed(argv, "puruto-a")
        assert refused.value.details["reason"] == "bad_arguments"
        assert "--timeout" in refused.value.message
    assert cli.read_common(["--target", "b", "--action", "s", "--prompt", "hi", "--timeout", "3.0"], "a") == (
        "a",
        "b",
        "s",
        "hi",
        3,
    )
    capsys.readouterr()


def test_random_lines_read_the_same_either_way(in_tmp: Path) -> None:
    words = ["--target", "--action", "--prompt", "--prompt-file", "--caller", "--timeout", "--targ", "--help"]
    values = ["b", "status", "", "-x", "-", "a=b", "=", "1", "0", "nan", "2.50", "-1", "x y", "-x y", "--", "---"]
    values += ["prompt.txt", "--target", "--prompt=x", "-h", "--help"]
    rng = random.Random(18)
    taken = 0
    for _ in range(10000):
        chosen = ["--target", "--action", rng.choice(["--prompt", "--prompt-file"])]
        chosen += rng.choices(words, k=rng.randint(0, 3))
        rng.shuffle(chosen)
        argv: list[str] = []
        for word in chosen:
            if rng.random() < 0.3:
                argv.append(f"{word}={rng.choice(values)}")
            else:
                argv += [word, rng.choice(values)] if rng.random() < 0.97 else [word]
        if "--prompt-file=-" in argv:
            continue  # stdin: not read here (--prompt-file - is never a common line: "-" starts with "-")
        mine = outcome(cli.read_common, argv)
        if mine is None:
            continue
        taken += 1
        assert mine == outcome(cli.read_argparse, argv), argv
    assert taken > 300, taken  # the common form came up often enough to mean something
