"""db.py (the channel catalogue and active channels) and router.py (through invoker.py)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import RunPy, write_channels

import db
import router


def test_catalogue_is_validated(tg_dir: Path) -> None:
    assert db.load_channels(tg_dir) == []
    write_channels(tg_dir, ["puruto-notes", "work_log"])
    assert db.load_channels(tg_dir) == ["puruto-notes", "work_log"]
    for bad, words in [
        ("{oops", "not valid JSON"),
        ('{"channels": "x"}', "expected an object"),
        ('{"channels": ["../x"]}', "not a valid name"),
        ('{"channels": ["status"]}', "built-in"),
        ('{"channels": ["cancel"]}', "built-in"),
        ('{"channels": ["a-b", "a_b"]}', "both map to"),
    ]:
        (tg_dir / ".channels.json").write_text(bad)
        with pytest.raises(db.ChannelsError, match=words):
            db.load_channels(tg_dir)
    (tg_dir / ".channels.json").unlink()
    with pytest.raises(db.ChannelsError, match="missing"):
        db.load_channels(tg_dir)


def test_catalog_picks_up_changes_and_keeps_the_last_good_list(tg_dir: Path) -> None:
    cat = db.ChannelCatalog(tg_dir)
    cat.refresh()
    assert cat.channels == [] and cat.error is None
    write_channels(tg_dir, ["puruto-notes"])
    os.utime(tg_dir / ".channels.json", ns=(time.time_ns(), time.time_ns() + 10**9))
    assert cat.refresh() is True and cat.by_command("puruto_notes") == "puruto-notes"
    (tg_dir / ".channels.json").write_text("{broken")
    cat.refresh()
    assert cat.channels == ["puruto-notes"] and cat.error is not None and "not valid JSON" in cat.error


def test_active_channel_per_user(tg_dir: Path) -> None:
    store = db.ActiveChannels(tg_dir / "db" / "telegram.db")
    assert store.get(1) is None
    store.set(1, "puruto-notes")
    store.set(2, "work")
    store.set(1, "work")
    assert (store.get(1), store.get(2)) == ("work", "work")


def test_add_channel_cli(run_py: RunPy, tg_dir: Path) -> None:
    code, out, _ = run_py("db.py", "add-channel", "puruto-notes")
    assert code == 0 and out["added"] is True and out["command"] == "/puruto_notes"
    assert json.loads((tg_dir / ".channels.json").read_text()) == {"channels": ["puruto-notes"]}
    assert run_py("db.py", "add-channel", "puruto-notes")[1]["added"] is False
    code, out, _ = run_py("db.py", "add-channel", "puruto-missing")
    assert code == 1 and "does not exist" in out["error"]["message"]
    (tg_dir / ".channels.json").write_text("[]")
    code, out, _ = run_py("db.py", "channels")
    assert code == 1 and out["error"]["code"] == "INVALID_CHANNELS"


def test_router_sends_to_the_active_channel_through_the_invoker(tg_dir: Path) -> None:
    write_channels(tg_dir, ["puruto-notes"])
    text = router.route("buy milk", "puruto-notes", tg_dir, ["puruto-notes"])
    assert text == "puruto-notes would answer the message"
    assert "No active channel" in router.route("hi", None, tg_dir)
    assert "no longer in .channels.json" in router.route("hi", "gone", tg_dir, ["puruto-notes"])
    missing = router.route("hi", "puruto-ghost", tg_dir)
    assert missing.startswith("⚠️ puruto-ghost could not answer:")
    db.ActiveChannels(db.db_path(tg_dir)).set(5, "puruto-notes")
    assert router.route_for_user("hello", 5, tg_dir) == "puruto-notes would answer the message"


def test_free_text_goes_as_the_message_action_with_the_cancel_event(
    tg_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    import invoker

    seen = []

    def fake_invoke(request: dict[str, Any], root: Path, cancel: threading.Event | None = None) -> dict[str, Any]:
        seen.append((request, cancel))
        return {"status": "ok", "result": {"summary": "done"}}

    monkeypatch.setattr(invoker, "invoke", fake_invoke)
    cancel = threading.Event()
    assert router.route("buy milk", "puruto-notes", tg_dir, ["puruto-notes"], cancel) == "done"
    request, passed = seen[0]
    assert (request["action"], request["prompt"], request["target"]) == ("message", "buy milk", "puruto-notes")
    assert request["action"] == invoker.MESSAGE_ACTION and passed is cancel


def test_result_text_of_a_real_agent_answer_an_error_and_a_cancelled_call() -> None:
    assert router.result_text({"status": "ok", "result": {"summary": "42"}}, "c") == "42"
    err = router.result_text({"status": "error", "error": {"code": "IPC_TIMEOUT", "message": "took too long"}}, "c")
    assert err == "⚠️ c could not answer: took too long (IPC_TIMEOUT)"
    cancelled = {"status": "error", "error": {"code": "IPC_ERROR", "message": "x", "details": {"reason": "cancelled"}}}
    assert router.result_text(cancelled, "c") == "⏹ The call to c was cancelled; its agent was stopped."
    long = "x" * 5000  # nothing is cut here: bot.py splits long answers into several messages
    assert router.result_text({"status": "ok", "result": {"summary": long}}, "c") == long
