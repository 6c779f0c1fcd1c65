"""Authentication end to end: real pipelines against the LocalRegistry over loopback.

Costs are asserted from the registry's request log: they are facts, not timings. Most tests run
the product's own assembly (``create_rest_client``); the ones that move time forward assemble
the challenge policy themselves, with an injected clock, from the same parts.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import threading
import time
from typing import Any, Callable, Iterator, List, NamedTuple, Tuple

import pytest
from azure.core import PipelineClient
from azure.core.exceptions import ClientAuthenticationError, ServiceRequestError
from azure.core.pipeline import Pipeline
from azure.core.pipeline.transport import HttpTransport, RequestsTransport
from azure.core.rest import HttpRequest

from azure_containerregistry._auth import ContainerRegistryChallengePolicy, TokenClient
from azure_containerregistry._pipeline import create_rest_client
from azure_containerregistry._rest._sender import Sender
from azure_containerregistry._rest.operations import AuthenticationOperations
from azure_containerregistry._urls import RegistryUrls
from azure_containerregistry.testing import LocalRegistry, RequestRecord

AAD_SCOPE = "https://containerregistry.azure.net/.default"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
CATALOG = "/acr/v1/_catalog"
HELLO_TAGS = "/acr/v1/library%2Fhello/_tags"
OTHER_TAGS = "/acr/v1/other/_tags"
EXCHANGE = ("POST", "/oauth2/exchange", 200)
TOKEN = ("POST", "/oauth2/token", 200)


class _IssuedTokens:
    """Every token the registry (and its credential) issues, so tests can look for leaks."""

    def __init__(self, registry: LocalRegistry) -> None:
        self.values: List[str] = []
        issue = registry.issuer.issue

        def recording_issue(claims: Any, lifetime: float) -> Tuple[str, int]:
            token, exp = issue(claims, lifetime)
            self.values.append(token)
            return token, exp

        registry.issuer.issue = recording_issue  # type: ignore[method-assign]


class _Clock:
    """An injectable clock, started at the real time (the registry checks expiry for real)."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


class _Answer(NamedTuple):
    status: int
    headers: Any
    body: bytes


Connect = Callable[..., Sender]


@pytest.fixture
def registry() -> Iterator[LocalRegistry]:
    with LocalRegistry() as reg:
        reg.add_image("library/hello", tags=["latest", "v1"])
        reg.add_image("other", tags=["a", "b"])
        reg.clear_requests()
        yield reg


@pytest.fixture
def connect() -> Iterator[Connect]:
    """``connect(registry, credential="default", endpoint="", **config)``: the product's send path.

    The REST client's ``Sender`` is the one door to the wire; raw requests go through it so that
    every policy of the real assembly runs. Every client made is closed at the end.
    """
    opened: List[Any] = []

    def make(
        reg: LocalRegistry, credential: Any = "default", endpoint: str = "", **kwargs: Any
    ) -> Sender:
        cred = reg.credential() if credential == "default" else credential
        client = create_rest_client(endpoint or reg.endpoint, cred, aad_scope=AAD_SCOPE, **kwargs)
        opened.append(client)
        sender: Sender = client._sender
        return sender

    yield make
    for client in opened:
        client.close()


class _Assembly(NamedTuple):
    sender: Sender
    policy: ContainerRegistryChallengePolicy
    client: PipelineClient  # type: ignore[type-arg]


def _assemble(reg: LocalRegistry, credential: Any, clock: Callable[[], float]) -> _Assembly:
    """The challenge policy alone in a pipeline, with ``clock``; token calls on their own client."""
    urls = RegistryUrls(reg.endpoint)
    transport = RequestsTransport()
    operations = AuthenticationOperations(
        Sender(PipelineClient(urls.base, transport=transport), urls)
    )
    policy = ContainerRegistryChallengePolicy(
        urls.base, TokenClient(operations, credential, AAD_SCOPE), clock=clock
    )
    client: PipelineClient = PipelineClient(  # type: ignore[type-arg]
        urls.base, policies=[policy], transport=transport
    )
    return _Assembly(Sender(client, urls), policy, client)


def _send(sender: Sender, request: HttpRequest) -> _Answer:
    response = sender.send(request)
    try:
        return _Answer(response.status_code, response.headers, response.read())
    finally:
        response.close()


def _get(sender: Sender, path: str) -> int:
    return _send(sender, HttpRequest("GET", path)).status


def _calls(reg: LocalRegistry) -> List[Tuple[str, str, int]]:
    calls = [(r.method, r.path, r.status) for r in reg.requests]
    reg.clear_requests()
    return calls


def _api(records: List[RequestRecord]) -> List[RequestRecord]:
    return [r for r in records if not r.path.startswith("/oauth2/")]


def _claims(token: str) -> Any:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


# --- request counts --------------------------------------------------------------------------


def test_first_call_needs_no_challenge_then_each_call_costs_one_request(
    registry: LocalRegistry, connect: Connect
) -> None:
    credential = registry.credential()
    client = connect(registry, credential)
    assert _get(client, CATALOG) == 200
    # the service is the endpoint's host, as ACR names it
    assert _calls(registry) == [EXCHANGE, TOKEN, ("GET", CATALOG, 200)]
    for _ in range(5):
        assert _get(client, CATALOG) == 200
    records = registry.requests
    assert [(r.path, r.status, r.authorized) for r in records] == [(CATALOG, 200, True)] * 5
    assert credential.calls == 1


def test_new_scope_costs_a_token_call_and_the_request(
    registry: LocalRegistry, connect: Connect
) -> None:
    client = connect(registry)
    _get(client, CATALOG)
    registry.clear_requests()
    assert _get(client, HELLO_TAGS) == 200
    assert _calls(registry) == [TOKEN, ("GET", HELLO_TAGS, 200)]
    assert _get(client, HELLO_TAGS) == 200
    assert _calls(registry) == [("GET", HELLO_TAGS, 200)]


def test_one_exchange_serves_many_calls_and_scopes(
    registry: LocalRegistry, connect: Connect
) -> None:
    credential = registry.credential()
    client = connect(registry, credential)
    paths = [
        CATALOG,
        HELLO_TAGS,
        OTHER_TAGS,
        "/acr/v1/library%2Fhello?api-version=2021-07-01",
        "/v2/library%2Fhello/tags/list",
        "/v2/other/tags/list",
    ]
    for _ in range(3):
        for path in paths:
            assert _get(client, path) == 200
    records = registry.requests
    assert [r.path for r in records].count("/oauth2/exchange") == 1
    assert credential.calls == 1
    token_calls = [r for r in records if r.path == "/oauth2/token"]
    assert len(token_calls) == 5  # one per scope: catalog, hello read/pull, other read/pull
    assert sum(1 for r in records if r.status == 401) == 0  # not even the first call


def test_predicted_scopes_match_what_the_registry_demands(
    registry: LocalRegistry, connect: Connect
) -> None:
    client = connect(registry)
    _get(client, CATALOG)
    registry.clear_requests()
    requests = [
        HttpRequest(
            "GET", "/v2/library%2Fhello/manifests/latest", headers={"Accept": OCI_MANIFEST}
        ),
        HttpRequest("HEAD", "/v2/library%2Fhello/manifests/v1", headers={"Accept": OCI_MANIFEST}),
        HttpRequest("PATCH", "/acr/v1/other/_tags/a?api-version=2021-07-01", json={}),
        HttpRequest("DELETE", "/acr/v1/other/_tags/b?api-version=2021-07-01"),
        HttpRequest("POST", "/v2/other/blobs/uploads/"),
    ]
    for request in requests:
        assert _send(client, request).status < 300
    assert registry.requests
    assert all(r.status != 401 for r in registry.requests), _calls(registry)


def test_eight_threads_make_one_exchange_and_one_token_call_per_scope(
    registry: LocalRegistry, connect: Connect
) -> None:
    credential = registry.credential()
    client = connect(registry, credential)
    paths = [CATALOG, HELLO_TAGS, OTHER_TAGS]
    start = threading.Barrier(8)
    statuses: List[int] = []
    errors: List[BaseException] = []

    def worker(index: int) -> None:
        try:
            start.wait(10)
            for call in range(30):
                statuses.append(_get(client, paths[(index + call) % len(paths)]))
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
        assert not thread.is_alive()
    assert not errors
    assert statuses == [200] * 240
    records = registry.requests
    assert [r.path for r in records].count("/oauth2/exchange") == 1
    assert credential.calls == 1
    assert [r.path for r in records].count("/oauth2/token") == len(paths)
    # a token was never wrong: every authorized request succeeded
    assert all(r.status == 200 for r in _api(records) if r.authorized)
    assert sum(1 for r in _api(records) if r.status == 200) == 240


# --- token lifetimes, with the clock moved instead of waited for -----------------------------


def test_refresh_token_is_renewed_when_under_300_seconds_remain() -> None:
    clock = _Clock()
    with LocalRegistry(refresh_token_lifetime=600) as reg:  # access tokens live an hour
        reg.add_image("library/hello", tags=["latest"])
        reg.add_image("other", tags=["a"])
        credential = reg.credential()
        client = _assemble(reg, credential, clock)
        assert _get(client.sender, CATALOG) == 200
        assert _calls(reg) == [EXCHANGE, TOKEN, ("GET", CATALOG, 200)]
        clock.now += 200  # about 400 s left: the refresh token serves a new scope
        assert _get(client.sender, HELLO_TAGS) == 200
        assert _calls(reg) == [TOKEN, ("GET", HELLO_TAGS, 200)]
        clock.now += 110  # under 300 s left
        assert _get(client.sender, CATALOG) == 200  # cached access token: no renewal needed
        assert _calls(reg) == [("GET", CATALOG, 200)]
        assert _get(client.sender, OTHER_TAGS) == 200  # new scope: renew the refresh token first
        assert _calls(reg) == [EXCHANGE, TOKEN, ("GET", OTHER_TAGS, 200)]
        assert credential.calls == 2
        client.client.close()


def test_access_token_is_renewed_when_under_30_seconds_remain() -> None:
    clock = _Clock()
    with LocalRegistry(access_token_lifetime=100) as reg:
        reg.add_image("library/hello", tags=["latest"])
        client = _assemble(reg, reg.credential(), clock)
        assert _get(client.sender, HELLO_TAGS) == 200
        reg.clear_requests()
        clock.now += 65  # about 35 s left
        assert _get(client.sender, HELLO_TAGS) == 200
        assert _calls(reg) == [("GET", HELLO_TAGS, 200)]
        clock.now += 10  # under 30 s left: a new token, without a new exchange or a 401
        assert _get(client.sender, HELLO_TAGS) == 200
        assert _calls(reg) == [TOKEN, ("GET", HELLO_TAGS, 200)]
        client.client.close()


def test_rejected_tokens_are_recovered_with_one_retry(
    registry: LocalRegistry, connect: Connect
) -> None:
    client = connect(registry)
    _get(client, CATALOG)
    registry.clear_requests()
    registry.expire_tokens()  # access and refresh tokens are now refused
    assert _get(client, CATALOG) == 200
    assert _calls(registry) == [
        ("GET", CATALOG, 401),
        ("POST", "/oauth2/token", 401),  # the cached refresh token is refused too
        EXCHANGE,
        TOKEN,
        ("GET", CATALOG, 200),
    ]
    assert _get(client, CATALOG) == 200
    assert _calls(registry) == [("GET", CATALOG, 200)]


# --- secrets stay secret ---------------------------------------------------------------------


def test_network_trace_logs_never_show_tokens(
    registry: LocalRegistry, connect: Connect, caplog: pytest.LogCaptureFixture
) -> None:
    issued = _IssuedTokens(registry)
    caplog.set_level(logging.DEBUG)
    client = connect(registry, logging_enable=True)
    _get(client, CATALOG)
    _get(client, HELLO_TAGS)
    registry.expire_tokens()
    _get(client, CATALOG)  # rejected token, refused refresh token, a new exchange
    _send(client, HttpRequest("PATCH", "/acr/v1/other?api-version=2021-07-01", json={}))
    assert len(issued.values) >= 7  # AAD, refresh and access tokens, before and after expiry
    text = caplog.text
    assert "/oauth2/exchange" in text and "/oauth2/token" in text and "Request body" in text
    assert "REDACTED" in text
    for token in issued.values:
        assert token not in text
        for part in token.split("."):
            if len(part) > 40:  # signatures and payloads are unique enough to search for
                assert part not in text


def test_failed_token_call_error_shows_no_token(registry: LocalRegistry, connect: Connect) -> None:
    issued = _IssuedTokens(registry)
    with LocalRegistry() as other:  # its AAD tokens mean nothing to `registry`
        client = connect(registry, other.credential())
        issued_elsewhere = _IssuedTokens(other)
        with pytest.raises(ClientAuthenticationError) as raised:
            _get(client, CATALOG)
    text = f"{raised.value}\n{raised.value!r}"
    assert "Token exchange" in text and "401" in text
    for token in issued.values + issued_elsewhere.values:
        assert token not in text


def test_policy_and_token_client_reprs_show_no_tokens(registry: LocalRegistry) -> None:
    issued = _IssuedTokens(registry)
    client = _assemble(registry, registry.credential(), time.time)
    _get(client.sender, CATALOG)
    _get(client.sender, HELLO_TAGS)
    policy = client.policy
    text = repr(policy) + str(policy) + repr(vars(policy)) + repr(vars(policy._tokens))
    assert "entries=2" in text  # the cache is there, and shows its size only
    assert issued.values
    for token in issued.values:
        assert token not in text
    client.client.close()


class _OpaqueCredential:
    """A credential whose AAD tokens are not JWTs (some credentials return opaque ones)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.secret = "opaque-aad-secret-value"

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        return self._inner.get_token(*scopes, **kwargs)._replace(token=self.secret)


def test_non_jwt_secrets_are_redacted_from_logs_too(
    registry: LocalRegistry, connect: Connect, caplog: pytest.LogCaptureFixture
) -> None:
    credential = _OpaqueCredential(registry.credential())
    caplog.set_level(logging.DEBUG)
    client = connect(registry, credential, logging_enable=True)
    with pytest.raises(ClientAuthenticationError):
        _get(client, CATALOG)  # the registry refuses the opaque token, after it was logged
    assert "/oauth2/exchange" in caplog.text
    assert credential.secret not in caplog.text


# --- where tokens may go ---------------------------------------------------------------------


class _NoNetwork(HttpTransport):  # type: ignore[type-arg]
    """A transport that fails the test if anything tries to connect."""

    def __init__(self) -> None:
        self.sent = 0

    def send(self, request: Any, **kwargs: Any) -> Any:
        self.sent += 1
        raise AssertionError(f"no request may be sent: {request.method} {request.url}")

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> _NoNetwork:
        return self

    def __exit__(self, *args: Any) -> None:
        pass


def _offline_policy(endpoint: str, credential: Any, transport: _NoNetwork) -> Pipeline:  # type: ignore[type-arg]
    urls = RegistryUrls(endpoint)
    operations = AuthenticationOperations(
        Sender(PipelineClient(urls.base, transport=transport), urls)
    )
    policy = ContainerRegistryChallengePolicy(
        urls.base, TokenClient(operations, credential, AAD_SCOPE)
    )
    return Pipeline(transport, [policy])


def test_plain_http_to_a_remote_host_is_refused_before_any_token(
    registry: LocalRegistry,
) -> None:
    credential = registry.credential()
    transport = _NoNetwork()
    pipeline = _offline_policy("http://example.invalid", credential, transport)
    with pytest.raises(ServiceRequestError, match="plain http"):
        pipeline.run(HttpRequest("GET", "http://example.invalid/acr/v1/_catalog"))
    assert transport.sent == 0
    assert credential.calls == 0


@pytest.mark.parametrize(
    "url",
    [
        "https://r.azurecr.io\\@evil.example/v2/",  # parsers disagree on the host
        "https://r.azurecr.io:443@evil.example/v2/",
        "https://r.azurecr.io/v2/ spaced",
        "https://r.azurecr.io:70000/v2/",
    ],
)
def test_a_url_the_strict_parser_refuses_is_never_sent(registry: LocalRegistry, url: str) -> None:
    credential = registry.credential()
    transport = _NoNetwork()
    pipeline = _offline_policy("https://r.azurecr.io", credential, transport)
    with pytest.raises(ServiceRequestError, match="malformed or ambiguous"):
        pipeline.run(HttpRequest("GET", url, headers={"Authorization": "Bearer leftover"}))
    assert transport.sent == 0
    assert credential.calls == 0


def test_another_origin_gets_no_authorization_header(
    registry: LocalRegistry, connect: Connect
) -> None:
    client = connect(registry)
    _get(client, "/v2/library%2Fhello/tags/list")
    registry.clear_requests()
    # same server, another origin (as an upload Location on another host would be)
    elsewhere = registry.storage_endpoint + "/v2/library%2Fhello/tags/list"
    request = HttpRequest("GET", elsewhere, headers={"Authorization": "Bearer stale-header"})
    assert _send(client, request).status == 401
    assert [(r.path, r.authorized) for r in registry.requests] == [
        ("/v2/library%2Fhello/tags/list", False)
    ]


def test_redirect_to_storage_carries_no_registry_token(connect: Connect) -> None:
    with LocalRegistry(storage_redirect=True) as reg:
        reg.add_image("library/hello", tags=["latest"])
        client = connect(reg)
        manifest = _send(
            client,
            HttpRequest(
                "GET", "/v2/library%2Fhello/manifests/latest", headers={"Accept": OCI_MANIFEST}
            ),
        )
        layer = json.loads(manifest.body)["layers"][0]["digest"]
        reg.clear_requests()
        blob = _send(client, HttpRequest("GET", f"/v2/library%2Fhello/blobs/{layer}"))
        assert blob.status == 200
        assert [(r.status, r.authorized) for r in reg.requests] == [(307, True), (200, False)]


# --- the pipeline around the policy ----------------------------------------------------------


class _CountingTransport(RequestsTransport):
    closes = 0

    def close(self) -> None:
        self.closes += 1
        super().close()


def test_token_calls_share_the_connection_and_close_closes_it_once(
    registry: LocalRegistry,
) -> None:
    transport = _CountingTransport()
    client = create_rest_client(
        registry.endpoint, registry.credential(), aad_scope=AAD_SCOPE, transport=transport
    )
    for path in (CATALOG, HELLO_TAGS, OTHER_TAGS):
        _get(client._sender, path)
    records = registry.requests
    assert {r.path for r in records} >= {"/oauth2/exchange", "/oauth2/token"}
    assert len({r.connection for r in records}) == 1  # one keep-alive connection for everything
    client.close()
    assert transport.closes == 1
    assert transport.session is None


def test_retry_sits_before_the_challenge_and_keeps_the_token(
    registry: LocalRegistry, connect: Connect
) -> None:
    client = connect(registry, retry_backoff_factor=0)
    _get(client, CATALOG)
    registry.clear_requests()
    registry.fail_next(1, status=503, path_prefix=CATALOG)
    assert _get(client, CATALOG) == 200
    assert [(r.status, r.authorized) for r in registry.requests] == [(503, True), (200, True)]
    registry.clear_requests()
    no_retry = connect(registry, retry_total=0)
    _get(no_retry, CATALOG)
    registry.clear_requests()
    registry.fail_next(1, status=503, path_prefix=CATALOG)
    assert _get(no_retry, CATALOG) == 503


# --- bodies are sent once --------------------------------------------------------------------


def test_a_first_body_that_cannot_rewind_is_authorized_before_it_goes_out(
    registry: LocalRegistry, connect: Connect
) -> None:
    client = connect(registry)

    def chunks() -> Iterator[bytes]:
        yield b"{}"

    request = HttpRequest(
        "PUT", "/v2/other/manifests/new", content=chunks(), headers={"Content-Type": OCI_MANIFEST}
    )
    assert _send(client, request).status == 400  # the registry read it: not a manifest
    assert [(r.method, r.path, r.status, r.authorized) for r in registry.requests] == [
        ("POST", "/oauth2/exchange", 200, False),
        ("POST", "/oauth2/token", 200, False),
        ("PUT", "/v2/other/manifests/new", 400, True),
    ]


def test_a_wrong_service_guess_falls_back_to_the_challenge_and_a_body_waits_for_it(
    registry: LocalRegistry, connect: Connect
) -> None:
    # "localhost:<port>" reaches the same registry, but its token service is "127.0.0.1:<port>".
    endpoint = registry.endpoint.replace("127.0.0.1", "localhost")
    client = connect(registry, endpoint=endpoint)
    request = HttpRequest(
        "PATCH",
        "/acr/v1/other?api-version=2021-07-01",
        content=iter([b"{}"]),
        headers={"Content-Type": "application/json"},
    )
    assert _send(client, request).status == 200
    assert [(r.method, r.path, r.status) for r in registry.requests] == [
        ("POST", "/oauth2/exchange", 401),  # the guess is refused ...
        ("GET", "/v2/", 401),  # ... so the body waits while the challenge names the service
        EXCHANGE,
        TOKEN,
        ("PATCH", "/acr/v1/other", 200),
    ]
    assert registry.requests[-1].body_bytes == 2


def test_seekable_body_is_rewound_before_the_retry(
    registry: LocalRegistry, connect: Connect
) -> None:
    client = connect(registry)
    _send(client, HttpRequest("PATCH", "/acr/v1/other?api-version=2021-07-01", json={}))
    registry.expire_tokens()  # the cached token will be refused after the body went out
    registry.clear_requests()
    body = io.BytesIO(b"xx" + b"{}        ")
    body.seek(2)
    request = HttpRequest(
        "PATCH",
        "/acr/v1/other?api-version=2021-07-01",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert _send(client, request).status == 200
    records = _api(registry.requests)
    assert [(r.status, r.body_bytes, r.authorized) for r in records] == [
        (401, 10, True),
        (200, 10, True),
    ]


def test_a_body_that_cannot_rewind_is_not_sent_twice_and_the_401_goes_back(
    registry: LocalRegistry, connect: Connect
) -> None:
    client = connect(registry)
    _send(client, HttpRequest("PATCH", "/acr/v1/other?api-version=2021-07-01", json={}))
    registry.expire_tokens()
    registry.clear_requests()
    request = HttpRequest(
        "PATCH",
        "/acr/v1/other?api-version=2021-07-01",
        content=iter([b"{}"]),
        headers={"Content-Type": "application/json"},
    )
    assert _send(client, request).status == 401
    assert [(r.method, r.status) for r in registry.requests] == [("PATCH", 401)]
    assert _get(client, CATALOG) == 200  # the rejected token was dropped: recovery on next call


def test_known_service_sends_a_streamed_body_once_with_a_token(
    registry: LocalRegistry, connect: Connect
) -> None:
    client = connect(registry)
    _get(client, CATALOG)
    registry.clear_requests()
    started = _send(client, HttpRequest("POST", "/v2/other/blobs/uploads/"))
    assert started.status == 202
    location = started.headers["Location"]

    def chunks() -> Iterator[bytes]:
        yield b"a" * 1000
        yield b"b" * 1000

    patch = HttpRequest(
        "PATCH", location, content=chunks(), headers={"Content-Type": "application/octet-stream"}
    )
    assert _send(client, patch).status == 202
    status = _send(client, HttpRequest("GET", location))
    cancel = _send(client, HttpRequest("DELETE", status.headers["Location"]))
    assert cancel.status == 204
    assert [(r.method, r.status, r.body_bytes) for r in _api(registry.requests)] == [
        ("POST", 202, 0),
        ("PATCH", 202, 2000),
        ("GET", 204, 0),
        ("DELETE", 204, 0),
    ]


# --- anonymous access ------------------------------------------------------------------------


def test_anonymous_pull_uses_password_grant_and_never_exchanges(connect: Connect) -> None:
    with LocalRegistry(anonymous_pull=True) as reg:
        reg.add_image("library/hello", tags=["latest"])
        reg.clear_requests()
        client = connect(reg, None)
        assert _get(client, HELLO_TAGS) == 200
        assert _get(client, HELLO_TAGS) == 200
        assert _calls(reg) == [
            ("GET", HELLO_TAGS, 401),
            TOKEN,
            ("GET", HELLO_TAGS, 200),
            ("GET", HELLO_TAGS, 200),
        ]
        patch = HttpRequest("PATCH", "/acr/v1/library%2Fhello?api-version=2021-07-01", json={})
        response = _send(client, patch)
        assert response.status == 401  # the caller's error mapping raises
        assert "insufficient_scope" in response.headers["WWW-Authenticate"]
        assert all(r.path != "/oauth2/exchange" for r in reg.requests)


def test_anonymous_access_refused_raises_client_authentication_error(
    registry: LocalRegistry, connect: Connect
) -> None:
    client = connect(registry, None)
    with pytest.raises(ClientAuthenticationError, match="anonymous access is disabled"):
        _get(client, CATALOG)
