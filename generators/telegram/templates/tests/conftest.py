"""Fixtures of puruto-telegram's own tests. Every test works in a temporary workspace:
<tmp>/puruto-telegram (a copy of the runtime) beside <tmp>/puruto-notes (a channel), with
the invoker's `stub` agent or the sleeping tests/fake_agent.py (`command` adapter), so the
real database, inbox and agents are never touched: the copy gets an empty catalogue
(`{"channels": []}`, as generated), never the repo's own .channels.json, which the user edits
(`python3 db.py add-channel ...`), and no .env. `bot` starts bot.py against the fake
Bot API (tests/fake_bot_api.py) and stops both, by pid, at the end of the test."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest

if TYPE_CHECKING:
    from fake_bot_api import FakeBotApi

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
RUNTIME = [
    "bot.py",
    "conversations.py",
    "pending.py",
    "telegram_format.py",
    "router.py",
    "db.py",
    "inbox.py",
    "telegram_env.py",
    "invoker.py",
    "heartbeat.py",
    "json_schema.py",
    ".env.example",
    ".puruto-standard-version",
    "requirements.txt",
]
SETTINGS = (
    "DB_PATH",
    "PURUTO_DATA_PATH",
    "PURUTO_TELEGRAM_BOT_TOKEN",
    "PURUTO_TELEGRAM_DEFAULT_CHAT_ID",
    "PURUTO_TELEGRAM_ALLOWED_USERS",
    "PURUTO_TELEGRAM_ALLOWED_GROUPS",
    "PURUTO_TELEGRAM_API_BASE",
    "PURUTO_AGENT",
    "PURUTO_AGENT_COMMAND",
    "PURUTO_AGENT_ARGS",
    "PURUTO_IPC_HOP",
    "PURUTO_IPC_CORRELATION_ID",
    "PURUTO_IPC_CALLER",
    "PURUTO_TELEGRAM_MAX_PARALLEL",
    "PURUTO_TELEGRAM_CONNECT_RETRIES",
    "FAKE_AGENT_DIR",
)
OWNER, OTHER, STRANGER = 111, 222, 999


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env["PURUTO_AGENT"] = "stub"
    env.update(extra or {})
    return env


@pytest.fixture
def tg_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    dest = tmp_path / "puruto-telegram"
    dest.mkdir()
    for name in RUNTIME:
        if (REPO / name).exists():
            shutil.copy2(REPO / name, dest / name)
    (dest / "db").mkdir()
    (dest / ".channels.json").write_text('{"channels": []}\n')
    shutil.copytree(REPO / ".claude", dest / ".claude", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / ".puruto-schemas", dest / ".puruto-schemas")
    shutil.copytree(REPO / "puruto_runtime", dest / "puruto_runtime", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "puruto-notes").mkdir()
    for k in SETTINGS:
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("PURUTO_AGENT", "stub")
    return dest


class RunPy(Protocol):
    """The `run_py` fixture: run_py("inbox.py", ...) -> (exit code, parsed JSON stdout or None, process)."""

    def __call__(
        self, script: str, *args: str, env: dict[str, str] | None = None
    ) -> tuple[int, Any, subprocess.CompletedProcess[str]]: ...


@pytest.fixture
def run_py(tg_dir: Path) -> RunPy:
    """run_py("inbox.py", "--deliver", env={...}) -> (exit code, parsed JSON stdout or None, process)."""

    def run(
        script: str, *args: str, env: dict[str, str] | None = None
    ) -> tuple[int, Any, subprocess.CompletedProcess[str]]:
        r = subprocess.run(
            [sys.executable, str(tg_dir / script), *args],
            cwd=tg_dir,
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


def write_channels(root: Path, channels: object) -> None:
    (root / ".channels.json").write_text(json.dumps({"channels": channels}))


def agent_env(folder: Path) -> dict[str, str]:
    """The settings that make invoker.py run tests/fake_agent.py (events in `folder`)."""
    script = REPO / "tests" / "fake_agent.py"
    return {
        "PURUTO_AGENT": "command",
        "FAKE_AGENT_DIR": str(folder),
        "PURUTO_AGENT_COMMAND": f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} {{prompt}}",
    }


@pytest.fixture
def agent_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "agent"
    folder.mkdir()
    return folder


def events(folder: Path) -> list[str]:
    """The fake agent's events so far: ["start a1 puruto-notes", "end a1", ...]."""
    log = folder / "events.log"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie, killed but not yet reaped, counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


class StartBot(Protocol):
    """The `bot` fixture: bot(allowed, env) -> (the fake Bot API, the bot.py process)."""

    def __call__(
        self, allowed: str = ..., env: dict[str, str] | None = None, api: FakeBotApi | None = None
    ) -> tuple[FakeBotApi, subprocess.Popen[str]]: ...


@pytest.fixture
def bot(tg_dir: Path) -> Iterator[StartBot]:
    """bot(allowed, env) starts bot.py against a fresh fake Bot API (or `api`, one a bot used
    before: a restart); returns (api, process). Every bot and server it started is stopped at
    the end of the test."""
    from fake_bot_api import FakeBotApi

    started: list[tuple[FakeBotApi, subprocess.Popen[str]]] = []

    def start(
        allowed: str = str(OWNER), env: dict[str, str] | None = None, api: FakeBotApi | None = None
    ) -> tuple[FakeBotApi, subprocess.Popen[str]]:
        polled = api.methods().count("getUpdates") if api is not None else 0
        api = api or FakeBotApi().__enter__()
        settings = {
            "PURUTO_TELEGRAM_BOT_TOKEN": api.token,
            "PURUTO_TELEGRAM_API_BASE": api.base,
            "PURUTO_TELEGRAM_ALLOWED_USERS": allowed,
            **(env or {}),
        }
        proc = subprocess.Popen(
            [sys.executable, str(tg_dir / "bot.py")],
            cwd=tg_dir,
            env=clean_env(settings),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append((api, proc))
        deadline = time.time() + 30
        assert proc.stdout is not None  # stdout=PIPE
        while api.methods().count("getUpdates") <= polled:
            assert proc.poll() is None, proc.stdout.read()
            assert time.time() < deadline, "the bot never polled"
            time.sleep(0.05)
        return api, proc

    yield start
    for _api, proc in started:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout:
            out = proc.stdout.read() if not proc.stdout.closed else ""
            proc.stdout.close()
            print(f"--- bot.py output (exit {proc.returncode}) ---\n{out}")  # shown by pytest when the test failed
    for api in {id(a): a for a, _ in started}.values():
        api.__exit__(None, None, None)
