"""The invoker's settings: process environment first, then the repo's .env (read by dotenv.py,
which never blocks on a FIFO)."""

from __future__ import annotations

import os

from . import dotenv
from .errors import IpcError
from .safe_read import UnsafeRead

TYPE_CHECKING = False  # typing is not imported at run time: the invoker starts faster without it
if TYPE_CHECKING:
    from pathlib import Path

    ROOT: Path  # ROOT_DIR as a Path, made on first use (__getattr__): a stub call imports no pathlib

ROOT_DIR = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # the repo that vendors this package
SETTINGS = ("PURUTO_AGENT", "PURUTO_AGENT_COMMAND", "PURUTO_AGENT_ARGS", "PURUTO_DATA_PATH", "PURUTO_ECOSYSTEM_ROOTS")


def __getattr__(name: str) -> Path:
    if name == "ROOT":
        from pathlib import Path

        found = globals()["ROOT"] = Path(ROOT_DIR)
        return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read_dotenv(path: str | os.PathLike[str]) -> dict[str, str]:
    """KEY=VALUE lines of a .env file (python-dotenv's rules, see dotenv.py); missing or
    unreadable -> {} (a FIFO or a device included: it is never opened for reading)."""
    try:
        return dotenv.settings_of(path)
    except (OSError, UnicodeDecodeError):
        return {}


def checked_dotenv(path: str | os.PathLike[str]) -> dict[str, str]:
    """read_dotenv, but a .env that is a FIFO, a device, a folder or too large is an IPC_ERROR
    saying so (instead of a call that hangs in `open` or silently ignores the file)."""
    try:
        return dotenv.settings_of(path)
    except UnsafeRead as exc:
        raise IpcError(
            "IPC_ERROR",
            f"{exc.strerror}: replace it with a regular file of KEY=value lines",
            {"reason": "not_configured", "path": str(path)},
        ) from None
    except (OSError, UnicodeDecodeError):
        return {}


def load_settings(root: str | os.PathLike[str] = ROOT_DIR) -> dict[str, str]:
    """The invoker's settings: the process environment wins over this repo's .env."""
    values = checked_dotenv(os.path.join(root, ".env"))
    return {k: os.environ.get(k) or values.get(k, "") for k in SETTINGS}
