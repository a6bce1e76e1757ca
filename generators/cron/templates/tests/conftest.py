"""Fixtures of the scheduler's own tests. Every test works in a temporary workspace:
<tmp>/puruto-cron (a copy of the runtime) beside <tmp>/puruto-target (the job target),
with the invoker's `stub` agent, so the real database, jobs and agents are never touched: the
copy gets the scaffold's sample .jobs.json (SAMPLE_JOBS), never the repo's own, which the user
edits (`./run resume daily-status`), and no .env.
The target has the skills jobs ask for (the invoker refuses an action naming no skill of it).
`cli` runs main.py as a process; `cron` runs the scheduler in process with its own clock and
settings: a job is made due by syncing or ticking at the right moment, never by editing the
database. `agent` writes a "sleeping" command agent that records when each call starts and ends."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol, TypedDict

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
RUNTIME = [
    "main.py",
    "db.py",
    "scheduler.py",
    "executor.py",
    "jobs.py",
    "schedule.py",
    "settings.py",
    "notifier.py",
    "json_schema.py",
    "invoker.py",
    "heartbeat.py",
    ".env.example",
    ".puruto-standard-version",
    "requirements.txt",
]
SETTINGS = (
    "DB_PATH",
    "PURUTO_CRON_POLL_SECONDS",
    "PURUTO_CRON_LEASE_SECONDS",
    "PURUTO_CRON_MAX_PARALLEL",
    "PURUTO_CRON_TZ",
    "PURUTO_DATA_PATH",
    "PURUTO_TELEGRAM_PATH",
    "PURUTO_TELEGRAM_OUTBOX_FILE",
    "PURUTO_AGENT",
    "PURUTO_AGENT_COMMAND",
    "PURUTO_AGENT_ARGS",
    "PURUTO_IPC_HOP",
    "PURUTO_IPC_CORRELATION_ID",
    "PURUTO_IPC_CALLER",
)
# The scaffold's .jobs.json, as generated: one disabled sample job.
SAMPLE_JOBS = {
    "jobs": [
        {
            "job_id": "daily-status",
            "enabled": False,
            "puruto_target": "puruto-data",
            "schedule": "0 9 * * *",
            "prompt": "Summarise what changed in the vault since yesterday.",
            "notify_channel": "telegram",
            "timeout_sec": 120,
            "max_retries": 0,
            "retry_backoff_sec": 30,
        }
    ]
}
UTC = timezone.utc
T0 = datetime(2030, 6, 1, tzinfo=UTC)  # the clock of `cron` unless told otherwise
DUE = datetime(2031, 1, 1, tzinfo=UTC)  # when job()'s schedule (0 0 1 1 *) first fires after T0
# A sync at this moment gives job() its next run on 2001-01-01: due by the real clock, so a
# `main.py tick` process (which reads the real clock) runs it.
LONG_AGO = datetime(2000, 6, 1, tzinfo=UTC)
TARGET_SKILLS = ("status", "digest")

# The command agent: `agent.py <log> <prompt>`. It appends {"event": "start"|"end", "prompt",
# "pid", "t"} lines to <log>; it sleeps <n> seconds when the prompt contains "sleep=<n>", and
# while a file <log>.hold exists when it contains "hold"; "fail" makes it report an error.
AGENT = r"""
import json, os, re, sys, time
log, prompt = sys.argv[1], sys.argv[2]
def note(event):
    with open(log, "a") as fh:
        fh.write(json.dumps({"event": event, "prompt": prompt, "pid": os.getpid(), "t": time.time()}) + "\n")
note("start")
m = re.search(r"sleep=([0-9.]+)", prompt)
time.sleep(float(m.group(1)) if m else 0)
deadline = time.time() + 120
while "hold" in prompt and os.path.exists(log + ".hold") and time.time() < deadline:
    time.sleep(0.05)
note("end")
print(json.dumps({"error": "asked to fail"} if "fail" in prompt else {"summary": "done: " + prompt}))
"""


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env["PURUTO_AGENT"] = "stub"
    env["PURUTO_CRON_TZ"] = "UTC"  # schedules read the same on every machine; tests of zones set their own
    env.update(extra or {})
    return env


def job(job_id: str, **over: object) -> dict[str, Any]:
    return {
        "job_id": job_id,
        "enabled": True,
        "puruto_target": "puruto-target",
        "schedule": "0 0 1 1 *",
        "prompt": f"do {job_id}",
        "retry_backoff_sec": 0,
        **over,
    }


@pytest.fixture
def cron_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    dest = tmp_path / "puruto-cron"
    dest.mkdir()
    for name in RUNTIME:
        if (REPO / name).exists():
            shutil.copy2(REPO / name, dest / name)
    shutil.copytree(REPO / ".claude", dest / ".claude", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / ".puruto-schemas", dest / ".puruto-schemas")
    shutil.copytree(REPO / "puruto_runtime", dest / "puruto_runtime", ignore=shutil.ignore_patterns("__pycache__"))
    (dest / ".jobs.json").write_text(json.dumps(SAMPLE_JOBS, indent=2) + "\n")
    for skill in TARGET_SKILLS:
        folder = tmp_path / "puruto-target" / ".claude" / "skills" / skill
        folder.mkdir(parents=True)
        (folder / "SKILL.md").write_text(
            f"---\nname: {skill}\ndescription: the {skill} skill of the test target\n"
            "user-invocable: true\n---\n# /" + skill + "\n"
        )
    for k in SETTINGS:
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("PURUTO_AGENT", "stub")
    monkeypatch.setenv("PURUTO_CRON_TZ", "UTC")
    return dest


class Cli(Protocol):
    """The `cli` fixture: cli("tick") -> (exit code, parsed JSON stdout or None, completed process)."""

    def __call__(
        self, *args: str, env: dict[str, str] | None = None
    ) -> tuple[int, Any, subprocess.CompletedProcess[str]]: ...


@pytest.fixture
def cli(cron_dir: Path) -> Cli:
    """cli("tick") -> (exit code, parsed JSON stdout, completed process)."""

    def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, Any, subprocess.CompletedProcess[str]]:
        r = subprocess.run(
            [sys.executable, str(cron_dir / "main.py"), *args],
            cwd=cron_dir,
            capture_output=True,
            text=True,
            env=clean_env(env),
            timeout=120,
        )
        out: Any
        try:
            out = json.loads(r.stdout)
        except ValueError:
            out = None
        return r.returncode, out, r

    return run


class Cron:
    """The scheduler of the copy in this process (the template's modules, root = the copy):
    every call takes the moment it runs at (default: `now`, T0 at first) and `settings`, a
    typed Settings built here (no environment): replace it to change one."""

    def __init__(self, root: Path):
        from settings import CronSettings

        self.root, self.now, self.settings = root, T0, CronSettings(time_zone="UTC")

    def db(self) -> sqlite3.Connection:
        import db

        conn = db.connect(self.root / "db" / "cron.db")
        db.init_db(conn)
        return conn

    def sync(self, at: datetime | None = None) -> dict[str, Any]:
        import scheduler

        with closing(self.db()) as conn:
            return scheduler.sync(self.root / ".jobs.json", self.settings, at or self.now, lambda: conn)

    def tick(self, at: datetime | None = None, **kw: Any) -> dict[str, Any]:
        import scheduler

        moment = at or self.now
        with closing(self.db()) as conn:
            return scheduler.tick(conn, moment, self.settings, self.root, clock=lambda: moment, **kw)

    def run_now(self, job_id: str, at: datetime | None = None, **kw: Any) -> dict[str, Any]:
        import scheduler

        moment = at or self.now
        with closing(self.db()) as conn:
            return scheduler.run_now(conn, job_id, self.settings, self.root, moment, clock=lambda: moment, **kw)


@pytest.fixture
def cron(cron_dir: Path) -> Cron:
    return Cron(cron_dir)


# The `write_jobs` fixture: write_jobs([job(...), ...]) writes .jobs.json of the copy.
WriteJobs = Callable[[list[dict[str, Any]]], object]


@pytest.fixture
def write_jobs(cron_dir: Path) -> WriteJobs:
    return lambda jobs: (cron_dir / ".jobs.json").write_text(json.dumps({"jobs": jobs}, indent=2))


class Sql(Protocol):
    """The `sql` fixture: sql("SELECT ...", args) -> rows as dicts."""

    def __call__(self, query: str, args: tuple[object, ...] = ()) -> list[dict[str, Any]]: ...


@pytest.fixture
def sql(cron_dir: Path) -> Sql:
    """sql("SELECT ...", args) -> rows as dicts, on db/cron.db of the copy."""

    def run(query: str, args: tuple[object, ...] = ()) -> list[dict[str, Any]]:
        conn = sqlite3.connect(str(cron_dir / "db" / "cron.db"), timeout=30)
        conn.row_factory = sqlite3.Row
        try:
            rows = [dict(r) for r in conn.execute(query, args)]
            conn.commit()
            return rows
        finally:
            conn.close()

    return run


def events(root: Path) -> list[dict[str, Any]]:
    path = root / "notifications" / "events.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


class Agent(TypedDict):
    """The `agent` fixture: its settings (env), its log file and a reader of the log (calls)."""

    env: dict[str, str]
    log: Path
    calls: Callable[[], list[dict[str, Any]]]


@pytest.fixture
def agent(tmp_path: Path) -> Agent:
    """Settings of the sleeping command agent, and a reader of its log: agent["env"], agent["calls"]()."""
    script = tmp_path / "agent.py"
    script.write_text(AGENT)
    log = tmp_path / "agent.log"
    env = {"PURUTO_AGENT": "command", "PURUTO_AGENT_COMMAND": f"{sys.executable} {script} {log} {{prompt}}"}

    def calls() -> list[dict[str, Any]]:
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    return {"env": env, "log": log, "calls": calls}


def max_concurrent(calls: list[dict[str, Any]]) -> int:
    """The most agent calls that were running at the same moment, from their start/end lines."""
    running = best = 0
    for c in sorted(calls, key=lambda c: (c["t"], c["event"] == "start")):  # an end before a start at the same t
        running += 1 if c["event"] == "start" else -1
        best = max(best, running)
    return best
