"""Hostile inputs, races and crashes: a registry entry cannot be moved silently, a write
cannot be led outside the vault by a link, an endless --from stops at MAX_SIZE_MB, and what
a killed writer leaves behind is cleaned by the next call."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time

import pytest
from conftest import REPO, Registry, Repos, Vault, clean_env

sys.path.insert(0, str(REPO))
from pathlib import Path

import vault as vault_module  # noqa: E402
import vault_store  # noqa: E402

# --- registry hijack: moving an entry needs --force -----------------------------------------


def test_moving_an_existing_entry_needs_force_and_says_what_changed(
    vault: Vault, registry: Registry, repos: Repos, tmp_path: Path
) -> None:
    repos("puruto-x", "puruto-x2")
    assert vault("register", "puruto-x").returncode == 0
    before = registry()
    r = vault("register", "puruto-x", "--path", str(tmp_path / "puruto-x2"))
    assert r.returncode == 1
    assert r.stderr.strip() == (
        'vault.py register: puruto-x is already registered with path "../puruto-x"; --path '
        "would "
        'change it to "../puruto-x2": add --force to move it (nothing was changed)'
    )
    assert registry() == before
    r = vault("register", "puruto-x", "--path", str(tmp_path / "puruto-x2"), "--force")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == 'updated puruto-x: path "../puruto-x" -> "../puruto-x2"'
    assert registry()["purutos"][0]["path"] == "../puruto-x2"
    # the same path again, or only --commands, needs no --force
    assert vault("register", "puruto-x", "--path", str(tmp_path / "puruto-x2")).returncode == 0
    assert vault("register", "puruto-x", "--commands", "help,status").returncode == 0


@pytest.mark.parametrize("where", ["/etc", "/", "~"])
def test_registering_a_path_outside_the_ecosystem_warns(vault: Vault, registry: Registry, where: str) -> None:
    r = vault("register", "puruto-evil", "--path", where)
    assert r.returncode == 0
    assert (
        "warning:" in r.stderr and "outside the ecosystem folder" in r.stderr and "PURUTO_ECOSYSTEM_ROOTS" in r.stderr
    )
    report = json.loads(vault("check", "--json").stdout)
    assert report["ok"] is False
    assert report["entries_without_repos"][0].startswith("puruto-evil: ")


def test_registering_a_puruto_whose_repo_does_not_exist_warns_and_check_reports_it(vault: Vault, repos: Repos) -> None:
    r = vault("register", "puruto-notes")
    assert r.returncode == 0
    assert r.stdout.startswith("registered puruto-notes")
    assert "warning:" in r.stderr and "puruto-notes does not exist" in r.stderr
    check = vault("check")
    assert check.returncode == 1
    assert "entry whose repo cannot be used: puruto-notes:" in check.stdout
    repos("puruto-notes")
    again = vault("register", "puruto-notes", "--json")
    assert again.stderr == "" and json.loads(again.stdout)["warnings"] == []
    assert vault("check").returncode == 0


# --- write: links swapped in cannot lead outside ----------------------------------------------


@pytest.fixture
def notes(vault: Vault, repos: Repos) -> Vault:
    repos("puruto-notes")
    assert vault("register", "puruto-notes").returncode == 0
    return vault


def test_a_folder_swapped_for_a_link_after_the_checks_is_never_written_through(
    notes: Vault, vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path checks pass (simulated: the swap happens right after them); the write itself refuses."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (vault_dir / "puruto-notes" / "sub").mkdir()
    monkeypatch.setattr(vault_module, "no_links", lambda root, parts: root.joinpath(*parts))
    (vault_dir / "puruto-notes" / "sub").rmdir()
    (vault_dir / "puruto-notes" / "sub").symlink_to(outside)  # created last, never written through
    with pytest.raises(vault_store.VaultError, match="puruto-notes/sub is a symbolic link"):
        vault_module.write(vault_dir, "puruto-notes", "puruto-notes/sub/x.txt", b"data")
    assert list(outside.iterdir()) == []


def test_the_file_itself_swapped_for_a_link_is_replaced_not_followed(
    notes: Vault, vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    monkeypatch.setattr(vault_module, "no_links", lambda root, parts: root.joinpath(*parts))
    (vault_dir / "puruto-notes" / "x.txt").symlink_to(outside)
    with pytest.raises(vault_store.VaultError, match="is a symbolic link or a folder"):
        vault_module.write(vault_dir, "puruto-notes", "puruto-notes/x.txt", b"data")
    assert outside.read_text() == "keep"


def test_writes_racing_a_folder_swapper_never_land_outside(notes: Vault, vault_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = vault_dir / "puruto-notes" / "race"
    folder.mkdir()
    stop = threading.Event()

    def swapper() -> None:
        parked = vault_dir / "puruto-notes" / "parked"
        for _ in range(100_000):  # bounded
            if stop.is_set():
                break
            try:
                folder.rename(parked)
                folder.symlink_to(outside)
                folder.unlink()
                parked.rename(folder)
            except OSError:
                pass

    t = threading.Thread(target=swapper)
    t.start()
    outcomes = {"written": 0, "refused": 0}
    try:
        for i in range(400):
            try:
                vault_module.write(vault_dir, "puruto-notes", f"puruto-notes/race/f{i}.txt", b"x")
                outcomes["written"] += 1
            except (vault_store.VaultError, OSError):
                outcomes["refused"] += 1
    finally:
        stop.set()
        t.join(30)
    assert sum(outcomes.values()) == 400
    assert list(outside.iterdir()) == [], f"writes escaped the vault ({outcomes})"


# --- write: an endless source stops at MAX_SIZE_MB ---------------------------------------------


def test_write_from_dev_zero_stops_at_max_size_mb(notes: Vault, vault_dir: Path) -> None:
    r = notes("write", "--as", "puruto-notes", "puruto-notes/z.bin", "--from", "/dev/zero", env={"MAX_SIZE_MB": "1"})
    assert r.returncode == 1
    assert r.stderr.strip() == (
        "vault.py write: --from /dev/zero is larger than MAX_SIZE_MB (1048576 bytes): reading "
        "stopped there and nothing was written (write a smaller file, or raise MAX_SIZE_MB in "
        ".env)"
    )
    assert not (vault_dir / "puruto-notes" / "z.bin").exists()


def test_endless_standard_input_stops_at_max_size_mb(vault_dir: Path, notes: Vault) -> None:
    with open("/dev/zero", "rb") as zero:
        r = subprocess.run(
            [sys.executable, str(vault_dir / "vault.py"), "write", "--as", "puruto-notes", "puruto-notes/z.bin"],
            cwd=vault_dir,
            stdin=zero,
            capture_output=True,
            text=True,
            env=clean_env({"MAX_SIZE_MB": "0.5"}),
            timeout=60,
        )
    assert r.returncode == 1
    assert "standard input is larger than MAX_SIZE_MB (524288 bytes)" in r.stderr


def test_a_device_without_a_size_limit_is_refused(notes: Vault) -> None:
    r = notes("write", "--as", "puruto-notes", "puruto-notes/z.bin", "--from", "/dev/zero")
    assert r.returncode == 1
    assert "--from /dev/zero is a device, not a file" in r.stderr


# --- crashes: what a killed writer leaves is cleaned by the next call -------------------------


def dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_a_stale_lock_and_temp_files_of_a_killed_register_are_cleaned_by_the_next_call(
    vault: Vault, vault_dir: Path, registry: Registry, repos: Repos
) -> None:
    repos("puruto-next")
    lock = vault_dir / vault_store.LOCK_DIR
    lock.mkdir()
    import socket

    (lock / "owner").write_text(
        json.dumps({"pid": dead_pid(), "host": socket.gethostname(), "since": time.time(), "token": "x"})
    )
    (vault_dir / ".registry.json.abc123.tmp").write_text('{"half": ')
    (vault_dir / "puruto-half").mkdir()  # the folder of a register killed before it saved the entry
    r = vault("register", "puruto-next")
    assert r.returncode == 0, r.stderr
    assert not lock.exists()
    assert not (vault_dir / ".registry.json.abc123.tmp").exists()
    assert [e["name"] for e in registry()["purutos"]] == ["puruto-next"]
    check = vault("check", "--json")
    assert json.loads(check.stdout)["folders_without_entries"] == ["puruto-half"]
    assert json.loads(check.stdout)["repairs"] == [
        "python3 vault.py register puruto-half   # or move puruto-half/ out of the vault if it is not a Puruto's data"
    ]
    human = vault("check").stdout
    assert "to repair, run in this folder:\n  python3 vault.py register puruto-half" in human


def test_a_live_lock_is_waited_for_and_a_stuck_one_is_a_clear_error(vault_dir: Path) -> None:
    lock = vault_dir / vault_store.LOCK_DIR
    with vault_store.registry_lock(vault_dir):
        assert lock.is_dir()
        with pytest.raises(
            vault_store.VaultError,
            match=r"locked by another process for over 0.2 s .* delete the "
            r"folder",
        ):
            with vault_store.registry_lock(vault_dir, wait_sec=0.2):
                pass
    assert not lock.exists()


def test_kill_9_during_register_never_corrupts_and_the_next_call_cleans_up(
    vault_dir: Path, registry: Registry, repos: Repos
) -> None:
    repos(*[f"puruto-k{i}" for i in range(12)], "puruto-after")
    for i in range(12):
        p = subprocess.Popen(
            [sys.executable, str(vault_dir / "vault.py"), "register", f"puruto-k{i}"],
            cwd=vault_dir,
            env=clean_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.004 * i)
        p.send_signal(signal.SIGKILL)
        p.wait(30)
    r = subprocess.run(
        [sys.executable, str(vault_dir / "vault.py"), "register", "puruto-after"],
        cwd=vault_dir,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    names = [e["name"] for e in registry()["purutos"]]  # parses: never half written
    assert "puruto-after" in names
    leftovers = [
        p.name for p in vault_dir.iterdir() if p.name.endswith(".tmp") or p.name.startswith(vault_store.LOCK_DIR)
    ]
    assert leftovers == []
    report = json.loads(
        subprocess.run(
            [sys.executable, str(vault_dir / "vault.py"), "check", "--json"],
            cwd=vault_dir,
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
    )
    assert sorted(report["repairs"]) == sorted(
        f"python3 vault.py register {f}   # or move {f}/ out of the vault if it is not a Puruto's data"
        for f in report["folders_without_entries"]
    )


def test_temp_files_of_a_killed_write_are_cleaned_by_the_next_write(notes: Vault, vault_dir: Path) -> None:
    leftover = vault_dir / "puruto-notes" / ".a.txt.deadbeef.tmp"
    leftover.write_bytes(b"half")
    assert notes("write", "--as", "puruto-notes", "puruto-notes/a.txt", "--text", "whole").returncode == 0
    assert not leftover.exists()
    assert (vault_dir / "puruto-notes" / "a.txt").read_text() == "whole"
