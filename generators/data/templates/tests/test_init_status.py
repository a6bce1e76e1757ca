"""The scripts behind /init, /status and /list, run as real processes on a copy of the vault."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, Vault, clean_env

sys.path.insert(0, str(REPO / ".claude" / "skills" / "status" / "scripts"))
from puruto_env import SUPPORTED_VERSION  # noqa: E402  (the version the generator rendered)

INIT = ".claude/skills/init/scripts/init.py"
STATUS = ".claude/skills/status/scripts/status.py"
LIST = ".claude/skills/list/scripts/list_skills.py"


def script(vault_dir: Path, path: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(vault_dir / path), *args],
        cwd=vault_dir,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
    )


def test_init_creates_what_is_missing_and_ends_with_status(vault_dir: Path) -> None:
    shutil.rmtree(vault_dir / "shared")
    (vault_dir / "registry.json").unlink()
    r = script(vault_dir, INIT, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [(s["result"], s["path"]) for s in out["steps"]] == [
        ("created", ".env"),
        ("created", "shared/"),
        ("created", "registry.json"),
        ("skipped", ".venv"),
    ]
    assert json.loads((vault_dir / "registry.json").read_text()) == {"version": "1", "purutos": []}
    assert (vault_dir / "shared/.gitkeep").is_file()
    assert (vault_dir / ".env").read_text() == (vault_dir / ".env.example").read_text()
    assert out["status"]["vault"]["registry"] == "ok"
    assert out["status"]["problems"] == []
    human = script(vault_dir, INIT)
    assert human.returncode == 0
    assert "puruto-data status" in human.stdout  # /init ends by running /status
    assert human.stdout.rstrip().endswith("next: ready")


def test_init_never_overwrites(vault: Vault, vault_dir: Path) -> None:
    vault("register", "puruto-notes")
    (vault_dir / ".env").write_text("MAX_SIZE_MB=5\nMINE=1\n")
    before = (vault_dir / "registry.json").read_text()
    r = script(vault_dir, INIT, "--json")
    assert r.returncode == 0, r.stderr
    assert [s["result"] for s in json.loads(r.stdout)["steps"]] == ["kept", "kept", "kept", "skipped"]
    assert (vault_dir / "registry.json").read_text() == before
    assert "MINE=1" in (vault_dir / ".env").read_text()


def test_init_reports_a_corrupt_registry_without_touching_it(vault_dir: Path) -> None:
    (vault_dir / "registry.json").write_text("{oops")
    r = script(vault_dir, INIT)
    assert r.returncode == 1
    assert "error    registry.json" in r.stdout
    assert "not overwritten" in r.stdout
    assert (vault_dir / "registry.json").read_text() == "{oops"


def test_status_counts_and_checks(vault: Vault, vault_dir: Path) -> None:
    vault("register", "puruto-a")
    vault("write", "--as", "puruto-a", "puruto-a/x.txt", "--text", "x")
    vault("write", "--as", "puruto-a", "shared/y.txt", "--text", "y")
    (vault_dir / "puruto-stray").mkdir()
    r = script(vault_dir, STATUS, "--json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["puruto"] == "puruto-data"
    assert s["env_file"] == "missing"
    assert s["standard_version"] == SUPPORTED_VERSION
    assert s["vault"]["registered"] == 1
    assert s["vault"]["purutos"] == [{"name": "puruto-a", "folder": "puruto-a", "folder_exists": True, "files": 1}]
    assert s["vault"]["shared_files"] == 1
    assert s["problems"][0].startswith(".env is missing: run /init")
    assert any("puruto-stray/ has no entry" in p for p in s["problems"])
    human = script(vault_dir, STATUS).stdout
    assert "registry.json: ok, 1 Puruto(s) registered" in human
    assert "shared/: 1 file(s)" in human


def test_status_never_crashes(vault_dir: Path) -> None:
    (vault_dir / "registry.json").write_text("[]")
    (vault_dir / ".env.example").unlink()
    (vault_dir / "vault.py").write_text("raise RuntimeError('broken')\n")
    r = script(vault_dir, STATUS, "--json")
    assert r.returncode == 0, r.stderr
    assert any(p.startswith("vault: could not be checked") for p in json.loads(r.stdout)["problems"])


def test_list_shows_every_skill(vault_dir: Path) -> None:
    r = script(vault_dir, LIST, "--json")
    assert r.returncode == 0, r.stderr
    skills = {s["name"]: s for s in json.loads(r.stdout)}
    assert sorted(skills) == ["help", "init", "list", "read", "register", "status", "write"]
    assert all(s["user_invocable"] for s in skills.values())


def test_init_accepts_no_venv_like_every_kind(vault_dir: Path) -> None:
    r = script(vault_dir, INIT, "--no-venv", "--json")
    assert r.returncode == 0, r.stderr
    venv = [s for s in json.loads(r.stdout)["steps"] if s["path"] == ".venv"]
    assert venv == [{"result": "skipped", "path": ".venv", "detail": venv[0]["detail"]}]
    assert venv[0]["detail"].startswith("--no-venv")
    assert not (vault_dir / ".venv").exists()
