"""API key check of the gateway's protected routes (header X-API-Key).

- no key configured (PURUTO_GATEWAY_API_KEY empty)      -> 503, the gateway refuses to serve
- the key is still the placeholder `changeme`           -> 503, with a message to change it
- header missing or wrong                               -> 401
The comparison is constant-time (hmac.compare_digest). The header is read through FastAPI's
APIKeyHeader, so /openapi.json declares the `X-API-Key` security scheme on these routes.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from fastapi import HTTPException, Security
from fastapi.security import APIKeyHeader

KEY_VAR = "PURUTO_GATEWAY_API_KEY"
PLACEHOLDER = "changeme"
HEADER = "X-API-Key"
SCHEME = APIKeyHeader(
    name=HEADER, scheme_name="ApiKey", auto_error=False, description=f"The value of {KEY_VAR} in the gateway's .env."
)


def key_state(key: str) -> str:
    """ "missing", "placeholder" or "set" (the key itself is never reported)."""
    key = (key or "").strip()
    if not key:
        return "missing"
    return "placeholder" if key.lower() == PLACEHOLDER else "set"


def key_matches(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def api_key_dependency(setting: Callable[[str], str]) -> Callable[..., Awaitable[None]]:
    """A FastAPI dependency enforcing the key read (at each request) through `setting`."""

    async def require_api_key(x_api_key: str | None = Security(SCHEME)) -> None:  # CPU only: no thread
        expected = (setting(KEY_VAR) or "").strip()
        state = key_state(expected)
        if state == "missing":
            raise HTTPException(
                status_code=503,
                detail=f"{KEY_VAR} is not set: set it in .env to a long random key "
                "(e.g. `openssl rand -hex 32`) and restart the gateway",
            )
        if state == "placeholder":
            raise HTTPException(
                status_code=503,
                detail=f"{KEY_VAR} is still the placeholder 'changeme': change it in "
                ".env to a long random key (e.g. `openssl rand -hex 32`) "
                "and restart the gateway",
            )
        if not x_api_key or not key_matches(x_api_key, expected):
            raise HTTPException(
                status_code=401, detail="missing or invalid X-API-Key header", headers={"WWW-Authenticate": HEADER}
            )

    return require_api_key
