"""The adapter registry: which adapters exist, in table order (the auto-detection order), each in
a module of its own (claude.py, codex.py, ...) imported only when that adapter is used, so a call
through one agent (or the stub) never loads the others."""

from __future__ import annotations

from ..errors import IpcError

TYPE_CHECKING = False  # typing is not imported at run time: the invoker starts faster without it

if TYPE_CHECKING:
    from .base import Adapter

# The table: one module per name, holding ADAPTER (its facts and functions). Auto-detection tries
# the adapters whose `auto` is true in this order; `command` and `stub` are never auto-detected.
NAMES = ("claude", "codex", "gemini", "opencode", "qwen", "copilot", "command", "stub")


def adapter(name: str) -> Adapter:
    """The adapter called `name` (its module imported now); KeyError when there is none."""
    if name not in NAMES:
        raise KeyError(name)
    import importlib  # (with warnings) not needed by the stub, which loads no adapter

    found: Adapter = importlib.import_module(f"{__name__}.{name}").ADAPTER
    return found


def all_adapters() -> tuple[Adapter, ...]:
    """Every adapter, in table order (imports them all: for --adapters and the docs)."""
    return tuple(adapter(name) for name in NAMES)


def syntax_of(name: str) -> str:
    """How adapter `name` names a skill in its message: the `syntax` of its row."""
    return adapter(name).syntax


def agent_name(settings: dict[str, str]) -> str:
    """PURUTO_AGENT (checked, not loaded), else the first auto-detected CLI found on PATH."""
    agent = settings.get("PURUTO_AGENT", "").strip().lower()
    if agent:
        if agent not in NAMES:
            raise IpcError(
                "IPC_ERROR", f"PURUTO_AGENT={agent!r} is unknown: use {', '.join(NAMES)}", {"reason": "not_configured"}
            )
        return agent
    import shutil

    auto = [a for a in all_adapters() if a.auto]
    for candidate in auto:
        if shutil.which(candidate.binary):
            return candidate.name
    raise IpcError(
        "IPC_ERROR",
        f"no agent CLI found on PATH ({', '.join(a.binary for a in auto)}): install one, set "
        "PURUTO_AGENT=command with PURUTO_AGENT_COMMAND, or PURUTO_AGENT=stub for a dry run",
        {"reason": "not_configured"},
    )


def pick_agent(settings: dict[str, str]) -> Adapter:
    """PURUTO_AGENT's adapter, else the first auto-detected CLI found on PATH."""
    return adapter(agent_name(settings))
