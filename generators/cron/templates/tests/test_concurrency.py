"""Two schedulers ticking the same database at the same moment: each due job runs exactly once."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from conftest import LONG_AGO, Cron, Sql, WriteJobs, clean_env, job

N = 120
# Both processes import everything first, then start their tick at the same instant.
SCRIPT = """
import sys, time
sys.path.insert(0, sys.argv[1])
import main, croniter, invoker, executor  # noqa: F401
start = float(sys.argv[2])
time.sleep(max(start - time.time(), 0))
sys.exit(main.main(["tick"]))
"""


def test_two_schedulers_run_each_job_exactly_once(cron: Cron, write_jobs: WriteJobs, sql: Sql, cron_dir: Path) -> None:
    write_jobs([job(f"job-{i:03d}") for i in range(N)])
    assert cron.sync(at=LONG_AGO)["synced_jobs"] == N  # all due by the real clock
    start = time.time() + 1.5
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT, str(cron_dir), str(start)],
            cwd=cron_dir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=clean_env(),
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    results = [r for out, _ in outs for r in json.loads(out)["results"]]
    ran = Counter(r["job_id"] for r in results if r["status"] == "ok")
    assert len(ran) == N and set(ran.values()) == {1}
    assert {r["status"] for r in results} <= {"ok", "skipped"}
    runs = Counter(r["job_id"] for r in sql("SELECT job_id FROM runs"))
    assert len(runs) == N and set(runs.values()) == {1}
    leased_or_due = "SELECT COUNT(*) AS n FROM jobs WHERE lease_owner IS NOT NULL OR next_run_at <= '2001-01-01'"
    assert sql(leased_or_due)[0]["n"] == 0
    assert len((cron_dir / "notifications" / "events.jsonl").read_text().splitlines()) == N
