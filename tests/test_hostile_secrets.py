"""Finding 2: tokens stay out of exception text and logs, even when the server echoes them back.

The hostile server's tokens are opaque (``SECRET-ACCESS-<hex>``...), so nothing here passes
because a redaction pattern happened to recognise a JWT.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Mapping

import pytest
from azure.core.exceptions import HttpResponseError
from hostile import Answer, HostileServer, Route, client_for, scope_for

from azure_containerregistry import ContainerRegistryClient


def _texts(exc: BaseException) -> dict[str, str]:
    """Every way an exception is usually shown: str, repr, message, the formatted traceback."""
    return {
        "str": str(exc),
        "repr": repr(exc),
        "message": str(getattr(exc, "message", "")),
        "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    }


def _leaks(server: HostileServer, texts: Mapping[str, str]) -> list[str]:
    names = ("aad", "refresh", "access")
    return [f"{name} token in {where}" for where, text in texts.items()
            for name, secret in zip(names, server.secrets) if secret in text]


def _challenge(server: HostileServer, method: str, target: str) -> str:
    """The challenge ACR would send for this request."""
    return server.challenge(scope_for(method, target.split("?")[0]))


def _echoing_401(server: HostileServer, shape: str) -> Route:
    """A persistent 401 (with a fresh challenge each time) whose body echoes the token it got."""

    def handle(method: str, target: str, headers: Mapping[str, str], body: bytes) -> Answer:
        token = headers.get("authorization", "")[len("Bearer "):]
        challenge = [("WWW-Authenticate", _challenge(server, method, target))]
        if shape == "acr-errors":
            error = {"errors": [{"code": "UNAUTHORIZED", "message": token}]}
            return Answer.json(error, 401, challenge)
        if shape == "odata-error":
            return Answer.json({"error": {"code": "x", "message": token}}, 401, challenge)
        return Answer.text(f"token {token} is not welcome here", 401, challenge)

    return handle


@pytest.mark.parametrize("shape", ["acr-errors", "plain-text", "odata-error"])
def test_a_401_echoing_the_bearer_token_does_not_put_it_in_the_exception(
    hostile: HostileServer, hostile_client: ContainerRegistryClient, shape: str
) -> None:
    hostile.handler = _echoing_401(hostile, shape)
    with pytest.raises(HttpResponseError) as caught:
        hostile_client.get_repository_properties("app")
    assert hostile.api_requests, "the registry never saw the token it should echo"
    assert {s.authorization for s in hostile.api_requests} == {f"Bearer {hostile.access_token}"}
    assert _leaks(hostile, _texts(caught.value)) == []


def _echo_form_as_bad_json(status: int) -> Route:
    def handle(method: str, target: str, headers: Mapping[str, str], body: bytes) -> Answer:
        echoed = '{"echo": "' + body.decode() + '", '  # truncated: not JSON
        return Answer.text(echoed, status, content_type="application/json")

    return handle


@pytest.mark.parametrize("status", [200, 400])
@pytest.mark.parametrize("route", ["exchange", "token"])
def test_a_token_route_echoing_its_form_as_invalid_json_leaks_no_secret(
    hostile: HostileServer, hostile_client: ContainerRegistryClient, route: str, status: int
) -> None:
    setattr(hostile, f"{route}_handler", _echo_form_as_bad_json(status))
    hostile.handler = lambda *_: Answer.json({"imageName": "app"})
    with pytest.raises(HttpResponseError) as caught:
        hostile_client.get_repository_properties("app")
    echoed = [s for s in hostile.requests if s.kind == route]
    assert echoed, f"the client never called /oauth2/{route}"
    secret = hostile.aad_token if route == "exchange" else hostile.refresh_token
    assert secret in echoed[0].body.decode()
    assert _leaks(hostile, _texts(caught.value)) == []


@pytest.mark.parametrize("logging_enable", [False, True], ids=["default", "logging_enable"])
def test_a_challenge_carrying_the_token_leaks_it_into_no_log_record(
    hostile: HostileServer, caplog: pytest.LogCaptureFixture, logging_enable: bool
) -> None:
    def handle(method: str, target: str, headers: Mapping[str, str], body: bytes) -> Answer:
        token = headers.get("authorization", "")[len("Bearer "):]
        value = _challenge(hostile, method, target) + (
            f',error="invalid_token",error_description="{token} expired"')
        return Answer.json({"errors": [{"code": "UNAUTHORIZED", "message": "no"}]}, 401,
                           [("WWW-Authenticate", value)])

    hostile.handler = handle
    caplog.set_level(logging.DEBUG)
    with client_for(hostile, logging_enable=logging_enable) as client, \
            pytest.raises(HttpResponseError):
        client.get_repository_properties("app")
    assert hostile.api_requests, "the registry never challenged"
    assert caplog.records, "nothing was logged: the check below would be vacuous"
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    logged = {f"record {i} ({r.name})": formatter.format(r) for i, r in enumerate(caplog.records)}
    assert _leaks(hostile, logged) == []


def test_the_secret_checks_would_catch_an_echoed_token(hostile: HostileServer) -> None:
    """The leak detector itself: an access token echoed into text is found."""
    text = json.dumps({"errors": [{"message": hostile.access_token}]})
    assert _leaks(hostile, {"body": text}) == ["access token in body"]
