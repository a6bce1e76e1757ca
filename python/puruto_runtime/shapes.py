"""The JSON shapes of SPEC §6 as TypedDicts: InvocationRequest, InvocationResult and its error.
Only type checkers import this module (the runtime passes plain dicts), so a call never pays
for importing typing."""

from __future__ import annotations

from typing import Any, TypedDict


class InvocationRequest(TypedDict):
    request_id: str
    correlation_id: str
    caller: str
    target: str
    action: str
    prompt: str
    timeout_sec: float
    hop: int


class ErrorBody(TypedDict):
    code: str
    message: str
    details: dict[str, Any]


class _ResultIds(TypedDict):
    request_id: str
    correlation_id: str
    status: str  # "ok" with `result`, "error" with `error`
    duration_ms: int


class InvocationResult(_ResultIds, total=False):
    result: dict[str, Any]
    error: ErrorBody
