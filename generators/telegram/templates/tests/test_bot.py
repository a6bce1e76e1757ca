"""bot.py end to end against the fake Bot API: messages in through getUpdates, replies out
through sendMessage, routed with the invoker's `stub` agent (free text = the action
`message`); start-up errors; a broken .channels.json. Skipped when python-telegram-bot or
python-dotenv is not installed (pip install -r requirements.txt)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("telegram")
pytest.importorskip("dotenv")

from conftest import OWNER, STRANGER, RunPy, StartBot, clean_env, write_channels  # noqa: E402
from fake_bot_api import FakeBotApi  # noqa: E402

UNDECODABLE = b'\xff\xfe{"channels": ["puruto-notes"]}'


def logs(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=60)
    return out


def test_routes_the_owner_text_to_the_active_channel(bot: StartBot, tg_dir: Path) -> None:
    write_channels(tg_dir, ["puruto-notes"])
    api, proc = bot()
    assert {"getMe", "deleteWebhook"} <= set(api.methods())
    published = [p for m, p in api.calls if m == "setMyCommands"]
    assert published and "puruto_notes" in json.dumps(published[-1])
    api.push_message(OWNER, "/puruto_notes")
    sent = api.wait_sent(1)
    assert sent and "Active channel: puruto-notes" in sent[0]["text"]
    keyboard = json.loads(sent[0]["reply_markup"])["keyboard"]
    assert keyboard[0][0] in ("/puruto_notes", {"text": "/puruto_notes"})
    api.push_message(OWNER, "buy milk")
    sent = api.wait_sent(2)
    assert len(sent) == 2 and sent[1]["text"] == "puruto-notes would answer the message"
    assert str(sent[1]["chat_id"]) == str(OWNER)
    api.push_message(OWNER, "/status")
    assert "Active channel: puruto-notes" in api.wait_sent(3)[2]["text"]


def test_an_unlisted_user_gets_nothing(bot: StartBot, tg_dir: Path) -> None:
    write_channels(tg_dir, ["puruto-notes"])
    api, proc = bot()
    api.push_message(STRANGER, "/puruto_notes")
    api.push_message(STRANGER, "hello")
    api.push_message(OWNER, "/help")
    sent = api.wait_sent(1)
    time.sleep(0.5)
    assert [str(m["chat_id"]) for m in api.sent] == [str(OWNER)]
    assert "plain text goes to it" in sent[0]["text"]
    active = subprocess.run(
        [sys.executable, "db.py", "active", str(STRANGER)], cwd=tg_dir, capture_output=True, text=True, env=clean_env()
    )
    assert json.loads(active.stdout)["channel"] is None
    out = logs(proc)
    assert "ignored a message from user id 999" in out


def test_empty_allowlist_refuses_everyone_and_says_how_to_configure_it(bot: StartBot, tg_dir: Path) -> None:
    api, proc = bot(allowed="")
    api.push_message(OWNER, "/start")
    time.sleep(1.0)
    assert api.sent == []
    out = logs(proc)
    assert "PURUTO_TELEGRAM_ALLOWED_USERS is empty" in out and "refuses everyone" in out


def test_new_channels_are_picked_up_without_a_restart(bot: StartBot, tg_dir: Path) -> None:
    api, proc = bot()
    api.push_message(OWNER, "/list")
    assert "No channels yet" in api.wait_sent(1)[0]["text"]
    (tg_dir.parent / "puruto-todo").mkdir()
    write_channels(tg_dir, ["puruto-notes", "puruto-todo"])
    api.push_message(OWNER, "/puruto_todo")
    assert "Active channel: puruto-todo" in api.wait_sent(2)[1]["text"]
    api.push_message(OWNER, "remember this")
    assert api.wait_sent(3)[2]["text"] == "puruto-todo would answer the message"
    (tg_dir / ".channels.json").write_text("{broken")
    api.push_message(OWNER, "/list")
    assert "not valid JSON" in api.wait_sent(4)[3]["text"]
    assert proc.poll() is None


def test_no_token_is_a_clear_error(tg_dir: Path) -> None:
    r = subprocess.run(
        [sys.executable, str(tg_dir / "bot.py")],
        cwd=tg_dir,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
    )
    assert r.returncode == 1 and "PURUTO_TELEGRAM_BOT_TOKEN is empty" in r.stderr


def run_bot(tg_dir: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(tg_dir / "bot.py")],
        cwd=tg_dir,
        capture_output=True,
        text=True,
        env=clean_env({"PURUTO_TELEGRAM_ALLOWED_USERS": str(OWNER), **env}),
        timeout=90,
    )


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_a_rejected_token_is_one_line_saying_how_to_fix_it(tg_dir: Path) -> None:
    with FakeBotApi() as api:
        api.reject_token = True
        r = run_bot(tg_dir, {"PURUTO_TELEGRAM_BOT_TOKEN": api.token, "PURUTO_TELEGRAM_API_BASE": api.base})
    assert r.returncode == 1, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "rejected PURUTO_TELEGRAM_BOT_TOKEN" in lines[0] and "@BotFather" in lines[0] and "Unauthorized" in lines[0]
    assert "Traceback" not in r.stdout + r.stderr and api.token not in r.stderr  # the secret is never printed
    assert api.methods() == ["getMe"]  # no retry of a rejected token, no polling


def test_an_unreachable_bot_api_is_retried_with_backoff_then_one_line(tg_dir: Path) -> None:
    base = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    r = run_bot(
        tg_dir,
        {
            "PURUTO_TELEGRAM_BOT_TOKEN": "123:TEST",
            "PURUTO_TELEGRAM_API_BASE": base,
            "PURUTO_TELEGRAM_CONNECT_RETRIES": "2",
        },
    )
    assert r.returncode == 3, r.stderr
    lines = r.stderr.strip().splitlines()
    assert "Traceback" not in r.stdout + r.stderr
    assert len(lines) == 3, r.stderr
    assert "cannot reach the Bot API" in lines[0] and "retrying in 1 s (attempt 1 of 3)" in lines[0]
    assert "retrying in 2 s (attempt 2 of 3)" in lines[1]
    assert lines[2].startswith("puruto-telegram: cannot reach the Bot API") and "gave up after 3 attempt(s)" in lines[2]


def test_a_bad_setting_is_one_line(tg_dir: Path) -> None:
    for name, value in (("PURUTO_TELEGRAM_MAX_PARALLEL", "lots"), ("PURUTO_TELEGRAM_CONNECT_RETRIES", "-1")):
        r = run_bot(tg_dir, {"PURUTO_TELEGRAM_BOT_TOKEN": "123:TEST", name: value})
        assert r.returncode == 1 and r.stderr.strip().splitlines() == [
            f"puruto-telegram: {name}={value!r} must be a whole number from {1 if 'PARALLEL' in name else 0} to "
            f"{256 if 'PARALLEL' in name else 100}: fix it in .env (default {16 if 'PARALLEL' in name else 10})"
        ]


def test_an_env_file_that_is_a_fifo_is_one_line_not_a_wait(tg_dir: Path, run_py: RunPy) -> None:
    """A FIFO at .env is reported, never waited on: by the bot, db.py and inbox.py."""
    (tg_dir / "inbox").mkdir(exist_ok=True)
    (tg_dir / "inbox" / "cron-events.jsonl").write_text('{"job_id": "a"}\n', encoding="utf-8")
    os.mkfifo(tg_dir / ".env")
    why = f"{tg_dir / '.env'} is a FIFO (named pipe), not a regular file: it is not read"
    r = run_bot(tg_dir, {"PURUTO_TELEGRAM_BOT_TOKEN": "123:TEST"})
    assert r.returncode == 1 and r.stderr.strip().splitlines() == [
        f"puruto-telegram: {why}: replace it with a regular file of KEY=value lines"
    ]
    for args in (("db.py", "active", "5"), ("inbox.py",)):
        code, out, proc = run_py(*args)
        assert code == 1 and out["error"]["code"] == "INVALID_SETTINGS", proc.stdout + proc.stderr
        assert why in out["error"]["message"]


def test_an_undecodable_channels_file_is_a_warning_and_the_message_still_goes_through(
    bot: StartBot, tg_dir: Path
) -> None:
    write_channels(tg_dir, ["puruto-notes"])
    api, proc = bot()
    api.push_message(OWNER, "/puruto_notes")
    api.wait_sent(1)
    (tg_dir / ".channels.json").write_bytes(UNDECODABLE)
    api.push_message(OWNER, "buy milk")
    answer = api.wait_sent(2)[1]["text"]
    assert answer.startswith("puruto-notes would answer the message")
    assert "⚠️ .channels.json is not UTF-8 text" in answer
    api.push_message(OWNER, "/status")
    assert "is not UTF-8 text" in api.wait_sent(3)[2]["text"]
    assert proc.poll() is None
    assert "Traceback" not in logs(proc)


def test_an_undecodable_channels_file_at_start_keeps_the_stored_channel(bot: StartBot, tg_dir: Path) -> None:
    import db

    db.ActiveChannels(db.db_path(tg_dir)).set(OWNER, "puruto-notes")
    (tg_dir / ".channels.json").write_bytes(UNDECODABLE)
    api, proc = bot()
    api.push_message(OWNER, "hello")
    answer = api.wait_sent(1)[0]["text"]
    assert answer.startswith("puruto-notes would answer the message") and "is not UTF-8 text" in answer
    out = logs(proc)
    assert ".channels.json is not UTF-8 text" in out and "Traceback" not in out


def test_a_running_bot_keeps_its_heartbeat_file_for_puruto_doctor(bot: StartBot, tg_dir: Path) -> None:
    api, proc = bot()
    beat = tg_dir / "db" / "heartbeat.json"
    deadline = time.time() + 30
    while not beat.exists() and time.time() < deadline:
        time.sleep(0.05)
    data = json.loads(beat.read_text(encoding="utf-8"))
    assert data["pid"] == proc.pid
    assert data["every"] > 0 and time.time() - data["at"] < data["every"] * 3
