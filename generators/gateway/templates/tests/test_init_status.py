"""The scripts behind /init and /status, run as real processes on a copy of the gateway."""

from __future__ import annotations

import importlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SETTINGS

INIT = ".claude/skills/init/scripts/init.py"
STATUS = ".claude/skills/status/scripts/status.py"
RUNTIME = [
    "app.py",
    "routes.py",
    "auth.py",
    "registry.py",
    "invoker.py",
    "json_schema.py",
    ".env.example",
    ".puruto-standard-version",
]


@pytest.fixture
def gw(tmp_path: Path) -> Path:
    """<tmp>/ws/puruto-gateway: the runtime and the skills, without requirements.txt
    (so /init does not install packages from the network)."""
    dest = tmp_path / "ws" / "puruto-gateway"
    dest.mkdir(parents=True)
    for name in RUNTIME:
        shutil.copy2(REPO / name, dest / name)
    shutil.copytree(REPO / ".claude", dest / ".claude", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / ".puruto-schemas", dest / ".puruto-schemas")
    shutil.copytree(REPO / "puruto_runtime", dest / "puruto_runtime", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def script(gw: Path, path: str, *args: str) -> subprocess.CompletedProcess[str]:
    import os

    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    return subprocess.run(
        [sys.executable, str(gw / path), *args],
        cwd=gw,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=60,
    )


def test_init_creates_env_with_a_random_key_and_ends_with_status(gw: Path) -> None:
    r = script(gw, INIT, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [(s["result"], s["path"]) for s in out["steps"]] == [
        ("created", ".env"),
        ("created", "PURUTO_GATEWAY_API_KEY"),
        ("skipped", ".venv"),
    ]
    env = (gw / ".env").read_text()
    found = re.search(r"^PURUTO_GATEWAY_API_KEY=(.*)$", env, re.MULTILINE)
    assert found is not None
    key = found.group(1)
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert key not in r.stdout  # never printed
    assert env.replace(key, "changeme") == (gw / ".env.example").read_text()
    status = out["status"]
    assert status["gateway"]["api_key"] == "set"
    assert status["gateway"]["host"] == "127.0.0.1" and status["gateway"]["port"] == "8787"
    assert status["gateway"]["discovery"]["source"] == "siblings"
    assert status["problems"] == []
    human = script(gw, INIT)
    assert human.returncode == 0
    assert "puruto-gateway status" in human.stdout
    assert human.stdout.rstrip().endswith("next: ready")


def test_init_replaces_the_placeholder_key_in_an_existing_env_and_only_that_line(gw: Path) -> None:
    """The README's `cp .env.example .env`, then /init: the copied placeholder is replaced."""
    original = b"# mine\r\nPURUTO_GATEWAY_API_KEY=changeme\r\nMINE=caf\xc3\xa9  \r\n"
    (gw / ".env").write_bytes(original)
    (gw / ".env").chmod(0o600)
    r = script(gw, INIT, "--json")
    assert r.returncode == 0, r.stderr
    steps = json.loads(r.stdout)["steps"]
    assert [(s["result"], s["path"]) for s in steps][:2] == [("kept", ".env"), ("updated", "PURUTO_GATEWAY_API_KEY")]
    assert "line 2 only" in steps[1]["detail"]
    after = (gw / ".env").read_bytes()
    found = re.search(rb"^PURUTO_GATEWAY_API_KEY=([0-9a-f]{64})\r$", after, re.MULTILINE)
    assert found is not None
    key = found.group(1)
    assert after.replace(key, b"changeme") == original  # every other byte kept, CRLF included
    assert key.decode() not in r.stdout
    assert (gw / ".env").stat().st_mode & 0o777 == 0o600
    assert json.loads(r.stdout)["status"]["gateway"]["api_key"] == "set"
    human = script(gw, INIT)  # a second run keeps the key it put there
    assert re.search(r"^kept +PURUTO_GATEWAY_API_KEY +already set", human.stdout, re.MULTILINE)
    assert (gw / ".env").read_bytes() == after


def test_init_keeps_a_real_key_and_fills_an_empty_one(gw: Path) -> None:
    (gw / ".env").write_text("PURUTO_GATEWAY_API_KEY=my-own-long-key\nMINE=1\n")
    r = script(gw, INIT, "--json")
    assert [s["result"] for s in json.loads(r.stdout)["steps"]][:2] == ["kept", "kept"]
    assert (gw / ".env").read_text() == "PURUTO_GATEWAY_API_KEY=my-own-long-key\nMINE=1\n"
    (gw / ".env").write_text("export PURUTO_GATEWAY_API_KEY=\n")
    r = script(gw, INIT, "--json")
    assert json.loads(r.stdout)["steps"][1]["result"] == "updated"
    assert re.fullmatch(r"export PURUTO_GATEWAY_API_KEY=[0-9a-f]{64}\n", (gw / ".env").read_text())


def offline_pip_env() -> dict[str, str]:
    """pip with no reachable index: no config files, no local wheels, a closed port."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in SETTINGS and not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_INDEX_URL="http://127.0.0.1:9/", PIP_NO_INPUT="1", PIP_FIND_LINKS="")
    return env


def test_init_without_a_package_index_says_why_in_one_line_and_removes_the_half_built_venv(gw: Path) -> None:
    shutil.copy2(REPO / "requirements.txt", gw / "requirements.txt")
    r = subprocess.run(
        [sys.executable, str(gw / INIT)],
        cwd=gw,
        capture_output=True,
        text=True,
        check=False,
        env=offline_pip_env(),
        timeout=300,
    )
    assert r.returncode == 1, r.stdout + r.stderr
    errors = [ln for ln in r.stdout.splitlines() if ln.startswith("error")]
    assert len(errors) == 1, r.stdout
    line = errors[0]
    assert line.startswith(
        "error    .venv  pip could not install requirements.txt: the package index "
        "http://127.0.0.1:9/ cannot be reached"
    )
    for fix in ("run /init again", "--no-venv", "PIP_INDEX_URL", "HTTPS_PROXY", "the unfinished .venv was removed"):
        assert fix in line
    assert not (gw / ".venv").exists()
    assert "Traceback" not in r.stdout + r.stderr


def test_status_and_run_check_the_python_that_will_run(gw: Path, tmp_path: Path) -> None:
    """No finished .venv: the system Python (PURUTO_PYTHON) is the one checked and used."""
    import os

    shutil.copy2(REPO / "run", gw / "run")
    shutil.copy(gw / ".env.example", gw / ".env")
    (gw / ".venv" / "bin").mkdir(parents=True)  # an unfinished venv (no marker) is ignored
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env["PURUTO_PYTHON"] = str(tmp_path / "no-such-python")
    st = subprocess.run(
        [sys.executable, str(gw / STATUS), "--json"],
        cwd=gw,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=60,
    )
    g = json.loads(st.stdout)["gateway"]
    assert g["python"] == env["PURUTO_PYTHON"] and g["python_source"] == "system"
    assert g["dependencies"] == {"fastapi": False, "uvicorn": False, "dotenv": False}
    assert any("cannot import fastapi, uvicorn, dotenv" in p for p in json.loads(st.stdout)["problems"])
    run = subprocess.run(
        [sys.executable, str(gw / "run")], cwd=gw, capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("error: puruto-gateway cannot start:")
    assert "lacks fastapi, uvicorn, dotenv" in run.stderr and "/init" in run.stderr


def test_run_prefers_the_finished_venv(gw: Path) -> None:
    """A .venv with /init's marker is the interpreter ./run and /status use."""
    sys.path.insert(0, str(gw / ".claude/skills/status/scripts"))
    try:
        puruto_env = importlib.import_module("puruto_env")
    finally:
        sys.path.pop(0)
    bin_dir = gw / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (gw / ".venv" / puruto_env.VENV_MARKER).write_text("x\n")
    assert puruto_env.runtime_python(gw)[1] == "system"  # marker but no interpreter
    (bin_dir / "python").symlink_to(sys.executable)  # the link comes last; nothing is written through it
    assert puruto_env.runtime_python(gw) == (str(bin_dir / "python"), "venv")


def test_init_sets_up_a_venv_when_requirements_txt_is_present(gw: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shared step_venv runs when requirements.txt exists (faked here: no network)."""
    (gw / "requirements.txt").write_text("fastapi>=0.92,<1\n")
    sys.path.insert(0, str(gw / ".claude/skills/init/scripts"))
    try:
        init = importlib.import_module("init")
    finally:
        sys.path.pop(0)
    seen: list[Path] = []

    def fake_venv(root: Path) -> tuple[str, str, str]:
        seen.append(root)
        return ("created", ".venv", "fake")

    monkeypatch.setattr(init, "step_venv", fake_venv)
    steps = init.run_steps(gw)
    assert seen == [gw]
    assert steps[-1] == ("created", ".venv", "fake")


def test_status_reports_the_placeholder_key_and_the_registry_source(gw: Path) -> None:
    shutil.copy(gw / ".env.example", gw / ".env")
    vault = gw.parent / "puruto-data"
    vault.mkdir()
    (vault / "registry.json").write_text(json.dumps({"purutos": [{"name": "puruto-notes"}, {"id": "puruto-cron"}]}))
    r = script(gw, STATUS, "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    g = report["gateway"]
    assert g["api_key"] == "placeholder"
    assert g["discovery"] == {
        "source": str((vault / "registry.json").resolve()),
        "vault": str(vault.resolve()),
        "count": 2,
        "purutos": ["puruto-notes", "puruto-cron"],
    }
    assert any("changeme" in p for p in report["problems"])
    human = script(gw, STATUS)
    assert "✗ API key: placeholder" in human.stdout
    assert "discovery:" in human.stdout and "2 Puruto(s)" in human.stdout
    assert re.search(r"^next: PURUTO_GATEWAY_API_KEY is still the placeholder", human.stdout, re.MULTILINE)


def test_status_without_env_reports_it_and_a_missing_key(gw: Path) -> None:
    (gw / ".env.example").write_text("PURUTO_GATEWAY_API_KEY=\n")
    r = script(gw, STATUS, "--json")
    assert r.returncode == 0
    report = json.loads(r.stdout)
    assert report["env_file"] == "missing"
    assert report["gateway"]["api_key"] == "missing"
    assert report["problems"][0].startswith(".env is missing")
