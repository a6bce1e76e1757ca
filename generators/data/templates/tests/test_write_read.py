"""vault.py write and read: the folder boundaries, escapes, symbolic links and MAX_SIZE_MB."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import Vault


@pytest.fixture
def notes(vault: Vault) -> Vault:
    """A vault with puruto-notes and puruto-other registered."""
    for name in ("puruto-notes", "puruto-other"):
        assert vault("register", name).returncode == 0
    return vault


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_write_own_folder_from_stdin_file_and_text(notes: Vault, vault_dir: Path, tmp_path: Path) -> None:
    r = notes("write", "--as", "puruto-notes", "puruto-notes/2025/today.md", input="line 1\nline 2\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("wrote puruto-notes/2025/today.md (14 bytes")
    assert (vault_dir / "puruto-notes/2025/today.md").read_text() == "line 1\nline 2\n"
    source = tmp_path / "src.json"
    source.write_text('{"a": 1}')
    assert notes("write", "--as", "puruto-notes", "puruto-notes/a.json", "--from", str(source)).returncode == 0
    assert (vault_dir / "puruto-notes/a.json").read_text() == '{"a": 1}'
    r = notes("write", "--as", "puruto-notes", "puruto-notes/a.json", "--text", "replaced", "--json")
    assert json.loads(r.stdout) == {
        "status": "ok",
        "path": "puruto-notes/a.json",
        "bytes": 8,
        "vault_bytes": json.loads(r.stdout)["vault_bytes"],
        "max_size_mb": 0,
    }
    assert (vault_dir / "puruto-notes/a.json").read_text() == "replaced"
    r = notes("write", "--as", "puruto-notes", "puruto-notes/a.json/inside.txt", "--text", "x")
    assert r.returncode == 1
    assert "puruto-notes/a.json is a file, so it cannot hold puruto-notes/a.json/inside.txt" in r.stderr
    assert notes("write", "--as", "puruto-notes", "puruto-notes/2025", "--text", "x").returncode == 1  # a folder


def test_write_shared_is_open_to_every_registered_puruto(notes: Vault, vault_dir: Path) -> None:
    assert notes("write", "--as", "puruto-other", "shared/contacts.csv", "--text", "ana").returncode == 0
    assert notes("write", "--as", "puruto-notes", "shared/contacts.csv", "--text", "ana,bo").returncode == 0
    assert (vault_dir / "shared/contacts.csv").read_text() == "ana,bo"


def test_write_refuses_another_purutos_folder_and_unregistered_callers(notes: Vault, vault_dir: Path) -> None:
    r = notes("write", "--as", "puruto-notes", "puruto-other/steal.txt", "--text", "x")
    assert r.returncode == 1
    assert "may write only inside puruto-notes/ or shared/" in r.stderr
    r = notes("write", "--as", "puruto-ghost", "shared/x.txt", "--text", "x")
    assert r.returncode == 1
    assert "puruto-ghost is not registered" in r.stderr
    r = notes("write", "--as", "../x", "shared/x.txt", "--text", "x")
    assert r.returncode == 1
    assert "could escape the vault" in r.stderr
    assert not (vault_dir / "puruto-other/steal.txt").exists()
    assert not (vault_dir / "shared/x.txt").exists()


@pytest.mark.parametrize(
    "path",
    [
        "/tmp/escape.txt",
        "../escape.txt",
        "puruto-notes/../../escape.txt",
        "puruto-notes/../puruto-other/x",
        "shared/../registry.json",
        "registry.json",
        "puruto-notes",
        "shared/",
        "puruto-notes/.hidden",
        ".git/config",
        "puruto-notes\\x",
        "",
        "C:/escape.txt",
    ],
)
def test_write_refuses_paths_outside_the_callers_area(notes: Vault, vault_dir: Path, path: str) -> None:
    before = files_under(vault_dir.parent)
    r = notes("write", "--as", "puruto-notes", path, "--text", "x")
    assert r.returncode == 1, r.stdout
    assert r.stderr.startswith("vault.py write: ")
    assert "Traceback" not in r.stderr
    assert files_under(vault_dir.parent) == before


def test_write_refuses_symbolic_link_escapes(notes: Vault, vault_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "target.txt").write_text("original")
    os.symlink(outside, vault_dir / "shared" / "linkdir")
    os.symlink(outside / "target.txt", vault_dir / "puruto-notes" / "file-link")
    for path in ("shared/linkdir/new.txt", "puruto-notes/file-link"):
        r = notes("write", "--as", "puruto-notes", path, "--text", "pwned")
        assert r.returncode == 1
        assert "symbolic link" in r.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["target.txt"]
    assert (outside / "target.txt").read_text() == "original"
    r = notes("read", "shared/linkdir/target.txt")
    assert r.returncode == 1
    assert "symbolic link" in r.stderr


def test_max_size_mb_caps_the_vault(notes: Vault, vault_dir: Path) -> None:
    small = {"MAX_SIZE_MB": "0.01"}  # 10,485 bytes
    assert notes("write", "--as", "puruto-notes", "puruto-notes/a.bin", "--text", "a" * 6000, env=small).returncode == 0
    r = notes("write", "--as", "puruto-notes", "puruto-notes/b.bin", "--text", "b" * 6000, env=small)
    assert r.returncode == 1
    assert "over MAX_SIZE_MB=0.01" in r.stderr
    assert "nothing was written" in r.stderr
    assert not (vault_dir / "puruto-notes/b.bin").exists()
    # replacing a file counts its new size, not both
    assert notes("write", "--as", "puruto-notes", "puruto-notes/a.bin", "--text", "c" * 9000, env=small).returncode == 0
    # 0 = no limit
    assert (
        notes(
            "write", "--as", "puruto-notes", "puruto-notes/b.bin", "--text", "b" * 20000, env={"MAX_SIZE_MB": "0"}
        ).returncode
        == 0
    )
    status = json.loads(notes("status", "--json", env=small).stdout)
    assert status["max_size_mb"] == 0.01
    assert any("over MAX_SIZE_MB=0.01" in p for p in status["problems"])


def test_max_size_mb_from_dotenv_and_invalid_values(notes: Vault, vault_dir: Path) -> None:
    (vault_dir / ".env").write_text("# local\nMAX_SIZE_MB=0.001\n")
    r = notes("write", "--as", "puruto-notes", "shared/big.txt", "--text", "x" * 2000)
    assert r.returncode == 1
    assert "over MAX_SIZE_MB=0.001" in r.stderr
    (vault_dir / ".env").write_text("MAX_SIZE_MB=lots\n")
    r = notes("write", "--as", "puruto-notes", "shared/big.txt", "--text", "x")
    assert r.returncode == 1
    why = "MAX_SIZE_MB='lots' must be a number of megabytes >= 0 (0 = no limit): fix it in .env (default 0)"
    assert why in r.stderr
    assert notes("status").returncode == 0  # status reports it, never crashes


def test_the_env_example_value_applies_until_env_sets_one(notes: Vault, vault_dir: Path) -> None:
    (vault_dir / ".env.example").write_text("MAX_SIZE_MB=0.001 # a note\n")
    r = notes("write", "--as", "puruto-notes", "shared/big.txt", "--text", "x" * 2000)
    assert r.returncode == 1 and "over MAX_SIZE_MB=0.001" in r.stderr
    (vault_dir / ".env").write_text("export MAX_SIZE_MB='0'\r\n")
    assert notes("write", "--as", "puruto-notes", "shared/big.txt", "--text", "x" * 2000).returncode == 0


def test_an_env_file_that_is_a_fifo_is_an_error_not_a_wait(notes: Vault, vault_dir: Path) -> None:
    os.mkfifo(vault_dir / ".env")
    r = notes("write", "--as", "puruto-notes", "shared/a.txt", "--text", "x")
    assert r.returncode == 1
    assert f"{vault_dir / '.env'} is a FIFO (named pipe), not a regular file: it is not read" in r.stderr


def test_read_files_and_folders(notes: Vault) -> None:
    notes("write", "--as", "puruto-notes", "puruto-notes/n/one.md", "--text", "héllo")
    notes("write", "--as", "puruto-notes", "shared/two.md", "--text", "2")
    r = notes("read", "puruto-notes/n/one.md")
    assert r.returncode == 0
    assert r.stdout == "héllo"
    assert notes("read", "puruto-notes").stdout.splitlines() == ["puruto-notes/n/one.md"]
    listing = json.loads(notes("read", "shared", "--json").stdout)
    assert listing == {"path": "shared", "files": ["shared/two.md"]}
    content = json.loads(notes("read", "puruto-notes/n/one.md", "--json").stdout)
    assert content == {"path": "puruto-notes/n/one.md", "bytes": 6, "content": "héllo"}
    assert notes("read", "registry.json").returncode == 0


@pytest.mark.parametrize(
    "path", ["../puruto-data/registry.json", "/etc/hostname", "shared/../../x", ".env", "shared/missing.txt", ""]
)
def test_read_stays_inside_the_vault(notes: Vault, path: str) -> None:
    r = notes("read", path)
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr.startswith("vault.py read: ")
    assert "Traceback" not in r.stderr


def test_errors_in_json_mode_are_json_too(notes: Vault) -> None:
    r = notes("write", "--as", "puruto-notes", "../x", "--text", "x", "--json")
    assert r.returncode == 1
    assert json.loads(r.stdout)["status"] == "error"
