"""Skills and permissions: the target's skills, the check that an action names one (before any
agent starts), their `allowed-tools`, and the message the target's agent is asked."""

from __future__ import annotations

import os
import re

from . import paths
from .errors import IpcError

TYPE_CHECKING = False  # typing is not imported at run time: the invoker starts faster without it
if TYPE_CHECKING:
    from pathlib import Path

    from .shapes import InvocationRequest

MESSAGE_ACTION = "message"  # reserved: free text, no skill named; the agent picks one by AGENTS.md
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def is_skill_name(text: str) -> bool:
    """The Agent Skills name rule, [a-z0-9]+(?:-[a-z0-9]+)* as a whole (checked without re)."""
    return all(part and all(c in _NAME_CHARS for c in part) for part in text.split("-"))


def target_skills(target_dir: str | os.PathLike[str]) -> list[str]:
    """The skills of a target: folders of .claude/skills holding a SKILL.md, sorted."""
    skills = os.path.join(target_dir, ".claude", "skills")
    try:
        return sorted(name for name in os.listdir(skills) if paths.is_file(os.path.join(skills, name, "SKILL.md")))
    except OSError:
        return []


def check_skill(request: InvocationRequest, target_dir: str | os.PathLike[str]) -> None:
    """Before any agent starts: the action is `message` or a skill of the target."""
    action = request["action"]
    if action == MESSAGE_ACTION:
        return
    skills = target_skills(target_dir)
    if is_skill_name(action) and action in skills:
        return
    raise IpcError(
        "TARGET_NOT_FOUND",
        f"{request['target']} has no skill {action!r} "
        f"(.claude/skills/{action}/SKILL.md); its skills: {', '.join(skills) or 'none'}; "
        f"for free text use the action {MESSAGE_ACTION!r}",
        {"reason": "skill_not_found", "action": action, "skills": skills},
    )


def allowed_tools(skill_md: Path) -> list[str]:
    """The `allowed-tools` of a SKILL.md frontmatter: a YAML list (block or [a, b]) or a
    space/comma separated string, e.g. ["Read", "Bash(python3:*)"]. Unreadable -> []."""
    try:
        text = skill_md.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return []
    tools: list[str] = []
    in_list = False
    for line in lines[1:]:
        if line.strip() == "---":
            break
        m = re.match(r"allowed-tools\s*:\s*(.*?)\s*$", line)
        if m:
            value = m.group(1).strip("[]")
            tools += [t.strip().strip("'\"") for t in re.split(r"[,\s]+(?![^(]*\))", value) if t.strip()]
            in_list = not value
        elif in_list and re.match(r"\s+-\s+", line):
            tools.append(re.sub(r"^\s+-\s+", "", line).strip().strip("'\""))
        elif in_list and line.strip() and not line.startswith((" ", "\t")):
            in_list = False
    return [t for t in tools if t]


def granted_tools(request: InvocationRequest, target_dir: Path) -> tuple[str, ...]:
    """What the headless agent may use: the skill's `allowed-tools`; for `message`, those of
    every skill of the target (the agent picks one of them by the target's rules)."""
    skills = target_skills(target_dir) if request["action"] == MESSAGE_ACTION else [request["action"]]
    granted: dict[str, None] = {}
    for skill in skills:
        for tool in allowed_tools(target_dir / ".claude" / "skills" / skill / "SKILL.md"):
            granted[tool] = None
    return tuple(granted)


def tool_base(tool: str) -> str:
    """`Bash(python3:*)` -> `Bash`."""
    return tool.split("(", 1)[0].strip()


WRITE_TOOLS = {"Write", "Edit", "MultiEdit", "NotebookEdit"}


def agent_message(request: InvocationRequest, syntax: str = "/{skill}") -> str:
    """What the target's agent is asked. A skill: its invocation in the agent's own syntax
    (e.g. `/status`, `$status`), the prompt, and where the skill is. `message`: the user's
    text as it is, after a lead line (so a text that starts with `/`, `$` or `@`, e.g. `/cost
    the notes`, is never run as the agent's own command), with how to handle it."""
    origin = f"This request comes from the Puruto {request['caller']} through IPC."
    if request["action"] == MESSAGE_ACTION:
        return (
            f"{origin} Its message, as written:\n\n{request['prompt']}\n\nFollow the rules of this repository "
            "(AGENTS.md) and use the skill of .claude/skills that fits the message, then answer with a short "
            "summary of the result."
        )
    skill = request["action"]
    return (
        f"{syntax.format(skill=skill)} {request['prompt']}\n\n{origin} Follow the `{skill}` skill of this "
        f"repository (.claude/skills/{skill}/SKILL.md) with the text above, then answer with a short "
        "summary of the result."
    )
