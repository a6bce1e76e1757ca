"""SQLite storage of puruto-cron (standard library only): the jobs and runs tables,
upserts from .jobs.json, and the per-job lease that keeps a job from running twice at once.

Timestamps are UTC ISO 8601 strings with a "Z" (2025-01-31T09:00:00Z): they sort as text,
so "due" and "lease expired" are plain string comparisons inside SQL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jobs import Job

import json
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from puruto_runtime import orphans

ISO = "%Y-%m-%dT%H:%M:%SZ"

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    job_id            TEXT PRIMARY KEY,
    enabled           INTEGER NOT NULL DEFAULT 1,
    puruto_target     TEXT NOT NULL,
    schedule          TEXT NOT NULL,
    prompt            TEXT NOT NULL,
    notify_channel    TEXT NOT NULL DEFAULT 'telegram',
    timeout_sec       INTEGER NOT NULL DEFAULT 120,
    max_retries       INTEGER NOT NULL DEFAULT 0,
    retry_backoff_sec REAL NOT NULL DEFAULT 30,
    next_run_at       TEXT,
    last_run_at       TEXT,
    lease_owner       TEXT,
    lease_expires_at  TEXT,
    action            TEXT,
    timezone          TEXT,
    catch_up          INTEGER NOT NULL DEFAULT 1,
    schedule_tz       TEXT,
    retry_attempt     INTEGER NOT NULL DEFAULT 0,
    retry_run_id      TEXT
);
CREATE INDEX IF NOT EXISTS jobs_due ON jobs (enabled, next_run_at);
CREATE TABLE IF NOT EXISTS runs (
    run_id      TEXT PRIMARY KEY,
    job_id      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL,
    result_json TEXT,
    error_json  TEXT,
    owner       TEXT,
    correlation_id TEXT
);
CREATE INDEX IF NOT EXISTS runs_started ON runs (started_at);
"""
# Created after ADDED_COLUMNS (an old database gets their columns first).
INDEXES = """
CREATE INDEX IF NOT EXISTS runs_job_status ON runs (job_id, status);
CREATE INDEX IF NOT EXISTS runs_status ON runs (status);
"""

# The standard's columns first (SPEC §8), then ours. Columns added after a first release are
# added to an existing database by init_db (ADDED_COLUMNS), so old databases keep working.
JOB_COLUMNS = (
    "job_id",
    "enabled",
    "puruto_target",
    "schedule",
    "prompt",
    "notify_channel",
    "timeout_sec",
    "max_retries",
    "retry_backoff_sec",
    "next_run_at",
    "last_run_at",
    "lease_owner",
    "lease_expires_at",
    "action",
    "timezone",
    "catch_up",
    "schedule_tz",
    "retry_attempt",
    "retry_run_id",
)
# What .jobs.json sets (action/timezone NULL = the default: `message`, the scheduler's zone).
CONFIG_COLUMNS = (
    "job_id",
    "enabled",
    "puruto_target",
    "schedule",
    "prompt",
    "notify_channel",
    "timeout_sec",
    "max_retries",
    "retry_backoff_sec",
    "action",
    "timezone",
    "catch_up",
)
RUN_COLUMNS = (
    "run_id",
    "job_id",
    "started_at",
    "finished_at",
    "status",
    "result_json",
    "error_json",
    "owner",
    "correlation_id",
)
ADDED_COLUMNS = {
    "jobs": (
        ("action", "TEXT"),
        ("timezone", "TEXT"),
        ("catch_up", "INTEGER NOT NULL DEFAULT 1"),
        ("schedule_tz", "TEXT"),
        ("retry_attempt", "INTEGER NOT NULL DEFAULT 0"),
        ("retry_run_id", "TEXT"),
    ),
    # correlation_id: the id in the environment of the run's current agent (orphans.py)
    "runs": (("owner", "TEXT"), ("correlation_id", "TEXT")),
}


def iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime(ISO)


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, ISO).replace(tzinfo=timezone.utc)


def connect(path: Path, any_thread: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode: transactions are explicit (BEGIN IMMEDIATE).
    any_thread: it may be closed by the thread that made the pool (it is used by one only)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=not any_thread)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 30000")
    try:
        conn.execute("PRAGMA journal_mode = WAL")  # readers never block the scheduler
        conn.execute("PRAGMA synchronous = NORMAL")  # with WAL: no corruption, one fsync per checkpoint
    except sqlite3.OperationalError:
        pass
    return conn


# Threads of one process (the job pool, the lease heartbeats) take turns here before asking
# SQLite for its write lock: SQLite's own busy handler sleeps in steps of milliseconds, which
# made every write of a busy pool wait; other processes still meet at BEGIN IMMEDIATE.
WRITE_LOCK = threading.Lock()


class transaction:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error): the write lock is taken up front."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        WRITE_LOCK.acquire()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            WRITE_LOCK.release()
            raise
        return self.conn

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            WRITE_LOCK.release()


def init_db(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)
    for table, columns in ADDED_COLUMNS.items():
        have = {c[1] for c in conn.execute(f"PRAGMA table_info({table})")}
        for name, decl in columns:
            if name not in have:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")
    conn.executescript(INDEXES)


def db_file(conn: sqlite3.Connection) -> str:
    """The file behind a connection, so worker threads can open their own connection to it."""
    path: str = conn.execute("PRAGMA database_list").fetchone()[2]
    return path


def tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {n: [c[1] for c in conn.execute(f"PRAGMA table_info({n})")] for n in names}


def _config(job: Job) -> tuple[object, ...]:
    return tuple(int(getattr(job, k)) if k in ("enabled", "catch_up") else getattr(job, k) for k in CONFIG_COLUMNS)


def sync_jobs(
    conn: sqlite3.Connection, jobs: list[Job], next_run_of: Callable[[Job], tuple[str, str]]
) -> dict[str, list[str]]:
    """Makes the jobs table equal to `jobs` (jobs.Job values: CONFIG_COLUMNS are their fields) in
    one transaction: inserts, updates, deletes the jobs no longer listed (their runs stay).
    next_run_of(job) -> (next_run_at, zone name); the stored next_run_at is kept unless missing
    or the schedule or its zone changed. A run
    waiting for a retry of a removed job is closed as `cancelled`."""
    report: dict[str, list[str]] = {"added": [], "updated": [], "unchanged": [], "removed": []}
    with transaction(conn):
        old = {r["job_id"]: r for r in conn.execute("SELECT * FROM jobs")}
        for job in jobs:
            row = old.pop(job.job_id, None)
            values = _config(job)
            next_run_at, zone = next_run_of(job)
            if (
                row is not None
                and row["schedule"] == job.schedule
                and row["schedule_tz"] == zone
                and row["next_run_at"]
            ):
                next_run_at = row["next_run_at"]
            if row is None:
                report["added"].append(job.job_id)
            elif tuple(row[k] for k in CONFIG_COLUMNS) != values or next_run_at != row["next_run_at"]:
                report["updated"].append(job.job_id)
            else:
                report["unchanged"].append(job.job_id)
            conn.execute(
                f"INSERT INTO jobs ({', '.join(CONFIG_COLUMNS)}, next_run_at, schedule_tz) "
                f"VALUES ({', '.join('?' * (len(CONFIG_COLUMNS) + 2))}) "
                f"ON CONFLICT(job_id) DO UPDATE SET {', '.join(f'{k} = excluded.{k}' for k in CONFIG_COLUMNS[1:])}, "
                "next_run_at = excluded.next_run_at, schedule_tz = excluded.schedule_tz",
                (*values, next_run_at, zone),
            )
        for job_id in sorted(old):
            conn.execute("DELETE FROM jobs WHERE job_id = ?", (job_id,))
            conn.execute(
                "UPDATE runs SET status = 'cancelled', finished_at = COALESCE(finished_at, started_at) "
                "WHERE job_id = ? AND status = 'retrying'",
                (job_id,),
            )
            report["removed"].append(job_id)
    return report


def job_dict(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    d["enabled"] = bool(d["enabled"])
    d["catch_up"] = bool(d["catch_up"])
    return d


def get_job(conn: sqlite3.Connection, job_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
    return job_dict(row) if row else None


def list_jobs(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [job_dict(r) for r in conn.execute("SELECT * FROM jobs ORDER BY job_id")]


def due_job_ids(conn: sqlite3.Connection, now: str) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT job_id FROM jobs WHERE enabled = 1 AND next_run_at IS NOT NULL AND next_run_at <= ? "
            "ORDER BY next_run_at, job_id",
            (now,),
        )
    ]


# stop_agents(correlation ids) -> pids still alive: how a scheduler ends the agents of a run whose
# scheduler died before the run is closed and its job runs again (orphans.stop).
StopAgents = Callable[[list[str]], set[int]]


class AgentsAlive(Exception):
    """A job's previous run may still be working: processes of its agent outlived SIGKILL (or
    belong to another user); the job is not started until they are gone."""

    def __init__(self, job_id: str, run_ids: list[str], pids: set[int]):
        super().__init__(
            f"the agent of {job_id}'s previous run {', '.join(run_ids)} is still alive (pids "
            f"{', '.join(map(str, sorted(pids)))}); the job waits until it is gone"
        )
        self.job_id, self.run_ids, self.pids = job_id, run_ids, pids


def acquire_lease(
    conn: sqlite3.Connection,
    job_id: str,
    owner: str,
    now: str,
    expires: str,
    due_only: bool,
    stop_agents: StopAgents | None = None,
) -> bool:
    """Takes the job's lease when it is free or expired, in one atomic UPDATE. With due_only
    the job must also still be due, so a job another scheduler just ran is not run again.
    Taking over an expired lease, a run still `running` lost its scheduler: its agent's
    processes are stopped first (AgentsAlive, lease not taken, when some survive)."""
    sql = (
        "UPDATE jobs SET lease_owner = ?, lease_expires_at = ? WHERE job_id = ? "
        "AND (lease_owner IS NULL OR lease_expires_at IS NULL OR lease_expires_at <= ?)"
    )
    args: tuple[str, ...] = (owner, expires, job_id, now)
    if due_only:
        sql += " AND enabled = 1 AND next_run_at IS NOT NULL AND next_run_at <= ?"
        args += (now,)
    with transaction(conn):
        held = conn.execute("SELECT lease_owner, lease_expires_at FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
        if conn.execute(sql, args).rowcount != 1:
            return False
        rows = conn.execute(
            "SELECT run_id, job_id, owner, correlation_id, ? AS lease_owner, ? AS lease_expires_at FROM runs "
            "WHERE job_id = ? AND status = 'running'",
            (held["lease_owner"], held["lease_expires_at"], job_id),
        ).fetchall()
        stop = stop_agents or orphans.stop
        alive = stop([r["correlation_id"] for r in rows if r["correlation_id"]]) if rows else set()
        if alive:  # the transaction rolls back: the lease stays as it was
            raise AgentsAlive(job_id, [r["run_id"] for r in rows], alive)
        _interrupt(conn, rows, now)
        return True


def _interrupt(conn: sqlite3.Connection, rows: list[sqlite3.Row], now: str) -> None:
    for r in rows:
        error = {
            "code": "INTERRUPTED",
            "message": f"the scheduler {r['owner'] or r['lease_owner'] or '?'} stopped during this run "
            f"(its lease expired at {r['lease_expires_at'] or '?'}); the job is free again",
        }
        conn.execute(
            "UPDATE runs SET status = 'interrupted', finished_at = ?, error_json = ? WHERE run_id = ?",
            (now, json.dumps(error), r["run_id"]),
        )


def renew_lease(conn: sqlite3.Connection, job_id: str, owner: str, expires: str) -> None:
    with transaction(conn):
        conn.execute(
            "UPDATE jobs SET lease_expires_at = ? WHERE job_id = ? AND lease_owner = ?", (expires, job_id, owner)
        )


def release_lease(
    conn: sqlite3.Connection,
    job_id: str,
    owner: str,
    last_run_at: str,
    next_run_at: str | None,
    retry: tuple[int, str] | None = None,
) -> None:
    """Frees the lease and records the run times; next_run_at None keeps the current one (run-now).
    retry=(failed attempts, run_id): the run waits for its next attempt at next_run_at."""
    attempt, run_id = retry or (0, None)
    with transaction(conn):
        conn.execute(
            "UPDATE jobs SET lease_owner = NULL, lease_expires_at = NULL, last_run_at = ?, "
            "next_run_at = COALESCE(?, next_run_at), retry_attempt = ?, retry_run_id = ? "
            "WHERE job_id = ? AND lease_owner = ?",
            (last_run_at, next_run_at, attempt, run_id, job_id, owner),
        )


def skip_missed(conn: sqlite3.Connection, job_id: str, missed: str, next_run_at: str, now: str) -> bool:
    """Moves a missed run (catch_up: false) to the next slot, unless the job is leased or
    another scheduler already moved it."""
    with transaction(conn):
        return (
            conn.execute(
                "UPDATE jobs SET next_run_at = ? WHERE job_id = ? AND next_run_at = ? "
                "AND (lease_owner IS NULL OR lease_expires_at IS NULL OR lease_expires_at <= ?)",
                (next_run_at, job_id, missed, now),
            ).rowcount
            == 1
        )


EXPIRED_RUNS = (
    "SELECT r.run_id, r.job_id, r.owner, r.correlation_id, j.lease_owner, j.lease_expires_at FROM runs r "
    "JOIN jobs j ON j.job_id = r.job_id WHERE r.status = 'running' "
    "AND (j.lease_owner IS NULL OR j.lease_expires_at IS NULL OR j.lease_expires_at <= ?)"
)


def mark_interrupted(
    conn: sqlite3.Connection, now: str, stop_agents: StopAgents | None = None
) -> tuple[list[str], dict[str, tuple[str, list[int]]]]:
    """Runs still `running` whose job's lease has expired lost their scheduler (killed, machine
    off). Their agents are stopped (outside any transaction: it may take seconds); a run whose
    agent is gone becomes `interrupted`, its job's lease and pending retry are cleared, the job
    is free again. Returns (interrupted run ids, {run id: (job id, pids)} of the runs whose agent
    survived: they stay `running` and their job waits)."""
    found = conn.execute(EXPIRED_RUNS, (now,)).fetchall()
    candidates = {(r["run_id"], r["correlation_id"]) for r in found}
    alive: dict[str, tuple[str, list[int]]] = {}
    stop = stop_agents or orphans.stop
    for r in found:
        pids = stop([r["correlation_id"]]) if r["correlation_id"] else set()
        if pids:
            alive[r["run_id"]] = (r["job_id"], sorted(pids))
    with transaction(conn):
        rows = [
            r
            for r in conn.execute(EXPIRED_RUNS, (now,)).fetchall()
            if (r["run_id"], r["correlation_id"]) in candidates and r["run_id"] not in alive
        ]
        _interrupt(conn, rows, now)
        for r in rows:
            conn.execute(
                "UPDATE jobs SET lease_owner = NULL, lease_expires_at = NULL, retry_attempt = 0, retry_run_id = NULL "
                "WHERE job_id = ? AND (lease_owner IS NULL OR lease_expires_at IS NULL OR lease_expires_at <= ?)",
                (r["job_id"], now),
            )
    return [r["run_id"] for r in rows], alive


def set_agent(conn: sqlite3.Connection, run_id: str, correlation_id: str) -> None:
    """Records the correlation id the run's next agent starts with (before it starts)."""
    with transaction(conn):
        conn.execute("UPDATE runs SET correlation_id = ? WHERE run_id = ?", (correlation_id, run_id))


def set_enabled(conn: sqlite3.Connection, job_id: str, enabled: bool, next_run_at: str | None = None) -> bool:
    with transaction(conn):
        return (
            conn.execute(
                "UPDATE jobs SET enabled = ?, next_run_at = COALESCE(?, next_run_at) WHERE job_id = ?",
                (int(enabled), next_run_at, job_id),
            ).rowcount
            == 1
        )


def start_run(conn: sqlite3.Connection, run_id: str, job_id: str, started_at: str, owner: str | None = None) -> str:
    """Inserts a running run. Two runs of one job in the same second get -2, -3 ... suffixes."""
    candidate, n = run_id, 1
    while True:
        try:
            with transaction(conn):
                conn.execute(
                    "INSERT INTO runs (run_id, job_id, started_at, status, owner) VALUES (?, ?, ?, 'running', ?)",
                    (candidate, job_id, started_at, owner),
                )
            return candidate
        except sqlite3.IntegrityError:
            n += 1
            candidate = f"{run_id}-{n}"


def resume_run(conn: sqlite3.Connection, run_id: str, owner: str) -> bool:
    """A run waiting for its retry (`retrying`) runs again; False when it is no longer waiting."""
    with transaction(conn):
        return (
            conn.execute(
                "UPDATE runs SET status = 'running', owner = ? WHERE run_id = ? AND status = 'retrying'",
                (owner, run_id),
            ).rowcount
            == 1
        )


def finish_run(
    conn: sqlite3.Connection,
    run_id: str,
    finished_at: str | None,
    status: str,
    result: dict[str, Any] | None,
    error: dict[str, Any] | None,
) -> None:
    """Records the outcome of a running run (a run already marked interrupted stays so)."""
    with transaction(conn):
        conn.execute(
            "UPDATE runs SET finished_at = ?, status = ?, result_json = ?, error_json = ? "
            "WHERE run_id = ? AND status = 'running'",
            (
                finished_at,
                status,
                None if result is None else json.dumps(result),
                None if error is None else json.dumps(error),
                run_id,
            ),
        )


def recent_runs(
    conn: sqlite3.Connection, limit: int, job_id: str | None = None, full: bool = False
) -> list[dict[str, Any]]:
    cols = RUN_COLUMNS[:7] if full else RUN_COLUMNS[:5]
    where, args = ("WHERE job_id = ?", (job_id,)) if job_id else ("", ())
    rows = conn.execute(
        f"SELECT {', '.join(cols)} FROM runs {where} ORDER BY started_at DESC, rowid DESC LIMIT ?", (*args, limit)
    )
    out = []
    for r in rows:
        d = dict(r)
        for k in ("result_json", "error_json"):
            if k in d:
                d[k] = json.loads(d[k]) if d[k] else None
        out.append(d)
    return out
