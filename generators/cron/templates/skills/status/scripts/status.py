#!/usr/bin/env python3
"""/status of puruto-cron: jobs, recent runs, notification targets, what to fix. Read-only.

Usage: python3 .claude/skills/status/scripts/status.py [--json]
Reports .env and unset variables, the database, the jobs (enabled, next run, lease),
the latest runs, where notifications go, the Python ./run uses (the finished .venv's, else
the system's) and whether croniter imports there, and the standard version.
Always exits 0: missing configuration is reported, never a crash.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from puruto_env import (  # noqa: E402
    ROOT,
    collect_status,
    render_status,
    runtime_check,
    runtime_line,
    runtime_python,
    status_cli,
)

MODULES = ("croniter",)  # what ./run needs (requirements.txt)


def scheduler_report(root: Path) -> tuple[dict[str, Any], list[str]]:
    python = runtime_python(root)[0]  # the interpreter ./run uses
    if not (root / "db").is_dir():
        return {"database": "missing"}, ["db/ is missing: run /init"]
    r = subprocess.run([python, str(root / "main.py"), "status"], cwd=root, capture_output=True, text=True, timeout=120)
    try:
        out = json.loads(r.stdout)
    except ValueError:
        return {"database": "error"}, [f"main.py status failed: {(r.stderr or r.stdout).strip()[-200:]}"]
    if r.returncode != 0:
        return {"database": "error"}, [f"main.py status: {out.get('error', {}).get('message')}"]
    jobs = out["jobs"]
    problems: list[str] = []  # no enabled job is a normal state (the sample job ships disabled)
    return {
        "database": "ok",
        "jobs": [
            {
                k: j[k]
                for k in (
                    "job_id",
                    "enabled",
                    "schedule",
                    "timezone",
                    "puruto_target",
                    "next_run_at",
                    "next_run_local",
                    "last_run_at",
                    "lease_owner",
                )
                if k in j
            }
            for j in jobs
        ],
        "recent_runs": out["recent_runs"],
        "notification_targets": out["notification_targets"],
    }, problems


def collect(root: Path = ROOT) -> dict[str, Any]:
    return collect_status(root, (("runtime", runtime_check(MODULES)), ("scheduler", scheduler_report)))


def render(r: dict[str, Any]) -> str:
    ok, bad = "✓", "✗"
    s = r.get("scheduler") or {}
    lines = [
        runtime_line(r.get("runtime")),
        f"  {ok if s.get('database') == 'ok' else bad} database: {s.get('database')}",
    ]
    for j in s.get("jobs") or []:
        local = f" ({j.get('next_run_local')} {j.get('timezone')})" if j.get("next_run_local") else ""
        lines.append(
            f"      {j['job_id']:<24} {'on ' if j['enabled'] else 'off'} {j['schedule']:<16} next "
            f"{j['next_run_at']}{local}  last {j['last_run_at']}"
        )
    for run in (s.get("recent_runs") or [])[:5]:
        lines.append(f"  · run {run['run_id']}: {run['status']}")
    t = s.get("notification_targets") or {}
    if t:
        outbox = f" + {t['telegram_outbox']}" if t["telegram_repo_exists"] else " (no puruto-telegram beside it)"
        lines.append(f"  · notifications: {t['local_events']}" + outbox)
    return render_status(r, lines)


def main(argv: list[str] | None = None) -> int:
    return status_cli(__doc__, collect, render, argv)


if __name__ == "__main__":
    sys.exit(main())
