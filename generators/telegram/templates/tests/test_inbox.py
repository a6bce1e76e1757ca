"""inbox.py: offsets, --limit, --deliver (to a fake Bot API), the exact outputs of SPEC §8."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import RunPy
from fake_bot_api import FakeBotApi

KEYS = [
    "status",
    "processed",
    "deliver",
    "delivered",
    "skipped_delivery",
    "offset",
    "inbox_file",
    "forwarded_log",
    "preview",
]


def add_events(root: Path, *job_ids: str) -> None:
    inbox = root / "inbox"
    inbox.mkdir(exist_ok=True)
    with (inbox / "cron-events.jsonl").open("a") as fh:
        for j in job_ids:
            fh.write(
                json.dumps(
                    {
                        "ts": "2025-01-31T09:00:00Z",
                        "job_id": j,
                        "run_id": f"{j}-20250131T090000",
                        "attempt": 1,
                        "result": {"status": "ok", "request": {}, "response": {"result": {"summary": f"{j} done"}}},
                    }
                )
                + "\n"
            )


def test_no_inbox(run_py: RunPy) -> None:
    code, out, _ = run_py("inbox.py")
    assert code == 0
    assert list(out) == ["status", "pending", "processed", "message"]
    assert out["status"] == "ok" and out["pending"] == 0 and out["processed"] == 0


def test_processes_new_lines_once_and_keeps_the_offset(run_py: RunPy, tg_dir: Path) -> None:
    add_events(tg_dir, "a", "b", "c")
    code, out, r = run_py("inbox.py")
    assert code == 0, r.stderr
    assert list(out) == KEYS
    size = (tg_dir / "inbox/cron-events.jsonl").stat().st_size
    assert out["processed"] == 3 and out["deliver"] is False and out["delivered"] == 0 and out["offset"] == size
    assert out["inbox_file"] == "inbox/cron-events.jsonl" and out["forwarded_log"] == "db/cron-forwarded.jsonl"
    assert out["preview"][0] == {"job_id": "a", "run_id": "a-20250131T090000", "ts": "2025-01-31T09:00:00Z"}
    assert json.loads((tg_dir / "db/inbox_offsets.json").read_text()) == {"inbox/cron-events.jsonl": size}
    assert len((tg_dir / "db/cron-forwarded.jsonl").read_text().splitlines()) == 3
    assert run_py("inbox.py")[1]["processed"] == 0
    add_events(tg_dir, "d")
    again = run_py("inbox.py")[1]
    assert again["processed"] == 1 and again["preview"][0]["job_id"] == "d"


def test_limit_and_a_partial_line(run_py: RunPy, tg_dir: Path) -> None:
    add_events(tg_dir, "a", "b", "c")
    with (tg_dir / "inbox/cron-events.jsonl").open("a") as fh:
        fh.write('{"job_id": "half')  # puruto-cron is still writing it
    out = run_py("inbox.py", "--limit", "2")[1]
    assert out["processed"] == 2 and [p["job_id"] for p in out["preview"]] == ["a", "b"]
    out = run_py("inbox.py")[1]
    assert out["processed"] == 1 and out["preview"][0]["job_id"] == "c"
    code, _, r = run_py("inbox.py", "--limit", "0")
    assert code == 2


def test_corrupt_offsets_start_again(run_py: RunPy, tg_dir: Path) -> None:
    add_events(tg_dir, "a", "b")
    (tg_dir / "db/inbox_offsets.json").write_text("{not json")
    assert run_py("inbox.py")[1]["processed"] == 2
    (tg_dir / "db/inbox_offsets.json").write_text('{"inbox/cron-events.jsonl": 99999999}')
    assert run_py("inbox.py")[1]["processed"] == 2


def test_deliver_without_token_or_chat_keeps_the_events_and_says_why(run_py: RunPy, tg_dir: Path) -> None:
    add_events(tg_dir, "a", "b")
    with FakeBotApi() as api:
        env = {"PURUTO_TELEGRAM_BOT_TOKEN": api.token, "PURUTO_TELEGRAM_API_BASE": api.base}
        code, out, _ = run_py("inbox.py", "--deliver", env=env)  # no chat id
        assert code == 0 and list(out) == [*KEYS, "message"]
        assert (out["processed"], out["delivered"], out["skipped_delivery"], out["offset"]) == (0, 0, 2, 0)
        assert "PURUTO_TELEGRAM_DEFAULT_CHAT_ID is empty" in out["message"] and "kept" in out["message"]
        assert not (tg_dir / "db/cron-forwarded.jsonl").exists()
        out = run_py("inbox.py", "--deliver", env={"PURUTO_TELEGRAM_DEFAULT_CHAT_ID": "777"})[1]  # no token
        assert out["skipped_delivery"] == 2 and "PURUTO_TELEGRAM_BOT_TOKEN is empty" in out["message"]
        out = run_py("inbox.py", "--deliver", env={**env, "PURUTO_TELEGRAM_DEFAULT_CHAT_ID": "777"})[1]
        assert (out["processed"], out["delivered"], out["skipped_delivery"]) == (2, 2, 0) and "message" not in out
        assert [m["chat_id"] for m in api.sent] == ["777", "777"]  # nothing was lost


def test_deliver_sends_to_the_bot_api_and_resumes_after_a_restart(run_py: RunPy, tg_dir: Path) -> None:
    with FakeBotApi() as api:
        env = {
            "PURUTO_TELEGRAM_BOT_TOKEN": api.token,
            "PURUTO_TELEGRAM_DEFAULT_CHAT_ID": "777",
            "PURUTO_TELEGRAM_API_BASE": api.base,
        }
        add_events(tg_dir, "a", "b")
        out = run_py("inbox.py", "--deliver", env=env)[1]
        assert out["delivered"] == 2 and out["skipped_delivery"] == 0
        assert [m["chat_id"] for m in api.sent] == ["777", "777"]
        assert "cron job a ok" in api.sent[0]["text"] and "a done" in api.sent[0]["text"]
        api.fail_send = True  # the server fails: the event stays pending
        add_events(tg_dir, "c")
        code, out, _ = run_py("inbox.py", "--deliver", env=env)
        assert code == 1 and out["status"] == "error" and out["processed"] == 0
        assert out["error"]["code"] == "DELIVERY_FAILED"
    with FakeBotApi() as api2:  # a new server and a new process: resumes from the offset
        env.update(PURUTO_TELEGRAM_API_BASE=api2.base)
        out = run_py("inbox.py", "--deliver", env=env)[1]
        assert out["processed"] == 1 and out["delivered"] == 1
        assert len(api2.sent) == 1 and "cron job c" in api2.sent[0]["text"]
