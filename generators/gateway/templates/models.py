"""The gateway's request body and answers as Pydantic 2 models: what /openapi.json describes.

Every JSON shape here is the one of SPEC §8 (puruto-gateway); the InvocationResult is the one
of SPEC §6. The routes answer with these models (`response_model`), so the OpenAPI document
says exactly what the server sends: per route, every status code it can answer and its body.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SERVICE = "puruto-gateway"
COMMANDS = ("init", "help", "list", "status")
Command = Literal["init", "help", "list", "status"]
ErrorCode = Literal["TARGET_NOT_FOUND", "DENIED", "TIMEOUT", "INVALID_RESPONSE", "IPC_ERROR"]


# --- the request --------------------------------------------------------------------------


class CommandBody(BaseModel):
    """The optional JSON object of `POST /purutos/{name}/{command}` (at most 64 KiB, standard JSON).
    Every member is passed back in the answer's `payload`."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [{"prompt": "what is new?"}]})

    prompt: Any = Field(
        default=None,
        description="Text the target's agent receives. When it is absent or not a "
        "string, the agent receives the whole body as JSON.",
    )
    timeout_sec: Any = Field(
        default=None,
        description="Seconds the run may take: a number above 0 and at most 3600; absent or anything else means 120.",
    )


# --- the answers --------------------------------------------------------------------------


class Health(BaseModel):
    """`GET /health`."""

    status: Literal["ok"]
    service: Literal["puruto-gateway"]


class PurutoItem(BaseModel):
    """A discovered Puruto (registry.json entry or sibling folder), normalized."""

    name: str = Field(min_length=1, description="The Puruto's name (puruto-<x>).")
    path: str | None = Field(description="Its folder (absolute), or null when the registry gives none usable.")
    kind: str = Field(
        min_length=1,
        description="puruto-data, puruto-telegram, puruto-cron, puruto-gateway or "
        "standard (or the registry's own kind).",
    )
    commands: list[str] = Field(min_length=1, description="The commands it accepts (default init, help, list, status).")


class PurutoList(BaseModel):
    """`GET /purutos`."""

    status: Literal["ok"]
    count: int = Field(ge=0, description="len(items)")
    items: list[PurutoItem]


class PurutoOne(BaseModel):
    """`GET /purutos/{name}`."""

    status: Literal["ok"]
    item: PurutoItem


class ErrorBody(BaseModel):
    """Every 4xx and 503 answer: one line saying what is wrong and how to fix it."""

    detail: str


class InvocationErrorInfo(BaseModel):
    code: ErrorCode
    message: str
    details: dict[str, Any]


class InvocationOk(BaseModel):
    """An InvocationResult whose agent ran (SPEC §6); `result` is the agent's answer (e.g. `summary`)."""

    request_id: str
    correlation_id: str
    status: Literal["ok"]
    duration_ms: int = Field(ge=0)
    result: dict[str, Any]


class InvocationError(BaseModel):
    """An InvocationResult that failed (SPEC §6): `error.code` says why."""

    request_id: str
    correlation_id: str
    status: Literal["error"]
    duration_ms: int = Field(ge=0)
    error: InvocationErrorInfo


InvocationResult = Annotated[InvocationOk | InvocationError, Field(discriminator="status")]


class Accepted(BaseModel):
    """`POST /purutos/{name}/{command}`: the command ran (its outcome is in `invocation`)."""

    status: Literal["accepted"]
    target: str
    command: Command
    payload: dict[str, Any] = Field(description="The request body as sent ({} when there was none).")
    invocation: InvocationResult


# --- status codes per route (OpenAPI `responses`) ------------------------------------------


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses` of a route for these error status codes, each with an ErrorBody."""
    return {
        code: {"model": ErrorBody, "description": ERROR_DESCRIPTIONS[code], **ERROR_EXTRAS.get(code, {})}
        for code in codes
    }


def body_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The `openapi_extra` declaring an optional JSON body of this model (in components, see extra_schemas)."""
    return {
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}},
        }
    }


def extra_schemas() -> dict[str, Any]:
    """The component schemas FastAPI does not add by itself: the bodies the routes read on their own."""
    return {model.__name__: model.model_json_schema() for model in (CommandBody,)}


ERROR_DESCRIPTIONS = {
    400: "The body is not a JSON object of standard UTF-8 JSON, or the command is not one the Puruto accepts.",
    401: "The X-API-Key header is missing or wrong.",
    404: "No Puruto has this name.",
    413: "The body is larger than 64 KiB (checked before anything else, on every route).",
    503: "PURUTO_GATEWAY_API_KEY is not set, or still the placeholder 'changeme': the gateway refuses to serve.",
}
ERROR_EXTRAS: dict[int, dict[str, Any]] = {
    401: {"headers": {"WWW-Authenticate": {"description": "X-API-Key", "schema": {"type": "string"}}}},
    413: {
        "headers": {
            "Connection": {"description": "close: the gateway stops reading the upload", "schema": {"type": "string"}}
        }
    },
}
