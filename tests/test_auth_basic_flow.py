"""The Basic-auth rules, driven directly: which challenge turns Basic on, for whom, and where the
username and password may go; plus the pure helpers (challenge scan, header value, redaction).
"""

from __future__ import annotations

import base64

import pytest
from azure.core.exceptions import ServiceRequestError
from azure.core.rest import HttpRequest

from azure_containerregistry._auth._challenge import BearerChallenge, offers_basic
from azure_containerregistry._auth._exchange import basic_authorization
from azure_containerregistry._auth._flow import BASIC, ChallengeFlow, Target
from azure_containerregistry._redaction import redact_text, secrets_of

ENDPOINT = "https://r.example.com"
TAGS = "/v2/app/tags/list"


def _login() -> ChallengeFlow:
    return ChallengeFlow(ENDPOINT, guess_service=True, basic=True)


def test_a_basic_challenge_turns_basic_on_and_retries_once() -> None:
    flow = _login()
    guessed = flow.target("GET", TAGS)
    assert guessed is not None and guessed.guessed
    verdict = flow.on_response(401, None, None, rewindable=True, basic_offered=True)
    assert verdict.retry == BASIC and not verdict.forget_sent
    assert flow.target("GET", TAGS) == BASIC
    assert flow.target("DELETE", "/v2/other/manifests/sha256:" + "0" * 64) == BASIC


def test_a_refused_password_is_not_retried() -> None:
    flow = _login()
    flow.on_response(401, None, None, rewindable=True, basic_offered=True)
    verdict = flow.on_response(401, None, BASIC, rewindable=True, basic_offered=True)
    assert verdict.retry is None
    assert flow.on_retry_response(401)


def test_a_body_that_cannot_be_rewound_is_not_resent_with_basic() -> None:
    flow = _login()
    verdict = flow.on_response(401, None, None, rewindable=False, basic_offered=True)
    assert verdict.retry is None
    assert flow.target("PUT", "/v2/app/manifests/v1") == BASIC  # later requests carry it


@pytest.mark.parametrize("guess_service", [True, False])
def test_without_a_username_and_password_a_basic_challenge_is_the_callers(
    guess_service: bool,
) -> None:
    flow = ChallengeFlow(ENDPOINT, guess_service=guess_service)
    verdict = flow.on_response(401, None, None, rewindable=True, basic_offered=True)
    assert verdict.retry is None
    assert flow.target("GET", TAGS) != BASIC


def test_a_bearer_challenge_wins_over_basic() -> None:
    flow = _login()
    challenge = BearerChallenge(service="r.example.com", scope="repository:app:pull")
    verdict = flow.on_response(401, challenge, None, rewindable=True, basic_offered=True)
    assert verdict.retry == Target("r.example.com", "repository:app:pull")
    assert flow.target("GET", TAGS) == Target("r.example.com", "repository:app:pull")


def test_a_probe_that_asks_for_basic_authorizes_the_first_body() -> None:
    flow = _login()
    flow.guess_refused()  # no token route (distribution)
    assert flow.should_probe(has_body=True, authorized=False)
    flow.probe_answered(None, basic_offered=True)
    assert flow.target("PUT", "/v2/app/manifests/v1") == BASIC
    assert not flow.should_probe(has_body=True, authorized=False)


def test_an_answer_to_basic_does_not_name_a_service() -> None:
    flow = _login()
    flow.on_response(401, None, None, rewindable=True, basic_offered=True)
    flow.on_response(200, None, BASIC, rewindable=True)
    assert flow.service is None


def test_basic_is_never_sent_over_plain_http_to_a_remote_host_or_to_another_origin() -> None:
    with pytest.raises(ServiceRequestError):
        ChallengeFlow("http://r.example.com", guess_service=True, basic=True).destination(
            "http://r.example.com/v2/"
        )
    flow = _login()
    assert not flow.destination("https://storage.example.net/blob?sig=x").to_registry
    loopback = ChallengeFlow("http://127.0.0.1:5000", guess_service=True, basic=True)
    assert loopback.destination("http://127.0.0.1:5000/v2/").to_registry


@pytest.mark.parametrize(
    ("header", "offered"),
    [
        ('Basic realm="basic-realm"', True),
        ("basic", True),
        ('Bearer realm="https://r/token",service="r", Basic realm="x"', True),
        ('Bearer realm="https://r/token",service="r",scope="a:b:c"', False),
        ('Digest realm="x", nonce="basic"', False),
        (None, False),
        ("", False),
        ("Basic " + "x" * (64 * 1024), False),
    ],
)
def test_offers_basic_finds_a_basic_challenge_among_others(
    header: str | None, offered: bool
) -> None:
    assert offers_basic(header) is offered


def test_basic_authorization_is_rfc7617_utf8() -> None:
    value = basic_authorization("ci", "pässword:with:colons")
    scheme, _, encoded = value.partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded).decode("utf-8") == "ci:pässword:with:colons"


def test_a_basic_requests_password_is_redacted_even_when_echoed_in_plain_text() -> None:
    password = "echoed-Pa55word-1234"
    headers = {"Authorization": basic_authorization("u", password)}
    request = HttpRequest("GET", "https://r/oauth2/token", headers=headers)
    secrets = secrets_of(request)
    assert password in secrets
    assert password not in redact_text(f"server said: bad password {password}", secrets)

