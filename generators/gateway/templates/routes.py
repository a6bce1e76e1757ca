"""The gateway's endpoints.

GET  /health                     no auth   {"status": "ok", "service": "puruto-gateway"}
GET  /purutos                    key       {"status": "ok", "count": N, "items": [...]}
GET  /purutos/{name}             key       {"status": "ok", "item": {...}} | 404
POST /purutos/{name}/{command}   key       {"status": "accepted", "target", "command",
                                            "payload", "invocation": {InvocationResult}}
The POST handler calls the invoker module (`invoker.invoke`), never a name of its own.
Invocations run on the gateway's own bounded pool of threads (PURUTO_GATEWAY_MAX_PARALLEL
at a time; more wait for a free slot), so a long agent call never holds up /health, the
GET routes or other invocations.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from concurrent.futures import Executor
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, Response

import invoker
from auth import api_key_dependency
from body import BadBody, parse_json
from models import COMMANDS, SERVICE, Accepted, CommandBody, Health, PurutoList, PurutoOne, body_schema, errors
from registry import Registry

DEFAULT_TIMEOUT_SEC = 120
Name = Annotated[
    str, PathParam(description="The Puruto's name, exactly as GET /purutos lists it.", examples=["puruto-data"])
]
# Declared as an enum for clients; checked by the handler (400 with the allowed list), not by FastAPI (422).
CommandName = Annotated[
    str,
    PathParam(
        description="The command to run: one of the Puruto's `commands` (any other answers 400).",
        json_schema_extra={"enum": list(COMMANDS)},
    ),
]
# The POST body is read and checked by parse_payload (strict JSON, 400 on error), not by FastAPI:
# its schema is declared for /openapi.json only.
BODY_SCHEMA = body_schema(CommandBody)


class JSONAnswer(JSONResponse):
    """A JSON answer that can always be sent: a lone surrogate in a string (from a \\ud800 escape in an agent's
    JSON output or in registry.json) is written as the JSON escape it came from instead of failing with a 500."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode(
            "utf-8", "backslashreplace"
        )


def parse_payload(body: bytes) -> dict[str, Any]:
    """The optional JSON object of a POST; empty body -> {}. (Its size was checked by body.BodyLimit.)"""
    if not body.strip():
        return {}
    try:
        payload = parse_json(body)
    except BadBody as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None
    if not isinstance(payload, dict):
        raise HTTPException(status_code=400, detail="request body must be a JSON object")
    return payload


def prompt_of(payload: dict[str, Any]) -> str:
    """What the target's agent receives: payload["prompt"] when it is text, else the payload as JSON."""
    prompt = payload.get("prompt")
    if isinstance(prompt, str):
        return prompt
    return json.dumps(payload, ensure_ascii=False) if payload else ""


def timeout_of(payload: dict[str, Any]) -> float:
    value = payload.get("timeout_sec")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 3600:
        return value
    return DEFAULT_TIMEOUT_SEC


def build_router(root: Path, registry: Registry, setting: Callable[[str], str], pool: Executor) -> APIRouter:
    """`pool` runs the invocations (a bounded thread pool, see app.invocation_pool)."""
    router = APIRouter()
    protected = [Depends(api_key_dependency(setting))]

    @router.get("/health", response_model=Health, responses=errors(413), response_description="The gateway runs.")
    async def health() -> dict[str, str]:  # on the event loop: never queues for a thread
        return {"status": "ok", "service": SERVICE}

    @router.get(
        "/purutos",
        dependencies=protected,
        response_model=PurutoList,
        responses=errors(401, 413, 503),
        response_description="Every Puruto the gateway discovered.",
    )
    async def list_purutos() -> Response:  # cached: a few stat calls
        return Response(content=registry.list_body(), media_type="application/json")

    @router.get(
        "/purutos/{name}",
        dependencies=protected,
        response_model=PurutoOne,
        responses=errors(401, 404, 413, 503),
        response_description="The Puruto of this name.",
    )
    async def get_puruto(name: Name) -> JSONResponse:
        item = registry.get(name)
        if item is None:
            raise HTTPException(status_code=404, detail="Puruto not found")
        return JSONAnswer({"status": "ok", "item": item})

    @router.post(
        "/purutos/{name}/{command}",
        dependencies=protected,
        response_model=Accepted,
        responses=errors(400, 401, 404, 413, 503),
        openapi_extra=BODY_SCHEMA,
        response_description="The command ran; `invocation` says how (status ok, or error with a code).",
    )
    async def run_command(request: Request, name: Name, command: CommandName) -> JSONResponse:
        payload = parse_payload(await request.body())
        item = registry.get(name)
        if item is None:
            raise HTTPException(status_code=404, detail="Puruto not found")
        if command not in COMMANDS or command not in item["commands"]:
            allowed = [c for c in COMMANDS if c in item["commands"]]
            raise HTTPException(
                status_code=400, detail=f"unknown command {command!r} for {name}: use one of {', '.join(allowed)}"
            )
        invocation_request = invoker.build_request(
            root.name, name, command, prompt_of(payload), timeout_of(payload), hop=0
        )
        loop = asyncio.get_running_loop()
        result = await loop.run_in_executor(pool, partial(invoker.invoke, invocation_request, root))
        return JSONAnswer(
            {"status": "accepted", "target": name, "command": command, "payload": payload, "invocation": result}
        )

    return router
