#!/usr/bin/env python3
"""/init of puruto-telegram: prepare the connector. Creates what is missing, never overwrites.

Usage: python3 .claude/skills/init/scripts/init.py [--json] [--no-venv]
Steps: .env from .env.example, a virtualenv with requirements.txt (python-telegram-bot,
python-dotenv), the folders db/ and inbox/, .channels.json when missing (then it is
validated), the database db/telegram.db; then it runs /status.
Exit codes: 0 done (nothing failed), 1 a step failed (the line says how to fix it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Shared helpers live once, beside the /status script; db.py is at the repo root.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "status" / "scripts"))
from puruto_env import ROOT, Step, init_cli, run_named_steps, step_env, step_venv  # noqa: E402

sys.path.insert(0, str(ROOT))
import db  # noqa: E402

FOLDERS = ("db", "inbox")


def step_folders(root: Path) -> Step:
    missing = [f for f in FOLDERS if not (root / f).is_dir()]
    for f in FOLDERS:
        (root / f).mkdir(exist_ok=True)
    return ("created" if missing else "kept", "db/ inbox/", f"created {', '.join(missing)}" if missing else "present")


def step_channels(root: Path) -> Step:
    path = root / db.CHANNELS_FILE
    created = not path.exists()
    if created:
        path.write_text(json.dumps({"channels": []}, indent=2) + "\n", encoding="utf-8")
    try:
        channels = db.load_channels(root)
    except db.ChannelsError as exc:
        return ("error", db.CHANNELS_FILE, str(exc))
    return (
        "created" if created else "kept",
        db.CHANNELS_FILE,
        f"{len(channels)} channel(s)" + ("" if channels else ": add one with /add-channel"),
    )


def step_db(root: Path) -> Step:
    path = db.db_path(root)
    existed = path.exists()
    db.connect(path).close()
    return (
        "kept" if existed else "created",
        "db (telegram.db)",
        str(path.relative_to(root)) if path.is_relative_to(root) else str(path),
    )


def run_steps(root: Path) -> list[Step]:
    return run_named_steps(
        root,
        (
            (
                "env",
                lambda r: step_env(
                    r, "set PURUTO_TELEGRAM_BOT_TOKEN (from @BotFather) and PURUTO_TELEGRAM_ALLOWED_USERS"
                ),
            ),
            ("venv", step_venv),
            ("folders", step_folders),
            ("channels", step_channels),
            ("db", step_db),
        ),
    )


def main(argv: list[str] | None = None) -> int:
    return init_cli(__doc__, run_steps, argv)


if __name__ == "__main__":
    sys.exit(main())
