"""The command line of the JSON CLIs (invoker.py, ipc.py): bad arguments are an IpcError (then a
JSON answer), never a bare usage text; the prompt is --prompt TEXT (--prompt=TEXT when it starts
with "-") or --prompt-file PATH ("-": stdin), for a long one (one argument holds at most 128 KiB
on Linux)."""

from __future__ import annotations

import argparse
import sys

from .errors import IpcError
from .text import STDIN_MAX_BYTES

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
    if args.prompt is not None:
        return str(args.prompt)
    path = str(args.prompt_file)
    try:
        if path == "-":
            data = sys.stdin.buffer.read(STDIN_MAX_BYTES + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(STDIN_MAX_BYTES + 1)
    except OSError as exc:
        raise IpcError(
            "IPC_ERROR", f"bad arguments: --prompt-file {path}: {exc.strerror or exc}", {"reason": "bad_arguments"}
        ) from None
    if len(data) > STDIN_MAX_BYTES:
        raise IpcError(
            "IPC_ERROR",
            f"the prompt of --prompt-file {path} is over {STDIN_MAX_BYTES} bytes, more than any agent is given: "
            "shorten it",
            {"reason": "prompt_too_long", "limit_bytes": STDIN_MAX_BYTES},
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IpcError(
            "IPC_ERROR",
            f"bad arguments: --prompt-file {path} is not UTF-8 text (byte {exc.start})",
            {"reason": "bad_arguments"},
        ) from None


def arguments_result(exc: IpcError) -> dict[str, object]:
    """The InvocationResult of a call whose arguments were refused: no request, so no ids."""
    return {
        "request_id": None,
        "correlation_id": None,
        "status": "error",
        "duration_ms": 0,
        "error": {"code": exc.code, "message": exc.message, "details": exc.details},
    }
