#!/usr/bin/env python3
"""/init of puruto-cron: prepare the scheduler. Creates what is missing, never overwrites.

Usage: python3 .claude/skills/init/scripts/init.py [--json] [--no-venv]
Steps: .env from .env.example, a virtualenv with requirements.txt (croniter), the folders
db/ runs/ notifications/, `main.py init-db`, `main.py sync-jobs` (with the Python ./run uses:
the finished .venv's, else this one); then it runs /status. --no-venv: no virtualenv.
Exit codes: 0 done (nothing failed), 1 a step failed (the line says how to fix it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Shared helpers live once, beside the /status script; main.py is at the repo root.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "status" / "scripts"))
from puruto_env import Step, init_cli, run_named_steps, runtime_python, step_env, step_venv  # noqa: E402

FOLDERS = ("db", "runs", "notifications")


def step_folders(root: Path) -> Step:
    missing = [f for f in FOLDERS if not (root / f).is_dir()]
    for f in FOLDERS:
        (root / f).mkdir(exist_ok=True)
    return (
        "created" if missing else "kept",
        "db/ runs/ notifications/",
        f"created {', '.join(missing)}" if missing else "present",
    )


def step_main(root: Path, command: str, label: str) -> Step:
    r = subprocess.run(
        [runtime_python(root)[0], str(root / "main.py"), command], cwd=root, capture_output=True, text=True, timeout=120
    )
    try:
        out = json.loads(r.stdout)
    except ValueError:
        return ("error", label, (r.stderr or r.stdout).strip()[-300:] or f"main.py {command} failed")
    if r.returncode != 0:
        return ("error", label, out.get("error", {}).get("message", "failed"))
    if command == "init-db":
        return ("created" if out.get("created") else "kept", label, out.get("db_path", ""))
    return ("created", label, f"{out.get('synced_jobs')} job(s) synced from .jobs.json")


def run_steps(root: Path) -> list[Step]:
    return run_named_steps(
        root,
        (
            ("env", lambda r: step_env(r, "the defaults work; set PURUTO_AGENT to choose the agent")),
            ("venv", step_venv),
            ("folders", step_folders),
            ("init-db", lambda r: step_main(r, "init-db", "db (init-db)")),
            ("sync-jobs", lambda r: step_main(r, "sync-jobs", "jobs (sync-jobs)")),
        ),
    )


def main(argv: list[str] | None = None) -> int:
    return init_cli(__doc__, run_steps, argv)


if __name__ == "__main__":
    sys.exit(main())
