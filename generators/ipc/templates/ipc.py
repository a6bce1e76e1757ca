#!/usr/bin/env python3
"""IPC client of a Puruto: checks .puruto-ipc.json, then delegates through invoker.py.

Usage: python3 ipc.py --target T --action A --prompt P [--timeout S] [--hop N]
Prints {"request": ..., "response": ...}. Exit 0 when the response is ok, 1 when it is an error.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
import invoker  # noqa: E402


def load_config() -> dict:
    with open(ROOT / ".puruto-ipc.json", encoding="utf-8") as fh:
        config = json.load(fh)
    if not isinstance(config, dict):
        raise ValueError(".puruto-ipc.json must hold a JSON object")
    return config


def check(config: dict, target: str, action: str, hop: int) -> tuple[str, str] | None:
    """None when allowed, else (code, message). Deny-by-default."""
    if config.get("enabled") is not True:
        return "DENIED", "IPC is disabled (.puruto-ipc.json enabled is not true)"
    targets = config.get("allowed_targets") or []
    if target not in targets:
        return "DENIED", f"target {target!r} is not in allowed_targets of .puruto-ipc.json"
    actions = (config.get("allowed_actions") or {}).get(target) or []
    if action not in actions:
        return "DENIED", f"action {action!r} is not allowed for {target!r} in allowed_actions of .puruto-ipc.json"
    max_hops = config.get("max_hops", 2)
    if hop >= max_hops:
        return "DENIED", f"hop {hop} reaches max_hops {max_hops}: delegation chain too long"
    return None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", required=True)
    p.add_argument("--action", required=True)
    p.add_argument("--prompt", required=True)
    p.add_argument("--timeout", type=float)
    p.add_argument("--hop", type=int, default=int(os.environ.get("PURUTO_IPC_HOP", "0") or 0))
    args = p.parse_args(argv)
    request = None
    try:
        config = load_config()
        timeout = args.timeout or config.get("default_timeout_sec") or 120
        request = invoker.build_request(
            caller=str(config.get("owner") or ROOT.name), target=args.target, action=args.action,
            prompt=args.prompt, timeout_sec=timeout, hop=args.hop,
        )
        denied = check(config, args.target, args.action, args.hop)
        response = invoker.error_result(request, *denied, 0) if denied else invoker.invoke(request)
    except Exception as exc:  # any unexpected failure is still a structured answer
        response = {"request_id": (request or {}).get("request_id"), "correlation_id": (request or {}).get("correlation_id"),
                    "status": "error", "duration_ms": 0,
                    "error": {"code": "IPC_ERROR", "message": str(exc), "details": {"type": type(exc).__name__}}}
    print(json.dumps({"request": request, "response": response}, indent=2))
    return 0 if response.get("status") == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
