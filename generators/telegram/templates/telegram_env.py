#!/usr/bin/env python3
"""Settings and file helpers of puruto-telegram shared by db.py, bot.py and inbox.py:
the .env reader and an atomic JSON write. Standard library only, and no import of the
other runtime files, so inbox.py also works beside a db.py from before standard 0.2.0
(what `puruto upgrade` leaves in a connector it migrates).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file (comments and blanks skipped); missing -> {}."""
    out: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return out
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        out[key.strip().removeprefix("export ").strip()] = value
    return out


def settings(root: Path = ROOT) -> dict[str, str]:
    """.env values, overridden by the process environment."""
    merged = read_dotenv(root / ".env")
    merged.update({k: v for k, v in os.environ.items() if k.startswith(("PURUTO_", "DB_PATH"))})
    return merged


def write_json_atomic(path: Path, data: object) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
