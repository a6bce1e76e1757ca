"""safe_read: a regular file is read; a FIFO, a folder, a device, a link (when refused) or an
oversized file is refused at once with a message saying what it is; nothing blocks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from puruto_runtime import safe_read
from puruto_runtime.safe_read import UnsafeRead


def test_a_regular_file_is_read_with_universal_newlines(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"a\r\nb\rc\n")
    assert safe_read.read_text(tmp_path / "f") == "a\nb\nc\n"
    assert safe_read.read_bytes(tmp_path / "f") == b"a\r\nb\rc\n"


def test_a_link_to_a_regular_file_is_read_unless_links_are_refused(tmp_path: Path) -> None:
    (tmp_path / "real").write_text("x", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert safe_read.read_text(tmp_path / "link") == "x"
    with pytest.raises(UnsafeRead, match="symbolic link"):
        safe_read.read_text(tmp_path / "link", follow_links=False)


def test_missing_is_file_not_found_or_none(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        safe_read.read_text(tmp_path / "none")
    assert safe_read.read_text_or_none(tmp_path / "none") is None


def test_a_folder_and_a_device_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnsafeRead, match="folder"):
        safe_read.read_text(tmp_path)
    with pytest.raises(UnsafeRead, match="character device"):
        safe_read.read_text("/dev/null")


def test_the_size_cap(tmp_path: Path) -> None:
    (tmp_path / "big").write_bytes(b"x" * 11)
    assert safe_read.read_bytes(tmp_path / "big", max_bytes=11) == b"x" * 11
    with pytest.raises(UnsafeRead, match="over the 10-byte limit"):
        safe_read.read_bytes(tmp_path / "big", max_bytes=10)


def test_a_fifo_is_refused_at_once_without_a_writer(tmp_path: Path) -> None:
    """Opening a FIFO for reading blocks until a writer comes; safe_read opens it non-blocking and
    refuses it (the test itself would hang here if it did not)."""
    fifo = tmp_path / ".env"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeRead, match=r"FIFO \(named pipe\), not a regular file"):
        safe_read.read_text(fifo)
    assert not safe_read.is_regular_file(fifo)
    assert safe_read.kind_of(os.stat(fifo).st_mode) == "a FIFO (named pipe)"
