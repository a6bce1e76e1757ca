"""puruto-gateway: the local REST API of a Puruto ecosystem (FastAPI).

Run:  uvicorn app:app --host 127.0.0.1 --port 8787
 or:  python3 app.py   (host and port from PURUTO_GATEWAY_HOST / PURUTO_GATEWAY_PORT)
Settings come from the process environment first, then this repo's .env.
PURUTO_GATEWAY_MAX_PARALLEL (default 8) bounds how many invocations run at once.
The OpenAPI document of the API is served at /openapi.json (and browsable at /docs).
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from body import BodyLimit
from models import extra_schemas
from puruto_runtime.settings import Invalid, Settings, SettingsError, integer, max_parallel, path, setting, text, valid
from registry import ROOTS_VAR, Registry
from routes import build_router

ROOT = Path(__file__).resolve().parent  # routes/auth/registry/invoker live beside this file (on sys.path with it)

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8787
DEFAULT_MAX_PARALLEL, MAX_PARALLEL_LIMIT = 8, 256
SWITCH_INTERVAL_SEC = 0.0005


@dataclass(frozen=True)
class GatewaySettings(Settings):
    """The gateway's settings, read once: the process environment first, then <root>/.env. A bad
    PURUTO_GATEWAY_MAX_PARALLEL stops the app from being created (SettingsError, one line); a bad
    port only stops `python3 app.py`, the one place that uses it."""

    api_key: str = setting("PURUTO_GATEWAY_API_KEY", text(), "")
    host: str = setting("PURUTO_GATEWAY_HOST", text(), DEFAULT_HOST)
    port: int | Invalid = setting("PURUTO_GATEWAY_PORT", integer(0, 65535), DEFAULT_PORT, deferred=True)
    data_path: Path = setting("PURUTO_DATA_PATH", path(), Path("../puruto-data"))
    ecosystem_roots: str = setting(ROOTS_VAR, text(), "")
    max_parallel: int = setting("PURUTO_GATEWAY_MAX_PARALLEL", max_parallel(MAX_PARALLEL_LIMIT), DEFAULT_MAX_PARALLEL)


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
    settings = GatewaySettings.load(root)
    registry = Registry(root, settings.text_of)
    pool = invocation_pool(settings.max_parallel)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        pool.shutdown(wait=False, cancel_futures=True)  # the server stops: queued invocations are dropped

    app = Gateway(
        title="puruto-gateway",
        description="Local REST API of a Puruto ecosystem: the Purutos it "
        "discovers and their commands. Protected routes need the X-API-Key header.",
        lifespan=lifespan,
    )
    app.state.registry, app.state.pool = registry, pool
    app.include_router(build_router(root, registry, settings.text_of, pool))
    app.add_middleware(BodyLimit)  # the one body size check, before auth and routing
    return app


try:
    app = create_app()
except SettingsError as exc:  # uvicorn app:app / python3 app.py: one line, no traceback
    raise SystemExit(f"puruto-gateway: {exc}") from None


def main() -> None:
    import uvicorn

    settings = GatewaySettings.load(ROOT)
    try:
        port = valid(settings.port)
    except SettingsError as exc:
        raise SystemExit(f"puruto-gateway: {exc}") from None
    uvicorn.run(app, host=settings.host, port=port)


if __name__ == "__main__":
    main()
