#!/usr/bin/env python3
"""Invoker of a Puruto: builds InvocationRequests and runs them through an adapter.

This version ships the `stub` adapter (deterministic echo, for tests and dry runs);
other adapters answer with a clear error until they are installed.
Usage: python3 invoker.py --target T --action A --prompt P [--caller C] [--timeout S]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from pathlib import Path


def build_request(caller: str, target: str, action: str, prompt: str, timeout_sec: float, hop: int = 0) -> dict:
    return {
        "request_id": f"req-{uuid.uuid4().hex}",
        "correlation_id": os.environ.get("PURUTO_IPC_CORRELATION_ID") or f"corr-{uuid.uuid4().hex}",
        "caller": caller, "target": target, "action": action, "prompt": prompt,
        "timeout_sec": timeout_sec, "hop": hop,
    }


def error_result(request: dict, code: str, message: str, duration_ms: int, details: dict | None = None) -> dict:
    return {"request_id": request["request_id"], "correlation_id": request["correlation_id"], "status": "error",
            "duration_ms": duration_ms, "error": {"code": code, "message": message, "details": details or {}}}


def invoke(request: dict) -> dict:
    start = time.monotonic()
    adapter = os.environ.get("PURUTO_AGENT", "stub")
    if adapter != "stub":
        return error_result(request, "IPC_ERROR", f"adapter {adapter!r} is not available in this invoker: set PURUTO_AGENT=stub",
                            int((time.monotonic() - start) * 1000))
    result = {"stub": True, "summary": f"{request['target']} would run {request['action']!r}",
              "echo": {"target": request["target"], "action": request["action"], "prompt": request["prompt"]}}
    return {"request_id": request["request_id"], "correlation_id": request["correlation_id"], "status": "ok",
            "duration_ms": int((time.monotonic() - start) * 1000), "result": result}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", required=True)
    p.add_argument("--action", required=True)
    p.add_argument("--prompt", required=True)
    p.add_argument("--caller", default=Path(__file__).resolve().parent.name)
    p.add_argument("--timeout", type=float, default=120)
    args = p.parse_args(argv)
    response = invoke(build_request(args.caller, args.target, args.action, args.prompt, args.timeout))
    print(json.dumps(response, indent=2))
    return 0 if response["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
