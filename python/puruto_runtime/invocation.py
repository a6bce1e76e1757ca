"""InvocationRequest and InvocationResult (SPEC §6): how they are made (their shapes: shapes.py)."""

from __future__ import annotations

import os

from .chain import CORRELATION_VAR, env_hop

TYPE_CHECKING = False  # typing is not imported at run time: the invoker starts faster without it
if TYPE_CHECKING:
    from typing import Any

    from .shapes import InvocationRequest, InvocationResult

TAIL = 2000  # characters of an agent's output kept in error details


def new_id() -> str:
    """A random UUID (version 4) as 32 hex digits, what uuid.uuid4().hex gives, without importing
    uuid (it loads platform code a call never needs)."""
    value = int.from_bytes(os.urandom(16), "big")
    value = (value & ~(0xF000 << 64)) | (0x4000 << 64)  # version 4
    value = (value & ~(0xC000 << 48)) | (0x8000 << 48)  # variant RFC 4122
    return f"{value:032x}"


def build_request(
    caller: str, target: str, action: str, prompt: str, timeout_sec: float, hop: int | None = None
) -> InvocationRequest:
    """An InvocationRequest. Inside a chain the correlation id and hop come from the parent."""
    return {
        "request_id": f"req-{new_id()}",
        "correlation_id": os.environ.get(CORRELATION_VAR, "").strip() or f"corr-{new_id()}",
        "caller": caller,
        "target": target,
        "action": action,
        "prompt": prompt,
        "timeout_sec": timeout_sec,
        "hop": env_hop() if hop is None else hop,
    }


def error_result(
    request: InvocationRequest, code: str, message: str, duration_ms: int = 0, details: dict[str, Any] | None = None
) -> InvocationResult:
    return {
        "request_id": request["request_id"],
        "correlation_id": request["correlation_id"],
        "status": "error",
        "duration_ms": duration_ms,
        "error": {"code": code, "message": message, "details": details or {}},
    }


def ok_result(request: InvocationRequest, result: dict[str, Any], duration_ms: int) -> InvocationResult:
    return {
        "request_id": request["request_id"],
        "correlation_id": request["correlation_id"],
        "status": "ok",
        "duration_ms": duration_ms,
        "result": result,
    }


def tail(text: str) -> str:
    return text[-TAIL:]
