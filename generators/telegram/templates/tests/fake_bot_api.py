"""A tiny fake Telegram Bot API server on 127.0.0.1 for the tests: getMe, deleteWebhook,
getUpdates (long polling: queued updates are served as soon as they are pushed; as Telegram
does, an offset confirms and forgets every update before it, and updates fetched but not
confirmed are served again, e.g. to a bot started after one was killed),
sendMessage, sendChatAction and setMyCommands (recorded), and `true` for any other
method. Point the bot at it with PURUTO_TELEGRAM_API_BASE.

Switches: `reject_token` (every method answers 401 Unauthorized, as Telegram does for a
revoked token), `refuse_parse_mode` (a sendMessage with a parse_mode answers 400 "can't
parse entities"), `fail_send` (sendMessage answers 500). `watch`: a function called at each
recorded call, its value kept in `seen` (e.g. "had the agent finished when this was sent?").
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

T = TypeVar("T")
LONG_POLL_MAX_SEC = 1.0  # a getUpdates with nothing pending is held at most this long


class FakeBotApi:
    def __init__(self, token: str = "123:TEST"):
        self.token = token
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.seen: list[Any] = []  # what `watch` returned: the test's own snapshot
        self.updates: list[dict[str, Any]] = []
        self.sent: list[dict[str, Any]] = []
        self.fail_send = False
        self.reject_token = False
        self.refuse_parse_mode = False
        self.watch: Callable[[], Any] | None = None
        self._lock = threading.Condition()
        self._next_id = 1
        self.confirmed = 0  # the highest getUpdates offset seen: updates before it are forgotten
        self.served: list[list[int]] = []  # the update ids of each getUpdates answer
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                self.do_POST()

            def do_POST(self) -> None:
                parsed = urllib.parse.urlparse(self.path)
                parts = parsed.path.strip("/").split("/")
                if len(parts) != 2 or parts[0] != f"bot{api.token}":
                    return self.answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                params = api.parse(body, self.headers.get("Content-Type", ""), parsed.query)
                code, result = api.handle(parts[1], params)
                self.answer(code, result)

            def answer(self, code: int, data: dict[str, Any]) -> None:
                raw = json.dumps(data).encode()
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):  # the bot went away (stopped, or gave up)
                    pass

        ThreadingHTTPServer.request_queue_size = 128  # many connections at once (the default backlog is 5)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeBotApi:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def parse(body: bytes, ctype: str, query: str) -> dict[str, Any]:
        params: dict[str, Any] = {k: v[-1] for k, v in urllib.parse.parse_qs(query).items()}
        if "json" in ctype and body:
            params.update(json.loads(body))
        elif body:
            params.update({k: v[-1] for k, v in urllib.parse.parse_qs(body.decode()).items()})
        return params

    def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        seen = self.watch() if self.watch else None
        with self._lock:
            self.calls.append((method, params))
            self.seen.append(seen)
        if self.reject_token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        if method == "getMe":
            return 200, {
                "ok": True,
                "result": {"id": 42, "is_bot": True, "first_name": "Puruto", "username": "puruto_test_bot"},
            }
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            wait = min(float(params.get("timeout") or 0), LONG_POLL_MAX_SEC)
            with self._lock:
                self.confirmed = max(self.confirmed, offset)
                pending = self._lock.wait_for(
                    lambda: [u for u in self.updates if u["update_id"] >= self.confirmed], wait
                )
                self.served.append([u["update_id"] for u in pending or []])
            return 200, {"ok": True, "result": pending or []}
        if method == "sendMessage":
            if self.fail_send:
                return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}
            if self.refuse_parse_mode and params.get("parse_mode"):
                return 400, {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: can't parse entities: unsupported start tag at byte offset 0",
                }
            with self._lock:
                self.sent.append(params)
                mid = self._next_id
                self._next_id += 1
                self._lock.notify_all()
            chat = params.get("chat_id")
            return 200, {
                "ok": True,
                "result": {
                    "message_id": 1000 + mid,
                    "date": int(time.time()),
                    "chat": {"id": int(str(chat)) if str(chat).lstrip("-").isdigit() else 0, "type": "private"},
                    "text": params.get("text", ""),
                },
            }
        return 200, {"ok": True, "result": True}

    def push_message(self, user_id: int, text: str, chat_id: int | None = None, edited: bool = False) -> int:
        """Queues a message from `user_id`, as getUpdates will return it: in their private chat,
        or in the group `chat_id` (a negative id); `edited`: an edited_message update."""
        msg: dict[str, Any] = {
            "date": int(time.time()),
            "text": text,
            "chat": {"id": user_id, "type": "private", "first_name": "U"}
            if chat_id is None
            else {"id": chat_id, "type": "group", "title": "G"},
            "from": {"id": user_id, "is_bot": False, "first_name": "U"},
        }
        if text.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if edited:
            msg["edit_date"] = int(time.time())
        return self.push_update({"edited_message" if edited else "message": msg})

    def push_update(self, update: dict[str, Any]) -> int:
        """Queues an update as given (any shape: a test of what the bot cannot parse), with the
        next update_id; a message in it without message_id gets the update's id."""
        with self._lock:
            update_id = 100 + len(self.updates)
            for key in ("message", "edited_message"):
                if isinstance(update.get(key), dict):
                    update[key].setdefault("message_id", update_id)
            self.updates.append({"update_id": update_id, **update})
            self._lock.notify_all()
        return update_id

    def methods(self) -> list[str]:
        with self._lock:
            return [m for m, _ in self.calls]

    def log(self) -> list[tuple[str, dict[str, Any], Any]]:
        """Every call in the order it arrived: (method, params, value of `watch` then)."""
        with self._lock:
            return [(m, p, s) for (m, p), s in zip(self.calls, self.seen, strict=True)]

    def wait_sent(self, count: int, timeout: float = 30.0) -> list[dict[str, Any]]:
        with self._lock:
            self._lock.wait_for(lambda: len(self.sent) >= count, timeout)
            return list(self.sent)

    def wait_for(self, predicate: Callable[[FakeBotApi], T], timeout: float = 30.0) -> T:
        """Waits (bounded) until predicate(api) is truthy; returns its last value."""
        deadline = time.time() + timeout
        while True:
            value = predicate(self)
            if value or time.time() > deadline:
                return value
            time.sleep(0.05)
