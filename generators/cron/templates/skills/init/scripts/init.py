#!/usr/bin/env python3
"""/init of puruto-cron: prepare the scheduler. Creates what is missing, never overwrites.

Usage: python3 .claude/skills/init/scripts/init.py [--json]
Steps: .env from .env.example, a virtualenv with requirements.txt (croniter), the folders
db/ runs/ notifications/, `main.py init-db`, `main.py sync-jobs`; then it runs /status.
Exit codes: 0 done (nothing failed), 1 a step failed (the line says how to fix it).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

# Shared helpers live once, beside the /status script; main.py is at the repo root.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "status" / "scripts"))
from puruto_env import ROOT, Step, report_init, run_named_steps, step_env, step_venv  # noqa: E402

FOLDERS = ("db", "runs", "notifications")


def python_of(root: Path) -> str:
    """The .venv's Python when /init created one (it has croniter), else this one."""
    venv = root / ".venv" / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    return str(venv) if venv.exists() else sys.executable


def step_folders(root: Path) -> Step:
    missing = [f for f in FOLDERS if not (root / f).is_dir()]
    for f in FOLDERS:
        (root / f).mkdir(exist_ok=True)
    return ("created" if missing else "kept", "db/ runs/ notifications/", f"created {', '.join(missing)}" if missing else "present")


def step_main(root: Path, command: str, label: str) -> Step:
    r = subprocess.run([python_of(root), str(root / "main.py"), command], cwd=root, capture_output=True, text=True, timeout=120)
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
    return run_named_steps(root, (
        ("env", lambda r: step_env(r, "the defaults work; set PURUTO_AGENT to choose the agent")),
        ("venv", step_venv),
        ("folders", step_folders),
        ("init-db", lambda r: step_main(r, "init-db", "db (init-db)")),
        ("sync-jobs", lambda r: step_main(r, "sync-jobs", "jobs (sync-jobs)")),
    ))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the steps and the status report as JSON")
    parser.add_argument("--no-venv", action="store_true", help="skip the virtualenv (use the current Python's packages)")
    args = parser.parse_args(argv)
    global step_venv
    if args.no_venv:
        step_venv = lambda r: ("skipped", ".venv", "--no-venv: using this Python's packages")  # noqa: E731
    steps = run_steps(ROOT)
    import status  # /status, beside puruto_env.py: /init ends by running it

    return report_init(steps, status.collect(ROOT), args.json, status.render)


if __name__ == "__main__":
    sys.exit(main())
