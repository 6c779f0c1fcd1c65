"""Pure pieces of authentication: challenge parsing, JWT expiry, scope prediction, freshness."""

from __future__ import annotations

import base64
import io
import json
import threading
from typing import Any, Iterator, List

import pytest
from azure.core.exceptions import ServiceRequestError

from azure_containerregistry._auth._body import RequestBody
from azure_containerregistry._auth._challenge import BearerChallenge, parse_challenge
from azure_containerregistry._auth._flow import (
    access_token_is_fresh,
    is_fresh,
    refresh_token_is_fresh,
    require_secure_origin,
)
from azure_containerregistry._auth._jwt import jwt_expiry
from azure_containerregistry._auth._scopes import predict_scope
from azure_containerregistry._auth._token_cache import Token, TokenCache
from azure_containerregistry._redaction import redact_header, redact_text
from azure_containerregistry._rest.operations._authentication import (
    AcrAccessToken,
    AcrRefreshToken,
    build_exchange_aad_access_token_for_acr_refresh_token_request,
    build_exchange_acr_refresh_token_for_acr_access_token_request,
)
from azure_containerregistry._urls import parse_strict


def _jwt(payload: Any) -> str:
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    return f"eyJhbGciOiJIUzI1NiJ9.{body}.c2lnbmF0dXJl"


# --- challenge -------------------------------------------------------------------------------


def test_challenge_from_recording_gives_service_and_scope() -> None:
    header = (
        'Bearer realm="https://fake_url.azurecr.io/oauth2/token",'
        'service="paulvaneckcr1.azurecr.io",scope="repository:library/hello-world:metadata_read"'
    )
    assert parse_challenge(header) == BearerChallenge(
        service="paulvaneckcr1.azurecr.io",
        scope="repository:library/hello-world:metadata_read",
        realm="https://fake_url.azurecr.io/oauth2/token",
    )


@pytest.mark.parametrize(
    ("header", "service", "scope", "error"),
    [
        ('bearer SERVICE="s",Scope="registry:catalog:*"', "s", "registry:catalog:*", None),
        ('Bearer service=s, scope="a:b:pull,push"', "s", "a:b:pull,push", None),
        ('Bearer service="s",scope="x",error="insufficient_scope"', "s", "x", "insufficient_scope"),
        ('Basic realm="a, Bearer service=evil", Bearer service="good"', "good", None, None),
        ('Bearer realm="a,scope=\\"no\\"",service="s"', "s", None, None),
        ('Bearer service="s\\"q", scope="unterminated', 's"q', "unterminated", None),
        ('Bearer  ,  service = "s" ,, scope="a b"', "s", "a b", None),
        ('Bearer service="",scope=""', None, None, None),
        ("Bearer", None, None, None),
        ('= , Bearer service="s"', "s", None, None),
    ],
)
def test_challenge_parsing_handles_odd_inputs(
    header: str, service: str, scope: str, error: str
) -> None:
    challenge = parse_challenge(header)
    assert challenge is not None
    assert (challenge.service, challenge.scope, challenge.error) == (service, scope, error)


@pytest.mark.parametrize("header", [None, "", "   ", 'Basic realm="x"', "Negotiate abc=="])
def test_challenge_absent_without_bearer_scheme(header: Any) -> None:
    assert parse_challenge(header) is None


# --- JWT expiry ------------------------------------------------------------------------------


def test_jwt_expiry_reads_exp() -> None:
    assert jwt_expiry(_jwt({"exp": 1700000000, "sub": "x"})) == 1700000000.0
    assert jwt_expiry(_jwt({"exp": 1700000000.5})) == 1700000000.5


def test_jwt_expiry_decodes_base64url_payloads_with_dash_and_underscore() -> None:
    token = _jwt({"exp": 1700000000, "note": ">>>???~~~"})
    payload = token.split(".")[1]
    assert "-" in payload and "_" in payload  # the case plain base64 decoding gets wrong
    assert jwt_expiry(token) == 1700000000.0


@pytest.mark.parametrize(
    "token",
    [
        "access_token",  # what the recordings carry
        "",
        "a.b",
        "a.b.c.d",
        "x.!!!.y",
        "x.eyJleHAiOjF9=.y",  # padded: not base64url as JWTs write it
        _jwt([1, 2]),
        _jwt({"sub": "no exp"}),
        _jwt({"exp": "1700000000"}),
        _jwt({"exp": True}),
        _jwt({"exp": None}),
        "h." + base64.urlsafe_b64encode(b"\xff\xfe").decode().rstrip("=") + ".s",
    ],
)
def test_jwt_expiry_is_none_for_anything_else(token: str) -> None:
    assert jwt_expiry(token) is None


# --- scope prediction ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("GET", "/acr/v1/_catalog", "registry:catalog:*"),
        ("GET", "/acr/v1/_catalog?last=a&n=2", "registry:catalog:*"),
        ("GET", "/acr/v1/library%2Fhello-world", "repository:library/hello-world:metadata_read"),
        ("GET", "/acr/v1/library/hello/_tags", "repository:library/hello:metadata_read"),
        ("HEAD", "/acr/v1/hello/_tags/v1", "repository:hello:metadata_read"),
        ("GET", "/acr/v1/a%2Fb/_manifests/sha256%3Aab", "repository:a/b:metadata_read"),
        ("PATCH", "/acr/v1/a%2Fb/_tags/latest", "repository:a/b:metadata_write"),
        ("PATCH", "/acr/v1/a%2Fb", "repository:a/b:metadata_write"),
        ("DELETE", "/acr/v1/a%2Fb", "repository:a/b:delete"),
        ("DELETE", "/acr/v1/a/_tags/_v1", "repository:a:delete"),
        ("DELETE", "/v2/a%2Fb/manifests/sha256%3Aab", "repository:a/b:delete"),
        ("DELETE", "/v2/a/blobs/sha256:ab", "repository:a:delete"),
        ("GET", "/v2/a%2Fb/manifests/latest", "repository:a/b:pull"),
        ("HEAD", "/v2/a/b/c/blobs/sha256:ab", "repository:a/b/c:pull"),
        ("GET", "/v2/a/tags/list?n=1", "repository:a:pull"),
        ("POST", "/v2/a%2Fb/blobs/uploads/", "repository:a/b:pull,push"),
        ("PATCH", "/v2/a/b/blobs/uploads/0c1e?_state=x", "repository:a/b:pull,push"),
        ("PUT", "/v2/a/manifests/v1", "repository:a:pull,push"),
        ("PUT", "/v2/a/blobs/uploads/0c1e?digest=sha256:ab", "repository:a:pull,push"),
        ("GET", "/v2/a/blobs/uploads/0c1e", "repository:a:pull,push"),
        ("DELETE", "/v2/a%2Fb/blobs/uploads/0c1e", "repository:a/b:pull,push"),
        ("get", "/v2/a/manifests/v1", "repository:a:pull"),
    ],
)
def test_scope_is_predicted_from_method_and_path(method: str, path: str, scope: str) -> None:
    assert predict_scope(method, path) == scope


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v2/"),
        ("GET", "/oauth2/token"),
        ("POST", "/acr/v1/_catalog"),
        ("POST", "/acr/v1/a"),
        ("GET", "/acr/v1/"),
        ("GET", "/acr/v1/_unknown"),
        ("GET", "/acr/v1/a/_tags/v1/extra"),
        ("OPTIONS", "/v2/a/manifests/v1"),
        ("GET", "/elsewhere"),
    ],
)
def test_scope_unknown_for_other_requests(method: str, path: str) -> None:
    assert predict_scope(method, path) is None


# --- freshness and the cache -----------------------------------------------------------------


def test_freshness_needs_more_than_the_margin_left() -> None:
    assert is_fresh(1000.0, now=600.0, margin=300.0)
    assert not is_fresh(1000.0, now=700.0, margin=300.0)
    assert not is_fresh(1000.0, now=2000.0, margin=300.0)
    assert not is_fresh(None, now=0.0, margin=0.0)


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_cache_serves_until_margin_then_fetches_again() -> None:
    clock = _Clock()
    cache: TokenCache[str] = TokenCache(refresh_token_is_fresh, clock=clock)
    fetched: List[Token] = []

    def fetch() -> Token:
        fetched.append(Token(f"t{len(fetched)}", clock.now + 600))
        return fetched[-1]

    first, was_fetched = cache.get_or_fetch("svc", fetch)
    assert was_fetched and first.value == "t0"
    clock.now += 299
    assert cache.get_or_fetch("svc", fetch) == (first, False)
    clock.now += 2  # 299 s left: renew
    second, was_fetched = cache.get_or_fetch("svc", fetch)
    assert was_fetched and second.value == "t1"


def test_cache_does_not_keep_tokens_without_expiry() -> None:
    cache: TokenCache[str] = TokenCache(access_token_is_fresh)
    calls = []
    for _ in range(2):
        token, fetched = cache.get_or_fetch("k", lambda: calls.append(1) or Token("opaque", None))
        assert fetched and token.value == "opaque"
    assert len(calls) == 2


def test_cache_discard_only_drops_the_rejected_token() -> None:
    clock = _Clock()
    cache: TokenCache[str] = TokenCache(access_token_is_fresh, clock=clock)
    old, _ = cache.get_or_fetch("k", lambda: Token("old", 5000.0))
    cache.discard("k", old)
    new, fetched = cache.get_or_fetch("k", lambda: Token("new", 5000.0))
    assert fetched
    cache.discard("k", old)  # a late thread discarding the old token keeps the new one
    assert cache.get("k") is new


def test_cache_fetches_once_for_concurrent_callers() -> None:
    cache: TokenCache[str] = TokenCache(access_token_is_fresh)
    release = threading.Event()
    calls: List[int] = []
    results: List[Token] = []

    def fetch() -> Token:
        calls.append(1)
        release.wait(10)
        return Token("shared", 9e12)

    threads = [
        threading.Thread(target=lambda: results.append(cache.get_or_fetch("k", fetch)[0]))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    release.set()
    for thread in threads:
        thread.join(10)
        assert not thread.is_alive()
    assert len(calls) == 1
    assert [token.value for token in results] == ["shared"] * 8


# --- secrets stay secret ---------------------------------------------------------------------


def test_token_and_cache_reprs_hide_values() -> None:
    secret = _jwt({"exp": 1700000000})
    token = Token.from_jwt(secret)
    cache: TokenCache[str] = TokenCache(access_token_is_fresh, clock=lambda: 0.0)
    cache.get_or_fetch("k", lambda: token)
    for text in (repr(token), str(token), repr(cache), str(cache)):
        assert secret not in text
    assert secret not in repr(AcrAccessToken(access_token=secret))
    assert secret not in str(AcrRefreshToken(refresh_token=secret))


def test_redaction_covers_forms_json_headers_and_bare_jwts() -> None:
    secret = _jwt({"exp": 1})
    texts = [
        f"grant_type=access_token&service=s&access_token={secret}",
        f"service=s&scope=a&refresh_token=opaque-{secret}&grant_type=refresh_token",
        "grant_type=password&password=hunter2",
        f'{{"refresh_token": "{secret}"}}',
        f'{{"access_token":"opaque\\"{secret}"}}',
        f"free text {secret} here",
        f"b'refresh_token={secret}'",
        f"Authorization: Bearer {secret}",
    ]
    for text in texts:
        redacted = redact_text(text)
        assert secret not in redacted and "hunter2" not in redacted, redacted
        assert "REDACTED" in redacted
    assert redact_text("grant_type=access_token&service=s") == "grant_type=access_token&service=s"
    assert redact_header("Authorization", f"Bearer {secret}") == "Bearer REDACTED"
    assert redact_header("authorization", "opaque") == "REDACTED"
    assert redact_header("Content-Type", "application/json") == "application/json"


# --- plain http ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://x.azurecr.io/v2/",
        "http://127.0.0.1:5000/v2/",
        "http://127.8.9.1/acr/v1/_catalog",
        "http://localhost:80/v2/",
        "http://[::1]:5000/v2/",
    ],
)
def test_tokens_may_go_to_https_or_loopback(url: str) -> None:
    require_secure_origin(parse_strict(url))


@pytest.mark.parametrize(
    "url", ["http://example.invalid/v2/", "http://10.0.0.1/v2/", "http://128.0.0.1/"]
)
def test_tokens_never_go_over_plain_http_to_other_hosts(url: str) -> None:
    with pytest.raises(ServiceRequestError, match="plain http"):
        require_secure_origin(parse_strict(url))


# --- request bodies --------------------------------------------------------------------------


def _chunks() -> Iterator[bytes]:
    yield b"x"


@pytest.mark.parametrize(
    ("body", "present", "rewindable"),
    [
        (None, False, True),
        (b"", False, True),
        (b"{}", True, True),
        ("text", True, True),
        ({"a": "b"}, True, True),
        (io.BytesIO(b"abc"), True, True),
        (_chunks(), True, False),
        (iter([b"x"]), True, False),
    ],
)
def test_request_body_knows_whether_it_is_present_and_rewinds(
    body: Any, present: bool, rewindable: bool
) -> None:
    request_body = RequestBody(body)
    assert (request_body.present, request_body.rewindable) == (present, rewindable)
    assert request_body.rewind() is rewindable


def test_request_body_rewinds_a_stream_to_where_it_started() -> None:
    stream = io.BytesIO(b"xx0123")
    stream.seek(2)
    body = RequestBody(stream)
    assert stream.read() == b"0123"
    assert body.rewind()
    assert stream.read() == b"0123"


def test_request_body_that_cannot_seek_is_not_sent_again() -> None:
    stream = io.BytesIO(b"abc")
    body = RequestBody(stream)
    stream.close()  # seek now raises ValueError
    assert not body.rewind()


# --- request builders ------------------------------------------------------------------------


def test_exchange_request_matches_the_wire_format() -> None:
    request = build_exchange_aad_access_token_for_acr_refresh_token_request(
        grant_type="access_token", service="r.azurecr.io", access_token="aad"
    )
    assert request.method == "POST"
    assert request.url == "/oauth2/exchange?api-version=2021-07-01"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.headers["Accept"] == "application/json"
    assert request.content == {
        "grant_type": "access_token",
        "service": "r.azurecr.io",
        "access_token": "aad",
    }
    assert list(request.content) == ["grant_type", "service", "access_token"]


def test_token_request_matches_the_wire_format_and_drops_missing_fields() -> None:
    request = build_exchange_acr_refresh_token_for_acr_access_token_request(
        service="s", scope="repository:a/b:pull", refresh_token="r"
    )
    assert request.url == "/oauth2/token?api-version=2021-07-01"
    assert list(request.content.items()) == [
        ("service", "s"),
        ("scope", "repository:a/b:pull"),
        ("refresh_token", "r"),
        ("grant_type", "refresh_token"),
    ]
    anonymous = build_exchange_acr_refresh_token_for_acr_access_token_request(
        service="s", scope="registry:catalog:*", grant_type="password"
    )
    assert list(anonymous.content) == ["service", "scope", "grant_type"]
