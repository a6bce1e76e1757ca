"""The invoker's command line as a user runs it (`python3 -m puruto_runtime`, what invoker.py runs),
invoke() with the stub, and the lazy loading that keeps a stub call light."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import make_target, request

from puruto_runtime import facts
from puruto_runtime.invoke import invoke

PACKAGE = Path(__file__).resolve().parents[1] / "puruto_runtime"


def vendored(tmp_path: Path) -> Path:
    """tmp/puruto-a with the package copied in (as generation does) and a target puruto-b beside it."""
    root = make_target(tmp_path, "puruto-a")
    shutil.copytree(PACKAGE, root / "puruto_runtime", ignore=shutil.ignore_patterns("__pycache__"))
    make_target(tmp_path, "puruto-b")
    return root


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`python3 -m puruto_runtime ARGS` in cwd (the package found there, or beside it in python/)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PURUTO_")}
    clean.update(PYTHONPATH=str(PACKAGE.parent), PYTHONDONTWRITEBYTECODE="1", **env)
    if (cwd / "puruto_runtime").is_dir():
        del clean["PYTHONPATH"]
    return subprocess.run(
        [sys.executable, "-m", "puruto_runtime", *args],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_stub_call_prints_an_invocation_result(tmp_path: Path) -> None:
    root = vendored(tmp_path)
    r = run(["--target", "puruto-b", "--action", "status", "--prompt", "hi"], root, PURUTO_AGENT="stub")
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["status"] == "ok"
    assert result["result"]["echo"] == {"target": "puruto-b", "action": "status", "prompt": "hi"}
    assert result["request_id"].startswith("req-")
    assert result["correlation_id"].startswith("corr-")


def test_an_error_exits_1_and_bad_arguments_exit_2(tmp_path: Path) -> None:
    r = run(["--target", "nowhere", "--action", "status", "--prompt", "hi"], tmp_path, PURUTO_AGENT="stub")
    assert r.returncode == 1
    assert json.loads(r.stdout)["error"]["code"] == "TARGET_NOT_FOUND"
    r = run(["--target", "x", "--action", "status", "--prompt", "hi", "--timeout", "0"], tmp_path)
    assert r.returncode == 2
    assert "must be a positive number of seconds" in r.stderr
    r = run(["--help"], tmp_path)
    assert r.returncode == 0
    assert "PURUTO_AGENT_COMMAND" in r.stdout
    assert r.stdout.startswith("usage: invoker.py")


def test_adapters_prints_the_facts(tmp_path: Path) -> None:
    r = run(["--adapters"], tmp_path)
    assert json.loads(r.stdout) == facts.adapter_facts()


def test_the_committed_adapters_json_is_what_the_modules_say() -> None:
    assert facts.FACTS_FILE.read_text(encoding="utf-8") == facts.facts_json()
    assert facts.main(["--check"]) == 0


def test_invoke_never_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_target(tmp_path, "puruto-a")
    make_target(tmp_path, "puruto-b")
    monkeypatch.setenv("PURUTO_AGENT", "stub")
    ok = invoke(request("message", "spent 50 euros"), root)
    assert ok["status"] == "ok"
    assert ok["result"]["summary"] == "puruto-b would answer the message"
    monkeypatch.setenv("PURUTO_AGENT", "nope")
    bad = invoke(request(), root)
    assert bad["status"] == "error"
    assert bad["error"]["details"] == {"reason": "not_configured"}


def test_a_fifo_dotenv_is_reported_by_the_invoker_at_once(tmp_path: Path) -> None:
    root = vendored(tmp_path)
    os.mkfifo(root / ".env")  # last: nothing else is created after it
    r = run(["--target", "puruto-b", "--action", "status", "--prompt", "hi"], root, PURUTO_AGENT="stub")
    error = json.loads(r.stdout)["error"]
    assert r.returncode == 1
    assert error["code"] == "IPC_ERROR"
    assert "is a FIFO (named pipe), not a regular file" in error["message"]


def test_a_stub_call_loads_no_adapter_no_process_control_and_no_typing(tmp_path: Path) -> None:
    root = vendored(tmp_path)
    probe = (
        "import sys, json, runpy; sys.argv = ['x', '--target', 'puruto-b', '--action', 'status', '--prompt', "
        "'hi']\ntry:\n    runpy.run_module('puruto_runtime', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('puruto_runtime', 'typing', "
        "'subprocess', 'dataclasses')))), file=sys.stderr)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PURUTO_")}
    r = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, "PURUTO_AGENT": "stub"},
        check=False,
    )
    loaded = json.loads(r.stderr.strip().splitlines()[-1])
    assert "puruto_runtime.invoke" in loaded
    assert '"status": "ok"' in r.stdout
    for heavy in (
        "puruto_runtime.adapters.stub",
        "puruto_runtime.adapters.base",
        "puruto_runtime.process",
        "subprocess",
        "typing",
        "dataclasses",
    ):
        assert heavy not in loaded, heavy


def test_request_ids_are_uuid4_hex() -> None:
    import uuid

    from puruto_runtime.invocation import new_id

    ids = {new_id() for _ in range(200)}
    assert len(ids) == 200
    for value in ids:
        parsed = uuid.UUID(hex=value)
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122
        assert parsed.hex == value
