"""vault.py register, check and status, run as a real process on a copy of the vault."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from conftest import Registry, Repos, Vault, clean_env

DEFAULT_COMMANDS = ["init", "help", "list", "status"]


def test_register_adds_a_complete_entry_and_the_folder(vault: Vault, vault_dir: Path, registry: Registry) -> None:
    r = vault("register", "puruto-notes")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("registered puruto-notes: folder puruto-notes/")
    [entry] = registry()["purutos"]
    assert list(entry) == ["name", "folder", "registered_at", "path", "kind", "commands"]
    assert entry["name"] == entry["folder"] == "puruto-notes"
    assert entry["path"] == "../puruto-notes"
    assert entry["kind"] == "standard"
    assert entry["commands"] == DEFAULT_COMMANDS
    assert entry["registered_at"].endswith("Z")
    offset = datetime.fromisoformat(entry["registered_at"].replace("Z", "+00:00")).utcoffset()
    assert offset is not None and offset.total_seconds() == 0
    assert (vault_dir / "puruto-notes" / ".gitkeep").is_file()
    assert registry()["version"] == "1"


def test_register_is_idempotent(vault: Vault, registry: Registry) -> None:
    first = vault("register", "puruto-notes", "--json")
    again = vault("register", "puruto-notes", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(first.stdout)["status"] == "registered"
    assert json.loads(again.stdout)["status"] == "already-registered"
    assert "already registered" in vault("register", "puruto-notes").stdout
    entries = registry()["purutos"]
    assert len(entries) == 1
    assert entries[0] == json.loads(first.stdout)["entry"]


def test_register_again_recreates_a_missing_folder(vault: Vault, vault_dir: Path, repos: Repos) -> None:
    repos("puruto-notes")
    vault("register", "puruto-notes")
    (vault_dir / "puruto-notes" / ".gitkeep").unlink()
    (vault_dir / "puruto-notes").rmdir()
    assert vault("check").returncode == 1
    assert vault("register", "puruto-notes").returncode == 0
    assert (vault_dir / "puruto-notes" / ".gitkeep").is_file()
    assert vault("check").returncode == 0


@pytest.mark.parametrize(
    "name,kind",
    [
        ("puruto-data", "puruto-data"),  # the vault itself, so the gateway can list it
        ("puruto-telegram", "puruto-telegram"),
        ("puruto-cron", "puruto-cron"),
        ("puruto-gateway", "puruto-gateway"),
        ("puruto-home-budget2", "standard"),
    ],
)
def test_kind_is_inferred_from_the_name(vault: Vault, registry: Registry, name: str, kind: str) -> None:
    assert vault("register", name).returncode == 0
    assert registry()["purutos"][0]["kind"] == kind


def test_path_and_commands_options(vault: Vault, vault_dir: Path, registry: Registry, tmp_path: Path) -> None:
    assert vault("register", "puruto-a", "--path", str(tmp_path / "puruto-a")).returncode == 0
    assert vault("register", "puruto-b", "--path", "../b-repo", "--commands", "init,status,add-note").returncode == 0
    outside = Path("/").resolve() / "opt" / "puruto-c"
    assert vault("register", "puruto-c", "--path", str(outside)).returncode == 0
    a, b, c = registry()["purutos"]
    assert a["path"] == "../puruto-a"  # inside the workspace: relative to the vault
    assert b["path"] == "../b-repo"  # relative to the current folder (here the vault)
    assert b["commands"] == ["init", "status", "add-note"]
    assert c["path"] == str(outside)  # outside the workspace: absolute
    moved = vault("register", "puruto-b", "--path", "../b-moved", "--json", "--force")
    assert json.loads(moved.stdout)["status"] == "updated"
    assert json.loads(moved.stdout)["changed"] == ["path"]
    assert json.loads(moved.stdout)["previous"] == {"path": "../b-repo"}
    assert registry()["purutos"][1]["path"] == "../b-moved"
    assert registry()["purutos"][1]["commands"] == ["init", "status", "add-note"]


def test_path_is_taken_relative_to_the_current_folder(
    vault: Vault, vault_dir: Path, registry: Registry, tmp_path: Path
) -> None:
    caller = tmp_path / "puruto-x"
    caller.mkdir()
    assert vault("register", "puruto-x", "--path", ".", cwd=caller).returncode == 0
    assert registry()["purutos"][0]["path"] == "../puruto-x"


@pytest.mark.parametrize(
    "name",
    [
        "notes",
        "puruto-",
        "puruto-Notes",
        "puruto_notes",
        "puruto-a--b",
        "puruto-a-",
        "puruto-" + "a" * 60,
    ],
)
def test_refuses_names_that_are_not_puruto_names(vault: Vault, vault_dir: Path, registry: Registry, name: str) -> None:
    r = vault("register", name)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith("vault.py register: ")
    assert registry()["purutos"] == []
    assert not any(p.name.startswith("puruto-") for p in vault_dir.iterdir())


@pytest.mark.parametrize(
    "name", ["../puruto-x", "puruto-x/..", "puruto-a/b", "puruto-..", "..", "puruto-a\\b", ".puruto-x"]
)
def test_refuses_names_that_could_escape_the_vault(
    vault: Vault, vault_dir: Path, registry: Registry, name: str
) -> None:
    r = vault("register", name)
    assert r.returncode == 1
    assert "could escape the vault" in r.stderr
    assert "Traceback" not in r.stderr
    assert registry()["purutos"] == []
    assert not (vault_dir.parent / "puruto-x").exists()


def test_twenty_processes_registering_at_once(vault_dir: Path, registry: Registry) -> None:
    names = [f"puruto-p{i}" for i in range(20)]
    procs = [
        subprocess.Popen(
            [sys.executable, str(vault_dir / "vault.py"), "register", n],
            cwd=vault_dir,
            env=clean_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in names + names[:5]  # five of them twice: still one entry each
    ]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    entries = registry()["purutos"]  # parses: the file is valid JSON
    assert sorted(e["name"] for e in entries) == sorted(names)
    assert all((vault_dir / n / ".gitkeep").is_file() for n in names)
    assert not list(vault_dir.glob(".*.tmp")), "no temp file is left behind"


def test_a_corrupt_registry_is_reported_never_overwritten(vault: Vault, vault_dir: Path) -> None:
    (vault_dir / "registry.json").write_text('{"version": "1", "purutos": [')
    for args in (["register", "puruto-x"], ["check"]):
        r = vault(*args)
        assert r.returncode == 1
        assert "registry.json is not valid JSON" in r.stderr
        assert "Traceback" not in r.stderr
    assert (vault_dir / "registry.json").read_text() == '{"version": "1", "purutos": ['
    (vault_dir / "registry.json").write_text('{"version": "1", "repos": []}')
    assert 'must be an object with a "purutos" list' in vault("register", "puruto-x").stderr
    status = vault("status", "--json")
    assert status.returncode == 0
    assert json.loads(status.stdout)["registry"] == "invalid"


def test_a_missing_registry_is_created_by_register(vault: Vault, vault_dir: Path, registry: Registry) -> None:
    (vault_dir / "registry.json").unlink()
    assert "registry.json is missing: run /init" in vault("check").stderr
    assert json.loads(vault("status", "--json").stdout)["registry"] == "missing"
    assert vault("register", "puruto-x").returncode == 0
    assert [e["name"] for e in registry()["purutos"]] == ["puruto-x"]


def test_older_entries_without_path_kind_commands_stay_valid(
    vault: Vault, vault_dir: Path, registry: Registry, repos: Repos
) -> None:
    repos("puruto-new")
    old = {"name": "puruto-old", "folder": "puruto-old", "registered_at": "2024-01-01T00:00:00"}
    (vault_dir / "registry.json").write_text(json.dumps({"version": "1", "purutos": [old]}))
    (vault_dir / "puruto-old").mkdir()
    assert vault("register", "puruto-new").returncode == 0
    assert registry()["purutos"][0] == old
    assert vault("register", "puruto-old").returncode == 0
    assert registry()["purutos"][0] == old
    assert vault("check").returncode == 0
    assert vault("write", "--as", "puruto-old", "puruto-old/x.txt", "--text", "hi").returncode == 0


def test_check_reports_entries_without_folders_and_folders_without_entries(vault: Vault, vault_dir: Path) -> None:
    ok = vault("check", "--json")
    assert ok.returncode == 0
    assert json.loads(ok.stdout) == {
        "ok": True,
        "entries": 0,
        "entries_without_folders": [],
        "folders_without_entries": [],
        "invalid_entries": [],
        "entries_without_repos": [],
        "repairs": [],
    }
    vault("register", "puruto-gone")
    (vault_dir / "puruto-gone" / ".gitkeep").unlink()
    (vault_dir / "puruto-gone").rmdir()
    (vault_dir / "puruto-stray").mkdir()
    r = vault("check", "--json")
    assert r.returncode == 1
    report = json.loads(r.stdout)
    assert report["entries_without_folders"] == ["puruto-gone"]
    assert report["folders_without_entries"] == ["puruto-stray"]
    human = vault("check")
    assert "entry without folder: puruto-gone/" in human.stdout
    assert "folder without entry: puruto-stray/" in human.stdout


def test_check_reports_malformed_entries(vault: Vault, vault_dir: Path) -> None:
    bad = [
        {"name": "puruto-a"},
        {"name": "x", "folder": "x", "registered_at": "t"},
        {"name": "puruto-b", "folder": "puruto-b", "registered_at": "t"},
        {"name": "puruto-b", "folder": "puruto-b", "registered_at": "t"},
    ]
    (vault_dir / "registry.json").write_text(json.dumps({"version": "1", "purutos": bad}))
    (vault_dir / "puruto-b").mkdir()
    r = vault("check", "--json")
    assert r.returncode == 1
    invalid = json.loads(r.stdout)["invalid_entries"]
    assert any("lacks folder, registered_at" in p for p in invalid)
    assert any("invalid name" in p for p in invalid)
    assert any("registered twice" in p for p in invalid)


def test_status_counts_purutos_and_files(vault: Vault, vault_dir: Path, repos: Repos) -> None:
    repos("puruto-a", "puruto-b")
    for name in ("puruto-a", "puruto-b"):
        vault("register", name)
    vault("write", "--as", "puruto-a", "puruto-a/one.txt", "--text", "1")
    vault("write", "--as", "puruto-a", "puruto-a/sub/two.txt", "--text", "22")
    vault("write", "--as", "puruto-b", "shared/common.txt", "--text", "333")
    r = vault("status", "--json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["registry"] == "ok"
    assert s["registered"] == 2
    assert s["purutos"] == [
        {"name": "puruto-a", "folder": "puruto-a", "folder_exists": True, "files": 2},
        {"name": "puruto-b", "folder": "puruto-b", "folder_exists": True, "files": 0},
    ]
    assert s["shared_files"] == 1
    assert s["max_size_mb"] == 0
    assert s["problems"] == []
    human = vault("status").stdout
    assert "registered Purutos: 2" in human
    assert "shared/: 1 file(s)" in human


@pytest.mark.parametrize(
    "args", [[], ["bogus"], ["register"], ["write", "shared/x"], ["register", "puruto-x", "--colour"]]
)
def test_usage_errors_exit_2(vault: Vault, args: list[str]) -> None:
    r = vault(*args)
    assert r.returncode == 2
    assert "usage:" in r.stderr
    assert "Traceback" not in r.stderr


def test_check_holds_the_optional_fields_and_the_version_to_the_schema(vault: Vault, vault_dir: Path) -> None:
    base = {"name": "puruto-a", "folder": "puruto-a", "registered_at": "2025-01-01T00:00:00Z"}
    (vault_dir / "puruto-a").mkdir()
    for over, why in (
        ({"path": " "}, "has path"),
        ({"kind": ""}, "has kind"),
        ({"commands": []}, "has commands"),
        ({"commands": ["Status"]}, "has commands"),
        ({"folder": "puruto..a"}, "invalid folder"),
    ):
        (vault_dir / "registry.json").write_text(json.dumps({"version": "1", "purutos": [{**base, **over}]}))
        r = vault("check", "--json")
        assert r.returncode == 1 and any(why in p for p in json.loads(r.stdout)["invalid_entries"]), (over, r.stdout)
    (vault_dir / "registry.json").write_text(json.dumps({"purutos": [{**base, "path": None}]}))
    assert '"version" must be a string' in vault("check").stdout


def test_register_refuses_an_empty_commands_list(vault: Vault, registry: Registry) -> None:
    r = vault("register", "puruto-x", "--commands", " , ")
    assert r.returncode == 2 and "--commands is empty" in r.stderr
    assert registry()["purutos"] == []
