"""The request body of the gateway: one size limit, read in a bounded way, and strict JSON.

- BodyLimit (ASGI middleware) is the only place the size is checked. It refuses a declared
  Content-Length over the limit before reading anything, and reads a chunked (or lying)
  body only up to the limit: past it, it stops reading and answers 413 with
  `Connection: close`, so the rest of the upload is never taken in (memory stays flat).
- parse_json() accepts standard UTF-8 JSON only: bytes that are not UTF-8 (e.g. \xed\xa0\x80, a
  surrogate encoded in UTF-8), \ud800-style escapes of a lone surrogate (not a character: the
  answer could not be encoded), NaN/Infinity, numbers outside the range of a 64-bit float
  (1e400, or integers of more than 308 digits) and documents nested deeper than MAX_DEPTH are
  refused with a clear message instead of a 500.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 64 * 1024
MAX_DEPTH = 64  # arrays/objects inside each other
MAX_INT_DIGITS = 308  # the integers a 64-bit float can hold (about 1.8e308)


class BadBody(Exception):
    """A body that is not an acceptable JSON document; str(exc) is the 400 detail."""


# --- size ---------------------------------------------------------------------------------


def too_large_detail(limit: int) -> str:
    return f"request body is larger than {limit} bytes ({limit // 1024} KiB): send a smaller JSON object"


def declared_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers") or []:
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server itself refuses a malformed Content-Length
    return None


class BodyLimit:
    """Reads the whole body (at most `limit` bytes) before the app runs, then replays it."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app, self.limit = app, limit

    async def refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = JSONResponse(
            {"detail": too_large_detail(self.limit)}, status_code=413, headers={"Connection": "close"}
        )  # the server stops reading the upload
        await response(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = declared_length(scope)
        if declared is not None and declared > self.limit:
            await self.refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: nothing to answer
                return
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self.refuse(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body, replayed = b"".join(chunks), False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: the server's http.disconnect

        await self.app(scope, replay, send)


# --- JSON ---------------------------------------------------------------------------------


def _constant(name: str) -> float:
    raise BadBody(f"request body is not valid JSON: {name} is not a JSON number (send finite numbers only)")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadBody(
            f"request body is not valid JSON: the number {text[:40]} is out of range "
            "(numbers must fit a 64-bit float, about ±1.8e308)"
        )
    return value


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise BadBody(
            f"request body is not valid JSON: an integer of {len(text.lstrip('-'))} digits is out of range "
            f"(at most {MAX_INT_DIGITS} digits, the range of a 64-bit float)"
        )
    return int(text)


def too_deep_detail() -> str:
    return f"request body is nested too deeply: at most {MAX_DEPTH} levels of arrays/objects"


def depth(value: object) -> int:
    """How many arrays/objects are nested in value (iterative: no recursion limit)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children: Iterator[object]
        if isinstance(item, dict):
            children = iter(item.values())
        elif isinstance(item, list):
            children = iter(item)
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, level + 1) for child in children)
    return deepest


def lone_surrogate(value: object) -> str | None:
    """The first string (or key) in value holding a lone surrogate (from a \\uD800-style escape), else None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii() and any("\ud800" <= ch <= "\udfff" for ch in item):
                return item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def parse_json(body: bytes) -> object:
    """A JSON document of standard UTF-8 JSON, or BadBody saying what is wrong with it."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadBody(
            f"request body is not valid UTF-8 JSON: the bytes at offset {exc.start} are not UTF-8 "
            "(send JSON encoded as UTF-8)"
        ) from None
    try:
        value = json.loads(text.removeprefix("\ufeff"), parse_constant=_constant, parse_float=_float, parse_int=_int)
    except RecursionError:
        raise BadBody(too_deep_detail()) from None
    except ValueError as exc:
        raise BadBody(f"request body is not valid JSON ({exc})") from None
    if depth(value) > MAX_DEPTH:
        raise BadBody(too_deep_detail())
    if "\\u" in text:
        bad = lone_surrogate(value)
        if bad is not None:
            code = next(ord(ch) for ch in bad if "\ud800" <= ch <= "\udfff")
            raise BadBody(
                f"request body is not valid UTF-8 JSON: the escape \\u{code:04x} is half of a surrogate "
                "pair, not a character (send each character whole)"
            )
    return value
