"""The invoker's command line in its common form, read without argparse (whose import, with the
gettext and locale lookups its parser makes, costs a stub call nearly as much as the whole start of
Python), the prompt that --prompt-file names, and the answer to refused arguments.

common_form() takes only what it reads exactly as argparse would; for anything else (--help, an
abbreviated, repeated or unknown option, a value that starts with "-", a missing option ...) it
returns None and the caller hands the line to argparse (args.py), which answers as it always has."""

from __future__ import annotations

import sys

from .errors import IpcError
from .text import STDIN_MAX_BYTES

OPTIONS = ("--target", "--action", "--prompt", "--prompt-file", "--caller", "--timeout")


def common_form(argv: list[str]) -> dict[str, str] | None:
    """{option: value} of a line made of OPTIONS, each at most once, written `--name VALUE` (a
    VALUE that does not start with "-") or `--name=VALUE` (VALUE not "--"), with --target, --action and exactly one
    of --prompt and --prompt-file. None for any other line."""
    found: dict[str, str] = {}
    i = 0
    while i < len(argv):
        name, equal, value = argv[i].partition("=")
        if equal and value != "--":  # argparse drops a "--" even there
            i += 1
        elif i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            value = argv[i + 1]
            i += 2
        else:
            return None
        if name not in OPTIONS or name in found:
            return None
        found[name] = value
    if "--target" not in found or "--action" not in found or ("--prompt" in found) == ("--prompt-file" in found):
        return None
    return found


def read_prompt(prompt: str | None, prompt_file: str | None) -> str:
    """The prompt: `prompt` when given, else read from the file `prompt_file` ("-": stdin), at most
    STDIN_MAX_BYTES of UTF-8 (IpcError otherwise)."""
    if prompt is not None:
        return prompt
    path = str(prompt_file)
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
