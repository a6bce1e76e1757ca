"""pathlib's answers from os.path, on str paths: the invoker's stub call does without pathlib, whose
import (with fnmatch, ntpath, urllib.parse ...) costs more than the whole call's own work. Each
function answers as the pathlib expression it names does (Python 3.10 to 3.13), errors included."""

from __future__ import annotations

import errno
import os
import stat

# The errors of stat that pathlib's is_dir/is_file read as "nothing there"; any other is raised.
_IGNORED_ERRNOS = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)
_IGNORED_WINERRORS = (21, 123, 1921)


def _mode(path: str) -> int | None:
    try:
        return os.stat(path).st_mode
    except OSError as exc:
        if exc.errno in _IGNORED_ERRNOS or getattr(exc, "winerror", None) in _IGNORED_WINERRORS:
            return None
        raise
    except ValueError:  # e.g. a NUL in the path
        return None


def is_dir(path: str) -> bool:
    """Path(path).is_dir()."""
    mode = _mode(path)
    return mode is not None and stat.S_ISDIR(mode)


def is_file(path: str) -> bool:
    """Path(path).is_file()."""
    mode = _mode(path)
    return mode is not None and stat.S_ISREG(mode)


def expand_user(path: str) -> str:
    """str(Path(path).expanduser()): ~ and ~user at the start expanded; RuntimeError when they
    cannot be (pathlib's message)."""
    if not path.startswith("~"):
        return path
    first, _, rest = path.partition(os.sep)
    home = os.path.expanduser(first)
    if home.startswith("~"):
        raise RuntimeError("Could not determine home directory.")
    rest = rest.lstrip(os.sep)
    return os.path.join(home, rest) if rest else home


def resolved(base: str, path: str) -> str:
    """str((Path(base) / Path(path).expanduser()).resolve())."""
    return os.path.realpath(os.path.join(base, expand_user(path)))


def parent(path: str) -> str:
    """str(Path(path).parent), for a path as pathlib writes it (no trailing or doubled "/")."""
    return os.path.dirname(path) or "."


def child(folder: str, name: str) -> str:
    """str(Path(folder) / name), for a folder as pathlib writes it and a plain name."""
    return name if folder == "." else os.path.join(folder, name)


def is_inside(path: str, folder: str) -> bool:
    """Path(path).is_relative_to(folder) and path != folder, for two resolved paths."""
    return path != folder and path.startswith(folder if folder.endswith(os.sep) else folder + os.sep)
