"""The command line of the JSON CLIs (invoker.py, ipc.py): bad arguments are an IpcError (then a
JSON answer), never a bare usage text; the prompt is --prompt TEXT (--prompt=TEXT when it starts
with "-") or --prompt-file PATH ("-": stdin), for a long one (one argument holds at most 128 KiB
on Linux). The common lines are read without argparse first (argv.py); this module is imported
for the others."""

from __future__ import annotations

import argparse

from .argv import arguments_result, read_prompt
from .errors import IpcError

__all__ = ["Arguments", "add_prompt_arguments", "arguments_result", "prompt_of"]

TYPE_CHECKING = False  # typing is not imported at run time: the invoker starts faster without it
if TYPE_CHECKING:
    from typing import NoReturn


class Arguments(argparse.ArgumentParser):
    """argparse for the JSON CLIs (invoker.py, ipc.py): a bad argument raises IpcError
    bad_arguments instead of printing a usage text and exiting."""

    def error(self, message: str) -> NoReturn:
        hint = (
            " (a prompt that starts with '-' is written --prompt=TEXT; a long one is read with "
            "--prompt-file PATH, '-' for stdin)"
            if "--prompt" in message
            else ""
        )
        raise IpcError(
            "IPC_ERROR",
            f"bad arguments: {message}{hint}",
            {"reason": "bad_arguments", "usage": self.format_usage().strip()},
        )


def add_prompt_arguments(p: argparse.ArgumentParser) -> None:
    """--prompt TEXT (--prompt=TEXT when it starts with "-") or --prompt-file PATH: exactly one."""
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--prompt", help="the prompt; write --prompt=TEXT when it starts with '-'")
    group.add_argument(
        "--prompt-file", metavar="PATH", help="read the prompt from this UTF-8 file as it is ('-': stdin)"
    )


def prompt_of(args: argparse.Namespace) -> str:
    """The prompt of --prompt, or read from --prompt-file (at most STDIN_MAX_BYTES, UTF-8)."""
    return read_prompt(None if args.prompt is None else str(args.prompt), args.prompt_file)
