"""puruto-gateway: the local REST API of a Puruto ecosystem (FastAPI).

Run:  uvicorn app:app --host 127.0.0.1 --port 8787
 or:  python3 app.py   (host and port from PURUTO_GATEWAY_HOST / PURUTO_GATEWAY_PORT)
Settings come from the process environment first, then this repo's .env.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))  # routes/auth/registry/invoker live beside this file

from dotenv import dotenv_values  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from fastapi.responses import JSONResponse  # noqa: E402

from registry import Registry  # noqa: E402
from routes import MAX_BODY_BYTES, build_router  # noqa: E402

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8787


def settings_reader(root: Path) -> Callable[[str], str]:
    """setting(name): the process environment, else the value read once from <root>/.env."""
    path = root / ".env"
    from_file = {k: v or "" for k, v in dotenv_values(path).items()} if path.is_file() else {}
    return lambda key: os.environ.get(key) or from_file.get(key, "")


class BodyLimit:
    """Refuses a request whose Content-Length is over the limit (413) before reading it."""

    def __init__(self, app, limit: int = MAX_BODY_BYTES):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            for key, value in scope.get("headers") or []:
                if key == b"content-length":
                    try:
                        too_large = int(value) > self.limit
                    except ValueError:
                        too_large = False
                    if too_large:
                        response = JSONResponse({"detail": f"request body is larger than {self.limit} bytes (64 KiB)"}, status_code=413)
                        await response(scope, receive, send)
                        return
        await self.app(scope, receive, send)


def create_app(root: Path = ROOT) -> FastAPI:
    """The gateway of the repo at `root` (tests pass a temporary one)."""
    root = Path(root).resolve()
    setting = settings_reader(root)
    registry = Registry(root, setting)
    app = FastAPI(title="puruto-gateway", description="Local REST API of a Puruto ecosystem")
    app.state.registry = registry
    app.include_router(build_router(root, registry, setting))
    app.add_middleware(BodyLimit)
    return app


app = create_app()


def main() -> None:
    import uvicorn

    setting = settings_reader(ROOT)
    uvicorn.run(app, host=setting("PURUTO_GATEWAY_HOST") or DEFAULT_HOST,
                port=int(setting("PURUTO_GATEWAY_PORT") or DEFAULT_PORT))


if __name__ == "__main__":
    main()
