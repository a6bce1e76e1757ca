"""bot.py at agent speed, against the fake Bot API with a sleeping agent (tests/fake_agent.py
through invoker.py's `command` adapter). No timing is asserted: the agent waits until the
test releases it (deletes hold-<label>), and the tests look at the order of events — the
fake API's call log, each call with a snapshot of the agent's events.log taken when it
arrived. Skipped without python-telegram-bot."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

pytest.importorskip("telegram")
pytest.importorskip("dotenv")

if TYPE_CHECKING:
    from fake_bot_api import FakeBotApi

from conftest import OTHER, OWNER, StartBot, agent_env, alive, events, write_channels  # noqa: E402


@pytest.fixture
def slow_bot(bot: StartBot, tg_dir: Path, agent_dir: Path) -> Callable[[], tuple[FakeBotApi, subprocess.Popen[str]]]:
    """The bot for OWNER and OTHER, both on the channel puruto-notes, with the fake agent."""

    def start() -> tuple[FakeBotApi, subprocess.Popen[str]]:
        (tg_dir.parent / "puruto-todo").mkdir(exist_ok=True)
        write_channels(tg_dir, ["puruto-notes", "puruto-todo"])
        api, proc = bot(allowed=f"{OWNER},{OTHER}", env=agent_env(agent_dir))
        api.watch = lambda: list(events(agent_dir))
        for user in (OWNER, OTHER):
            api.push_message(user, "/puruto_notes")
        api.wait_sent(2)
        return api, proc

    return start


def hold(agent_dir: Path, *labels: str) -> None:
    for label in labels:
        (agent_dir / f"hold-{label}").touch()


def release(agent_dir: Path, *labels: str) -> None:
    for label in labels:
        (agent_dir / f"hold-{label}").unlink(missing_ok=True)


def started(agent_dir: Path, *labels: str) -> bool:
    """Waits (bounded) until the agent has started for each label; True if it did."""
    names = {f"start {label}" for label in labels}
    deadline = time.time() + 30
    while time.time() < deadline:
        if names <= {" ".join(e.split()[:2]) for e in events(agent_dir)}:
            return True
        time.sleep(0.05)
    return False


def messages_to(api: FakeBotApi, user: int) -> list[tuple[dict[str, Any], Any]]:
    return [(p, seen) for m, p, seen in api.log() if m == "sendMessage" and str(p.get("chat_id")) == str(user)]


def wait_text(api: FakeBotApi, user: int, needle: str, count: int = 1) -> list[tuple[dict[str, Any], Any]]:
    """Waits (bounded) until `count` messages to `user` contain `needle`; returns them with their snapshot."""

    def found(a: FakeBotApi) -> list[tuple[dict[str, Any], Any]] | None:
        hits = [(p, s) for p, s in messages_to(a, user) if needle in p["text"]]
        return hits if len(hits) >= count else None

    return api.wait_for(found) or []


def test_two_users_are_served_side_by_side(
    slow_bot: Callable[[], tuple[FakeBotApi, subprocess.Popen[str]]], agent_dir: Path
) -> None:
    api, _ = slow_bot()
    hold(agent_dir, "a", "b")
    api.push_message(OWNER, "a")
    assert started(agent_dir, "a")
    api.push_message(OTHER, "b")
    assert started(agent_dir, "b"), f"B's call never started while A's ran: {events(agent_dir)}"
    api.push_message(OTHER, "/status")
    ((status, seen),) = wait_text(api, OTHER, "Running: your message to puruto-notes")
    assert "end a" not in seen and "end b" not in seen  # answered while both agents were still running
    assert status["text"].startswith("Active channel: puruto-notes")
    release(agent_dir, "b")
    ((answer_b, seen),) = wait_text(api, OTHER, "answer to b")
    assert "end a" not in seen  # B is answered while A's call still runs
    release(agent_dir, "a")
    assert wait_text(api, OWNER, "answer to a")
    assert [e.split()[:2] for e in events(agent_dir)] == [["start", "a"], ["start", "b"], ["end", "b"], ["end", "a"]]


def test_one_users_messages_keep_their_order_and_wait_with_a_note(
    slow_bot: Callable[[], tuple[FakeBotApi, subprocess.Popen[str]]], agent_dir: Path
) -> None:
    api, _ = slow_bot()
    hold(agent_dir, "a1")
    api.push_message(OWNER, "a1")
    assert started(agent_dir, "a1")
    api.push_message(OWNER, "a2")
    api.push_message(OWNER, "a3")
    notes = wait_text(api, OWNER, "⏳ Queued", count=2)
    assert ["(1 ahead)" in notes[0][0]["text"], "(2 ahead)" in notes[1][0]["text"]] == [True, True]
    assert all("start a2" not in " ".join(seen) for _, seen in notes)  # queued, not started
    release(agent_dir, "a1")
    wait_text(api, OWNER, "answer to a3")
    answers = [p["text"] for p, _ in messages_to(api, OWNER) if p["text"].startswith("answer to")]
    assert answers == ["answer to a1", "answer to a2", "answer to a3"]
    assert [e.split()[:2] for e in events(agent_dir)] == [
        ["start", "a1"],
        ["end", "a1"],
        ["start", "a2"],
        ["end", "a2"],
        ["start", "a3"],
        ["end", "a3"],
    ]


def test_commands_and_channel_switches_answer_while_the_users_call_runs(
    slow_bot: Callable[[], tuple[FakeBotApi, subprocess.Popen[str]]], agent_dir: Path
) -> None:
    api, _ = slow_bot()
    hold(agent_dir, "a")
    api.push_message(OWNER, "a")
    assert started(agent_dir, "a")
    for command in ("/status", "/list", "/help", "/puruto_todo"):
        api.push_message(OWNER, command)
    for needle in (
        "Running: your message to puruto-notes",
        "/puruto_todo — puruto-todo",
        "/cancel",
        "Active channel: puruto-todo. Write",
    ):
        ((reply, seen),) = wait_text(api, OWNER, needle)[:1] or [({}, None)]
        assert reply and "end a" not in seen, f"{needle!r} was not answered during the call"
    api.push_message(OWNER, "t")  # queued behind "a", for the channel active now
    ((note, _),) = wait_text(api, OWNER, "⏳ Queued: this goes to puruto-todo")
    release(agent_dir, "a")
    wait_text(api, OWNER, "answer to t")
    assert [e for e in events(agent_dir) if e.startswith("start")] == ["start a puruto-notes", "start t puruto-todo"]


def test_typing_is_shown_again_and_again_until_the_answer(
    slow_bot: Callable[[], tuple[FakeBotApi, subprocess.Popen[str]]], agent_dir: Path
) -> None:
    api, _ = slow_bot()
    hold(agent_dir, "a")
    api.push_message(OWNER, "a")
    typing = api.wait_for(lambda a: len([p for m, p, _ in a.log() if m == "sendChatAction"]) >= 2 or None)
    assert typing, "typing… was not repeated while the agent ran"
    release(agent_dir, "a")
    wait_text(api, OWNER, "answer to a")
    log = api.log()
    actions = [i for i, (m, p, _) in enumerate(log) if m == "sendChatAction"]
    answer = next(i for i, (m, p, _) in enumerate(log) if m == "sendMessage" and p["text"] == "answer to a")
    assert len(actions) >= 2 and actions[-1] < answer  # none after the answer
    assert all(log[i][1]["action"] == "typing" and str(log[i][1]["chat_id"]) == str(OWNER) for i in actions)
    assert all("end a" not in log[i][2] for i in actions[:2])  # both while the agent was still running


def test_a_long_answer_comes_in_parts_of_at_most_4096_characters_split_at_lines(
    slow_bot: Callable[[], tuple[FakeBotApi, subprocess.Popen[str]]], agent_dir: Path
) -> None:
    lines = [[f"p{i} line {j}" + " lorem ipsum" * 7 for j in range(5)] for i in range(30)]
    answer = "\n\n".join("\n".join(p) for p in lines)
    assert len(answer) > 3 * 4096
    (agent_dir / "answer-long").write_text(answer)
    api, _ = slow_bot()
    api.push_message(OWNER, "long")
    wait_text(api, OWNER, lines[-1][-1])
    parts = [p for p, _ in messages_to(api, OWNER) if p["text"].startswith("p")]
    assert len(parts) >= 3 and all(len(p["text"]) <= 4096 for p in parts)
    assert [line for p in parts for line in p["text"].split("\n") if line] == [line for p in lines for line in p]
    assert [("reply_markup" in p) for p in parts] == [False] * (len(parts) - 1) + [True]  # keyboard on the last


def test_markdown_is_rendered_and_sent_as_plain_text_when_telegram_refuses_it(
    slow_bot: Callable[[], tuple[FakeBotApi, subprocess.Popen[str]]], agent_dir: Path
) -> None:
    md = "**Done**: `x<y` & [docs](https://example.com)"
    for label in ("md", "md2"):
        (agent_dir / f"answer-{label}").write_text(md)
    api, _ = slow_bot()
    api.push_message(OWNER, "md")
    ((html, _),) = wait_text(api, OWNER, "<b>Done</b>")
    assert html["parse_mode"] == "HTML"
    assert html["text"] == '<b>Done</b>: <code>x&lt;y</code> &amp; <a href="https://example.com">docs</a>'
    api.refuse_parse_mode = True
    api.push_message(OWNER, "md2")
    ((plain, _),) = wait_text(api, OWNER, "**Done**")
    assert plain["text"] == md and "parse_mode" not in plain
    refused = [p for m, p, _ in api.log() if m == "sendMessage" and p.get("parse_mode")]
    assert len(refused) == 2  # the first answer, and the refused try of the second


def test_cancel_kills_the_running_agent_and_its_children_and_drops_the_queue(
    slow_bot: Callable[[], tuple[FakeBotApi, subprocess.Popen[str]]], agent_dir: Path
) -> None:
    hold(agent_dir, "a")
    (agent_dir / "spawn-a").touch()
    api, proc = slow_bot()
    api.push_message(OWNER, "a")
    assert started(agent_dir, "a")
    pid, child = int((agent_dir / "pid-a").read_text()), int((agent_dir / "child-a").read_text())
    assert alive(pid) and alive(child)
    api.push_message(OWNER, "a2")
    wait_text(api, OWNER, "⏳ Queued")
    api.push_message(OWNER, "/cancel")
    ((ack, seen),) = wait_text(api, OWNER, "⏹ Stopping your call to puruto-notes and dropping your 1 queued message(s)")
    assert "end a" not in seen
    assert wait_text(api, OWNER, "⏹ The call to puruto-notes was cancelled")
    assert not alive(pid) and not alive(child)
    assert (agent_dir / "hold-a").exists()  # it did not finish on its own
    assert [e.split()[:2] for e in events(agent_dir)] == [["start", "a"]]  # no "end a", a2 never ran
    api.push_message(OWNER, "/cancel")
    assert wait_text(api, OWNER, "Nothing to cancel")
    assert proc.poll() is None


def test_many_users_at_once_are_all_answered_by_parallel_calls(bot: StartBot, tg_dir: Path, agent_dir: Path) -> None:
    users = list(range(301, 311))
    write_channels(tg_dir, ["puruto-notes"])
    import db

    for user in users:
        db.ActiveChannels(db.db_path(tg_dir)).set(user, "puruto-notes")
    hold(agent_dir, *[f"u{u}" for u in users])
    api, _ = bot(allowed=",".join(map(str, users)), env=agent_env(agent_dir))
    for user in users:
        api.push_message(user, f"u{user}")
    assert started(agent_dir, *[f"u{u}" for u in users]), f"not all 10 calls ran at once: {events(agent_dir)}"
    release(agent_dir, *[f"u{u}" for u in users])
    for user in users:
        assert wait_text(api, user, f"answer to u{user}"), user
    assert json.dumps(sorted(e.split()[1] for e in events(agent_dir) if e.startswith("end"))) == json.dumps(
        sorted(f"u{u}" for u in users)
    )
