"""The scripts behind /init, /status and /list, run as real processes on a copy."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import clean_env

INIT = ".claude/skills/init/scripts/init.py"
STATUS = ".claude/skills/status/scripts/status.py"
LIST = ".claude/skills/list/scripts/list_skills.py"


def script(cron_dir: Path, path: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(cron_dir / path), *args],
        cwd=cron_dir,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=120,
    )


def test_init_creates_folders_db_and_jobs_then_status(cron_dir: Path) -> None:
    r = script(cron_dir, INIT, "--no-venv", "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert [(s["result"], s["path"]) for s in out["steps"]] == [
        ("created", ".env"),
        ("skipped", ".venv"),
        ("created", "db/ runs/ notifications/"),
        ("created", "db (init-db)"),
        ("created", "jobs (sync-jobs)"),
    ]
    for d in ("db", "runs", "notifications"):
        assert (cron_dir / d).is_dir()
    assert (cron_dir / "db" / "cron.db").is_file()
    assert out["status"]["scheduler"]["database"] == "ok"
    assert [j["job_id"] for j in out["status"]["scheduler"]["jobs"]] == ["daily-status"]
    assert out["status"]["problems"] == []
    human = script(cron_dir, INIT, "--no-venv")
    assert human.returncode == 0
    assert "puruto-cron status" in human.stdout and human.stdout.rstrip().endswith("next: ready")
    assert "kept     db (init-db)" in human.stdout


def test_init_reports_an_invalid_jobs_file(cron_dir: Path) -> None:
    (cron_dir / ".jobs.json").write_text(
        '{"jobs": [{"job_id": "x", "puruto_target": "t", "schedule": "99 * * * *", "prompt": "p"}]}'
    )
    r = script(cron_dir, INIT, "--no-venv")
    assert r.returncode == 1
    assert 'error    jobs (sync-jobs)  .jobs.json: job "x" (#0): field "schedule"' in r.stdout


def test_status_never_crashes_before_init(cron_dir: Path) -> None:
    shutil.rmtree(cron_dir / "db", ignore_errors=True)
    r = script(cron_dir, STATUS, "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["scheduler"] == {"database": "missing"}
    assert "db/ is missing: run /init" in report["problems"]


def test_list_shows_the_scheduler_skills(cron_dir: Path) -> None:
    r = script(cron_dir, LIST)
    assert r.returncode == 0, r.stderr
    for s in ("init", "help", "list", "status", "register-job", "pause-job", "resume-job", "run-now", "logs"):
        assert s in r.stdout


def run_script(cron_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    from conftest import REPO

    shutil.copy2(REPO / "run", cron_dir / "run")
    return subprocess.run(
        [sys.executable, str(cron_dir / "run"), *args],
        cwd=cron_dir,
        capture_output=True,
        text=True,
        env={**clean_env(), **env},
        timeout=120,
    )


def test_run_passes_its_arguments_to_main_py_with_the_system_python_when_there_is_no_venv(cron_dir: Path) -> None:
    assert script(cron_dir, INIT, "--no-venv").returncode == 0
    r = run_script(cron_dir, "status", PURUTO_PYTHON=sys.executable)
    assert r.returncode == 0, r.stderr
    assert [j["job_id"] for j in json.loads(r.stdout)["jobs"]] == ["daily-status"]


def test_run_and_status_name_a_python_that_lacks_croniter_in_one_line(cron_dir: Path, tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-python")
    r = run_script(cron_dir, PURUTO_PYTHON=missing)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and f"the system Python ({missing}) lacks croniter" in r.stderr
    st = subprocess.run(
        [sys.executable, str(cron_dir / STATUS), "--json"],
        cwd=cron_dir,
        capture_output=True,
        text=True,
        env={**clean_env(), "PURUTO_PYTHON": missing},
        timeout=120,
    )
    report = json.loads(st.stdout)
    assert report["runtime"] == {"python": missing, "source": "system", "modules": {"croniter": False}}
    assert any("cannot import croniter" in p for p in report["problems"])


def test_status_shows_each_next_run_in_its_zone_and_in_utc(cron_dir: Path) -> None:
    (cron_dir / ".jobs.json").write_text(
        json.dumps(
            {
                "jobs": [
                    {
                        "job_id": "m",
                        "puruto_target": "puruto-target",
                        "schedule": "0 9 * * *",
                        "prompt": "p",
                        "timezone": "Asia/Tokyo",
                    }
                ]
            }
        )
    )
    assert script(cron_dir, INIT, "--no-venv").returncode == 0
    r = script(cron_dir, STATUS, "--json")
    [j] = json.loads(r.stdout)["scheduler"]["jobs"]
    assert j["timezone"] == "Asia/Tokyo" and j["next_run_local"].endswith("T09:00:00+09:00")
    assert j["next_run_at"].endswith("T00:00:00Z")
    human = script(cron_dir, STATUS).stdout
    assert "T09:00:00+09:00 Asia/Tokyo" in human and "T00:00:00Z" in human
