"""invoke(): one call, from an InvocationRequest to an InvocationResult (SPEC §6). Resolves the
target, checks the skill, picks the adapter, runs the agent, maps its answer; never raises.
Paths are str until an agent runs: the stub answers without importing pathlib."""

from __future__ import annotations

import os
import time

from .adapters import adapter, agent_name
from .config import ROOT_DIR, load_settings
from .errors import IpcError
from .invocation import error_result, ok_result
from .skills import MESSAGE_ACTION, agent_message, check_skill, granted_tools
from .targets import target_folder

TYPE_CHECKING = False  # typing is not imported at run time: the invoker starts faster without it
if TYPE_CHECKING:
    import threading

    from .shapes import InvocationRequest, InvocationResult


def stub_summary(request: InvocationRequest) -> str:
    if request["action"] == MESSAGE_ACTION:
        return f"{request['target']} would answer the message"
    return f"{request['target']} would run /{request['action']}"


def invoke(
    request: InvocationRequest, root: str | os.PathLike[str] = ROOT_DIR, cancel: threading.Event | None = None
) -> InvocationResult:
    """Resolves the target, checks the skill, runs its agent through the chosen adapter, returns
    an InvocationResult. `cancel`: an optional threading.Event that stops a running call."""
    start = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - start) * 1000)

    try:
        settings = load_settings(root)
        target = target_folder(request["target"], os.fspath(root), settings)
        check_skill(request, target)
        name = agent_name(settings)
        if name == "stub":  # deterministic echo: nothing runs (and no adapter module is loaded)
            return ok_result(
                request,
                {
                    "stub": True,
                    "summary": stub_summary(request),
                    "target_path": target,
                    "message": agent_message(request),
                    "echo": {k: request[k] for k in ("target", "action", "prompt")},
                },
                elapsed(),
            )
        from pathlib import Path

        from .adapters.base import Call  # not needed by the stub
        from .process import run_agent  # subprocess and threads: only when an agent runs

        target_dir = Path(target)
        chosen = adapter(name)
        call = Call(request, target_dir, granted_tools(request, target_dir), settings)
        stdin = chosen.stdin(call)  # checked first (NUL, size): nothing has run yet
        code, out, err = run_agent(
            chosen.argv(call), target_dir, request, cancel, chosen.env(call), chosen.give_up, stdin
        )
        return ok_result(request, chosen.parse(code, out, err), elapsed())
    except IpcError as exc:
        return error_result(request, exc.code, exc.message, elapsed(), exc.details)
    except Exception as exc:  # never a traceback: a structured IPC_ERROR
        return error_result(request, "IPC_ERROR", f"unexpected failure: {exc}", elapsed(), {"type": type(exc).__name__})
