"""bot.py end to end against the fake Bot API: messages in through getUpdates, replies out
through sendMessage, routed with the invoker's `stub` agent. Skipped when
python-telegram-bot or python-dotenv is not installed (pip install -r requirements.txt)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

pytest.importorskip("telegram")
pytest.importorskip("dotenv")

from conftest import clean_env, write_channels  # noqa: E402
from fake_bot_api import FakeBotApi  # noqa: E402

OWNER, STRANGER = 111, 999


@pytest.fixture
def bot(tg_dir):
    """bot(allowed) starts bot.py against a fresh fake server; yields (api, process)."""
    started = []

    def start(allowed: str = str(OWNER)):
        api = FakeBotApi().__enter__()
        env = clean_env({"PURUTO_TELEGRAM_BOT_TOKEN": api.token, "PURUTO_TELEGRAM_API_BASE": api.base,
                         "PURUTO_TELEGRAM_ALLOWED_USERS": allowed})
        proc = subprocess.Popen([sys.executable, str(tg_dir / "bot.py")], cwd=tg_dir, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        started.append((api, proc))
        deadline = time.time() + 30
        while "getUpdates" not in api.methods():
            assert proc.poll() is None, proc.stdout.read()
            assert time.time() < deadline, "the bot never polled"
            time.sleep(0.05)
        return api, proc

    yield start
    for api, proc in started:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        api.__exit__(None, None, None)


def logs(proc) -> str:
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=20)
    return out


def test_routes_the_owner_text_to_the_active_channel(bot, tg_dir):
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
    assert len(sent) == 2 and sent[1]["text"] == "puruto-notes would run /chat"
    assert str(sent[1]["chat_id"]) == str(OWNER)
    api.push_message(OWNER, "/status")
    assert "Active channel: puruto-notes" in api.wait_sent(3)[2]["text"]


def test_an_unlisted_user_gets_nothing(bot, tg_dir):
    write_channels(tg_dir, ["puruto-notes"])
    api, proc = bot()
    api.push_message(STRANGER, "/puruto_notes")
    api.push_message(STRANGER, "hello")
    api.push_message(OWNER, "/help")
    sent = api.wait_sent(1)
    time.sleep(0.5)
    assert [str(m["chat_id"]) for m in api.sent] == [str(OWNER)]
    assert "plain text goes to it" in sent[0]["text"]
    active = subprocess.run([sys.executable, "db.py", "active", str(STRANGER)], cwd=tg_dir, capture_output=True,
                            text=True, env=clean_env())
    assert json.loads(active.stdout)["channel"] is None
    out = logs(proc)
    assert "ignored a message from user id 999" in out


def test_empty_allowlist_refuses_everyone_and_says_how_to_configure_it(bot, tg_dir):
    api, proc = bot(allowed="")
    api.push_message(OWNER, "/start")
    time.sleep(1.0)
    assert api.sent == []
    out = logs(proc)
    assert "PURUTO_TELEGRAM_ALLOWED_USERS is empty" in out and "refuses everyone" in out


def test_new_channels_are_picked_up_without_a_restart(bot, tg_dir):
    api, proc = bot()
    api.push_message(OWNER, "/list")
    assert "No channels yet" in api.wait_sent(1)[0]["text"]
    (tg_dir.parent / "puruto-todo").mkdir()
    write_channels(tg_dir, ["puruto-notes", "puruto-todo"])
    api.push_message(OWNER, "/puruto_todo")
    assert "Active channel: puruto-todo" in api.wait_sent(2)[1]["text"]
    api.push_message(OWNER, "remember this")
    assert api.wait_sent(3)[2]["text"] == "puruto-todo would run /chat"
    (tg_dir / ".channels.json").write_text("{broken")
    api.push_message(OWNER, "/list")
    assert "not valid JSON" in api.wait_sent(4)[3]["text"]
    assert proc.poll() is None


def test_no_token_is_a_clear_error(tg_dir):
    r = subprocess.run([sys.executable, str(tg_dir / "bot.py")], cwd=tg_dir, capture_output=True, text=True,
                       env=clean_env(), timeout=60)
    assert r.returncode == 1 and "PURUTO_TELEGRAM_BOT_TOKEN is empty" in r.stderr
