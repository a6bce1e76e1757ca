"""Nothing accepted is lost when the bot dies: the real bot.py, killed with SIGKILL (or stopped
with SIGTERM) while an agent call runs and texts wait behind it, then started again against the
same fake Bot API. Every accepted text is answered once, the agent the dead bot left running is
stopped before its text is asked again, and the user is told. No timing is asserted: the agent
waits until the test releases it. Skipped without python-telegram-bot."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("telegram")
pytest.importorskip("dotenv")

from conftest import OTHER, OWNER, StartBot, agent_env, alive, events, write_channels  # noqa: E402
from fake_bot_api import FakeBotApi  # noqa: E402
from test_bot_concurrency import hold, release, started, wait_text  # noqa: E402

USERS = f"{OWNER},{OTHER}"


def start(
    bot: StartBot, tg_dir: Path, agent_dir: Path, api: FakeBotApi | None = None
) -> tuple[FakeBotApi, subprocess.Popen[str]]:
    write_channels(tg_dir, ["puruto-notes"])
    api, proc = bot(allowed=USERS, env=agent_env(agent_dir), api=api)
    api.watch = lambda: list(events(agent_dir))
    return api, proc


def answers(api: FakeBotApi, user: int) -> list[str]:
    """The answers Telegram took (api.sent: a refused sendMessage is not there)."""
    return [
        p["text"] for p in api.wait_sent(0) if str(p.get("chat_id")) == str(user) and p["text"].startswith("answer to")
    ]


def kill(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def test_a_killed_bot_answers_the_running_and_the_queued_texts_after_a_restart(
    bot: StartBot, tg_dir: Path, agent_dir: Path
) -> None:
    api, proc = start(bot, tg_dir, agent_dir)
    hold(agent_dir, "a1")
    (agent_dir / "spawn-a1").touch()  # the agent starts a child of its own
    for user in (OWNER, OTHER):
        api.push_message(user, "/puruto_notes")
    api.wait_sent(2)
    api.push_message(OWNER, "a1")
    assert started(agent_dir, "a1")
    orphan, child = int((agent_dir / "pid-a1").read_text()), int((agent_dir / "child-a1").read_text())
    api.push_message(OWNER, "a2")
    api.push_message(OWNER, "a3")
    wait_text(api, OWNER, "⏳ Queued", count=2)
    kill(proc)

    start(bot, tg_dir, agent_dir, api)
    ((note, _),) = wait_text(api, OWNER, "🔄 The bot restarted before answering 3 message(s)")
    assert "“a1”, “a2”, “a3”" in note["text"]
    assert not alive(orphan) and not alive(child)  # stopped before a1 is asked again
    assert started(agent_dir, "a1")
    release(agent_dir, "a1")
    wait_text(api, OWNER, "answer to a3")
    api.push_message(OTHER, "b1")  # the restarted bot serves new texts too
    wait_text(api, OTHER, "answer to b1")
    assert answers(api, OWNER) == ["answer to a1", "answer to a2", "answer to a3"]
    ran = [e.split()[:2] for e in events(agent_dir)]
    assert ran.count(["start", "a1"]) == 2 and ran.count(["end", "a1"]) == 1  # the orphan never finished
    assert [r for r in ran if r[1] != "a1"] == [
        ["start", "a2"],
        ["end", "a2"],
        ["start", "a3"],
        ["end", "a3"],
        ["start", "b1"],
        ["end", "b1"],
    ]


def test_an_answer_telegram_did_not_take_is_sent_after_a_restart_without_asking_again(
    bot: StartBot, tg_dir: Path, agent_dir: Path
) -> None:
    api, proc = start(bot, tg_dir, agent_dir)
    api.push_message(OWNER, "/puruto_notes")
    api.wait_sent(1)
    api.fail_send = True  # the answer cannot be sent: it stays in the database
    api.push_message(OWNER, "a1")
    assert started(agent_dir, "a1")
    api.wait_for(lambda a: any("end a1" in (s or []) for m, _, s in a.log() if m == "sendMessage"))
    kill(proc)
    api.fail_send = False
    start(bot, tg_dir, agent_dir, api)
    assert api.wait_for(lambda a: answers(a, OWNER))
    assert wait_text(api, OWNER, "🔄 The bot restarted before answering 1 message(s)")
    assert [e.split()[:2] for e in events(agent_dir)] == [["start", "a1"], ["end", "a1"]]  # not asked twice
    assert answers(api, OWNER) == ["answer to a1"]


def test_a_stopped_bot_keeps_the_running_and_queued_texts_for_its_next_start(
    bot: StartBot, tg_dir: Path, agent_dir: Path
) -> None:
    api, proc = start(bot, tg_dir, agent_dir)
    api.push_message(OWNER, "/puruto_notes")
    api.wait_sent(1)
    hold(agent_dir, "a1")
    api.push_message(OWNER, "a1")
    assert started(agent_dir, "a1")
    api.push_message(OWNER, "a2")
    wait_text(api, OWNER, "⏳ Queued")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0
    ((note, _),) = wait_text(api, OWNER, "⏸ The bot is stopping: your message to puruto-notes")
    assert "(and your 1 queued message(s))" in note["text"]
    release(agent_dir, "a1")
    start(bot, tg_dir, agent_dir, api)
    wait_text(api, OWNER, "answer to a2")
    assert answers(api, OWNER) == ["answer to a1", "answer to a2"]
