"""/openapi.json says exactly what the gateway answers: every route's status codes, the X-API-Key
scheme, the bodies; and every real answer (each status code of each route) matches its model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import Workspace
from fastapi.testclient import TestClient
from pydantic import BaseModel

import models

ROUTES = {  # path -> method -> the status codes it can answer
    "/health": {"get": {"200", "413"}},
    "/purutos": {"get": {"200", "401", "413", "503"}},
    "/purutos/{name}": {"get": {"200", "401", "404", "413", "503"}},
    "/purutos/{name}/{command}": {"post": {"200", "400", "401", "404", "413", "503"}},
}
ANSWERS = {
    "/health": "Health",
    "/purutos": "PurutoList",
    "/purutos/{name}": "PurutoOne",
    "/purutos/{name}/{command}": "Accepted",
}


@pytest.fixture
def openapi(client: TestClient) -> dict[str, Any]:
    r = client.get("/openapi.json")
    assert r.status_code == 200
    doc: dict[str, Any] = r.json()
    return doc


def test_every_route_lists_exactly_the_status_codes_it_answers(openapi: dict[str, Any]) -> None:
    assert {
        path: {method: set(op["responses"]) for method, op in ops.items()} for path, ops in openapi["paths"].items()
    } == ROUTES
    schemas = openapi["components"]["schemas"]
    assert "HTTPValidationError" not in schemas, "no route answers 422: FastAPI's entry is left out"
    for path, ops in openapi["paths"].items():
        for op in ops.values():
            ok = op["responses"]["200"]["content"]["application/json"]["schema"]
            assert ok == {"$ref": f"#/components/schemas/{ANSWERS[path]}"}
            for code, answer in op["responses"].items():
                if code != "200":
                    assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}


def test_the_api_key_scheme_guards_every_route_but_health(openapi: dict[str, Any]) -> None:
    assert openapi["components"]["securitySchemes"] == {
        "ApiKey": {
            "type": "apiKey",
            "in": "header",
            "name": "X-API-Key",
            "description": "The value of PURUTO_GATEWAY_API_KEY in the gateway's .env.",
        }
    }
    for path, ops in openapi["paths"].items():
        for op in ops.values():
            assert op.get("security") == (None if path == "/health" else [{"ApiKey": []}]), path


def test_the_post_body_is_an_optional_json_object(openapi: dict[str, Any]) -> None:
    post = openapi["paths"]["/purutos/{name}/{command}"]["post"]
    assert post["requestBody"] == {
        "required": False,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CommandBody"}}},
    }
    body = openapi["components"]["schemas"]["CommandBody"]
    assert body["type"] == "object" and body["additionalProperties"] is True
    assert set(body["properties"]) == {"prompt", "timeout_sec"}
    command = next(p for p in post["parameters"] if p["name"] == "command")
    assert command["schema"]["enum"] == ["init", "help", "list", "status"]


def check(model: type[BaseModel], r: Any, status: int) -> None:
    """The answer has this status, is JSON and is exactly an instance of the model (strict: no coercion)."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    model.model_validate_json(r.content, strict=True)


def test_every_answer_matches_its_model(
    make_client: Callable[..., TestClient], ws: Workspace, auth: dict[str, str]
) -> None:
    ws.folder("puruto-notes")
    ws.registry(
        {
            "purutos": [
                {"name": "puruto-notes", "path": "../puruto-notes"},
                {"name": "puruto-gone", "path": "../puruto-gone"},
            ]
        }
    )
    client = make_client()
    check(models.Health, client.get("/health"), 200)
    check(models.PurutoList, client.get("/purutos", headers=auth), 200)
    check(models.PurutoOne, client.get("/purutos/puruto-notes", headers=auth), 200)
    check(models.ErrorBody, client.get("/purutos/puruto-nope", headers=auth), 404)
    check(models.ErrorBody, client.get("/purutos"), 401)
    check(models.ErrorBody, client.request("GET", "/health", content=b"x" * (65 * 1024)), 413)
    ok = client.post("/purutos/puruto-notes/status", headers=auth, json={"prompt": "hi", "extra": [1, None]})
    check(models.Accepted, ok, 200)
    assert isinstance(models.Accepted.model_validate_json(ok.content).invocation, models.InvocationOk)
    failed = client.post("/purutos/puruto-gone/help", headers=auth)
    check(models.Accepted, failed, 200)
    assert isinstance(models.Accepted.model_validate_json(failed.content).invocation, models.InvocationError)
    check(models.ErrorBody, client.post("/purutos/puruto-notes/rm", headers=auth), 400)
    check(models.ErrorBody, client.post("/purutos/puruto-notes/status", headers=auth, content=b"[1]"), 400)
    check(models.ErrorBody, make_client(key="changeme").get("/purutos", headers=auth), 503)


def test_a_lone_surrogate_or_nul_in_registry_json_never_breaks_an_answer(
    client: TestClient, ws: Workspace, auth: dict[str, str]
) -> None:
    """A \\ud800 or \\u0000 escape in an edited registry.json path is no file path: listed as null, refused."""
    import registry

    ws.registry(
        '{"purutos": [{"name": "puruto-odd", "path": "../odd-\\ud800"},'
        ' {"name": "puruto-nul", "path": "../nul-\\u0000"}]}'
    )
    listed = client.get("/purutos", headers=auth)
    check(models.PurutoList, listed, 200)
    assert [(i["name"], i["path"]) for i in listed.json()["items"]] == [("puruto-odd", None), ("puruto-nul", None)]
    check(models.PurutoOne, client.get("/purutos/puruto-odd", headers=auth), 200)
    for name in ("puruto-odd", "puruto-nul"):
        ran = client.post(f"/purutos/{name}/status", headers=auth)
        check(models.Accepted, ran, 200)
        assert ran.json()["invocation"]["status"] == "error"
    refused = registry.Registry(ws.gateway).refused()
    why = "is not a usable file path: it is ignored (fix it in registry.json)"
    assert refused == [f"puruto-odd: path '../odd-\\ud800' {why}", f"puruto-nul: path '../nul-\\x00' {why}"]
