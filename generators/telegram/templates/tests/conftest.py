"""Fixtures of puruto-telegram's own tests. Every test works in a temporary workspace:
<tmp>/puruto-telegram (a copy of the runtime) beside <tmp>/puruto-notes (a channel), with
the invoker's `stub` agent, so the real database, inbox and agents are never touched."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
RUNTIME = ["bot.py", "router.py", "db.py", "inbox.py", "telegram_env.py", "invoker.py", "heartbeat.py", ".channels.json", ".env.example",
           ".puruto-standard-version", "requirements.txt"]
SETTINGS = ("DB_PATH", "PURUTO_DATA_PATH", "PURUTO_TELEGRAM_BOT_TOKEN", "PURUTO_TELEGRAM_DEFAULT_CHAT_ID",
            "PURUTO_TELEGRAM_ALLOWED_USERS", "PURUTO_TELEGRAM_API_BASE", "PURUTO_AGENT", "PURUTO_AGENT_COMMAND",
            "PURUTO_AGENT_ARGS", "PURUTO_IPC_HOP", "PURUTO_IPC_CORRELATION_ID", "PURUTO_IPC_CALLER")


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env["PURUTO_AGENT"] = "stub"
    env.update(extra or {})
    return env


@pytest.fixture
def tg_dir(tmp_path: Path, monkeypatch) -> Path:
    dest = tmp_path / "puruto-telegram"
    dest.mkdir()
    for name in RUNTIME:
        if (REPO / name).exists():
            shutil.copy2(REPO / name, dest / name)
    (dest / "db").mkdir()
    shutil.copytree(REPO / ".claude", dest / ".claude", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "puruto-notes").mkdir()
    for k in SETTINGS:
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("PURUTO_AGENT", "stub")
    return dest


@pytest.fixture
def run_py(tg_dir: Path):
    """run_py("inbox.py", "--deliver", env={...}) -> (exit code, parsed JSON stdout or None, process)."""

    def run(script: str, *args: str, env: dict[str, str] | None = None):
        r = subprocess.run([sys.executable, str(tg_dir / script), *args], cwd=tg_dir, capture_output=True,
                           text=True, env=clean_env(env), timeout=120)
        try:
            out = json.loads(r.stdout)
        except ValueError:
            out = None
        return r.returncode, out, r

    return run


def write_channels(root: Path, channels) -> None:
    (root / ".channels.json").write_text(json.dumps({"channels": channels}))
