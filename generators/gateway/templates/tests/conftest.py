"""Fixtures of the gateway's own tests. Each test gets a temporary workspace
(<tmp>/ws/puruto-gateway beside other puruto-* folders and a vault) and a FastAPI
TestClient on an app created for that workspace: the real .env and vault are never read."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pytest

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SETTINGS = (
    "PURUTO_GATEWAY_API_KEY",
    "PURUTO_GATEWAY_HOST",
    "PURUTO_GATEWAY_PORT",
    "PURUTO_DATA_PATH",
    "PURUTO_GATEWAY_MAX_PARALLEL",
    "PURUTO_ECOSYSTEM_ROOTS",
    "PURUTO_AGENT",
    "PURUTO_AGENT_COMMAND",
    "PURUTO_AGENT_ARGS",
    "PURUTO_IPC_CORRELATION_ID",
    "PURUTO_IPC_HOP",
    "PURUTO_IPC_CALLER",
)
KEY = "test-key-0123456789abcdef"
CORE_SKILLS = ("init", "help", "list", "status")


@pytest.fixture(autouse=True)
def clean_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """No setting of the developer's shell leaks into a test."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)


class Workspace:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.gateway = base / "puruto-gateway"
        self.gateway.mkdir(parents=True)
        self.vault = base / "puruto-data"

    def folder(self, name: str, skills: tuple[str, ...] = CORE_SKILLS) -> Path:
        """A Puruto folder with these skills (.claude/skills/<s>/SKILL.md): the invoker
        refuses an action that names no skill of its target before any agent starts."""
        path = self.base / name
        for skill in skills:
            (path / ".claude" / "skills" / skill).mkdir(parents=True, exist_ok=True)
            (path / ".claude" / "skills" / skill / "SKILL.md").write_text(
                f"---\nname: {skill}\ndescription: {skill} of {path.name}\nuser-invocable: true\n---\n",
                encoding="utf-8",
            )
        path.mkdir(parents=True, exist_ok=True)
        return path

    def registry(self, data: object, vault: Path | None = None) -> Path:
        """Writes <vault>/registry.json (a dict/list as JSON, a str as is)."""
        vault = vault or self.vault
        vault.mkdir(parents=True, exist_ok=True)
        path = vault / "registry.json"
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return path


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


class MakeClient(Protocol):
    def __call__(self, key: str | None = KEY, agent: str | None = "stub") -> TestClient: ...


@pytest.fixture
def make_client(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> MakeClient:
    """make_client(key=KEY, agent="stub"): a TestClient on the gateway of `ws`."""
    from fastapi.testclient import TestClient

    import app as app_module

    def make(key: str | None = KEY, agent: str | None = "stub") -> TestClient:
        if key is not None:
            monkeypatch.setenv("PURUTO_GATEWAY_API_KEY", key)
        if agent is not None:
            monkeypatch.setenv("PURUTO_AGENT", agent)
        return TestClient(app_module.create_app(ws.gateway))

    return make


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    return make_client()


@pytest.fixture
def auth() -> dict[str, str]:
    return {"X-API-Key": KEY}
