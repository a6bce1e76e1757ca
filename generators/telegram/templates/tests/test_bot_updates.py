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

from conftest import OWNER, STRANGER, StartBot, write_channels  # noqa: E402
from fake_bot_api import FakeBotApi  # noqa: E402


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


GROUP = -1001234


def to_chat(api: FakeBotApi, chat: int) -> list[str]:
    return [p["text"] for p in api.wait_sent(0) if str(p.get("chat_id")) == str(chat)]


def test_a_group_chat_is_answered_only_when_its_id_is_allowed(bot: StartBot, tg_dir: Path) -> None:
    write_channels(tg_dir, ["puruto-notes"])
    api, proc = bot()
    api.push_message(OWNER, "/help", chat_id=GROUP)  # an allowed user, in a group nobody allowed
    api.push_message(OWNER, "/help")  # then in their private chat
    assert api.wait_for(lambda a: to_chat(a, OWNER))
    assert to_chat(api, GROUP) == []
    code, out = stop(proc)
    assert code == 0 and f"group chat {GROUP}" in out and "PURUTO_TELEGRAM_ALLOWED_GROUPS" in out

    api, _ = bot(env={"PURUTO_TELEGRAM_ALLOWED_GROUPS": str(GROUP)})
    api.push_message(STRANGER, "/help", chat_id=GROUP)  # the group is allowed, this user is not
    api.push_message(OWNER, "/help", chat_id=GROUP)
    assert api.wait_for(lambda a: to_chat(a, GROUP))
    assert len(to_chat(api, GROUP)) == 1 and "plain text goes to it" in to_chat(api, GROUP)[0]


def test_an_edited_message_gets_one_note_and_is_not_sent_to_the_agent(bot: StartBot, tg_dir: Path) -> None:
    write_channels(tg_dir, ["puruto-notes"])
    api, _ = bot()
    api.push_message(OWNER, "/puruto_notes")
    api.wait_sent(1)
    api.push_message(OWNER, "buy oat milk", edited=True)
    api.push_message(OWNER, "buy milk")
    answers = api.wait_for(lambda a: [t for t in to_chat(a, OWNER) if "would answer" in t])
    assert answers == ["puruto-notes would answer the message"]  # only the new message went to the agent
    texts = to_chat(api, OWNER)
    assert len(texts) == 3 and texts[1].startswith("✏️") and "send it again as a new message" in texts[1]
