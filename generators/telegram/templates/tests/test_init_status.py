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


def script(tg_dir: Path, path: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(tg_dir / path), *args],
        cwd=tg_dir,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=120,
    )


def test_init_creates_folders_channels_and_db_then_status(tg_dir: Path) -> None:
    shutil.rmtree(tg_dir / "db")
    (tg_dir / ".channels.json").unlink()
    r = script(tg_dir, INIT, "--no-venv", "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert [(s["result"], s["path"]) for s in out["steps"]] == [
        ("created", ".env"),
        ("skipped", ".venv"),
        ("created", "db/ inbox/"),
        ("created", ".channels.json"),
        ("created", "db (telegram.db)"),
    ]
    assert json.loads((tg_dir / ".channels.json").read_text()) == {"channels": []}
    assert (tg_dir / "db" / "telegram.db").is_file()
    bot = out["status"]["bot"]
    assert bot["database"] == "ok" and bot["token"] == "missing" and bot["channels"] == []
    assert "PURUTO_TELEGRAM_BOT_TOKEN is empty: set it in .env" in out["status"]["problems"]
    human = script(tg_dir, INIT, "--no-venv")
    assert human.returncode == 0
    assert "puruto-telegram status" in human.stdout
    assert "kept     db (telegram.db)" in human.stdout


def test_init_reports_a_broken_channels_file(tg_dir: Path) -> None:
    (tg_dir / ".channels.json").write_text("{oops")
    r = script(tg_dir, INIT, "--no-venv")
    assert r.returncode == 1
    assert "error    .channels.json  .channels.json is not valid JSON" in r.stdout


def test_status_counts_pending_inbox_events_and_never_crashes(tg_dir: Path) -> None:
    shutil.rmtree(tg_dir / "db")
    (tg_dir / "inbox").mkdir()
    (tg_dir / "inbox" / "cron-events.jsonl").write_text('{"job_id": "a"}\n{"job_id": "b"}\n')
    r = script(tg_dir, STATUS, "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["bot"]["inbox_pending"] == 2 and report["bot"]["database"] == "missing"
    assert "db/telegram.db is missing: run /init" in report["problems"]


def test_list_shows_the_connector_skills(tg_dir: Path) -> None:
    r = script(tg_dir, LIST)
    assert r.returncode == 0, r.stderr
    for s in ("init", "help", "list", "status", "add-channel", "drain-inbox"):
        assert s in r.stdout


def test_run_starts_bot_py_which_names_the_missing_token_in_one_line(tg_dir: Path, tmp_path: Path) -> None:
    from conftest import REPO

    shutil.copy2(REPO / "run", tg_dir / "run")
    assert script(tg_dir, INIT, "--no-venv").returncode == 0
    env = {**clean_env(), "PURUTO_PYTHON": sys.executable}
    r = subprocess.run(
        [sys.executable, str(tg_dir / "run")], cwd=tg_dir, capture_output=True, text=True, env=env, timeout=60
    )
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [
        "puruto-telegram: PURUTO_TELEGRAM_BOT_TOKEN is empty: create a bot with @BotFather and put its token in .env"
    ]
    env["PURUTO_PYTHON"] = str(tmp_path / "no-such-python")
    r = subprocess.run(
        [sys.executable, str(tg_dir / "run")], cwd=tg_dir, capture_output=True, text=True, env=env, timeout=60
    )
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "lacks telegram, dotenv" in r.stderr
    st = subprocess.run(
        [sys.executable, str(tg_dir / STATUS), "--json"],
        cwd=tg_dir,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert json.loads(st.stdout)["runtime"]["modules"] == {"telegram": False, "dotenv": False}
