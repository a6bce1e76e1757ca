"""Fixtures of the vault's own tests. Every test works on a fresh copy of the vault's
runtime in a temporary folder, so the real registry.json and data are never touched."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import pytest

REPO = Path(__file__).resolve().parents[1]
RUNTIME = ["vault.py", "vault_store.py", "json_schema.py", ".env.example", ".puruto-standard-version"]


class Repos(Protocol):
    """The `repos` fixture: repos("puruto-a", ...) makes those folders beside the vault."""

    def __call__(self, *names: str) -> list[Path]: ...


class Vault(Protocol):
    """The `vault` fixture: vault("register", "puruto-x", input=..., env=..., cwd=...)."""

    def __call__(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]: ...


# The `registry` fixture: the parsed registry.json (JSON, so its values are Any).
Registry = Callable[[], dict[str, Any]]


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    """<tmp>/puruto-data: the runtime, the skills, an empty registry and shared/."""
    dest = tmp_path / "puruto-data"
    dest.mkdir()
    for name in RUNTIME:
        if (REPO / name).exists():
            shutil.copy2(REPO / name, dest / name)
    shutil.copytree(REPO / ".claude", dest / ".claude", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / ".puruto-schemas", dest / ".puruto-schemas")
    shutil.copytree(REPO / "puruto_runtime", dest / "puruto_runtime", ignore=shutil.ignore_patterns("__pycache__"))
    (dest / "registry.json").write_text(json.dumps({"version": "1", "purutos": []}, indent=2) + "\n")
    (dest / "shared").mkdir()
    (dest / "shared" / ".gitkeep").touch()
    return dest


@pytest.fixture
def repos(vault_dir: Path) -> Repos:
    """repos("puruto-a", ...): creates those Purutos' repo folders beside the vault (../<name>)."""

    def make(*names: str) -> list[Path]:
        made = [vault_dir.parent / n for n in names]
        for path in made:
            path.mkdir(parents=True, exist_ok=True)
        return made

    return make


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The test's environment without settings of the developer's shell."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAX_SIZE_MB", "PURUTO_DEBUG", "PURUTO_ECOSYSTEM_ROOTS")}
    env.update(extra or {})
    return env


@pytest.fixture
def vault(vault_dir: Path) -> Vault:
    """Runs `python3 vault.py ARGS` in the copy: vault("register", "puruto-x", input=..., env=...)."""

    def run(
        *args: str, input: str | None = None, env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(vault_dir / "vault.py"), *args],
            cwd=cwd or vault_dir,
            input=input,
            capture_output=True,
            text=True,
            env=clean_env(env),
            timeout=60,
        )

    return run


@pytest.fixture
def registry(vault_dir: Path) -> Registry:
    """The parsed registry.json of the copy (read again at each call)."""

    def read() -> dict[str, Any]:
        data: dict[str, Any] = json.loads((vault_dir / "registry.json").read_text(encoding="utf-8"))
        return data

    return read
