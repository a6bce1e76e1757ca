"""The invoker's settings: process environment first, then the repo's .env (read by dotenv.py,
which never blocks on a FIFO)."""

from __future__ import annotations

import os
from pathlib import Path

from . import dotenv
from .errors import IpcError
from .safe_read import UnsafeRead

ROOT = Path(__file__).resolve().parents[1]  # the repo that vendors this package
SETTINGS = ("PURUTO_AGENT", "PURUTO_AGENT_COMMAND", "PURUTO_AGENT_ARGS", "PURUTO_DATA_PATH", "PURUTO_ECOSYSTEM_ROOTS")


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file (python-dotenv's rules, see dotenv.py); missing or
    unreadable -> {} (a FIFO or a device included: it is never opened for reading)."""
    try:
        return dotenv.settings_of(path)
    except (OSError, UnicodeDecodeError):
        return {}


def checked_dotenv(path: Path) -> dict[str, str]:
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


def load_settings(root: Path = ROOT) -> dict[str, str]:
    """The invoker's settings: the process environment wins over this repo's .env."""
    values = checked_dotenv(root / ".env")
    return {k: os.environ.get(k) or values.get(k, "") for k in SETTINGS}
