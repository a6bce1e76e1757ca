"""dotenv.py reads what python-dotenv reads: a parity table of tricky lines against its dotenv_values
(skipped only when python-dotenv is not installed), plus the file-level rules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from puruto_runtime import dotenv
from puruto_runtime.safe_read import UnsafeRead

CASES = [
    "A=1",
    "A=1 # note",
    "A=1# not a comment",
    "A=#x",
    "A= # only a comment",
    "A=  spaced value  ",
    "A='single # kept'",
    'A="double # kept"',
    "A='it\\'s'",
    "A='back\\\\slash \\n kept'",
    'A="esc \\" \\\\ \\n \\t \\a \\b \\f \\r \\v \\\' end"',
    'A="unknown \\x \\u00e9 kept"',
    "export A=exported",
    "export  A = spaced",
    "exportA=1",
    "  A=indented",
    "A=",
    'A=""',
    "A=''",
    "A",
    "A\nB=2",
    "# a comment\nA=1",
    "#A=1",
    "A=1\r\nB=2\r\n",
    "A=1\rB=2",
    "A=1\nA=2",
    "A=1\nA",
    'A="line one\nline two"\nB=after',
    "A='multi\nline'",
    'A="unclosed\nB=2',
    "A='unclosed\nB=2",
    "'QUOTED KEY'=1",
    "A B=1",
    "A=1 \\# not",
    "A=a=b=c",
    "A=value with 'quotes' inside",
    'A="quoted" trailing',
    'A="quoted" # comment',
    "A=caf\u00e9 \u2713",
    "\ufeffA=bom",
    "=nokey",
    "A=1\n\n\nB=2",
    "A=\tTab",
    "A=x\u00a0#y",
    "A=${B}",
    "B=1\nA=${B}-${C:-dflt}",
    "A=1\nB=${A}\nA=2",
]


@pytest.mark.parametrize("text", CASES)
def test_parity_with_python_dotenv(text: str, tmp_path: Path) -> None:
    dotenv_lib = pytest.importorskip("dotenv")
    path = tmp_path / ".env"
    path.write_bytes(text.encode("utf-8"))
    theirs_raw = dotenv_lib.dotenv_values(path, interpolate=False)
    assert dotenv.read(path) == dict(theirs_raw)
    environ = {"C": "from-env", "B": "env-b"}
    old = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(environ)
        theirs = dict(dotenv_lib.dotenv_values(path, interpolate=True))
    finally:
        os.environ.clear()
        os.environ.update(old)
    assert dotenv.read(path, interpolate=True, environ=environ) == theirs


def test_the_issue_line_reads_1() -> None:
    assert dotenv.parse("A=1 # note") == {"A": "1"}


def test_values_for_settings_leave_out_keys_without_a_value(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("A=1\nB\nC=\n", encoding="utf-8")
    assert dotenv.settings_of(tmp_path / ".env") == {"A": "1", "C": ""}


def test_a_missing_file_is_empty(tmp_path: Path) -> None:
    assert dotenv.read(tmp_path / ".env") == {}


def test_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / ".env").mkdir()
    with pytest.raises(UnsafeRead, match="folder"):
        dotenv.read(tmp_path / ".env")


def test_not_utf8_raises(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"A=\xff\n")
    with pytest.raises(UnicodeDecodeError):
        dotenv.read(tmp_path / ".env")
