"""The scripts behind /init and /status, run as real processes on a copy of the gateway."""
from __future__ import annotations

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
RUNTIME = ["app.py", "routes.py", "auth.py", "registry.py", "invoker.py", ".env.example", ".puruto-standard-version"]


@pytest.fixture
def gw(tmp_path: Path) -> Path:
    """<tmp>/ws/puruto-gateway: the runtime and the skills, without requirements.txt
    (so /init does not install packages from the network)."""
    dest = tmp_path / "ws" / "puruto-gateway"
    dest.mkdir(parents=True)
    for name in RUNTIME:
        shutil.copy2(REPO / name, dest / name)
    shutil.copytree(REPO / ".claude", dest / ".claude", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def script(gw: Path, path: str, *args: str) -> subprocess.CompletedProcess:
    import os

    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    return subprocess.run([sys.executable, str(gw / path), *args], cwd=gw, capture_output=True, text=True, env=env, timeout=60)


def test_init_creates_env_with_a_random_key_and_ends_with_status(gw):
    r = script(gw, INIT, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [(s["result"], s["path"]) for s in out["steps"]] == [
        ("created", ".env"), ("created", "PURUTO_GATEWAY_API_KEY"), ("skipped", ".venv")]
    env = (gw / ".env").read_text()
    key = re.search(r"^PURUTO_GATEWAY_API_KEY=(.*)$", env, re.M).group(1)
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


def test_init_never_overwrites_an_existing_env(gw):
    (gw / ".env").write_text("PURUTO_GATEWAY_API_KEY=changeme\nMINE=1\n")
    r = script(gw, INIT, "--json")
    assert r.returncode == 0, r.stderr
    assert [s["result"] for s in json.loads(r.stdout)["steps"]] == ["kept", "kept", "skipped"]
    assert (gw / ".env").read_text() == "PURUTO_GATEWAY_API_KEY=changeme\nMINE=1\n"


def test_init_sets_up_a_venv_when_requirements_txt_is_present(gw, monkeypatch):
    """The shared step_venv runs when requirements.txt exists (faked here: no network)."""
    (gw / "requirements.txt").write_text("fastapi>=0.92,<1\n")
    sys.path.insert(0, str(gw / ".claude/skills/init/scripts"))
    try:
        import init
    finally:
        sys.path.pop(0)
    seen = []
    monkeypatch.setattr(init, "step_venv", lambda root: seen.append(root) or ("created", ".venv", "fake"))
    steps = init.run_steps(gw)
    assert seen == [gw]
    assert steps[-1] == ("created", ".venv", "fake")


def test_status_reports_the_placeholder_key_and_the_registry_source(gw):
    shutil.copy(gw / ".env.example", gw / ".env")
    vault = gw.parent / "puruto-data"
    vault.mkdir()
    (vault / "registry.json").write_text(json.dumps({"purutos": [{"name": "puruto-notes"}, {"id": "puruto-cron"}]}))
    r = script(gw, STATUS, "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    g = report["gateway"]
    assert g["api_key"] == "placeholder"
    assert g["discovery"] == {"source": str((vault / "registry.json").resolve()), "vault": str(vault.resolve()),
                              "count": 2, "purutos": ["puruto-notes", "puruto-cron"]}
    assert any("changeme" in p for p in report["problems"])
    human = script(gw, STATUS)
    assert "✗ API key: placeholder" in human.stdout
    assert "discovery:" in human.stdout and "2 Puruto(s)" in human.stdout
    assert re.search(r"^next: PURUTO_GATEWAY_API_KEY is still the placeholder", human.stdout, re.M)


def test_status_without_env_reports_it_and_a_missing_key(gw):
    (gw / ".env.example").write_text("PURUTO_GATEWAY_API_KEY=\n")
    r = script(gw, STATUS, "--json")
    assert r.returncode == 0
    report = json.loads(r.stdout)
    assert report["env_file"] == "missing"
    assert report["gateway"]["api_key"] == "missing"
    assert report["problems"][0].startswith(".env is missing")
