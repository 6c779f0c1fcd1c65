"""LocalRegistry users and scoped tokens: ``GET /oauth2/token`` with HTTP Basic, as ACR has it.

Driven with a plain http.client (never our client), so these pin the server's side of the
protocol the sign-in tests rely on.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from typing import Any

import pytest
from conftest import HTTPAnswer, RegistryHTTP

from azure_containerregistry.testing import LocalRegistry


def _basic(name: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode()}


def _claims(jwt: str) -> dict[str, Any]:
    """The payload of a JWT the registry issued."""
    payload = jwt.split(".")[1]
    padded = payload + "=" * (-len(payload) % 4)
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(padded))
    return decoded


def _token(driver: RegistryHTTP, scope: str, headers: dict[str, str],
           service: str | None = None) -> HTTPAnswer:
    query = urllib.parse.urlencode({"service": service or driver.registry.service,
                                    "scope": scope})
    return driver.request("GET", f"/oauth2/token?{query}", headers=headers)


def _access(answer: HTTPAnswer) -> list[dict[str, Any]]:
    assert answer.status == 200, answer.body
    granted: list[dict[str, Any]] = _claims(answer.json()["access_token"])["access"]
    return granted


def test_an_admin_user_gets_any_scope(registry: LocalRegistry, acr_http: RegistryHTTP) -> None:
    registry.add_user("admin", "admin-password")
    for scope in ("repository:a/b:pull,push", "repository:x:delete", "registry:catalog:*"):
        kind, name, actions = scope.split(":")
        assert _access(_token(acr_http, scope, _basic("admin", "admin-password"))) == [
            {"type": kind, "name": name, "actions": actions.split(",")}
        ]


def test_the_token_opens_the_api_for_its_scope(
    registry: LocalRegistry, acr_http: RegistryHTTP
) -> None:
    registry.add_image("app", tags=["v1"])
    registry.add_user("ci", "ci-password", scopes=["repository:app:pull"])
    answer = _token(acr_http, "repository:app:pull", _basic("ci", "ci-password"))
    token = answer.json()["access_token"]
    assert acr_http.request("GET", "/v2/app/manifests/v1", token=token).status == 200
    assert acr_http.request("DELETE", "/acr/v1/app", token=token).status == 401


@pytest.mark.parametrize(
    ("scopes", "allowed", "refused"),
    [
        (["repository:app:pull,push"], "repository:app:pull", "repository:app:delete"),
        (["repository:app:pull,push"], "repository:app:pull,push", "repository:other:pull"),
        (["repository:*:*"], "repository:any/thing:delete", "registry:catalog:*"),
        (["repository:team/*:pull"], "repository:team/app:pull", "repository:teams:pull"),
        (["registry:catalog:*"], "registry:catalog:*", "repository:app:pull"),
    ],
)
def test_a_scoped_token_is_refused_outside_its_scopes_naming_the_scope(
    registry: LocalRegistry, acr_http: RegistryHTTP, scopes: list[str], allowed: str,
    refused: str,
) -> None:
    registry.add_user("ci", "ci-password", scopes=scopes)
    assert _access(_token(acr_http, allowed, _basic("ci", "ci-password")))
    answer = _token(acr_http, refused, _basic("ci", "ci-password"))
    assert answer.status == 401
    assert answer.json()["errors"][0]["code"] == "DENIED"
    assert refused in answer.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "headers",
    [
        _basic("ci", "wrong-password"),
        _basic("nobody", "ci-password"),
        {"Authorization": "Basic not-base64!"},
        {"Authorization": "Basic " + base64.b64encode(b"no-colon").decode()},
        {"Authorization": "Bearer ci-password"},
        {},
    ],
)
def test_a_wrong_login_gets_401_with_a_basic_challenge(
    registry: LocalRegistry, acr_http: RegistryHTTP, headers: dict[str, str]
) -> None:
    registry.add_user("ci", "ci-password")
    answer = _token(acr_http, "repository:app:pull", headers)
    assert answer.status == 401
    assert answer.headers["www-authenticate"].startswith("Basic realm=")
    assert b"ci-password" not in answer.body


def test_another_service_is_refused(registry: LocalRegistry, acr_http: RegistryHTTP) -> None:
    registry.add_user("ci", "ci-password")
    answer = _token(acr_http, "repository:app:pull", _basic("ci", "ci-password"), "other.io")
    assert answer.status == 401


def test_adding_a_user_again_replaces_the_password(
    registry: LocalRegistry, acr_http: RegistryHTTP
) -> None:
    registry.add_user("ci", "first-password")
    registry.add_user("ci", "second-password")
    assert _token(acr_http, "repository:a:pull", _basic("ci", "first-password")).status == 401
    assert _token(acr_http, "repository:a:pull", _basic("ci", "second-password")).status == 200


@pytest.mark.parametrize(
    ("name", "password", "scopes"),
    [("", "p", None), ("a:b", "p", None), ("ci", "", None), ("ci", "p", ["repository:app"]),
     ("ci", "p", ["repository:app:"])],
)
def test_add_user_refuses_what_could_never_sign_in(
    registry: LocalRegistry, name: str, password: str, scopes: list[str] | None
) -> None:
    with pytest.raises(ValueError):
        registry.add_user(name, password, scopes)


def test_the_request_log_never_holds_the_password(
    registry: LocalRegistry, acr_http: RegistryHTTP
) -> None:
    registry.add_user("ci", "ci-password")
    _token(acr_http, "repository:app:pull", _basic("ci", "ci-password"))
    (record,) = registry.requests
    assert record.headers["authorization"] == "REDACTED"
