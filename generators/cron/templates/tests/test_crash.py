"""A scheduler killed with SIGKILL in the middle of a run, then another one started: a job never
runs twice at once (SPEC §8), judged from the agent's own records, not the database's.

The agent appends `start`, then `alive` every few hundredths of a second, then `end` to a log,
each line with its pid and time. A run lasts from its `start` to its last line; a run whose
scheduler was killed has no `end`. Two runs of one job overlap when the later one starts before
the earlier one's last line: an orphaned agent that kept working would go on writing `alive`
lines after its successor started. The kill moments come from a seeded random generator; the
seed is printed (PURUTO_CRASH_SEED=<n> replays a run)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from conftest import LONG_AGO, Cron, Sql, WriteJobs, clean_env, job

AGENT = r"""
import json, os, sys, time
log, prompt = sys.argv[1], sys.argv[2]
def note(event):
    with open(log, "a") as fh:
        fh.write(json.dumps({"event": event, "prompt": prompt, "pid": os.getpid(), "t": time.time()}) + "\n")
note("start")
end = time.time() + float(prompt.split("sleep=")[1])
while time.time() < end:
    time.sleep(0.02)
    note("alive")
note("end")
print(json.dumps({"summary": "done: " + prompt}))
"""
JOBS = {"slow-a": 6.0, "slow-b": 4.0}  # longer than the lease: an orphan outlives it
LEASE = 2  # the shortest lease: the next scheduler may take the jobs over soon after the kill
ROUNDS = 3


def alive(pid: int) -> bool:
    """True while pid runs (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return False


def runs_of(log: Path) -> dict[str, list[dict[str, Any]]]:
    """Per job: each agent run as {pid, start, last, ended}, in start order."""
    by_pid: dict[int, dict[str, Any]] = {}
    for line in log.read_text().splitlines() if log.exists() else []:
        rec = json.loads(line)
        run = by_pid.setdefault(
            rec["pid"], {"pid": rec["pid"], "job": rec["prompt"].split()[1], "start": rec["t"], "ended": False}
        )
        run["last"] = rec["t"]
        run["ended"] = run["ended"] or rec["event"] == "end"
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for run in sorted(by_pid.values(), key=lambda r: r["start"]):
        out[run["job"]].append(run)
    return out


def test_a_killed_scheduler_never_leaves_a_job_running_twice(
    cron: Cron, write_jobs: WriteJobs, sql: Sql, cron_dir: Path, tmp_path: Path
) -> None:
    seed = int(os.environ.get("PURUTO_CRASH_SEED") or random.SystemRandom().randrange(1 << 30))
    print(f"PURUTO_CRASH_SEED={seed}")
    rnd = random.Random(seed)
    script, log = tmp_path / "agent.py", tmp_path / "agent.log"
    script.write_text(AGENT)
    # every minute, so a job that finished is not due again while the test runs
    write_jobs([job(j, schedule="* * * * *", prompt=f"do {j} sleep={s}") for j, s in JOBS.items()])
    assert cron.sync(at=LONG_AGO)["synced_jobs"] == len(JOBS)  # due at once by the real clock
    env = clean_env(
        {
            "PURUTO_AGENT": "command",
            "PURUTO_AGENT_COMMAND": f"{sys.executable} {script} {log} {{prompt}}",
            "PURUTO_CRON_POLL_SECONDS": "0.2",
            "PURUTO_CRON_LEASE_SECONDS": str(LEASE),
        }
    )
    started: list[subprocess.Popen[str]] = []

    def scheduler() -> subprocess.Popen[str]:
        p = subprocess.Popen(
            [sys.executable, str(cron_dir / "main.py"), "run"],
            cwd=cron_dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        started.append(p)
        return p

    def wait_for(pred: Any, limit: float = 60.0) -> None:
        deadline = time.monotonic() + limit
        while not pred():
            assert time.monotonic() < deadline, f"gave up waiting (seed {seed})"
            time.sleep(0.02)

    try:
        for _ in range(ROUNDS):
            p = scheduler()
            before = sum(len(r) for r in runs_of(log).values())
            wait_for(lambda n=before: sum(len(r) for r in runs_of(log).values()) > n)  # an agent of p works
            time.sleep(rnd.uniform(0.0, 1.2))
            p.send_signal(signal.SIGKILL)
            p.wait()
        last = scheduler()
        # every job's latest run completes under the last scheduler
        wait_for(lambda: len(sql("SELECT 1 FROM runs WHERE status = 'ok'")) >= len(JOBS), limit=120)
        last.send_signal(signal.SIGTERM)
        last.wait(timeout=60)
    finally:
        for p in started:
            if p.poll() is None:
                p.kill()
                p.wait()
        for job_runs in runs_of(log).values():  # orphaned agents, if any survived
            for run in job_runs:
                if alive(run["pid"]):
                    os.kill(run["pid"], signal.SIGKILL)
    runs = runs_of(log)
    assert set(runs) == set(JOBS), runs
    for job_id, job_runs in runs.items():
        for earlier, later in zip(job_runs, job_runs[1:], strict=False):
            assert earlier["last"] < later["start"], (
                f"seed {seed}: two runs of {job_id} at once: agent {earlier['pid']} (started {earlier['start']}, "
                f"still working at {earlier['last']}) and agent {later['pid']} (started {later['start']})"
            )
        assert job_runs[-1]["ended"], f"seed {seed}: the last run of {job_id} never finished"
    statuses = {r["status"] for r in sql("SELECT status FROM runs")}
    assert statuses == {"ok", "interrupted"}, statuses  # the kills did interrupt runs


def test_a_job_whose_old_agent_survives_waits_until_it_is_gone(
    cron: Cron, write_jobs: WriteJobs, sql: Sql, monkeypatch: pytest.MonkeyPatch
) -> None:
    import db
    from puruto_runtime import orphans

    write_jobs([job("a")])
    cron.sync(at=LONG_AGO)
    # what a scheduler killed mid-run leaves: a `running` run, its agent's id, an expired lease
    start = "2001-01-01T00:00:00Z"
    with closing(cron.db()) as conn:
        assert db.acquire_lease(conn, "a", "gone:42", start, "2001-01-01T00:02:00Z", due_only=False)
        db.start_run(conn, "a-20010101T000000", "a", start, "gone:42")
        db.set_agent(conn, "a-20010101T000000", "corr-old")
    asked: list[list[str]] = []

    def survivor(ids: list[str]) -> set[int]:
        asked.append(ids)
        return {4242}

    monkeypatch.setattr(orphans, "stop", survivor)
    out = cron.tick()
    assert asked == [["corr-old"]] and "interrupted_runs" not in out
    [result] = out["results"]
    assert result["status"] == "skipped" and "a-20010101T000000" in result["reason"] and "4242" in result["reason"]
    locked = cron.run_now("a")
    assert locked["error"]["code"] == "JOB_LOCKED" and "4242" in locked["error"]["message"]
    assert [r["status"] for r in sql("SELECT status FROM runs")] == ["running"]

    monkeypatch.setattr(orphans, "stop", lambda ids: set())  # gone now
    out = cron.tick()
    assert out["interrupted_runs"] == ["a-20010101T000000"]
    assert [r["status"] for r in out["results"]] == ["ok"]
    assert [r["status"] for r in sql("SELECT status FROM runs ORDER BY rowid")] == ["interrupted", "ok"]
