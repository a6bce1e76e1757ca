"""Invoker of a Puruto: runs another Puruto's agent headless and maps its answer.

Usage: python3 invoker.py --target T --action A (--prompt=P | --prompt-file PATH) [--caller C] [--timeout S]
       python3 invoker.py --adapters     (the adapter table as JSON)
A prompt that starts with "-" is written --prompt=P; --prompt-file reads it from a UTF-8
file as it is ("-": stdin), for a long one (one argument holds at most 128 KiB on Linux).
Prints an InvocationResult as JSON; exit 0 when its status is ok, 1 when it is an error,
2 for bad arguments (with IPC_ERROR bad_arguments, null ids).
It applies no allowlist: `ipc.py` is the entry point that checks .puruto-ipc.json first.
The action is a skill of the target (checked before any agent starts) or `message` (free
text: the agent picks the skill by the target's rules). The skill's `allowed-tools` are
what the agent may use.

Settings (process environment first, then this repo's .env):
  PURUTO_AGENT          an adapter of `invoker.py --adapters` (default: the first CLI of the table
                        found on PATH); `command` and `stub` are never auto-detected
  PURUTO_AGENT_COMMAND  template run by the `command` adapter, split like a shell line
                        (no shell runs it); placeholders, each filled into its word (one
                        argument whatever the text holds): {message} {prompt} {action}
                        {target} {target_path} {caller} {request_id} {correlation_id} {hop} {tools}
  PURUTO_AGENT_ARGS     extra arguments appended to an agent CLI's command line
  PURUTO_DATA_PATH      the data vault whose registry.json locates targets (../puruto-data)
  PURUTO_ECOSYSTEM_ROOTS  more folders (":"-separated) where registry paths may point; by
                        default only the ecosystem folder (the vault's parent)
Chain variables, read from the process environment only and set for the agent it runs:
  PURUTO_IPC_CORRELATION_ID (shared along a chain), PURUTO_IPC_HOP (hop of the next
  call: this request's hop + 1), PURUTO_IPC_CALLER (the Puruto that called).
"""

from __future__ import annotations

import json
import os
import sys

from .argv import arguments_result, common_form, read_prompt
from .chain import env_hop
from .config import ROOT_DIR
from .errors import IpcError
from .invocation import build_request, error_result
from .invoke import invoke

TYPE_CHECKING = False  # typing is not imported at run time: the invoker starts faster without it
if TYPE_CHECKING:
    import argparse


def positive(text: str) -> float:
    value = float(text)
    if not value > 0 or value == float("inf"):
        import argparse

        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return int(value) if value.is_integer() else value


def help_formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's formatter at the width it would pick ($COLUMNS, else the terminal, else 80),
    found without the shutil import argparse makes for it (a call then starts faster)."""
    import argparse

    try:
        width = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        try:
            width = os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else 80
        except (AttributeError, ValueError, OSError):
            width = 80
    return argparse.RawDescriptionHelpFormatter(prog, width=width - 2)


def parsed(argv: list[str], caller: str) -> tuple[str, str, str, str, float]:
    """(caller, target, action, prompt, timeout) of the command line: its common form read directly,
    any other line by argparse (--help prints and exits; bad arguments raise IpcError)."""
    common = read_common(argv, caller)
    return common if common is not None else read_argparse(argv, caller)


def read_common(argv: list[str], caller: str) -> tuple[str, str, str, str, float] | None:
    """parsed() of a line in the common form (argv.py), without argparse; None for any other line,
    or a --timeout that positive() refuses (argparse then says why)."""
    found = common_form(argv)
    if found is None:
        return None
    timeout: float = 120
    if "--timeout" in found:
        try:
            timeout = positive(found["--timeout"])
        except Exception:
            return None
    prompt = read_prompt(found.get("--prompt"), found.get("--prompt-file"))
    return found.get("--caller", caller), found["--target"], found["--action"], prompt, timeout


def read_argparse(argv: list[str], caller: str) -> tuple[str, str, str, str, float]:
    """parsed() of any line, by argparse."""
    from .args import Arguments, add_prompt_arguments, prompt_of

    p = Arguments(prog="invoker.py", description=__doc__, formatter_class=help_formatter)
    p.add_argument("--target", required=True)
    p.add_argument("--action", required=True)
    add_prompt_arguments(p)
    p.add_argument("--caller", default=caller)
    p.add_argument("--timeout", type=positive, default=120)
    args = p.parse_args(argv)
    return args.caller, args.target, args.action, prompt_of(args), args.timeout


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--opencode-guard"]:  # the opencode adapter runs OpenCode under this guard
        from .adapters.opencode import opencode_guard

        return opencode_guard(argv[1:])
    if argv[:1] == ["--qwen-guard"]:  # the qwen adapter runs Qwen Code under this guard
        from .adapters.qwen import qwen_guard

        return qwen_guard(argv[1:])
    if argv == ["--adapters"]:  # the adapter table as JSON, for the generator's docs and tests
        from .facts import adapter_facts

        print(json.dumps(adapter_facts(), indent=2))
        return 0
    try:
        caller, target, action, prompt, timeout = parsed(argv, os.path.basename(ROOT_DIR))
    except IpcError as exc:  # JSON even for bad arguments (and the reason on stderr), exit 2
        print(f"invoker.py: error: {exc.message}", file=sys.stderr)
        print(json.dumps(arguments_result(exc), indent=2))
        return 2
    request = build_request(caller, target, action, prompt, timeout, hop=0)
    try:
        request["hop"] = env_hop()
        response = invoke(request)
    except IpcError as exc:
        response = error_result(request, exc.code, exc.message, 0, exc.details)
    print(json.dumps(response, indent=2))
    return 0 if response["status"] == "ok" else 1
