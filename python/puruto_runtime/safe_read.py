"""Reading a small text file the runtime depends on (.env, a config, a registry) without being
stopped by what sits at its path: only a regular file is read, never a FIFO (whose `open`
blocks until a writer comes), a device, a socket or a folder, and never more than a size cap.

    read_text(path) -> str            raises UnsafeRead (an OSError) for anything else
    read_text_or_none(path) -> str | None   None when missing; UnsafeRead when not readable as text

The file is opened with O_NONBLOCK (a FIFO opens at once instead of waiting for a writer) and
checked with fstat on the open descriptor, so a swap between a check and the open cannot slip a
FIFO in. A link to a regular file is read (a .env may be one); follow_links=False adds O_NOFOLLOW
for a path that must be the file itself.
"""

from __future__ import annotations

import errno
import os
import stat

TYPE_CHECKING = False  # typing is not imported at run time: the invoker starts faster without it
if TYPE_CHECKING:
    from pathlib import Path

DEFAULT_MAX_BYTES = 1 << 20  # 1 MiB: far above any settings or config file the runtime reads


class UnsafeRead(OSError):
    """The path holds something that is not a regular file, or a file over the size cap."""


def kind_of(mode: int) -> str:
    """What a stat mode is, in words for a message."""
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def read_bytes(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES, follow_links: bool = True) -> bytes:
    """The bytes of the regular file at path (at most max_bytes, else UnsafeRead). Never blocks
    on a FIFO. FileNotFoundError when missing; UnsafeRead for anything not a regular file (and,
    with follow_links=False, for a link)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise UnsafeRead(errno.EISDIR, f"{path} is a folder, not a file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_links:
            raise UnsafeRead(errno.ELOOP, f"{path} is a symbolic link: it is not read") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeRead(errno.EINVAL, f"{path} is {kind_of(info.st_mode)}, not a regular file: it is not read")
        if info.st_size > max_bytes:
            raise UnsafeRead(errno.EFBIG, f"{path} is {info.st_size} bytes, over the {max_bytes}-byte limit")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a regular file: ordinary reads from here on
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, max_bytes + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:  # the file grew after fstat
            raise UnsafeRead(errno.EFBIG, f"{path} is over the {max_bytes}-byte limit")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(
    path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES, encoding: str = "utf-8", follow_links: bool = True
) -> str:
    """The text of the regular file at path, newlines as open() gives them (\\r\\n and \\r -> \\n).
    UnicodeDecodeError when it is not `encoding`; the errors of read_bytes otherwise."""
    text = read_bytes(path, max_bytes, follow_links).decode(encoding)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text_or_none(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> str | None:
    """read_text, but None when nothing is at path (a missing file or a dangling link)."""
    try:
        return read_text(path, max_bytes)
    except FileNotFoundError:
        return None


def is_regular_file(path: Path) -> bool:
    """Whether path is a regular file (a link to one counts), without opening it."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False
