#!/usr/bin/env python3
"""/init: prepare this Puruto's local runtime. Creates what is missing, never overwrites.

Usage: python3 .claude/skills/init/scripts/init.py [--json] [--no-venv]
Exit codes: 0 done (nothing failed), 1 a step failed (the line says how to fix it).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from datetime import datetime, timezone
from pathlib import Path

# Shared helpers live once, beside the /status script.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "status" / "scripts"))
from puruto_env import (  # noqa: E402
    ROOT,
    add_no_venv,
    puruto_name,
    read_env,
    read_version,
    resolve,
    settings,
    skip_venv,
    step_env,
    step_venv,
)


def step_db(root: Path) -> tuple[str, str, str] | None:
    db_value = settings(root).get("DB_PATH") or read_env(root / ".env.example").get("DB_PATH")
    if not db_value:
        return None
    db = resolve(root, db_value)
    existed = db.exists()
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            rows = {
                "puruto": puruto_name(root),
                "standard_version": read_version(root) or "unknown",
                "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            }
            conn.executemany("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", rows.items())
    except (OSError, sqlite3.Error) as exc:
        return ("error", db_value, f"cannot create the database ({exc}): check DB_PATH in .env and folder permissions")
    return ("kept" if existed else "created", db_value, "SQLite database with a meta table")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the steps as JSON")
    add_no_venv(parser)
    args = parser.parse_args(argv)
    skip_venv(args.no_venv)
    steps = [s for s in (step_env(ROOT), step_db(ROOT), step_venv(ROOT)) if s is not None]
    if args.json:
        print(json.dumps({"steps": [{"result": r, "path": p, "detail": d} for r, p, d in steps]}, indent=2))
    else:
        for result, path, detail in steps:
            print(f"{result:8} {path}  {detail}")
        print("next: run /status (python3 .claude/skills/status/scripts/status.py)")
    return 1 if any(r == "error" for r, _, _ in steps) else 0


if __name__ == "__main__":
    sys.exit(main())
