"""Discovery: registry.json (both roots, name/id, paths, kinds, commands), sibling
folders, and the cache that is refreshed when the registry or the workspace changes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import MakeClient, Workspace
from fastapi.testclient import TestClient

from registry import DEFAULT_COMMANDS, Item, Registry, normalize


def reg(ws: Workspace, env: dict[str, str] | None = None) -> Registry:
    values = env or {}
    return Registry(ws.gateway, lambda k: values.get(k, ""))


def norm(entry: object, vault: Path) -> Item:
    """normalize() of an entry that has a usable name."""
    item = normalize(entry, vault)
    assert item is not None
    return item


def got(r: Registry, name: str) -> Item:
    item = r.get(name)
    assert item is not None
    return item


def test_registry_root_purutos_with_names(ws: Workspace) -> None:
    ws.registry(
        {
            "version": "1",
            "purutos": [
                {
                    "name": "puruto-notes",
                    "folder": "puruto-notes",
                    "registered_at": "2025-01-01T00:00:00Z",
                    "path": "../puruto-notes",
                    "kind": "standard",
                    "commands": ["init", "help", "list", "status"],
                },
                {"name": "puruto-data"},
            ],
        }
    )
    r = reg(ws)
    assert r.source() == str((ws.vault / "registry.json").resolve())
    assert r.items() == [
        {
            "name": "puruto-notes",
            "path": str((ws.base / "puruto-notes").resolve()),
            "kind": "standard",
            "commands": ["init", "help", "list", "status"],
        },
        {"name": "puruto-data", "path": None, "kind": "puruto-data", "commands": DEFAULT_COMMANDS},
    ]


def test_registry_root_repos_with_ids_for_compatibility(ws: Workspace) -> None:
    ws.registry({"repos": [{"id": "puruto-cron"}, {"id": "puruto-budget", "path": "/opt/budget"}]})
    assert reg(ws, {"PURUTO_ECOSYSTEM_ROOTS": "/opt"}).items() == [
        {"name": "puruto-cron", "path": None, "kind": "puruto-cron", "commands": DEFAULT_COMMANDS},
        {"name": "puruto-budget", "path": "/opt/budget", "kind": "standard", "commands": DEFAULT_COMMANDS},
    ]


def test_purutos_root_wins_over_repos(ws: Workspace) -> None:
    ws.registry({"purutos": [{"name": "puruto-a"}], "repos": [{"id": "puruto-b"}]})
    assert [i["name"] for i in reg(ws).items()] == ["puruto-a"]


def test_inferred_kinds_and_default_commands() -> None:
    v = Path("/vault")
    for name in ("puruto-data", "puruto-telegram", "puruto-cron", "puruto-gateway"):
        assert norm({"name": name}, v)["kind"] == name
    assert norm({"name": "puruto-notes"}, v)["kind"] == "standard"
    assert norm({"name": "puruto-x", "kind": "custom"}, v)["kind"] == "custom"
    assert norm({"name": "puruto-x", "commands": ["help"]}, v)["commands"] == ["help"]
    for bad in (None, [], "help", [1]):
        assert norm({"name": "puruto-x", "commands": bad}, v)["commands"] == DEFAULT_COMMANDS
    assert norm({"name": "puruto-x", "id": "other"}, v)["name"] == "puruto-x"


def test_relative_paths_are_relative_to_the_vault(ws: Workspace, tmp_path: Path) -> None:
    ws.registry(
        {
            "purutos": [
                {"name": "puruto-a", "path": "a"},
                {"name": "puruto-b", "path": "../b"},
                {"name": "puruto-c", "path": str(ws.base / "repos" / "c")},
            ]
        }
    )
    paths = {i["name"]: i["path"] for i in reg(ws).items()}
    assert paths == {
        "puruto-a": str((ws.vault / "a").resolve()),
        "puruto-b": str((ws.base / "b").resolve()),
        "puruto-c": str(ws.base / "repos" / "c"),
    }


OUTSIDE = {
    "puruto-etc": "/etc",
    "puruto-root": "/",
    "puruto-home": "~",
    "puruto-up": "../../..",
    "puruto-eco": "..",
    "puruto-far": None,
}


def outside_registry(ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # ~ is outside the ecosystem folder
    (tmp_path / "home").mkdir(exist_ok=True)
    far = tmp_path / "far" / "repo"
    far.mkdir(parents=True, exist_ok=True)
    paths = {**OUTSIDE, "puruto-far": str(far)}
    ws.registry(
        {"purutos": [{"name": n, "path": p} for n, p in paths.items()] + [{"name": "puruto-in", "path": "../in"}]}
    )
    return far


def test_registry_paths_outside_the_ecosystem_folder_are_ignored_and_reported(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside_registry(ws, tmp_path, monkeypatch)
    r = reg(ws)
    paths = {i["name"]: i["path"] for i in r.items()}
    assert paths == {**{n: None for n in OUTSIDE}, "puruto-in": str(ws.base / "in")}
    refused = r.refused()
    assert [line.split(":")[0] for line in refused] == list(OUTSIDE)
    assert all("outside the ecosystem folder" in line and "PURUTO_ECOSYSTEM_ROOTS" in line for line in refused)


def test_ecosystem_roots_widen_where_registry_paths_may_point(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    far = outside_registry(ws, tmp_path, monkeypatch)
    r = reg(ws, {"PURUTO_ECOSYSTEM_ROOTS": f"{tmp_path / 'nowhere'}{os.pathsep}{tmp_path / 'far'}"})
    assert got(r, "puruto-far")["path"] == str(far)
    assert got(r, "puruto-etc")["path"] is None  # only the folders listed
    assert [line.split(":")[0] for line in r.refused()] == [n for n in OUTSIDE if n != "puruto-far"]


def test_posts_to_a_registry_path_outside_the_ecosystem_are_denied_before_any_agent(
    make_client: MakeClient, ws: Workspace, auth: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """invoker.py applies the same rule: a hijacked entry never runs an agent in /etc, / or ~."""
    outside_registry(ws, tmp_path, monkeypatch)
    for name in ("puruto-etc", "puruto-root", "puruto-home", "puruto-far"):
        ws.folder(name)  # a sibling of the same name is not a way around the refusal
    log = tmp_path / "ran.log"
    monkeypatch.setenv("PURUTO_AGENT_COMMAND", f"sh -c 'echo ran >> {log}; echo {{}}'")
    client = make_client(agent="command")
    for name in ("puruto-etc", "puruto-root", "puruto-home", "puruto-far"):
        inv = client.post(f"/purutos/{name}/status", headers=auth).json()["invocation"]
        assert inv["status"] == "error", name
        assert inv["error"]["code"] == "DENIED", inv
        assert inv["error"]["details"]["reason"] == "path_outside_ecosystem"
        assert "PURUTO_ECOSYSTEM_ROOTS" in inv["error"]["message"]
    assert not log.exists(), "no agent ran"
    monkeypatch.setenv("PURUTO_ECOSYSTEM_ROOTS", str(tmp_path / "far"))
    ws.folder("../far/repo")
    inv = make_client(agent="stub").post("/purutos/puruto-far/status", headers=auth).json()["invocation"]
    assert inv["status"] == "ok" and inv["result"]["target_path"] == str(tmp_path / "far" / "repo")


def test_unusable_entries_are_skipped_and_duplicates_keep_the_first(ws: Workspace) -> None:
    ws.registry(
        {
            "purutos": [
                "puruto-str",
                {"path": "x"},
                {"name": ""},
                {"name": "../evil"},
                {"name": "a/b"},
                {"name": ".hidden"},
                {"name": 7},
                {"name": "puruto-ok", "kind": "standard"},
                {"name": "puruto-ok", "kind": "other"},
            ]
        }
    )
    assert [(i["name"], i["kind"]) for i in reg(ws).items()] == [("puruto-ok", "standard")]


def test_data_path_setting_chooses_the_vault(ws: Workspace, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    ws.registry({"purutos": [{"name": "puruto-x"}]}, vault=other)
    ws.registry({"purutos": [{"name": "puruto-default"}]})
    assert [i["name"] for i in reg(ws).items()] == ["puruto-default"]
    assert [i["name"] for i in reg(ws, {"PURUTO_DATA_PATH": str(other)}).items()] == ["puruto-x"]
    rel = os.path.relpath(other, ws.gateway)
    assert [i["name"] for i in reg(ws, {"PURUTO_DATA_PATH": rel}).items()] == ["puruto-x"]


def test_siblings_when_there_is_no_registry(ws: Workspace) -> None:
    ws.folder("puruto-notes")
    ws.folder("puruto-data")  # a vault without registry.json
    ws.folder("not-a-puruto")
    (ws.base / "puruto-file").write_text("a file, not a folder")
    r = reg(ws)
    assert r.source() == "siblings"
    assert r.items() == [
        {
            "name": "puruto-data",
            "path": str((ws.base / "puruto-data").resolve()),
            "kind": "puruto-data",
            "commands": DEFAULT_COMMANDS,
        },
        {
            "name": "puruto-notes",
            "path": str((ws.base / "puruto-notes").resolve()),
            "kind": "standard",
            "commands": DEFAULT_COMMANDS,
        },
    ]  # the gateway itself is not listed


def test_siblings_when_the_registry_does_not_parse(ws: Workspace) -> None:
    ws.folder("puruto-notes")
    for broken in ("{oops", "[]", '{"version": "1"}', '{"purutos": "nope"}', "\ufffd\x00"):
        ws.registry(broken)
        r = reg(ws)
        assert r.source() == "siblings", broken
        assert [i["name"] for i in r.items()] == ["puruto-data", "puruto-notes"]


def test_discovery_is_cached(ws: Workspace) -> None:
    ws.registry({"purutos": [{"name": "puruto-a"}]})
    r = reg(ws)
    for _ in range(5):
        r.items(), r.get("puruto-a"), r.list_body()
    assert r.loads == 1


def test_cache_refreshes_when_registry_json_changes(ws: Workspace) -> None:
    path = ws.registry({"purutos": [{"name": "puruto-a"}]})
    r = reg(ws)
    assert [i["name"] for i in r.items()] == ["puruto-a"]
    ws.registry({"purutos": [{"name": "puruto-a"}, {"name": "puruto-b"}]})
    assert [i["name"] for i in r.items()] == ["puruto-a", "puruto-b"]
    # same size, only the modification time differs
    path.write_text(json.dumps({"purutos": [{"name": "puruto-c"}, {"name": "puruto-d"}]}))
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert [i["name"] for i in r.items()] == ["puruto-c", "puruto-d"]
    path.unlink()  # gone: back to the siblings
    assert r.source() == "siblings"
    assert r.loads == 4


def test_cache_refreshes_when_the_workspace_changes(ws: Workspace) -> None:
    r = reg(ws)
    assert r.items() == []
    ws.folder("puruto-new")
    assert [i["name"] for i in r.items()] == ["puruto-new"]
    (ws.base / "puruto-new").rename(ws.base / "puruto-renamed")
    assert [i["name"] for i in r.items()] == ["puruto-renamed"]
    assert r.get("puruto-new") is None


def test_the_api_sees_registry_changes_without_a_restart(
    client: TestClient, ws: Workspace, auth: dict[str, str]
) -> None:
    ws.registry({"purutos": [{"name": "puruto-a"}]})
    assert client.get("/purutos", headers=auth).json()["count"] == 1
    assert client.get("/purutos/puruto-b", headers=auth).status_code == 404
    ws.registry({"purutos": [{"name": "puruto-a"}, {"name": "puruto-b", "kind": "custom"}]})
    body = client.get("/purutos", headers=auth).json()
    assert body["count"] == 2
    assert client.get("/purutos/puruto-b", headers=auth).json()["item"]["kind"] == "custom"


def test_returned_items_cannot_change_the_cache(ws: Workspace) -> None:
    ws.registry({"purutos": [{"name": "puruto-a"}]})
    r = reg(ws)
    r.items()[0]["commands"].append("rm")
    got(r, "puruto-a")["name"] = "x"
    assert got(r, "puruto-a")["commands"] == DEFAULT_COMMANDS
