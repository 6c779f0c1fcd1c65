"""The rules of ACR authentication, driven directly: no server, no pipeline, an injected clock.

Each test plays a request the way the challenge policy does (destination, target, probe, answer,
retry) and checks the decisions, so the request counts the end-to-end tests measure follow from
rules pinned down here.
"""

from __future__ import annotations

from typing import List, Optional

import pytest
from azure.core.exceptions import ServiceRequestError

from azure_containerregistry._auth._challenge import BearerChallenge
from azure_containerregistry._auth._flow import (
    ACCESS_TOKEN_MARGIN,
    REFRESH_TOKEN_MARGIN,
    ChallengeFlow,
    Destination,
    Target,
    Verdict,
    access_token_is_fresh,
    reexchange_after_refusal,
    refresh_token_is_fresh,
)
from azure_containerregistry._auth._token_cache import Token, TokenCache

ENDPOINT = "https://r.azurecr.io"
SERVICE = "r.azurecr.io"
CATALOG = "/acr/v1/_catalog"
CATALOG_SCOPE = "registry:catalog:*"
TAGS = "/acr/v1/app/_tags"
TAGS_SCOPE = "repository:app:metadata_read"


def _signed_in() -> ChallengeFlow:
    return ChallengeFlow(ENDPOINT, guess_service=True)


def _anonymous() -> ChallengeFlow:
    return ChallengeFlow(ENDPOINT, guess_service=False)


def _challenge(scope: str, service: str = SERVICE) -> BearerChallenge:
    return BearerChallenge(service=service, scope=scope, realm=f"https://{service}/oauth2/token")


class Clock:
    """An injectable clock: tests move time instead of waiting for it."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# --- where a request may go ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://r.azurecr.io/acr/v1/_catalog?n=1", "/acr/v1/_catalog"),
        ("https://R.AzureCR.io:443/v2/", "/v2/"),
        ("https://r.azurecr.io", ""),
    ],
)
def test_the_registry_origin_gets_tokens(url: str, path: str) -> None:
    assert _signed_in().destination(url) == Destination(True, path)


@pytest.mark.parametrize(
    "url",
    [
        "https://storage.blob.core.windows.net/container/blob?sig=x",
        "https://r.azurecr.io:8443/v2/",
        "http://r.azurecr.io/v2/",
        "https://r.azurecr.io.evil.example/v2/",
    ],
)
def test_another_well_formed_origin_gets_no_token(url: str) -> None:
    assert _signed_in().destination(url).to_registry is False


@pytest.mark.parametrize(
    "url",
    [
        "https://r.azurecr.io\\@evil.example/v2/",
        "https://r.azurecr.io@evil.example/v2/",
        "https://r.azurecr.io:notaport/v2/",
        "https://r.azurecr.io/v2/\x00",
        "//r.azurecr.io/v2/",
        "/v2/",
        "ftp://r.azurecr.io/v2/",
        "",
    ],
)
def test_a_url_the_strict_parser_cannot_read_is_refused(url: str) -> None:
    with pytest.raises(ServiceRequestError, match="malformed or ambiguous"):
        _signed_in().destination(url)


def test_the_registry_over_plain_http_is_refused_unless_it_is_loopback() -> None:
    remote = ChallengeFlow("http://r.example", guess_service=True)
    with pytest.raises(ServiceRequestError, match="plain http"):
        remote.destination("http://r.example/v2/")
    assert remote.destination("https://elsewhere.example/").to_registry is False
    local = ChallengeFlow("http://127.0.0.1:5000", guess_service=True)
    assert local.destination("http://127.0.0.1:5000/v2/") == Destination(True, "/v2/")


def test_an_endpoint_the_strict_parser_refuses_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not a registry endpoint"):
        ChallengeFlow("https://r.azurecr.io\\@evil.example", guess_service=True)


# --- the token attached up front -------------------------------------------------------------


def test_a_signed_in_client_guesses_the_service_is_the_endpoint_host() -> None:
    assert _signed_in().target("GET", CATALOG) == Target(SERVICE, CATALOG_SCOPE, guessed=True)


@pytest.mark.parametrize(
    ("endpoint", "service"),
    [
        ("https://r.azurecr.io:443", "r.azurecr.io"),
        ("http://127.0.0.1:5000", "127.0.0.1:5000"),
        ("https://R.AZURECR.IO/", "r.azurecr.io"),
    ],
)
def test_the_guess_is_the_login_server_as_acr_names_it(endpoint: str, service: str) -> None:
    target = ChallengeFlow(endpoint, guess_service=True).target("GET", CATALOG)
    assert target is not None and target.service == service


def test_an_anonymous_client_does_not_guess() -> None:
    assert _anonymous().target("GET", CATALOG) is None


def test_no_token_up_front_when_the_scope_cannot_be_predicted() -> None:
    flow = _signed_in()
    assert flow.target("GET", "/v2/") is None
    assert flow.target("OPTIONS", CATALOG) is None


def test_a_refused_guess_is_not_tried_again() -> None:
    flow = _signed_in()
    flow.guess_refused()
    assert flow.target("GET", CATALOG) is None
    assert flow.service is None


def test_a_confirmed_guess_becomes_the_service() -> None:
    flow = _signed_in()
    sent = flow.target("GET", CATALOG)
    assert flow.on_response(200, None, sent, rewindable=True) == Verdict(False, None)
    assert flow.service == SERVICE
    assert flow.target("GET", TAGS) == Target(SERVICE, TAGS_SCOPE, guessed=False)


def test_a_challenged_service_replaces_the_guess() -> None:
    flow = _signed_in()
    sent = flow.target("GET", CATALOG)
    verdict = flow.on_response(401, _challenge(CATALOG_SCOPE, "other.io"), sent, rewindable=True)
    assert verdict == Verdict(forget_sent=False, retry=Target("other.io", CATALOG_SCOPE))
    assert flow.target("GET", TAGS) == Target("other.io", TAGS_SCOPE)


# --- probing before a first body -------------------------------------------------------------


def test_a_first_body_without_a_token_probes_once() -> None:
    flow = _anonymous()
    assert flow.should_probe(has_body=True, authorized=False)
    assert not flow.should_probe(has_body=True, authorized=False)  # claimed by the first


@pytest.mark.parametrize(("has_body", "authorized"), [(False, False), (True, True), (False, True)])
def test_no_probe_without_a_body_or_with_a_token(has_body: bool, authorized: bool) -> None:
    assert not _anonymous().should_probe(has_body=has_body, authorized=authorized)


def test_the_probe_names_the_service_for_the_body() -> None:
    flow = _anonymous()
    assert flow.probe_url == "https://r.azurecr.io/v2/"
    assert flow.should_probe(has_body=True, authorized=False)
    flow.probe_answered(_challenge("registry:catalog:*"))
    assert flow.service == SERVICE
    assert flow.target("PATCH", "/acr/v1/app") == Target(SERVICE, "repository:app:metadata_write")


def test_a_registry_without_auth_is_probed_at_most_once() -> None:
    flow = _anonymous()
    assert flow.should_probe(has_body=True, authorized=False)
    flow.probe_answered(None)  # GET /v2/ answered 200: nothing to learn
    assert flow.service is None
    assert not flow.should_probe(has_body=True, authorized=False)


def test_an_answer_without_a_challenge_means_no_probe_later() -> None:
    flow = _anonymous()
    assert flow.on_response(200, None, None, rewindable=True) == Verdict(False, None)
    assert not flow.should_probe(has_body=True, authorized=False)


def test_no_probe_once_the_service_is_known() -> None:
    flow = _anonymous()
    flow.on_response(401, _challenge(CATALOG_SCOPE), None, rewindable=True)
    assert not flow.should_probe(has_body=True, authorized=False)


# --- the answer ------------------------------------------------------------------------------


def test_a_challenge_for_the_scope_sent_drops_that_token_and_retries() -> None:
    flow = _signed_in()
    sent = flow.target("GET", CATALOG)
    verdict = flow.on_response(401, _challenge(CATALOG_SCOPE), sent, rewindable=True)
    assert verdict == Verdict(forget_sent=True, retry=Target(SERVICE, CATALOG_SCOPE))


def test_a_challenge_for_another_scope_keeps_the_token_sent() -> None:
    flow = _signed_in()
    sent = flow.target("GET", CATALOG)
    verdict = flow.on_response(401, _challenge("repository:x:pull"), sent, rewindable=True)
    assert verdict == Verdict(forget_sent=False, retry=Target(SERVICE, "repository:x:pull"))


def test_a_body_that_cannot_rewind_is_not_retried_but_still_teaches() -> None:
    flow = _signed_in()
    sent = flow.target("GET", CATALOG)
    verdict = flow.on_response(401, _challenge(CATALOG_SCOPE), sent, rewindable=False)
    assert verdict == Verdict(forget_sent=True, retry=None)
    assert flow.service == SERVICE


@pytest.mark.parametrize(
    "challenge",
    [
        None,
        BearerChallenge(service=SERVICE, scope=None),
        BearerChallenge(service=None, scope=CATALOG_SCOPE),
    ],
)
def test_a_401_without_a_usable_challenge_goes_to_the_caller(
    challenge: Optional[BearerChallenge],
) -> None:
    flow = _signed_in()
    sent = flow.target("GET", CATALOG)
    assert flow.on_response(401, challenge, sent, rewindable=True) == Verdict(False, None)
    assert flow.service is None


@pytest.mark.parametrize("status", [200, 202, 204, 307, 403, 404, 503])
def test_other_statuses_go_to_the_caller(status: int) -> None:
    flow = _signed_in()
    sent = flow.target("GET", CATALOG)
    assert flow.on_response(status, None, sent, rewindable=True) == Verdict(False, None)


def test_a_401_on_the_retry_goes_to_the_caller_and_drops_the_retry_token() -> None:
    flow = _signed_in()
    assert flow.on_retry_response(401)
    assert not flow.on_retry_response(200)
    assert not flow.on_retry_response(403)


# --- whole calls, counted --------------------------------------------------------------------


def _play(
    flow: ChallengeFlow, method: str, path: str, statuses: List[int], *, body: bool = False
) -> List[str]:
    """Drive ``flow`` like the policy; the registry answers ``statuses`` in turn, 401s naming the
    predicted scope. Returns what went out: token fetches, the probe, sends."""
    wire: List[str] = []
    answers = iter(statuses)
    sent = flow.target(method, path)
    if sent is not None:
        wire.append(f"token {sent.scope}")
    if flow.should_probe(has_body=body, authorized=sent is not None):
        wire.append("probe")
        flow.probe_answered(_challenge(CATALOG_SCOPE))
        sent = flow.target(method, path)
        if sent is not None:
            wire.append(f"token {sent.scope}")
    wire.append(f"{method} {path}")
    status = next(answers)
    scope = sent.scope if sent else "registry:catalog:*"
    challenge = _challenge(scope) if status == 401 else None
    verdict = flow.on_response(status, challenge, sent, rewindable=True)
    if verdict.forget_sent:
        wire.append("forget")
    if verdict.retry is not None:
        wire.append(f"token {verdict.retry.scope}")
        wire.append(f"{method} {path}")
        if flow.on_retry_response(next(answers)):
            wire.append("forget")
    return wire


def test_a_signed_in_client_sends_each_call_once_with_a_token() -> None:
    flow = _signed_in()
    assert _play(flow, "GET", CATALOG, [200]) == [f"token {CATALOG_SCOPE}", f"GET {CATALOG}"]
    assert _play(flow, "GET", TAGS, [200]) == [f"token {TAGS_SCOPE}", f"GET {TAGS}"]


def test_an_anonymous_client_pays_the_challenge_then_sends_with_a_token() -> None:
    flow = _anonymous()
    assert _play(flow, "GET", CATALOG, [401, 200]) == [
        f"GET {CATALOG}",
        f"token {CATALOG_SCOPE}",
        f"GET {CATALOG}",
    ]
    assert _play(flow, "GET", CATALOG, [200]) == [f"token {CATALOG_SCOPE}", f"GET {CATALOG}"]


def test_a_rejected_token_is_dropped_and_retried_once() -> None:
    flow = _signed_in()
    _play(flow, "GET", CATALOG, [200])
    assert _play(flow, "GET", CATALOG, [401, 401]) == [
        f"token {CATALOG_SCOPE}",
        f"GET {CATALOG}",
        "forget",
        f"token {CATALOG_SCOPE}",
        f"GET {CATALOG}",
        "forget",
    ]


def test_an_anonymous_first_body_waits_for_the_probe() -> None:
    flow = _anonymous()
    assert _play(flow, "PATCH", "/acr/v1/app", [200], body=True) == [
        "probe",
        "token repository:app:metadata_write",
        "PATCH /acr/v1/app",
    ]


# --- token lifetimes, on the injected clock --------------------------------------------------


def test_a_refresh_token_is_renewed_when_under_300_seconds_remain() -> None:
    clock = Clock()
    cache: TokenCache[str] = TokenCache(refresh_token_is_fresh, clock)
    issued: List[Token] = []

    def exchange() -> Token:
        issued.append(Token(f"refresh-{len(issued)}", clock.now + 3 * 3600))
        return issued[-1]

    first, fetched = cache.get_or_fetch(SERVICE, exchange)
    assert fetched
    clock.now += 3 * 3600 - REFRESH_TOKEN_MARGIN - 1  # 301 s left
    assert cache.get_or_fetch(SERVICE, exchange) == (first, False)
    clock.now += 1  # 300 s left: renew
    second, fetched = cache.get_or_fetch(SERVICE, exchange)
    assert fetched and second is not first


def test_an_access_token_is_dropped_when_under_30_seconds_remain() -> None:
    clock = Clock()
    cache: TokenCache[tuple[str, str]] = TokenCache(access_token_is_fresh, clock)
    token = Token("access", clock.now + 3600)
    cache.get_or_fetch((SERVICE, CATALOG_SCOPE), lambda: token)
    clock.now += 3600 - ACCESS_TOKEN_MARGIN - 0.5
    assert cache.get((SERVICE, CATALOG_SCOPE)) is token
    clock.now += 0.5
    assert cache.get((SERVICE, CATALOG_SCOPE)) is None


@pytest.mark.parametrize("rule", [refresh_token_is_fresh, access_token_is_fresh])
def test_a_token_without_an_expiry_is_never_cached(rule: object) -> None:
    clock = Clock()
    cache: TokenCache[str] = TokenCache(rule, clock)  # type: ignore[arg-type]
    fetches: List[int] = []

    def opaque() -> Token:
        fetches.append(1)
        return Token("opaque", None)

    cache.get_or_fetch("k", opaque)
    cache.get_or_fetch("k", opaque)
    assert len(fetches) == 2


def test_an_expired_token_is_not_fresh_at_any_margin() -> None:
    clock = Clock()
    assert not access_token_is_fresh(clock.now - 1, clock())
    assert not refresh_token_is_fresh(clock.now - 1, clock())
    assert access_token_is_fresh(clock.now + ACCESS_TOKEN_MARGIN + 1, clock())
    assert not refresh_token_is_fresh(clock.now + ACCESS_TOKEN_MARGIN + 1, clock())


def test_only_a_cached_refresh_token_is_exchanged_again_after_a_refusal() -> None:
    assert reexchange_after_refusal(refresh_token_was_cached=True)
    assert not reexchange_after_refusal(refresh_token_was_cached=False)
