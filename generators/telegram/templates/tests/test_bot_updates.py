"""Updates bot.py must not choke on: one python-telegram-bot cannot read (a string `date`),
messages in a group chat, edited messages. Against the fake Bot API with the `stub` agent.
Skipped without python-telegram-bot."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("telegram")
pytest.importorskip("dotenv")

from conftest import OWNER, StartBot, write_channels  # noqa: E402


def stop(proc: subprocess.Popen[str]) -> tuple[int, str]:
    """SIGTERM; (exit code, what the bot printed)."""
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=60)
    return proc.returncode, out


def test_an_update_the_bot_cannot_read_is_skipped_once_and_the_next_one_answered(bot: StartBot, tg_dir: Path) -> None:
    write_channels(tg_dir, ["puruto-notes"])
    api, proc = bot()
    bad = api.push_update(
        {
            "message": {
                "date": "yesterday",  # Telegram sends a number: python-telegram-bot cannot read this update
                "text": "hello",
                "chat": {"id": OWNER, "type": "private", "first_name": "U"},
                "from": {"id": OWNER, "is_bot": False, "first_name": "U"},
            }
        }
    )
    api.push_message(OWNER, "/status")
    sent = api.wait_sent(1)
    assert sent and "No active channel" in sent[0]["text"]
    api.push_message(OWNER, "/puruto_notes")
    assert "Active channel: puruto-notes" in api.wait_sent(2)[1]["text"]
    assert sum(bad in batch for batch in api.served) == 1  # fetched once, then confirmed
    code, out = stop(proc)
    assert code == 0, out
    skipped = [line for line in out.splitlines() if f"update {bad}" in line]
    assert len(skipped) == 1 and "skipped" in skipped[0], out
    assert "Traceback" not in out
