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
from concurrent.futures import Executor
from functools import partial
from pathlib import Path
from typing import Callable

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response

import invoker
from auth import api_key_dependency
from body import BadBody, parse_json
from registry import Registry

SERVICE = "puruto-gateway"
COMMANDS = ("init", "help", "list", "status")
DEFAULT_TIMEOUT_SEC = 120


def parse_payload(body: bytes) -> dict:
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


def prompt_of(payload: dict) -> str:
    """What the target's agent receives: payload["prompt"] when it is text, else the payload as JSON."""
    prompt = payload.get("prompt")
    if isinstance(prompt, str):
        return prompt
    return json.dumps(payload, ensure_ascii=False) if payload else ""


def timeout_of(payload: dict) -> float:
    value = payload.get("timeout_sec")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 3600:
        return value
    return DEFAULT_TIMEOUT_SEC


def build_router(root: Path, registry: Registry, setting: Callable[[str], str], pool: Executor) -> APIRouter:
    """`pool` runs the invocations (a bounded thread pool, see app.invocation_pool)."""
    router = APIRouter()
    protected = [Depends(api_key_dependency(setting))]

    @router.get("/health")
    async def health() -> dict:  # on the event loop: never queues for a thread
        return {"status": "ok", "service": SERVICE}

    @router.get("/purutos", dependencies=protected)
    async def list_purutos() -> Response:  # cached: a few stat calls
        return Response(content=registry.list_body(), media_type="application/json")

    @router.get("/purutos/{name}", dependencies=protected)
    async def get_puruto(name: str) -> JSONResponse:
        item = registry.get(name)
        if item is None:
            raise HTTPException(status_code=404, detail="Puruto not found")
        return JSONResponse({"status": "ok", "item": item})

    @router.post("/purutos/{name}/{command}", dependencies=protected)
    async def run_command(name: str, command: str, request: Request) -> JSONResponse:
        payload = parse_payload(await request.body())
        item = registry.get(name)
        if item is None:
            raise HTTPException(status_code=404, detail="Puruto not found")
        if command not in COMMANDS or command not in item["commands"]:
            allowed = [c for c in COMMANDS if c in item["commands"]]
            raise HTTPException(status_code=400, detail=f"unknown command {command!r} for {name}: use one of "
                                                        f"{', '.join(allowed)}")
        invocation_request = invoker.build_request(root.name, name, command, prompt_of(payload), timeout_of(payload),
                                                   hop=0)
        loop = asyncio.get_running_loop()
        result = await loop.run_in_executor(pool, partial(invoker.invoke, invocation_request, root))
        return JSONResponse({"status": "accepted", "target": name, "command": command, "payload": payload,
                             "invocation": result})

    return router
