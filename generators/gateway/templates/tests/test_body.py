"""The request body: one size limit that holds for chunked bodies too, and strict JSON."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Iterator

import pytest
from conftest import Workspace
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

import body
import routes
from body import MAX_BODY_BYTES, MAX_DEPTH, BodyLimit


def run_middleware(
    chunks: Iterator[bytes], headers: Iterable[tuple[bytes, bytes]] = ()
) -> tuple[Message | None, list[Message], int]:
    """Sends `chunks` (an iterator of bytes) as one chunked request through BodyLimit.
    Returns (what the app received or None, the response messages, how many chunks were read)."""
    received: list[Message] = []
    sent: list[Message] = []
    reads = 0

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        received.append(await receive())
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def receive() -> Message:
        nonlocal reads
        chunk = next(chunks, None)
        reads += 1
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {"type": "http", "method": "POST", "path": "/purutos/x/status", "headers": list(headers)}
    asyncio.run(BodyLimit(app)(scope, receive, send))
    return (received[0] if received else None), sent, reads


def status_of(sent: list[Message]) -> int:
    status: int = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status


def test_a_chunked_body_over_the_limit_stops_being_read_at_the_limit() -> None:
    endless = (b"x" * 1024 for _ in range(200_000))  # 200 MB if it were all read
    received, sent, reads = run_middleware(endless)
    assert received is None, "the app never sees an oversized body"
    assert status_of(sent) == 413
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert (b"connection", b"close") in start["headers"], "the server is told to stop reading the upload"
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert "64 KiB" in json.loads(body)["detail"]
    assert reads == MAX_BODY_BYTES // 1024 + 1, "reading stopped right past the limit"


def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    received, sent, reads = run_middleware(
        iter([b"x"]), headers=[(b"content-length", str(MAX_BODY_BYTES + 1).encode())]
    )
    assert (received, status_of(sent), reads) == (None, 413, 0)


def test_a_body_within_the_limit_reaches_the_app_whole() -> None:
    received, sent, _ = run_middleware(iter([b"a" * 1000, b"b" * (MAX_BODY_BYTES - 1000)]))
    assert status_of(sent) == 200
    assert received == {
        "type": "http.request",
        "body": b"a" * 1000 + b"b" * (MAX_BODY_BYTES - 1000),
        "more_body": False,
    }


def test_the_size_is_checked_in_one_place() -> None:
    """The route trusts the middleware: no second limit to keep in step."""
    assert not hasattr(routes, "MAX_BODY_BYTES") and not hasattr(routes, "BodyTooLarge")
    big = MAX_BODY_BYTES * 2
    assert routes.parse_payload(b'{"prompt": "' + b"x" * big + b'"}')["prompt"] == "x" * big


def test_chunked_bodies_over_the_limit_are_413_through_the_app(
    client: TestClient, ws: Workspace, auth: dict[str, str]
) -> None:
    ws.folder("puruto-notes")
    r = client.post("/purutos/puruto-notes/status", headers=auth, content=(b" " * 1024 for _ in range(80)))
    assert r.status_code == 413
    assert r.headers["connection"] == "close"


# --- strict JSON ------------------------------------------------------------------------------


def nested(n: int) -> bytes:
    return b"[" * n + b"]" * n


@pytest.mark.parametrize(
    "text, words",
    [
        (b'{"x": NaN}', "NaN is not a JSON number"),
        (b'{"x": Infinity}', "Infinity is not a JSON number"),
        (b'{"x": -Infinity}', "-Infinity is not a JSON number"),
        (b'{"x": 1e400}', "the number 1e400 is out of range"),
        (b'{"x": -1e400}', "the number -1e400 is out of range"),
        (b'{"x": 1' + b"0" * 400 + b"}", "an integer of 401 digits is out of range"),
        (b'{"x": ' + nested(20_000) + b"}", "nested too deeply"),
        (b'{"x": ' + nested(MAX_DEPTH) + b"}", "nested too deeply"),
    ],
)
def test_non_standard_or_huge_json_is_400_with_a_clear_detail(
    client: TestClient, ws: Workspace, auth: dict[str, str], text: bytes, words: str
) -> None:
    ws.folder("puruto-notes")
    r = client.post("/purutos/puruto-notes/status", headers={**auth, "Content-Type": "application/json"}, content=text)
    assert r.status_code == 400, r.text
    assert words in r.json()["detail"]


def test_json_at_the_limits_is_accepted(client: TestClient, ws: Workspace, auth: dict[str, str]) -> None:
    ws.folder("puruto-notes")
    payload = {"deep": json.loads(nested(MAX_DEPTH - 1)), "big": 1.7e308, "int": int("9" * 308), "neg": -1e-300}
    r = client.post(
        "/purutos/puruto-notes/status",
        headers={**auth, "Content-Type": "application/json"},
        content=json.dumps(payload).encode(),
    )
    assert r.status_code == 200, r.text
    assert r.json()["payload"] == payload


def test_depth_counts_iteratively() -> None:
    assert body.depth(1) == 0
    assert body.depth({"a": [1, {"b": []}]}) == 4
    assert body.depth(json.loads(nested(900))) > MAX_DEPTH  # no RecursionError while counting


# --- UTF-8 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, words",
    [
        (b'{"prompt": "\xed\xa0\x80"}', "not valid UTF-8 JSON: the bytes at offset 12 are not UTF-8"),  # a surrogate
        (b'{"prompt": "\xff"}', "not valid UTF-8 JSON: the bytes at offset 12 are not UTF-8"),
        ('{"prompt": "hi"}'.encode("utf-16"), "not valid UTF-8 JSON: the bytes at offset 0 are not UTF-8"),
        (b'{"prompt": "\\ud800"}', "the escape \\ud800 is half of a surrogate pair"),
        (b'{"prompt": "a\\udfffb"}', "the escape \\udfff is half of a surrogate pair"),
        (b'{"\\udc80": 1}', "the escape \\udc80 is half of a surrogate pair"),
        (b'{"list": [1, {"deep": "\\ud83d"}]}', "the escape \\ud83d is half of a surrogate pair"),
    ],
)
def test_bodies_that_are_not_utf8_text_are_400_never_500(
    client: TestClient, ws: Workspace, auth: dict[str, str], text: bytes, words: str
) -> None:
    ws.folder("puruto-notes")
    r = client.post("/purutos/puruto-notes/status", headers={**auth, "Content-Type": "application/json"}, content=text)
    assert r.status_code == 400, r.text
    assert words in r.json()["detail"]


def test_utf8_text_with_escapes_emoji_and_a_bom_is_accepted(
    client: TestClient, ws: Workspace, auth: dict[str, str]
) -> None:
    ws.folder("puruto-notes")
    for text, prompt in (
        (b'{"prompt": "\\ud83d\\ude00 \\u00e9"}', "\U0001f600 \u00e9"),
        ('{"prompt": "caf\u00e9 \U0001f600"}'.encode(), "caf\u00e9 \U0001f600"),
        (b'\xef\xbb\xbf{"prompt": "bom"}', "bom"),
    ):
        r = client.post(
            "/purutos/puruto-notes/status", headers={**auth, "Content-Type": "application/json"}, content=text
        )
        assert r.status_code == 200, r.text
        assert r.json()["payload"] == {"prompt": prompt}
        assert r.json()["invocation"]["result"]["echo"]["prompt"] == prompt
