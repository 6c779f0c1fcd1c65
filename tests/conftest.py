"""Shared fixtures: a started :class:`LocalRegistry`, a factory for custom options, and the
hostile registry and attacker sink of ``tests/hostile.py``."""

from __future__ import annotations

import http.client
import json
import urllib.parse
from collections.abc import Iterator
from typing import Any, Callable

import pytest
from hostile import HostileServer, client_for

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry.testing import LocalRegistry


@pytest.fixture
def registry() -> Iterator[LocalRegistry]:
    """A started LocalRegistry with default options (http, no anonymous pull)."""
    with LocalRegistry() as reg:
        yield reg


@pytest.fixture
def registry_factory() -> Iterator[Callable[..., LocalRegistry]]:
    """Call with LocalRegistry keyword options; every registry made is started and stopped."""
    made: list[LocalRegistry] = []

    def make(**options: Any) -> LocalRegistry:
        reg = LocalRegistry(**options).start()
        made.append(reg)
        return reg

    yield make
    for reg in made:
        reg.stop()


class HTTPAnswer:
    """A response read fully: status, headers (lower-case keys) and body."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


class RegistryHTTP:
    """A tiny keep-alive http.client driver for LocalRegistry tests (never our client)."""

    def __init__(self, registry: LocalRegistry) -> None:
        self.registry = registry
        self._conn = http.client.HTTPConnection("127.0.0.1", registry.port, timeout=30)
        self._refresh: str | None = None

    def close(self) -> None:
        """Close the underlying connection."""
        self._conn.close()

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None, token: str | None = None) -> HTTPAnswer:
        """Send one request and read the whole answer."""
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        self._conn.request(method, path, body=body, headers=sent)
        resp = self._conn.getresponse()
        data = resp.read()
        return HTTPAnswer(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)

    def form(self, path: str, fields: dict[str, str]) -> HTTPAnswer:
        """POST an urlencoded form."""
        return self.request("POST", path, urllib.parse.urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def refresh_token(self) -> str:
        """Exchange a fresh LocalCredential AAD token for a refresh token."""
        aad = self.registry.credential().get_token("https://containerregistry.azure.net/.default")
        answer = self.form("/oauth2/exchange", {"grant_type": "access_token",
                                                "service": self.registry.service,
                                                "access_token": aad.token})
        assert answer.status == 200, answer.body
        token: str = answer.json()["refresh_token"]
        return token

    def token(self, scope: str) -> str:
        """An access token for ``scope`` (exchanging once per driver)."""
        if self._refresh is None:
            self._refresh = self.refresh_token()
        answer = self.form("/oauth2/token", {"service": self.registry.service, "scope": scope,
                                             "refresh_token": self._refresh,
                                             "grant_type": "refresh_token"})
        assert answer.status == 200, answer.body
        token: str = answer.json()["access_token"]
        return token

    def call(self, method: str, path: str, scope: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> HTTPAnswer:
        """Send with an access token for ``scope``."""
        return self.request(method, path, body, headers, token=self.token(scope))


@pytest.fixture
def acr_http(registry: LocalRegistry) -> Iterator[RegistryHTTP]:
    """A RegistryHTTP driver bound to the ``registry`` fixture."""
    driver = RegistryHTTP(registry)
    yield driver
    driver.close()


@pytest.fixture
def client(registry: LocalRegistry) -> Iterator[ContainerRegistryClient]:
    """Our public client, signed in to the ``registry`` fixture; its request log starts empty."""
    with ContainerRegistryClient(registry.endpoint, registry.credential()) as made:
        yield made


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    """A started :class:`HostileServer`: signs clients in, then answers what ``.handler`` says."""
    with HostileServer() as server:
        yield server


@pytest.fixture
def sink() -> Iterator[HostileServer]:
    """The attacker's host: records whatever reaches it (no auth; ``.handler`` may answer)."""
    with HostileServer(auth=False) as server:
        yield server


@pytest.fixture
def hostile_client(hostile: HostileServer) -> Iterator[ContainerRegistryClient]:
    """Our public client signed in to ``hostile`` with its secret credential, retries off."""
    with client_for(hostile) as made:
        yield made
