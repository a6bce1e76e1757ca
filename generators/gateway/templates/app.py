"""puruto-gateway: the local REST API of a Puruto ecosystem (FastAPI).

Run:  uvicorn app:app --host 127.0.0.1 --port 8787
 or:  python3 app.py   (host and port from PURUTO_GATEWAY_HOST / PURUTO_GATEWAY_PORT)
Settings come from the process environment first, then this repo's .env.
PURUTO_GATEWAY_MAX_PARALLEL (default 8) bounds how many invocations run at once.
The OpenAPI document of the API is served at /openapi.json (and browsable at /docs).
"""
from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from dotenv import dotenv_values
from fastapi import FastAPI

from body import BodyLimit
from models import extra_schemas
from registry import Registry
from routes import build_router

ROOT = Path(__file__).resolve().parent  # routes/auth/registry/invoker live beside this file (on sys.path with it)

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8787
PARALLEL_VAR, DEFAULT_MAX_PARALLEL, MAX_PARALLEL_LIMIT = "PURUTO_GATEWAY_MAX_PARALLEL", 8, 256
SWITCH_INTERVAL_SEC = 0.0005


class SettingError(ValueError):
    """A setting with a value the gateway cannot start with (one line: what and how to fix)."""


def settings_reader(root: Path) -> Callable[[str], str]:
    """setting(name): the process environment, else the value read once from <root>/.env."""
    path = root / ".env"
    from_file = {k: v or "" for k, v in dotenv_values(path).items()} if path.is_file() else {}
    return lambda key: os.environ.get(key) or from_file.get(key, "")


def max_parallel(setting: Callable[[str], str]) -> int:
    """PURUTO_GATEWAY_MAX_PARALLEL: how many invocations run at once (default 8, 1 to 256)."""
    raw = (setting(PARALLEL_VAR) or "").strip()
    if not raw:
        return DEFAULT_MAX_PARALLEL
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_PARALLEL_LIMIT:
        raise SettingError(f"{PARALLEL_VAR}={raw!r} is not a whole number from 1 to {MAX_PARALLEL_LIMIT}: "
                           f"fix it in .env (default {DEFAULT_MAX_PARALLEL})")
    return value


def invocation_pool(size: int) -> ThreadPoolExecutor:
    """The threads that run invocations: `size` at a time, the others wait for a free one.
    Separate from the server's own thread pool, so GET routes never queue behind agents.
    While many invocations start at once their threads take turns holding the GIL; a short
    switch interval (default 5 ms) gives the event loop its turn sooner, so /health stays fast."""
    sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL_SEC))
    return ThreadPoolExecutor(max_workers=size, thread_name_prefix="invocation")


class Gateway(FastAPI):
    """FastAPI whose OpenAPI document says exactly what the gateway answers: no route validates its
    parameters with FastAPI (the body is checked by body.parse_json, 400), so FastAPI's default
    422 entry, which would never happen, is left out; the body schema the POST route reads on its
    own is added to the components."""

    def openapi(self) -> dict[str, Any]:
        schema = super().openapi()
        schema.setdefault("components", {}).setdefault("schemas", {}).update(extra_schemas())
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                operation.get("responses", {}).pop("422", None)
        for unused in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(unused, None)
        return schema


def create_app(root: Path = ROOT) -> FastAPI:
    """The gateway of the repo at `root` (tests pass a temporary one)."""
    root = Path(root).resolve()
    setting = settings_reader(root)
    registry = Registry(root, setting)
    pool = invocation_pool(max_parallel(setting))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        pool.shutdown(wait=False, cancel_futures=True)  # the server stops: queued invocations are dropped

    app = Gateway(title="puruto-gateway", description="Local REST API of a Puruto ecosystem: the Purutos it "
                  "discovers and their commands. Protected routes need the X-API-Key header.", lifespan=lifespan)
    app.state.registry, app.state.pool = registry, pool
    app.include_router(build_router(root, registry, setting, pool))
    app.add_middleware(BodyLimit)  # the one body size check, before auth and routing
    return app


try:
    app = create_app()
except SettingError as exc:  # uvicorn app:app / python3 app.py: one line, no traceback
    raise SystemExit(f"puruto-gateway: {exc}") from None


def main() -> None:
    import uvicorn

    setting = settings_reader(ROOT)
    uvicorn.run(app, host=setting("PURUTO_GATEWAY_HOST") or DEFAULT_HOST,
                port=int(setting("PURUTO_GATEWAY_PORT") or DEFAULT_PORT))


if __name__ == "__main__":
    main()
