"""Small builders the tests share: a target Puruto with skills, a request, a Call."""

from __future__ import annotations

from pathlib import Path

from puruto_runtime.adapters.base import Call
from puruto_runtime.invocation import build_request
from puruto_runtime.shapes import InvocationRequest


def make_target(parent: Path, name: str = "puruto-b", skills: dict[str, str] | None = None) -> Path:
    """parent/name with .claude/skills/<skill>/SKILL.md whose allowed-tools are the given text."""
    target = parent / name
    for skill, tools in (skills if skills is not None else {"status": ""}).items():
        folder = target / ".claude" / "skills" / skill
        folder.mkdir(parents=True)
        front = f"allowed-tools: {tools}\n" if tools else ""
        (folder / "SKILL.md").write_text(f"---\nname: {skill}\n{front}---\n# /{skill}\n", encoding="utf-8")
    target.mkdir(parents=True, exist_ok=True)
    return target


def request(action: str = "status", prompt: str = "hello", target: str = "puruto-b") -> InvocationRequest:
    return build_request("puruto-a", target, action, prompt, 30, hop=0)


def call(
    tools: tuple[str, ...] = (),
    action: str = "status",
    target_dir: Path = Path("/tmp/puruto-b"),
    settings: dict[str, str] | None = None,
    prompt: str = "hello",
) -> Call:
    return Call(request(action, prompt), target_dir, tools, settings or {})
