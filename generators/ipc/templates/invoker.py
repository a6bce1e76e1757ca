#!/usr/bin/env python3
"""Invoker of a Puruto: runs another Puruto's agent headless and maps its answer.

Usage: python3 invoker.py --target T --action A (--prompt=P | --prompt-file PATH) [--caller C] [--timeout S]
       python3 invoker.py --adapters     (the adapter table as JSON)
       python3 invoker.py --help         (the settings it reads)

The standard's entry point at the path SPEC §4 names. The code is the vendored package
puruto_runtime/ beside this file (one module per job, one per agent adapter); this file keeps
the names other code uses: `import invoker; invoker.invoke(invoker.build_request(...))`.
Do not edit it here: `puruto update` brings a newer runtime.
"""

from __future__ import annotations

import sys

from puruto_runtime.cli import main

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

    from puruto_runtime.args import Arguments, add_prompt_arguments, arguments_result, prompt_of
    from puruto_runtime.chain import CALLER_VAR, CORRELATION_VAR, HOP_VAR, ancestor_hops, env_hop
    from puruto_runtime.cli import positive
    from puruto_runtime.config import ROOT, SETTINGS, load_settings, read_dotenv
    from puruto_runtime.errors import IpcError
    from puruto_runtime.invocation import build_request, error_result, ok_result
    from puruto_runtime.invoke import invoke, stub_summary
    from puruto_runtime.skills import MESSAGE_ACTION, agent_message, allowed_tools, check_skill, granted_tools
    from puruto_runtime.targets import resolve_target
    from puruto_runtime.text import ARG_MAX_STRLEN, STDIN_MAX_BYTES, agent_text

# The names other code uses (ipc.py, the kinds' routes.py / router.py / executor.py, the tests); those of
# LAZY below are there too, loaded on first use.
__all__ = [
    "ARG_MAX_STRLEN",
    "CALLER_VAR",
    "CORRELATION_VAR",
    "HOP_VAR",
    "MESSAGE_ACTION",
    "ROOT",
    "SETTINGS",
    "STDIN_MAX_BYTES",
    "Arguments",
    "IpcError",
    "add_prompt_arguments",
    "agent_message",
    "agent_text",
    "allowed_tools",
    "ancestor_hops",
    "arguments_result",
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
    "prompt_of",
    "read_dotenv",
    "resolve_target",
    "stub_summary",
]

# Every name but main is loaded on first use, from its module: a call from the command line (main) imports
# only what it needs (no argparse for a common line, no pathlib for the stub, no process control, no typing).
LAZY = {
    **dict.fromkeys(("Arguments", "add_prompt_arguments", "arguments_result", "prompt_of"), "puruto_runtime.args"),
    **dict.fromkeys(("CALLER_VAR", "CORRELATION_VAR", "HOP_VAR", "ancestor_hops", "env_hop"), "puruto_runtime.chain"),
    "positive": "puruto_runtime.cli",
    **dict.fromkeys(("ROOT", "SETTINGS", "load_settings", "read_dotenv"), "puruto_runtime.config"),
    "IpcError": "puruto_runtime.errors",
    **dict.fromkeys(("build_request", "error_result", "ok_result"), "puruto_runtime.invocation"),
    **dict.fromkeys(("invoke", "stub_summary"), "puruto_runtime.invoke"),
    **dict.fromkeys(
        ("MESSAGE_ACTION", "agent_message", "allowed_tools", "check_skill", "granted_tools"), "puruto_runtime.skills"
    ),
    "resolve_target": "puruto_runtime.targets",
    **dict.fromkeys(("ARG_MAX_STRLEN", "STDIN_MAX_BYTES", "agent_text"), "puruto_runtime.text"),
    **dict.fromkeys(("reap_orphans", "run_agent", "kill_tree", "feed_stdin"), "puruto_runtime.process"),
    "adapter_facts": "puruto_runtime.facts",
    **dict.fromkeys(("InvocationRequest", "InvocationResult"), "puruto_runtime.shapes"),
}


def __getattr__(name: str) -> Any:
    if name in LAZY:
        import importlib

        return getattr(importlib.import_module(LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    sys.exit(main())
