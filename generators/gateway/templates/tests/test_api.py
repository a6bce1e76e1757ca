"""Every endpoint and status code of the gateway, through FastAPI's TestClient."""

from __future__ import annotations

import hmac

import pytest
from conftest import KEY, MakeClient, Workspace
from fastapi.testclient import TestClient

import auth as auth_module
import routes


def test_health_needs_no_key_even_when_none_is_configured(make_client: MakeClient) -> None:
    for client in (make_client(key=None), make_client(key="changeme"), make_client()):
        r = client.get("/health")
        assert r.status_code == 200
        assert r.json() == {"status": "ok", "service": "puruto-gateway"}


def test_no_key_configured_is_503_on_protected_routes(
    make_client: MakeClient, ws: Workspace, auth: dict[str, str]
) -> None:
    ws.folder("puruto-notes")
    client = make_client(key=None)
    for method, url in (
        ("get", "/purutos"),
        ("get", "/purutos/puruto-notes"),
        ("post", "/purutos/puruto-notes/status"),
    ):
        r = getattr(client, method)(url, headers=auth)
        assert r.status_code == 503, url
        assert "is not set" in r.json()["detail"]


def test_an_empty_key_counts_as_not_configured(make_client: MakeClient, auth: dict[str, str]) -> None:
    r = make_client(key="   ").get("/purutos", headers=auth)
    assert r.status_code == 503
    assert "is not set" in r.json()["detail"]


def test_placeholder_key_is_503_with_a_message_to_change_it(make_client: MakeClient) -> None:
    client = make_client(key="changeme")
    for headers in ({}, {"X-API-Key": "changeme"}):
        r = client.get("/purutos", headers=headers)
        assert r.status_code == 503
        detail = r.json()["detail"]
        assert "changeme" in detail and "change it" in detail


def test_missing_or_wrong_key_is_401(client: TestClient) -> None:
    assert client.get("/purutos").status_code == 401
    assert client.get("/purutos", headers={"X-API-Key": "wrong"}).status_code == 401
    assert client.get("/purutos", headers={"X-API-Key": KEY + "x"}).status_code == 401
    assert client.post("/purutos/puruto-x/status").status_code == 401
    assert client.get("/purutos", headers={"X-API-Key": KEY}).status_code == 200


def test_the_key_is_compared_in_constant_time(
    client: TestClient, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)  # what auth.key_matches calls
    assert client.get("/purutos", headers=auth).status_code == 200
    assert client.get("/purutos", headers={"X-API-Key": "nope"}).status_code == 401
    assert calls == [(KEY.encode(), KEY.encode()), (b"nope", KEY.encode())]


def test_key_states() -> None:
    assert auth_module.key_state("") == "missing"
    assert auth_module.key_state("ChangeMe") == "placeholder"
    assert auth_module.key_state("s3cret") == "set"


# --- GET /purutos and /purutos/{name} ----------------------------------------------------


def test_list_and_get(client: TestClient, ws: Workspace, auth: dict[str, str]) -> None:
    ws.folder("puruto-notes")
    ws.folder("puruto-cron")
    r = client.get("/purutos", headers=auth)
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["count"] == 2 == len(body["items"])
    assert [i["name"] for i in body["items"]] == ["puruto-cron", "puruto-notes"]
    one = client.get("/purutos/puruto-notes", headers=auth)
    assert one.status_code == 200
    assert one.json() == {
        "status": "ok",
        "item": {
            "name": "puruto-notes",
            "path": str((ws.base / "puruto-notes").resolve()),
            "kind": "standard",
            "commands": ["init", "help", "list", "status"],
        },
    }
    assert client.get("/purutos/puruto-cron", headers=auth).json()["item"]["kind"] == "puruto-cron"


def test_empty_workspace_lists_nothing(client: TestClient, auth: dict[str, str]) -> None:
    assert client.get("/purutos", headers=auth).json() == {"status": "ok", "count": 0, "items": []}


def test_unknown_name_is_404(client: TestClient, ws: Workspace, auth: dict[str, str]) -> None:
    ws.folder("puruto-notes")
    r = client.get("/purutos/puruto-nope", headers=auth)
    assert r.status_code == 404
    assert r.json() == {"detail": "Puruto not found"}


def test_names_never_become_paths(client: TestClient, ws: Workspace, auth: dict[str, str]) -> None:
    """A folder outside the known list is never looked up, whatever the name looks like."""
    ws.folder("puruto-notes")
    (ws.base.parent / "puruto-outside").mkdir()
    ws.registry({"purutos": [{"name": "puruto-notes", "path": "../puruto-notes"}]})
    ws.folder("puruto-unregistered")
    for name in (
        "..",
        "%2e%2e",
        "..%2Fpuruto-outside",
        "puruto-unregistered",
        "puruto-outside",
        "puruto-notes%2F..",
        "%00",
    ):
        for method, url in (("get", f"/purutos/{name}"), ("post", f"/purutos/{name}/status")):
            r = getattr(client, method)(url, headers=auth)
            # an encoded "/" can make the URL match another route shape: 405, still no lookup
            assert r.status_code in ((404, 405) if "%2F" in name else (404,)), (method, name, r.text)


# --- POST /purutos/{name}/{command} -----------------------------------------------------


def test_post_invokes_the_target_through_the_stub_adapter(
    client: TestClient, ws: Workspace, auth: dict[str, str]
) -> None:
    target = ws.folder("puruto-notes")
    r = client.post("/purutos/puruto-notes/status", headers=auth, json={"prompt": "what is new?"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert {k: body[k] for k in ("status", "target", "command", "payload")} == {
        "status": "accepted",
        "target": "puruto-notes",
        "command": "status",
        "payload": {"prompt": "what is new?"},
    }
    inv = body["invocation"]
    assert inv["status"] == "ok"
    assert inv["request_id"].startswith("req-") and inv["correlation_id"].startswith("corr-")
    assert isinstance(inv["duration_ms"], int)
    assert inv["result"]["stub"] is True
    assert inv["result"]["target_path"] == str(target.resolve())
    assert inv["result"]["echo"] == {"target": "puruto-notes", "action": "status", "prompt": "what is new?"}
    assert inv["result"]["message"].startswith("/status what is new?")


def test_post_every_allowed_command_and_no_body(client: TestClient, ws: Workspace, auth: dict[str, str]) -> None:
    ws.folder("puruto-notes")
    for command in ("init", "help", "list", "status"):
        r = client.post(f"/purutos/puruto-notes/{command}", headers=auth)
        assert r.status_code == 200, r.text
        assert r.json()["payload"] == {}
        assert r.json()["invocation"]["result"]["echo"]["action"] == command


def test_post_payload_without_prompt_is_passed_as_json(client: TestClient, ws: Workspace, auth: dict[str, str]) -> None:
    ws.folder("puruto-notes")
    r = client.post("/purutos/puruto-notes/list", headers=auth, json={"filter": "today"})
    assert r.json()["invocation"]["result"]["echo"]["prompt"] == '{"filter": "today"}'


def test_post_through_a_registry_path(client: TestClient, ws: Workspace, auth: dict[str, str]) -> None:
    elsewhere = ws.folder("repos/notes-repo")
    ws.registry({"purutos": [{"name": "puruto-notes", "path": "../repos/notes-repo"}]})
    r = client.post("/purutos/puruto-notes/help", headers=auth)
    assert r.json()["invocation"]["result"]["target_path"] == str(elsewhere.resolve())


def test_post_unknown_command_is_400(client: TestClient, ws: Workspace, auth: dict[str, str]) -> None:
    ws.folder("puruto-notes")
    for command in ("rm", "register", "INIT", "status2"):
        r = client.post(f"/purutos/puruto-notes/{command}", headers=auth)
        assert r.status_code == 400, command
        assert "init, help, list, status" in r.json()["detail"]


def test_post_command_not_offered_by_that_puruto_is_400(
    client: TestClient, ws: Workspace, auth: dict[str, str]
) -> None:
    ws.folder("puruto-notes")
    ws.registry({"purutos": [{"name": "puruto-notes", "commands": ["help", "status"]}]})
    assert client.post("/purutos/puruto-notes/status", headers=auth).status_code == 200
    r = client.post("/purutos/puruto-notes/init", headers=auth)
    assert r.status_code == 400
    assert "help, status" in r.json()["detail"]


def test_post_unknown_puruto_is_404(client: TestClient, auth: dict[str, str]) -> None:
    r = client.post("/purutos/puruto-nope/status", headers=auth)
    assert r.status_code == 404
    assert r.json() == {"detail": "Puruto not found"}


def test_post_bad_bodies_are_400(client: TestClient, ws: Workspace, auth: dict[str, str]) -> None:
    ws.folder("puruto-notes")
    headers = {**auth, "Content-Type": "application/json"}
    for body in (b"{oops", b"[1, 2]", b'"text"', b"\xff\xfe"):
        r = client.post("/purutos/puruto-notes/status", headers=headers, content=body)
        assert r.status_code == 400, body
        assert "JSON" in r.json()["detail"]


def test_bodies_over_64_kib_are_413(client: TestClient, ws: Workspace, auth: dict[str, str]) -> None:
    ws.folder("puruto-notes")
    ok = client.post("/purutos/puruto-notes/status", headers=auth, json={"prompt": "x" * (60 * 1024)})
    assert ok.status_code == 200
    big = client.post("/purutos/puruto-notes/status", headers=auth, json={"prompt": "x" * (64 * 1024)})
    assert big.status_code == 413
    assert "64 KiB" in big.json()["detail"]
    # refused before auth and before reading it, on any route
    assert client.post("/purutos/puruto-notes/status", content=b"x" * (65 * 1024)).status_code == 413


def test_bodies_over_64_kib_without_content_length_are_413(
    client: TestClient, ws: Workspace, auth: dict[str, str]
) -> None:
    ws.folder("puruto-notes")
    chunks = (b"x" * 1024 for _ in range(65))
    r = client.post("/purutos/puruto-notes/status", headers=auth, content=chunks)
    assert r.status_code == 413


def test_invocation_errors_are_reported_in_the_accepted_answer(
    client: TestClient, ws: Workspace, auth: dict[str, str]
) -> None:
    ws.registry({"purutos": [{"name": "puruto-gone", "path": "../puruto-gone"}]})
    r = client.post("/purutos/puruto-gone/status", headers=auth)
    assert r.status_code == 200
    assert r.json()["status"] == "accepted"
    inv = r.json()["invocation"]
    assert inv["status"] == "error"
    assert inv["error"]["code"] == "TARGET_NOT_FOUND"


def test_unknown_agent_is_a_structured_error(make_client: MakeClient, ws: Workspace, auth: dict[str, str]) -> None:
    ws.folder("puruto-notes")
    r = make_client(agent="nope").post("/purutos/puruto-notes/status", headers=auth)
    assert r.status_code == 200
    assert r.json()["invocation"]["error"]["code"] == "IPC_ERROR"


def test_the_post_handler_does_not_shadow_the_invoker() -> None:
    """The original's bug: the handler was named like the helper it called."""
    import invoker

    assert vars(routes)["invoker"] is invoker
    assert callable(invoker.invoke) and callable(invoker.build_request)
    assert "invoke" not in vars(routes)
