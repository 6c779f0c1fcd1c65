"""The challenge policy: authorize registry requests with cached ACR access tokens.

The protocol, step by step (each decision is a rule of :class:`~._flow.ChallengeFlow`; this
module only sends what the rules ask for):

1. A request to another origin (a redirect to blob storage, an upload ``Location`` elsewhere)
   goes out without any ``Authorization``; a URL the strict parser cannot read, or the
   registry over plain http to a remote host, is refused before anything is sent.
2. If the registry's *service* is known (from an earlier challenge, or for a signed-in client's
   first call guessed as the endpoint's host, as ACR names it) and the request's scope can be
   predicted from its method and path (:func:`~._scopes.predict_scope`), an access token for
   ``(service, scope)`` is attached up front, fetched first if none is cached. A steady-state
   call therefore costs one request, a first call three (exchange, token, call) instead of four.
   If the token route refuses the guess, the policy falls back to the challenge; a first request
   with a body then asks ``GET /v2/`` for the challenge, so the body is never sent twice.
3. A ``401`` carries ``WWW-Authenticate: Bearer realm=...,service=...,scope=...``. The policy
   learns the service, drops the token it sent (it was rejected), gets an access token for the
   challenged scope, rewinds the body and retries once. A body that cannot be rewound is not
   re-sent: the ``401`` goes back to the caller, as does a ``401`` on the retry.
4. An access token comes from ``POST {endpoint}/oauth2/token`` with the ACR refresh token, which
   comes from ``POST {endpoint}/oauth2/exchange`` with the credential's AAD token. The challenge's
   ``realm`` is never used. Without a credential the token call is anonymous
   (``grant_type=password``) and there is no refresh token.
   With a username and password (:class:`~azure.core.credentials.AzureNamedKeyCredential`) the
   access token comes from ``GET {endpoint}/oauth2/token`` with HTTP Basic auth, and there is no
   refresh token.
5. Refresh tokens are cached per service and renewed when under 300 s remain; access tokens per
   ``(service, scope)`` until 30 s before they expire. A cached refresh token the token route
   rejects is dropped and exchanged again once. Concurrent callers wait for one fetch per key.
6. A registry that answers ``401`` with a ``Basic`` challenge instead (distribution with an
   htpasswd file) gets the username and password on every request to its origin, once it asked;
   the request that learned it is retried once, like a Bearer challenge.
"""

from __future__ import annotations

import time
from typing import Any, Callable, NamedTuple, Optional, Tuple

from azure.core.exceptions import AzureError, HttpResponseError
from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import HTTPPolicy
from azure.core.rest import HttpRequest

from ._body import RequestBody
from ._challenge import BearerChallenge, offers_basic, parse_challenge
from ._exchange import TokenClient
from ._flow import ChallengeFlow, Target
from ._token_cache import Token
from ._tokens import RegistryTokens

__all__ = ["ContainerRegistryChallengePolicy"]

_MAX_DRAINED_BODY = 64 * 1024


class _Sent(NamedTuple):
    target: Target
    token: Optional[Token]  # None for Basic auth


class ContainerRegistryChallengePolicy(HTTPPolicy):  # type: ignore[type-arg]
    """Answers ACR's Bearer challenges and attaches cached access tokens up front.

    :param endpoint: the registry URL; only requests to this origin get tokens.
    :param token_client: fetches refresh and access tokens (on the auth-free token pipeline).
    :param clock: current time in seconds since the epoch, ``time.time`` by default.
    :raises ValueError: ``endpoint`` is not a well-formed http(s) URL.
    """

    def __init__(
        self, endpoint: str, token_client: TokenClient, *, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__()
        self._flow = ChallengeFlow(
            endpoint, guess_service=not token_client.anonymous, basic=token_client.login
        )
        self._tokens = RegistryTokens(token_client, clock)

    def __repr__(self) -> str:
        return f"ContainerRegistryChallengePolicy({self._flow!r}, {self._tokens!r})"

    def send(self, request: PipelineRequest[Any]) -> PipelineResponse[Any, Any]:
        """Send ``request`` authorized, answering one challenge if the registry sends it."""
        http_request = request.http_request
        destination = self._flow.destination(http_request.url)
        if not destination.to_registry:
            http_request.headers.pop("Authorization", None)  # no registry token for other hosts
            return self.next.send(request)
        body = RequestBody(http_request.body)
        sent = self._authorize(request, destination.path)
        if self._flow.should_probe(has_body=body.present, authorized=sent is not None):
            challenge, basic_offered = self._probe(request)
            self._flow.probe_answered(challenge, basic_offered=basic_offered)
            sent = self._authorize(request, destination.path)

        response = self.next.send(request)
        status = response.http_response.status_code
        header = response.http_response.headers.get("WWW-Authenticate") if status == 401 else None
        verdict = self._flow.on_response(
            status,
            parse_challenge(header),
            sent.target if sent else None,
            rewindable=body.rewindable,
            basic_offered=offers_basic(header),
        )
        if verdict.forget_sent and sent and sent.token:
            self._tokens.forget(sent.target.service, sent.target.scope, sent.token)
        if verdict.retry is None or not body.rewind():
            return response

        _release(response)
        retry = verdict.retry
        token = self._attach(request, retry)
        response = self.next.send(request)
        if self._flow.on_retry_response(response.http_response.status_code) and token:
            self._tokens.forget(retry.service, retry.scope, token)
        return response

    def _authorize(self, request: PipelineRequest[Any], path: str) -> Optional[_Sent]:
        """Attach the token the flow asks for; ``None`` if it asks for none (or a guess failed)."""
        target = self._flow.target(request.http_request.method, path)
        if target is None:
            return None
        try:
            token = self._attach(request, target)
        except HttpResponseError:
            if not target.guessed:
                raise
            self._flow.guess_refused()
            return None
        return _Sent(target, token)

    def _attach(self, request: PipelineRequest[Any], target: Target) -> Optional[Token]:
        """Set ``Authorization`` for ``target``: its access token, or Basic (then ``None``)."""
        headers = request.http_request.headers
        if target.basic:
            headers["Authorization"] = self._tokens.basic_authorization()
            return None
        token = self._tokens.get(target.service, target.scope)
        headers["Authorization"] = f"Bearer {token.value}"
        return token

    def _probe(self, request: PipelineRequest[Any]) -> Tuple[Optional[BearerChallenge], bool]:
        """``GET /v2/`` for the challenge, so a first body never goes out unauthorized.

        :returns: the Bearer challenge, if any, and whether a Basic one was offered.
        """
        probe = PipelineRequest(HttpRequest("GET", self._flow.probe_url), request.context)
        response = self.next.send(probe)
        _release(response)
        header = response.http_response.headers.get("WWW-Authenticate")
        return parse_challenge(header), offers_basic(header)


def _release(response: PipelineResponse[Any, Any]) -> None:
    """Drain and close an answer the caller never sees (the probe's, a ``401`` before the retry).

    A streamed answer left open would hold its connection; drained, the connection goes back to
    the pool for the next request. A body over 64 KiB is not worth reading: the connection is
    closed instead. Failing to drain is harmless (the next request opens a new connection).
    """
    http_response = response.http_response
    try:
        received = 0
        for chunk in http_response.iter_raw():
            received += len(chunk)
            if received > _MAX_DRAINED_BODY:
                break
    except (AzureError, OSError, AttributeError):
        pass
    finally:
        close = getattr(http_response, "close", None)
        if close is not None:
            close()

