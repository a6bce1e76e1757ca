#!/usr/bin/env python3
"""Invoker of a Puruto: runs another Puruto's agent headless and maps its answer.

Usage: python3 invoker.py --target T --action A --prompt P [--caller C] [--timeout S]
       python3 invoker.py --adapters     (the adapter table as JSON)
       python3 invoker.py --help         (the settings it reads)

The standard's entry point at the path SPEC §4 names. The code is the vendored package
puruto_runtime/ beside this file (one module per job, one per agent adapter); this file keeps
the names other code uses: `import invoker; invoker.invoke(invoker.build_request(...))`.
Do not edit it here: `puruto update` brings a newer runtime.
"""

from __future__ import annotations

import sys

from puruto_runtime.chain import CALLER_VAR, CORRELATION_VAR, HOP_VAR, ancestor_hops, env_hop
from puruto_runtime.cli import main, positive
from puruto_runtime.config import ROOT, SETTINGS, load_settings, read_dotenv
from puruto_runtime.errors import IpcError
from puruto_runtime.invocation import build_request, error_result, ok_result
from puruto_runtime.invoke import invoke, stub_summary
from puruto_runtime.skills import MESSAGE_ACTION, agent_message, allowed_tools, check_skill, granted_tools
from puruto_runtime.targets import resolve_target

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

# The names other code uses (ipc.py, the kinds' routes.py / router.py / executor.py, the tests); those of
# LAZY below are there too, loaded on first use.
__all__ = [
    "CALLER_VAR",
    "CORRELATION_VAR",
    "HOP_VAR",
    "MESSAGE_ACTION",
    "ROOT",
    "SETTINGS",
    "IpcError",
    "agent_message",
    "allowed_tools",
    "ancestor_hops",
    "build_request",
    "check_skill",
    "env_hop",
    "error_result",
    "granted_tools",
    "invoke",
    "load_settings",
    "main",
    "ok_result",
    "positive",
    "read_dotenv",
    "resolve_target",
    "stub_summary",
]

# Loaded on first use only: process control (subprocess, threads), the facts (every adapter), the types (typing).
LAZY = {
    "reap_orphans": "puruto_runtime.process",
    "run_agent": "puruto_runtime.process",
    "kill_tree": "puruto_runtime.process",
    "adapter_facts": "puruto_runtime.facts",
    "InvocationRequest": "puruto_runtime.shapes",
    "InvocationResult": "puruto_runtime.shapes",
}


def __getattr__(name: str) -> Any:
    if name in LAZY:
        import importlib

        return getattr(importlib.import_module(LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    sys.exit(main())
