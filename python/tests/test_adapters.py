"""Each adapter: its argv and permissions from the skill's allowed-tools, and its parser on captured
output shapes of the real CLI (success, agent error, denied tool, empty answer, garbage). Plus the
registry: lazy loading, PURUTO_AGENT, auto-detection."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import call

from puruto_runtime import adapters
from puruto_runtime.adapters import claude, codex, command, copilot, gemini, opencode, qwen
from puruto_runtime.adapters.base import GUARD_ENTRY
from puruto_runtime.errors import IpcError


def lines(*events: dict[str, Any]) -> str:
    return "".join(json.dumps(e) + "\n" for e in events)


def reason(exc: pytest.ExceptionInfo[IpcError]) -> tuple[str, str]:
    return exc.value.code, str(exc.value.details.get("reason", ""))


# --- argv and permissions ------------------------------------------------------------------


def test_claude_argv_names_the_skill_and_the_allowed_tools() -> None:
    argv = claude.claude_argv(call(("Read", "Bash(python3:*)"), settings={"PURUTO_AGENT_ARGS": "--model x"}))
    assert argv[:2] == ["claude", "-p"]
    assert argv[2].startswith("/status hello")
    assert argv[3:] == ["--output-format", "json", "--allowedTools", "Read,Bash(python3:*)", "--model", "x"]
    assert claude.claude_env(call())["CLAUDE_CODE_MAX_RETRIES"]


def test_codex_sandbox_follows_the_tools_and_the_message_comes_last() -> None:
    assert codex.codex_argv(call(("Read",)))[4:6] == ["--sandbox", "read-only"]
    shell = codex.codex_argv(call(("Bash",)))
    assert shell[4:8] == ["--sandbox", "workspace-write", "-c", "sandbox_workspace_write.network_access=true"]
    assert shell[-2] == "--"
    assert shell[-1].startswith("$status hello")
    assert codex.codex_give_up(json.dumps({"type": "error", "message": "Reconnecting... 2/5 (500 Internal)"}))
    assert not codex.codex_give_up(json.dumps({"type": "error", "message": "Reconnecting... 1/5 (500 Internal)"}))
    assert not codex.codex_give_up(json.dumps({"type": "error", "message": "Reconnecting... 3/5 (wss://x down)"}))


def test_gemini_policy_from_the_allowed_tools() -> None:
    policy = gemini.gemini_policy(call(("Bash(python3:*)", "Write")))
    assert 'toolName = "activate_skill"' in policy
    assert '["write_file", "replace"]' in policy
    assert 'commandPrefix = ["python3"]' in policy
    assert 'decision = "deny"' in policy
    assert gemini.gemini_shell_prefixes(("Bash",)) is None
    assert gemini.gemini_shell_prefixes(("Read",)) == []
    argv = gemini.gemini_argv(call(("Read",)))
    assert argv[:2] == ["gemini", "-p"]
    assert Path(argv[argv.index("--policy") + 1]).is_file()


def test_opencode_permission_and_its_guard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert opencode.opencode_bash(("Bash(python3:*)",)) == {"*": "ask", "python3": "allow", "python3 *": "allow"}
    assert opencode.opencode_permission(call(("Bash", "Write", "WebFetch")))["edit"] == "allow"
    assert opencode.opencode_permission(call(("Read",))) == {
        "bash": "ask",
        "edit": "ask",
        "webfetch": "ask",
        "websearch": "ask",
        "task": "ask",
    }
    fake = tmp_path / "opencode"
    fake.write_text("#!/bin/sh\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    argv = opencode.opencode_argv(call(("Read",), prompt="spent 50 euros"))
    assert argv[:4] == [sys.executable, str(GUARD_ENTRY), "--opencode-guard", str(opencode.OPENCODE_MAX_ATTEMPTS)]
    assert str(fake) in argv
    assert "--file" in argv


def test_qwen_tools_and_its_guard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    allow, deny = qwen.qwen_tools(call(("Bash(python3:*)", "Write")))
    assert allow == ["run_shell_command(python3:*)", "write_file", "edit"]
    assert deny == []
    allow, deny = qwen.qwen_tools(call(("Read",)))
    assert allow == ["run_shell_command(denied-by-the-skill)"]
    assert deny == ["edit", "write_file", "run_shell_command(*)"]
    fake = tmp_path / "qwen"
    fake.write_text("#!/bin/sh\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    argv = qwen.qwen_argv(call(("Read",)))
    assert argv[1:3] == [str(GUARD_ENTRY), "--qwen-guard"]
    assert "--approval-mode" in argv


def test_an_opencode_or_qwen_cli_not_on_path_is_agent_not_started(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    for argv in (opencode.opencode_argv, qwen.qwen_argv):
        with pytest.raises(IpcError) as caught:
            argv(call())
        assert reason(caught) == ("IPC_ERROR", "agent_not_started")


def test_copilot_permissions() -> None:
    assert copilot.copilot_permissions(call(("Bash(python3:*)",))) == [
        "--allow-tool=shell(python3:*)",
        "--deny-tool=write",
    ]
    assert copilot.copilot_permissions(call(("Read",))) == ["--deny-tool=write", "--deny-tool=shell"]
    assert copilot.copilot_argv(call())[1].startswith('--prompt=Invoke the "status" skill')


def test_command_fills_placeholders_per_word_without_a_shell() -> None:
    settings = {"PURUTO_AGENT_COMMAND": "agent --cwd {target_path} --say {prompt} {hop}"}
    assert command.command_argv(call(settings=settings, prompt="a b; rm")) == [
        "agent",
        "--cwd",
        "/tmp/puruto-b",
        "--say",
        "a b; rm",
        "0",
    ]
    for template, why in (
        ("", "needs PURUTO_AGENT_COMMAND"),
        ("x {nope}", "unknown placeholder"),
        ("x 'open", "cannot be parsed"),
    ):
        with pytest.raises(IpcError, match=why):
            command.command_argv(call(settings={"PURUTO_AGENT_COMMAND": template}))


# --- parsers on captured outputs -------------------------------------------------------------


def test_parse_claude() -> None:
    ok = json.dumps(
        {
            "type": "result",
            "subtype": "success",
            "is_error": False,
            "result": " done ",
            "session_id": "s",
            "total_cost_usd": 0.01,
        }
    )
    assert claude.parse_claude(0, ok, "") == {
        "summary": "done",
        "agent": "claude",
        "session_id": "s",
        "total_cost_usd": 0.01,
    }
    denied = json.dumps({"subtype": "success", "result": "x", "permission_denials": [{"tool_name": "Bash"}]})
    with pytest.raises(IpcError) as caught:
        claude.parse_claude(0, denied, "")
    assert reason(caught) == ("IPC_ERROR", "permission_denied")
    with pytest.raises(IpcError) as caught:
        claude.parse_claude(1, json.dumps({"subtype": "error_during_execution", "is_error": True}), "")
    assert reason(caught) == ("IPC_ERROR", "agent_error")
    with pytest.raises(IpcError) as caught:
        claude.parse_claude(0, "1.0.0 (Claude Code)", "")
    assert caught.value.code == "INVALID_RESPONSE"
    with pytest.raises(IpcError) as caught:
        claude.parse_claude(0, json.dumps({"subtype": "success", "result": "  "}), "")
    assert reason(caught) == ("IPC_ERROR", "empty_answer")


def test_parse_codex() -> None:
    ok = lines(
        {"type": "thread.started", "thread_id": "t"},
        {"type": "turn.started"},
        {"type": "item.completed", "item": {"type": "agent_message", "text": "done"}},
        {"type": "turn.completed", "usage": {}},
    )
    assert codex.parse_codex(0, ok, "") == {"summary": "done", "agent": "codex", "thread_id": "t"}
    failed = lines(
        {"type": "thread.started", "thread_id": "t"},
        {"type": "error", "message": "Reconnecting... 2/5 (stream error)"},
        {"type": "turn.failed", "error": {"message": '{"error": {"message": "bad key"}}'}},
    )
    with pytest.raises(IpcError) as caught:
        codex.parse_codex(1, failed, "")
    assert reason(caught) == ("IPC_ERROR", "agent_error")
    assert "API error: bad key" in caught.value.message
    declined = lines(
        {"type": "item.completed", "item": {"type": "command_execution", "command": "rm", "status": "declined"}},
        {"type": "turn.completed"},
    )
    with pytest.raises(IpcError) as caught:
        codex.parse_codex(0, declined, "")
    assert reason(caught) == ("IPC_ERROR", "permission_denied")
    with pytest.raises(IpcError) as caught:
        codex.parse_codex(0, "garbage", "")
    assert caught.value.code == "INVALID_RESPONSE"


def test_parse_gemini() -> None:
    ok = lines(
        {"type": "init", "session_id": "g"},
        {"type": "message", "role": "assistant", "content": "do", "delta": True},
        {"type": "message", "role": "assistant", "content": "ne", "delta": True},
        {"type": "result", "status": "success"},
    )
    assert gemini.parse_gemini(0, ok, "") == {"summary": "done", "agent": "gemini", "session_id": "g"}
    denied = lines(
        {
            "type": "tool_result",
            "status": "error",
            "tool_id": "1",
            "error": {"type": "policy_violation", "message": "denied by policy"},
        },
        {"type": "message", "role": "assistant", "content": "could not"},
        {"type": "result", "status": "success"},
    )
    with pytest.raises(IpcError) as caught:
        gemini.parse_gemini(0, denied, "")
    assert reason(caught) == ("IPC_ERROR", "permission_denied")
    with pytest.raises(IpcError) as caught:
        gemini.parse_gemini(145, "", 'trace\n{"error": {"message": "quota", "code": 401}}\n')
    assert reason(caught) == ("IPC_ERROR", "agent_error")
    assert "quota" in caught.value.message
    with pytest.raises(IpcError) as caught:
        gemini.parse_gemini(41, "", "")
    assert "authentication error" in caught.value.message


def test_parse_opencode() -> None:
    ok = lines(
        {"type": "step_start", "sessionID": "o", "part": {}},
        {"type": "text", "part": {"text": "thinking"}},
        {"type": "step_start", "part": {}},
        {"type": "text", "part": {"text": "done"}},
        {"type": "step_finish", "part": {}},
    )
    assert opencode.parse_opencode(0, ok, "") == {"summary": "done", "agent": "opencode", "session_id": "o"}
    denied = lines(
        {
            "type": "tool_use",
            "part": {
                "tool": "bash",
                "state": {"status": "error", "error": "The user rejected permission to use this specific tool call."},
            },
        },
        {"type": "text", "part": {"text": "no"}},
    )
    with pytest.raises(IpcError) as caught:
        opencode.parse_opencode(0, denied, "")
    assert reason(caught) == ("IPC_ERROR", "permission_denied")
    with pytest.raises(IpcError) as caught:
        opencode.parse_opencode(
            1, lines({"type": "error", "error": {"name": "APIError", "data": {"message": "5xx"}}}), ""
        )
    assert reason(caught) == ("IPC_ERROR", "agent_error")
    assert "5xx" in caught.value.message


def test_parse_qwen() -> None:
    ok = lines(
        {"type": "system", "subtype": "init"},
        {"type": "result", "subtype": "success", "is_error": False, "result": "done", "session_id": "q"},
    )
    assert qwen.parse_qwen(0, ok, "") == {"summary": "done", "agent": "qwen", "session_id": "q"}
    denied = lines({"type": "result", "subtype": "success", "result": "no", "permission_denials": [{"t": 1}]})
    with pytest.raises(IpcError) as caught:
        qwen.parse_qwen(0, denied, "")
    assert reason(caught) == ("IPC_ERROR", "permission_denied")
    with pytest.raises(IpcError) as caught:
        qwen.parse_qwen(1, "", "boom")
    assert reason(caught) == ("IPC_ERROR", "agent_exit")


def test_parse_copilot() -> None:
    ok = lines(
        {"type": "session.start", "data": {}},
        {"type": "assistant.message", "data": {"content": "done"}},
        {"type": "result", "sessionId": "c", "exitCode": 0},
    )
    assert copilot.parse_copilot(0, ok, "") == {"summary": "done", "agent": "copilot", "session_id": "c"}
    denied = lines(
        {
            "type": "tool.execution_complete",
            "data": {"success": False, "toolCallId": "1", "error": {"code": "denied", "message": "no"}},
        },
        {"type": "assistant.message", "data": {"content": "x"}},
    )
    with pytest.raises(IpcError) as caught:
        copilot.parse_copilot(0, denied, "")
    assert reason(caught) == ("IPC_ERROR", "permission_denied")
    with pytest.raises(IpcError) as caught:
        copilot.parse_copilot(1, lines({"type": "session.error", "data": {"message": "401", "statusCode": 401}}), "")
    assert reason(caught) == ("IPC_ERROR", "agent_error")


def test_parse_command() -> None:
    assert command.parse_command(0, '{"summary": "ok"}', "") == {"summary": "ok"}
    with pytest.raises(IpcError) as caught:
        command.parse_command(0, '{"error": "nope"}', "")
    assert reason(caught) == ("IPC_ERROR", "agent_error")
    with pytest.raises(IpcError) as caught:
        command.parse_command(3, "not json", "")
    assert reason(caught) == ("IPC_ERROR", "agent_exit")


# --- the registry --------------------------------------------------------------------------------


def test_every_name_has_its_module_and_the_table_order_is_the_auto_detection_order() -> None:
    table = adapters.all_adapters()
    assert [a.name for a in table] == list(adapters.NAMES)
    assert [a.name for a in table if a.auto] == ["claude", "codex", "gemini", "opencode", "qwen", "copilot"]
    assert adapters.syntax_of("codex") == "${skill}"


def test_puruto_agent_is_checked_without_loading_a_module(monkeypatch: pytest.MonkeyPatch) -> None:
    assert adapters.agent_name({"PURUTO_AGENT": " Stub "}) == "stub"
    with pytest.raises(IpcError, match="PURUTO_AGENT='nope' is unknown: use claude, codex"):
        adapters.agent_name({"PURUTO_AGENT": "nope"})
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(
        IpcError, match=r"no agent CLI found on PATH \(claude, codex, gemini, opencode, qwen, copilot\)"
    ):
        adapters.agent_name({})
    with pytest.raises(KeyError):
        adapters.adapter("nope")


def test_auto_detection_takes_the_first_cli_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("gemini", "copilot"):
        (tmp_path / name).write_text("#!/bin/sh\n", encoding="utf-8")
        (tmp_path / name).chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert adapters.pick_agent({}).name == "gemini"
