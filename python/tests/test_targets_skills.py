"""Target resolution (registry, sibling, refused paths), the skill check, allowed-tools, the message,
the chain variables and the invoker's own settings."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import make_target, request

from puruto_runtime import chain
from puruto_runtime.config import checked_dotenv, load_settings, read_dotenv
from puruto_runtime.errors import IpcError
from puruto_runtime.skills import agent_message, allowed_tools, check_skill, granted_tools, target_skills
from puruto_runtime.targets import resolve_target


def test_a_sibling_is_found_and_a_missing_one_says_what_was_tried(tmp_path: Path) -> None:
    root = make_target(tmp_path, "puruto-a")
    b = make_target(tmp_path, "puruto-b")
    assert resolve_target("puruto-b", root, {}) == b.resolve()
    with pytest.raises(IpcError) as caught:
        resolve_target("puruto-none", root, {})
    assert caught.value.code == "TARGET_NOT_FOUND"
    assert caught.value.details["tried"] == [str(tmp_path / "puruto-none")]


def test_a_registry_path_inside_the_ecosystem_wins_and_one_outside_is_denied(tmp_path: Path) -> None:
    root = make_target(tmp_path, "puruto-a")
    elsewhere = make_target(tmp_path / "apps", "b-real")
    vault = tmp_path / "puruto-data"
    vault.mkdir()
    entry = {"name": "puruto-b", "path": "../apps/b-real"}
    (vault / "registry.json").write_text(json.dumps({"purutos": [entry]}), encoding="utf-8")
    assert resolve_target("puruto-b", root, {}) == elsewhere.resolve()
    entry["path"] = "/etc"
    (vault / "registry.json").write_text(json.dumps({"purutos": [entry]}), encoding="utf-8")
    with pytest.raises(IpcError) as caught:
        resolve_target("puruto-b", root, {})
    assert (caught.value.code, caught.value.details["reason"]) == ("DENIED", "path_outside_ecosystem")


@pytest.mark.parametrize("name", ["../x", ".hidden", "a/b", "", "."])
def test_names_that_could_escape_are_denied(tmp_path: Path, name: str) -> None:
    with pytest.raises(IpcError) as caught:
        resolve_target(name, tmp_path, {})
    assert caught.value.code == "DENIED"


def test_the_skill_check(tmp_path: Path) -> None:
    target = make_target(tmp_path, skills={"status": "", "plan-day": "Read"})
    assert target_skills(target) == ["plan-day", "status"]
    check_skill(request("status"), target)
    check_skill(request("message"), target)  # free text: no skill named
    with pytest.raises(IpcError) as caught:
        check_skill(request("deploy"), target)
    assert caught.value.code == "TARGET_NOT_FOUND"
    assert caught.value.details == {"reason": "skill_not_found", "action": "deploy", "skills": ["plan-day", "status"]}


def test_allowed_tools_in_every_form(tmp_path: Path) -> None:
    md = tmp_path / "SKILL.md"
    for front, tools in [
        ("allowed-tools: Read, Bash(python3:*)", ["Read", "Bash(python3:*)"]),
        ("allowed-tools: [Read, Write]", ["Read", "Write"]),
        ("allowed-tools: Read Grep", ["Read", "Grep"]),
        ("allowed-tools:\n  - Read\n  - 'Bash(git status)'\nother: x", ["Read", "Bash(git status)"]),
        ("name: x", []),
    ]:
        md.write_text(f"---\n{front}\n---\nbody\n", encoding="utf-8")
        assert allowed_tools(md) == tools, front
    md.write_text("no frontmatter\nallowed-tools: Read\n", encoding="utf-8")
    assert allowed_tools(md) == []


def test_granted_tools_of_a_skill_and_of_a_message(tmp_path: Path) -> None:
    target = make_target(tmp_path, skills={"a": "Read, Bash(python3:*)", "b": "Read, Write"})
    assert granted_tools(request("a"), target) == ("Read", "Bash(python3:*)")
    assert granted_tools(request("message"), target) == ("Read", "Bash(python3:*)", "Write")


def test_the_message_names_the_skill_in_the_agents_syntax() -> None:
    assert agent_message(request("status", "brief")).startswith(
        "/status brief\n\nThis request comes from the Puruto puruto-a through IPC."
    )
    assert agent_message(request("status"), "${skill}").startswith("$status hello")
    assert agent_message(request("message", "-v --help")).startswith("-v --help\n\n")


def test_the_hop_is_the_largest_of_this_process_and_its_ancestors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(chain.HOP_VAR, "3")
    assert chain.env_hop() >= 3
    monkeypatch.setenv(chain.HOP_VAR, "x")
    with pytest.raises(IpcError, match="not a whole number"):
        chain.env_hop()
    monkeypatch.delenv(chain.HOP_VAR)
    assert chain.env_hop() == max([0, *chain.ancestor_hops()])


def test_settings_come_from_the_environment_then_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("PURUTO_AGENT=stub # dry\nPURUTO_AGENT_ARGS='--x y'\n", encoding="utf-8")
    for k in ("PURUTO_AGENT", "PURUTO_AGENT_ARGS", "PURUTO_DATA_PATH"):
        monkeypatch.delenv(k, raising=False)
    assert load_settings(tmp_path)["PURUTO_AGENT"] == "stub"
    assert load_settings(tmp_path)["PURUTO_AGENT_ARGS"] == "--x y"
    monkeypatch.setenv("PURUTO_AGENT", "claude")
    assert load_settings(tmp_path)["PURUTO_AGENT"] == "claude"


def test_a_fifo_dotenv_is_an_ipc_error_for_the_invoker_and_empty_for_read_dotenv(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / ".env")
    assert read_dotenv(tmp_path / ".env") == {}
    with pytest.raises(IpcError) as caught:
        checked_dotenv(tmp_path / ".env")
    assert caught.value.code == "IPC_ERROR"
    assert "FIFO (named pipe), not a regular file" in caught.value.message
