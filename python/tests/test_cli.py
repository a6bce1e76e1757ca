"""The invoker's command line as a user runs it (`python3 -m puruto_runtime`, what invoker.py runs):
its prompt forms (--prompt=TEXT, --prompt-file PATH or -) and its JSON answer to bad arguments;
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

from puruto_runtime import args, facts
from puruto_runtime.errors import IpcError
from puruto_runtime.invoke import invoke
from puruto_runtime.text import STDIN_MAX_BYTES

PACKAGE = Path(__file__).resolve().parents[1] / "puruto_runtime"


def vendored(tmp_path: Path) -> Path:
    """tmp/puruto-a with the package copied in (as generation does) and a target puruto-b beside it."""
    root = make_target(tmp_path, "puruto-a")
    shutil.copytree(PACKAGE, root / "puruto_runtime", ignore=shutil.ignore_patterns("__pycache__"))
    make_target(tmp_path, "puruto-b")
    return root


def run(argv: list[str], cwd: Path, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    """`python3 -m puruto_runtime ARGS` in cwd (the package found there, or beside it in python/)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PURUTO_")}
    clean.update(PYTHONPATH=str(PACKAGE.parent), PYTHONDONTWRITEBYTECODE="1", **env)
    if (cwd / "puruto_runtime").is_dir():
        del clean["PYTHONPATH"]
    return subprocess.run(
        [sys.executable, "-m", "puruto_runtime", *argv],
        cwd=cwd,
        env=clean,
        input=stdin,
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


INVOKER = Path(__file__).resolve().parents[2] / "generators" / "ipc" / "templates" / "invoker.py"
# What a stub call must not load (beyond what the interpreter loads by itself): no adapter, no process
# control, no typing, and for a common command line no argparse (gettext, locale), no pathlib, no importlib.
HEAVY = (
    "puruto_runtime.adapters.stub",
    "puruto_runtime.adapters.base",
    "puruto_runtime.process",
    "puruto_runtime.args",
    "subprocess",
    "threading",
    "typing",
    "dataclasses",
    "argparse",
    "gettext",
    "locale",
    "pathlib",
    "fnmatch",
    "urllib",
    "importlib",
    "shutil",
    "uuid",
)


def loaded_by(code: str, cwd: Path) -> tuple[set[str], str]:
    """The modules `code` loads beyond those a bare `python3 -c pass` has (printed last on stderr), and stdout."""
    report = "\nimport sys\nprint(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PURUTO_")}
    found = []
    for text in ("pass", code):
        r = subprocess.run(
            [sys.executable, "-c", text + report],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=60,
            env={**clean, "PURUTO_AGENT": "stub"},
            check=False,
        )
        found.append((set(r.stderr.strip().splitlines()[-1].split()), r.stdout))
    return found[1][0] - found[0][0], found[1][1]


def test_a_stub_call_loads_no_adapter_no_process_control_no_argparse_and_no_pathlib(tmp_path: Path) -> None:
    root = vendored(tmp_path)
    shutil.copy(INVOKER, root / "invoker.py")
    argv = ["--target", "puruto-b", "--action", "status", "--prompt", "hi"]
    as_script = (
        f"import sys\nsys.argv = ['invoker.py', *{argv!r}]\nsys.path.insert(0, '')\ntry:\n"
        "    exec(compile(open('invoker.py').read(), 'invoker.py', 'exec'), {'__name__': '__main__'})\n"
        "except SystemExit:\n    pass"
    )
    loaded, out = loaded_by(as_script, root)
    assert '"status": "ok"' in out
    assert "puruto_runtime.invoke" in loaded
    assert "json" in loaded  # the answer
    for heavy in HEAVY:
        assert heavy not in loaded, heavy
    # The same through `python3 -m puruto_runtime` (runpy brings importlib there, so it is not checked).
    loaded, out = loaded_by(
        f"import sys, runpy\nsys.argv = ['x', *{argv!r}]\ntry:\n"
        "    runpy.run_module('puruto_runtime', run_name='__main__')\nexcept SystemExit:\n    pass",
        root,
    )
    assert '"status": "ok"' in out
    for heavy in HEAVY:
        assert heavy == "importlib" or heavy not in loaded, heavy
    # An unusual line goes through argparse, and answers as before.
    loaded, out = loaded_by(as_script.replace("'hi'", "'-x y'"), root)
    assert "argparse" in loaded
    assert '"prompt": "-x y"' in out


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


HOSTILE = '-v --help 42 "q" $HOME `id` {prompt}\ttab\r\nline \U0001f389 caf\u00e9 trailing\\'


def test_a_prompt_that_starts_with_a_dash_and_one_read_from_a_file_or_stdin(tmp_path: Path) -> None:
    root = vendored(tmp_path)
    base = ["--target", "puruto-b", "--action", "message"]
    for prompt in ("-x", "--help", HOSTILE):
        r = run([*base, f"--prompt={prompt}"], root, PURUTO_AGENT="stub")
        assert r.returncode == 0, r.stdout + r.stderr
        assert json.loads(r.stdout)["result"]["echo"]["prompt"] == prompt
    file = tmp_path / "prompt.txt"
    file.write_bytes(f"{HOSTILE}\n".encode())
    r = run([*base, "--prompt-file", str(file)], root, PURUTO_AGENT="stub")
    assert json.loads(r.stdout)["result"]["echo"]["prompt"] == f"{HOSTILE}\n"  # the file as it is
    big = HOSTILE * 20000  # over 128 KiB: more than one argument holds
    r = run([*base, "--prompt-file", "-"], root, stdin=big, PURUTO_AGENT="stub")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["result"]["echo"]["prompt"] == big


def test_bad_arguments_are_a_json_answer_with_exit_2(tmp_path: Path) -> None:
    root = vendored(tmp_path)
    not_utf8 = tmp_path / "latin1.txt"
    not_utf8.write_bytes(b"f\xff\n")
    base = ["--target", "puruto-b", "--action", "message"]
    for argv, message in (
        ([*base, "--prompt", "-x"], "--prompt: expected one argument (a prompt that starts with '-' is written"),
        (base, "one of the arguments --prompt --prompt-file is required"),
        ([*base, "--prompt=x", "--prompt-file", "-"], "not allowed with argument"),
        ([*base, "--prompt-file", str(tmp_path / "none")], "No such file"),
        ([*base, "--prompt-file", str(not_utf8)], "is not UTF-8 text (byte 1)"),
        ([*base, "--prompt=x", "--timeout", "soon"], "--timeout"),
    ):
        r = run(argv, root, PURUTO_AGENT="stub")
        assert r.returncode == 2, (argv, r.stdout)
        result = json.loads(r.stdout)
        assert (result["request_id"], result["correlation_id"], result["status"]) == (None, None, "error")
        assert (result["error"]["code"], result["error"]["details"]["reason"]) == ("IPC_ERROR", "bad_arguments")
        assert message in result["error"]["message"], (argv, result)
        assert r.stderr.startswith("invoker.py: error: bad arguments: ")
        assert "usage:" not in r.stderr


def test_prompt_of_caps_what_it_reads(tmp_path: Path) -> None:
    parser = args.Arguments(prog="x")
    args.add_prompt_arguments(parser)
    assert args.prompt_of(parser.parse_args(["--prompt=-v"])) == "-v"
    fits = tmp_path / "fits.txt"
    fits.write_bytes(b"y" * STDIN_MAX_BYTES)
    assert len(args.prompt_of(parser.parse_args(["--prompt-file", str(fits)]))) == STDIN_MAX_BYTES
    over = tmp_path / "over.txt"
    over.write_bytes(b"y" * (STDIN_MAX_BYTES + 1))
    with pytest.raises(IpcError) as caught:
        args.prompt_of(parser.parse_args(["--prompt-file", str(over)]))
    assert caught.value.details == {"reason": "prompt_too_long", "limit_bytes": STDIN_MAX_BYTES}
    result = args.arguments_result(caught.value)
    assert result == {
        "request_id": None,
        "correlation_id": None,
        "status": "error",
        "duration_ms": 0,
        "error": {"code": "IPC_ERROR", "message": caught.value.message, "details": caught.value.details},
    }
    with pytest.raises(IpcError) as caught:
        parser.parse_args(["--prompt", "-x"])
    assert caught.value.details["usage"].startswith("usage: x")
