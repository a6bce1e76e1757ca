"""What every adapter is made of: the Adapter row (its documented facts and its functions), the
Call it is given, and the helpers that turn an agent's output into a result or an IpcError."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import IpcError
from ..invocation import tail
from ..shapes import InvocationRequest
from ..skills import WRITE_TOOLS, tool_base

# The script an adapter runs its guard with (`python3 <this> --opencode-guard ...`): the package's
# __main__.py, which imports the package from the folder that holds it, wherever the agent runs.
GUARD_ENTRY = Path(__file__).resolve().parents[1] / "__main__.py"


@dataclass(frozen=True)
class Call:
    """One invocation as an adapter sees it."""

    request: InvocationRequest
    target_dir: Path
    tools: tuple[str, ...]  # the granted allowed-tools, as the skills write them
    settings: dict[str, str]

    @property
    def shell(self) -> bool:
        return any(tool_base(t) == "Bash" for t in self.tools)

    @property
    def write(self) -> bool:
        return any(tool_base(t) in WRITE_TOOLS for t in self.tools)


def no_env(call: Call) -> dict[str, str]:
    return {}


@dataclass(frozen=True)
class Adapter:
    """One way of running an agent. The string fields are also the documentation: the
    generator renders the adapter lists of .env.example and the READMEs from them
    (through adapters.json, written by `python3 -m puruto_runtime.facts`)."""

    name: str
    binary: str  # executable looked up on PATH; "" when nothing is looked up
    rules: str  # the rules file the agent reads in the target
    skills: str  # where it finds the target's skills
    syntax: str  # how the message names a skill
    permissions: str  # how a skill's allowed-tools become the agent's permissions
    setup: str  # what a user does once so it runs headless
    argv: Callable[[Call], list[str]]
    parse: Callable[[int, str, str], dict[str, Any]]
    env: Callable[[Call], dict[str, str]] = no_env
    auto: bool = True  # part of auto-detection (in table order) when PURUTO_AGENT is unset
    give_up: Callable[[str], bool] | None = None  # a stdout line after which the agent is stopped


def failed(agent: str, reason: str, message: str, code: int, err: str, **extra: Any) -> IpcError:
    """An agent that answered but failed: IPC_ERROR with details.reason saying why."""
    return IpcError(
        "IPC_ERROR", message, {"agent": agent, "reason": reason, "exit_code": code, "stderr": tail(err), **extra}
    )


def parse_json_object(agent: str, code: int, out: str, err: str) -> dict[str, Any]:
    """stdout as one JSON object: garbage is INVALID_RESPONSE (IPC_ERROR if the agent also failed)."""
    try:
        data = json.loads(out)
    except ValueError:
        data = None
    if isinstance(data, dict):
        return data
    if code != 0:
        raise failed(agent, "agent_exit", f"{agent} exited with code {code} without a JSON answer", code, err)
    raise IpcError(
        "INVALID_RESPONSE",
        f"{agent} did not print a JSON object",
        {"agent": agent, "exit_code": code, "stdout": tail(out), "stderr": tail(err)},
    )


def json_lines(out: str) -> list[dict[str, Any]]:
    """The JSON objects of a JSON-lines output; other lines are skipped."""
    events = []
    for line in out.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict):
            events.append(event)
    return events


def answer(agent: str, text: object, code: int, err: str, **extra: Any) -> dict[str, Any]:
    """The result of a successful call, or `empty_answer` when the text is blank."""
    if not isinstance(text, str) or not text.strip():
        raise failed(agent, "empty_answer", f"{agent} returned an empty answer", code, err)
    return {"summary": text.strip(), "agent": agent, **extra}


def obj(value: Any) -> dict[str, Any]:
    """value when it is a JSON object, else {} (how the parsers read an optional nested object)."""
    return value if isinstance(value, dict) else {}


def user_args(call: Call) -> list[str]:
    return shlex.split(call.settings.get("PURUTO_AGENT_ARGS") or "")
