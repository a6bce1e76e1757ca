"""Fixtures of the scheduler's own tests. Every test works in a temporary workspace:
<tmp>/puruto-cron (a copy of the runtime) beside <tmp>/puruto-target (the job target),
with the invoker's `stub` agent, so the real database, jobs and agents are never touched."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
RUNTIME = ["main.py", "db.py", "scheduler.py", "executor.py", "notifier.py", "invoker.py", "heartbeat.py", ".jobs.json",
           ".env.example", ".puruto-standard-version", "requirements.txt"]
SETTINGS = ("DB_PATH", "PURUTO_CRON_POLL_SECONDS", "PURUTO_CRON_LEASE_SECONDS", "PURUTO_DATA_PATH",
            "PURUTO_TELEGRAM_PATH", "PURUTO_TELEGRAM_OUTBOX_FILE", "PURUTO_AGENT", "PURUTO_AGENT_COMMAND",
            "PURUTO_AGENT_ARGS", "PURUTO_IPC_HOP", "PURUTO_IPC_CORRELATION_ID", "PURUTO_IPC_CALLER")
PAST = "2000-01-01T00:00:00Z"


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env["PURUTO_AGENT"] = "stub"
    env.update(extra or {})
    return env


def job(job_id: str, **over) -> dict:
    return {"job_id": job_id, "enabled": True, "puruto_target": "puruto-target", "schedule": "0 0 1 1 *",
            "prompt": f"do {job_id}", "retry_backoff_sec": 0, **over}


@pytest.fixture
def cron_dir(tmp_path: Path, monkeypatch) -> Path:
    dest = tmp_path / "puruto-cron"
    dest.mkdir()
    for name in RUNTIME:
        if (REPO / name).exists():
            shutil.copy2(REPO / name, dest / name)
    shutil.copytree(REPO / ".claude", dest / ".claude", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "puruto-target").mkdir()
    for k in SETTINGS:
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("PURUTO_AGENT", "stub")
    return dest


@pytest.fixture
def cli(cron_dir: Path):
    """cli("tick") -> (exit code, parsed JSON stdout, completed process)."""

    def run(*args: str, env: dict[str, str] | None = None):
        r = subprocess.run([sys.executable, str(cron_dir / "main.py"), *args], cwd=cron_dir, capture_output=True,
                           text=True, env=clean_env(env), timeout=120)
        try:
            out = json.loads(r.stdout)
        except ValueError:
            out = None
        return r.returncode, out, r

    return run


@pytest.fixture
def write_jobs(cron_dir: Path):
    return lambda jobs: (cron_dir / ".jobs.json").write_text(json.dumps({"jobs": jobs}, indent=2))


@pytest.fixture
def sql(cron_dir: Path):
    """sql("SELECT ...", args) -> rows as dicts, on db/cron.db of the copy."""

    def run(query: str, args: tuple = ()):
        conn = sqlite3.connect(str(cron_dir / "db" / "cron.db"), timeout=30)
        conn.row_factory = sqlite3.Row
        try:
            rows = [dict(r) for r in conn.execute(query, args)]
            conn.commit()
            return rows
        finally:
            conn.close()

    return run


def events(root: Path) -> list[dict]:
    path = root / "notifications" / "events.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
