#!/usr/bin/env python3
"""/status: report whether this Puruto is ready and what to fix. Read-only.

Usage: python3 .claude/skills/status/scripts/status.py [--json]
Always exits 0: missing configuration is reported, never a crash.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from puruto_env import ROOT, collect_status, puruto_name, render_status, resolve, settings, status_cli  # noqa: E402


def data_report(root: Path) -> tuple[dict[str, Any], list[str]]:
    value = settings(root).get("PURUTO_DATA_PATH")
    source = "PURUTO_DATA_PATH" if value else "default"
    path = resolve(root, value or "../puruto-data").resolve()
    registry = path / "registry.json"
    registered = None
    if registry.is_file():
        try:
            entries = json.loads(registry.read_text(encoding="utf-8")).get("purutos", [])
            registered = any(isinstance(e, dict) and e.get("name") == puruto_name(root) for e in entries)
        except (OSError, ValueError, AttributeError):
            registered = None
    report = {"path": str(path), "source": source, "exists": path.is_dir(), "registered": registered}
    problems = (
        []
        if path.is_dir()
        else [
            f"data vault not found at {path}: set PURUTO_DATA_PATH in .env or create "
            "puruto-data beside this repo (optional)"
        ]
    )
    return report, problems


def db_report(root: Path) -> tuple[dict[str, Any] | None, list[str]]:
    value = settings(root).get("DB_PATH")
    if not value:
        return None, []
    path = resolve(root, value)
    report: dict[str, Any] = {"path": value, "exists": path.is_file(), "tables": []}
    if not path.is_file():
        return report, [f"database {value} does not exist: run /init"]
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").fetchall()
        report["tables"] = [r[0] for r in rows]
    except sqlite3.Error as exc:
        report["error"] = str(exc)
        return report, [f"database {value} cannot be read ({exc}): move it aside and run /init"]
    return report, []


def collect(root: Path = ROOT) -> dict[str, Any]:
    return collect_status(root, (("data_path", data_report), ("database", db_report)))


def render(r: dict[str, Any]) -> str:
    ok, bad = "✓", "✗"
    d = r.get("data_path") or {}
    lines = [
        f"  {ok if d.get('exists') else '·'} data vault: {d.get('path')} ({d.get('source')}, "
        f"{'found' if d.get('exists') else 'not found'})"
    ]
    db = r.get("database")
    if db:
        tables = ", ".join(db.get("tables") or []) or "none"
        lines.append(
            f"  {ok if db.get('exists') else bad} database: {db['path']} "
            f"({'tables: ' + tables if db.get('exists') else 'missing'})"
        )
    return render_status(r, lines)


def main(argv: list[str] | None = None) -> int:
    return status_cli(__doc__, collect, render, argv)


if __name__ == "__main__":
    sys.exit(main())
