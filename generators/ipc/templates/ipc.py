#!/usr/bin/env python3
"""IPC client of a Puruto: checks .puruto-ipc.json, then delegates through invoker.py.

Usage: python3 ipc.py --target T --action A (--prompt=P | --prompt-file PATH) [--timeout S] [--hop N]
A prompt that starts with "-" is written --prompt=P; --prompt-file reads it from a UTF-8
file as it is ("-": stdin), for a long one (one argument holds at most 128 KiB on Linux).
Prints {"request": <InvocationRequest>, "response": <InvocationResult>} as JSON, always,
even when the configuration is missing or broken (error code IPC_ERROR) or the arguments
are bad (request null, IPC_ERROR with details.reason bad_arguments).
Exit code: 0 when response.status is "ok", 1 when it is "error", 2 for bad arguments.

Rules (deny-by-default): `enabled` must be true; the target must be in `allowed_targets`
(an empty list allows nothing) and the action in `allowed_actions[target]`; the hop must
stay below `max_hops`. The hop is PURUTO_IPC_HOP, set by the invoker of a parent call
(0 for a first call); --hop can raise it but never lower it below the environment's.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

ROOT = Path(__file__).resolve().parent
CONFIG = ROOT / ".puruto-ipc.json"
DEFAULT_TIMEOUT_SEC = 120
DEFAULT_MAX_HOPS = 2
sys.dont_write_bytecode = True  # keep the repo free of __pycache__
sys.path.insert(0, str(ROOT))


def unloadable(module: str, exc: Exception) -> NoReturn:
    """A missing or broken invoker.py / json_schema.py is still a JSON answer."""
    error = {
        "code": "IPC_ERROR",
        "message": f"{module} cannot be loaded: {exc}",
        "details": {"type": type(exc).__name__},
    }
    print(
        json.dumps(
            {
                "request": None,
                "response": {
                    "request_id": None,
                    "correlation_id": None,
                    "status": "error",
                    "duration_ms": 0,
                    "error": error,
                },
            },
            indent=2,
        )
    )
    sys.exit(1)


try:
    import invoker
    from invoker import IpcError
except Exception as exc:
    unloadable("invoker.py", exc)
try:
    import json_schema
except Exception as exc:
    unloadable("json_schema.py", exc)


def not_json(constant: str) -> NoReturn:
    """NaN, Infinity and -Infinity are not JSON (Python's json accepts them by default)."""
    raise ValueError(f"{constant} is not a JSON value")


def load_config() -> dict[str, Any]:
    """.puruto-ipc.json checked against .puruto-schemas/ipc.schema.json (the schema `puruto validate`
    applies); missing keys take the deny-by-default values."""
    try:
        config = json.loads(CONFIG.read_text(encoding="utf-8"), parse_constant=not_json)
    except FileNotFoundError:
        raise IpcError(
            "IPC_ERROR",
            f"{CONFIG.name} is missing: IPC is not set up here (run `yo puruto:ipc`)",
            {"reason": "config_missing"},
        ) from None
    except RecursionError:
        raise IpcError(
            "IPC_ERROR", f"{CONFIG.name} is nested too deeply to be a configuration", {"reason": "config_invalid"}
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise IpcError(
            "IPC_ERROR", f"{CONFIG.name} cannot be read as JSON: {exc}", {"reason": "config_invalid"}
        ) from None
    if not isinstance(config, dict):
        raise IpcError("IPC_ERROR", f"{CONFIG.name} must hold a JSON object", {"reason": "config_invalid"})
    # The containers are the standard's own checks (not in the schema: one problem, one finding).
    for key, cls, what in (
        ("allowed_targets", list, "a list of names"),
        ("allowed_actions", dict, "an object mapping a target to a list of actions"),
    ):
        if key in config and not isinstance(config[key], cls):
            raise IpcError(
                "IPC_ERROR",
                f"{CONFIG.name}: {key!r} must be {what}, got {json.dumps(config[key])}",
                {"reason": "config_invalid", "key": key},
            )
    try:
        problem = json_schema.first_problem(config, json_schema.load("ipc", ROOT))
    except json_schema.SchemaFileError as exc:
        raise IpcError("IPC_ERROR", str(exc), {"reason": "schema_invalid"}) from None
    if problem:
        key = str(problem.path[0]) if problem.path else ""
        where = f"{key!r}" if len(problem.path) == 1 else problem.where
        raise IpcError(
            "IPC_ERROR", f"{CONFIG.name}: {where} {problem.message}", {"reason": "config_invalid", "key": key}
        )
    return config


def check(config: dict[str, Any], target: str, action: str, hop: int) -> IpcError | None:
    """None when the call is allowed, else the DENIED error saying which rule refused it."""
    if config.get("enabled") is not True:
        return IpcError("DENIED", f"IPC is disabled here ({CONFIG.name}: enabled is not true)", {"rule": "enabled"})
    if target not in config.get("allowed_targets", []):
        return IpcError(
            "DENIED", f"target {target!r} is not in allowed_targets of {CONFIG.name}", {"rule": "allowed_targets"}
        )
    if action not in config.get("allowed_actions", {}).get(target, []):
        return IpcError(
            "DENIED",
            f"action {action!r} is not in allowed_actions[{target!r}] of {CONFIG.name}",
            {"rule": "allowed_actions"},
        )
    max_hops = config.get("max_hops", DEFAULT_MAX_HOPS)
    if hop >= max_hops:
        return IpcError(
            "DENIED",
            f"hop {hop} reaches max_hops {max_hops}: the delegation chain is too long",
            {"rule": "max_hops", "hop": hop, "max_hops": max_hops},
        )
    return None


def main(argv: list[str] | None = None) -> int:
    p = invoker.Arguments(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", required=True)
    p.add_argument("--action", required=True)
    invoker.add_prompt_arguments(p)
    p.add_argument("--timeout", type=invoker.positive, help="seconds (default: default_timeout_sec of the config)")
    p.add_argument("--hop", type=int, default=0, help="chain position; PURUTO_IPC_HOP wins when higher")
    try:
        args = p.parse_args(argv)
        prompt = invoker.prompt_of(args)
    except IpcError as exc:  # JSON even for bad arguments (and the reason on stderr), exit 2
        print(f"ipc.py: error: {exc.message}", file=sys.stderr)
        print(json.dumps({"request": None, "response": invoker.arguments_result(exc)}, indent=2))
        return 2
    start = time.monotonic()
    # A request exists even if the config cannot be read, so every answer has its ids.
    request = invoker.build_request(
        ROOT.name, args.target, args.action, prompt, args.timeout or DEFAULT_TIMEOUT_SEC, hop=max(args.hop, 0)
    )
    try:
        request["hop"] = max(args.hop, invoker.env_hop())
        config = load_config()
        request["caller"] = config.get("owner") or ROOT.name
        request["timeout_sec"] = args.timeout or config.get("default_timeout_sec", DEFAULT_TIMEOUT_SEC)
        denied = check(config, args.target, args.action, request["hop"])
        if denied:
            raise denied
        response = invoker.invoke(request)
    except IpcError as exc:
        response = invoker.error_result(
            request, exc.code, exc.message, int((time.monotonic() - start) * 1000), exc.details
        )
    except Exception as exc:  # any unexpected failure is still a structured answer
        response = invoker.error_result(
            request,
            "IPC_ERROR",
            f"unexpected failure: {exc}",
            int((time.monotonic() - start) * 1000),
            {"type": type(exc).__name__},
        )
    print(json.dumps({"request": request, "response": response}, indent=2))
    return 0 if response["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
