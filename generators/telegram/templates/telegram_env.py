#!/usr/bin/env python3
"""Settings and file helpers of puruto-telegram shared by db.py, bot.py and inbox.py:
`TelegramSettings` (read once through the vendored puruto_runtime package: the process
environment first, then .env) and an atomic JSON write. No import of the other runtime files,
so inbox.py also works beside a db.py from before standard 0.2.0 (what `puruto upgrade`
leaves in a connector it migrates).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from puruto_runtime.settings import Invalid, Settings, integer, max_parallel, path, setting, text

ROOT = Path(__file__).resolve().parent
DEFAULT_API_BASE = "https://api.telegram.org"


@dataclass(frozen=True)
class TelegramSettings(Settings):
    """What .env / the environment set, parsed. A bad PURUTO_TELEGRAM_MAX_PARALLEL or
    PURUTO_TELEGRAM_CONNECT_RETRIES is kept as Invalid and raised (puruto_runtime.settings.valid)
    by the bot, which uses them: db.py and inbox.py still work."""

    bot_token: str = setting("PURUTO_TELEGRAM_BOT_TOKEN", text(), "")
    default_chat_id: str = setting("PURUTO_TELEGRAM_DEFAULT_CHAT_ID", text(), "")
    allowed_users: str = setting("PURUTO_TELEGRAM_ALLOWED_USERS", text(), "")
    allowed_groups: str = setting("PURUTO_TELEGRAM_ALLOWED_GROUPS", text(), "")
    api_base: str = setting("PURUTO_TELEGRAM_API_BASE", text(), DEFAULT_API_BASE)
    max_parallel: int | Invalid = setting("PURUTO_TELEGRAM_MAX_PARALLEL", max_parallel(256), 16, deferred=True)
    connect_retries: int | Invalid = setting("PURUTO_TELEGRAM_CONNECT_RETRIES", integer(0, 100), 10, deferred=True)
    db_path: Path = setting("DB_PATH", path(), Path("db/telegram.db"))


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
