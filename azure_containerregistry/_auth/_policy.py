"""The challenge policy: authorize registry requests with cached ACR access tokens.

The protocol, step by step:

1. A request goes out. If the registry's *service* name is known (learned from an earlier
   challenge, or for a signed-in client's first call guessed as the endpoint's host, as ACR
   names it) and
   the scope of the request can be predicted from its method and path
   (:func:`~._scopes.predict_scope`), a cached access token for ``(service, scope)`` is attached
   up front, fetched first if there is none. A steady-state call therefore costs one request,
   and a first call three (exchange, token, call) instead of four. If the token route refuses
   the guess, the policy falls back to the challenge; a first request with a body then asks
   ``GET /v2/`` for the challenge, so the body is never sent twice.
2. A ``401`` carries ``WWW-Authenticate: Bearer realm=...,service=...,scope=...``. The policy
   remembers the service, drops the token it sent (it was rejected), gets an access token for
   the challenged scope, rewinds the body and retries once. A body that cannot be rewound is not
   re-sent: the ``401`` goes back to the caller, as does a ``401`` on the retry.
3. An access token comes from ``POST {endpoint}/oauth2/token`` with the ACR refresh token, which
   comes from ``POST {endpoint}/oauth2/exchange`` with the credential's AAD token. The challenge's
   ``realm`` is never used. Without a credential the token call is anonymous
   (``grant_type=password``) and there is no refresh token.
4. Refresh tokens are cached per service and renewed when under 300 s remain; access tokens per
   ``(service, scope)`` until shortly before they expire. A refresh token the token route rejects
   is dropped and exchanged again once. Concurrent callers wait for one fetch per key.

Tokens are only ever sent to the registry's own origin, and never over plain ``http`` except to a
loopback host; that is checked before any token is fetched.
"""

from __future__ import annotations

import time
from typing import Any, Callable, NamedTuple, Optional, Tuple
from urllib.parse import urlsplit

from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
)
from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import HTTPPolicy
from azure.core.rest import HttpRequest

from .._validation import is_loopback_host
from ._challenge import parse_challenge
from ._exchange import TokenClient
from ._scopes import predict_scope
from ._token_cache import Token, TokenCache

__all__ = ["ContainerRegistryChallengePolicy", "require_secure_origin"]

REFRESH_TOKEN_MARGIN = 300.0
"""Renew the ACR refresh token when fewer seconds than this remain."""
ACCESS_TOKEN_MARGIN = 30.0
"""Stop using an access token when fewer seconds than this remain."""

_Origin = Tuple[str, str, int]
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> Optional[_Origin]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    try:
        port = parts.port or _DEFAULT_PORTS[scheme]
    except ValueError:
        return None
    return scheme, parts.hostname.lower(), port


def require_secure_origin(url: str) -> None:
    """Refuse to send tokens to ``url`` unless it is https or a loopback host.

    :raises ServiceRequestError: ``url`` is plain http to a host that is not this machine.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "https" and not is_loopback_host(parts.hostname or ""):
        raise ServiceRequestError(
            f"Refusing to send registry tokens over plain {parts.scheme or 'http'} to "
            f"{parts.hostname!r}: use https (plain http is allowed only for loopback hosts)."
        )


class _Rewind:
    """Remembers where a request body starts so it can be sent again after a 401."""

    def __init__(self, body: Any) -> None:
        self._body = body
        self._position: Optional[int] = None
        self.possible = True
        if body is None or isinstance(body, (bytes, bytearray, memoryview, str, dict, list, tuple)):
            return
        if hasattr(body, "read"):
            try:
                self._position = body.tell()
            except (AttributeError, OSError, ValueError):
                self.possible = False
        elif hasattr(body, "__iter__") or hasattr(body, "__next__"):
            self.possible = False  # an iterator or generator is consumed by the first send

    def __call__(self) -> bool:
        """Rewind the body; return False if it cannot be sent again."""
        if not self.possible:
            return False
        if self._position is not None:
            try:
                self._body.seek(self._position)
            except (AttributeError, OSError, ValueError):
                return False
        return True


class _Sent(NamedTuple):
    service: str
    scope: str
    token: Token


class ContainerRegistryChallengePolicy(HTTPPolicy):  # type: ignore[type-arg]
    """Answers ACR's Bearer challenges and attaches cached access tokens up front.

    :param endpoint: the registry URL; only requests to this origin get tokens.
    :param token_client: fetches refresh and access tokens (on the auth-free token pipeline).
    :param clock: current time in seconds since the epoch, ``time.time`` by default.
    """

    def __init__(
        self, endpoint: str, token_client: TokenClient, *, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__()
        self._endpoint = endpoint
        self._origin = _origin(endpoint)
        self._tokens = token_client
        self._service: Optional[str] = None
        # ACR names its token service after its login server, so a signed-in client's first call
        # can skip the challenge. Anonymous clients do not guess: they often talk to registries
        # without any auth, where the guess would cost a failed token call.
        self._service_guess: Optional[str] = (
            None if token_client.anonymous else urlsplit(endpoint).netloc or None
        )
        self._probed = False
        self._refresh_tokens: TokenCache[str] = TokenCache(REFRESH_TOKEN_MARGIN, clock)
        self._access_tokens: TokenCache[Tuple[str, str]] = TokenCache(ACCESS_TOKEN_MARGIN, clock)

    def __repr__(self) -> str:
        return (
            f"ContainerRegistryChallengePolicy(endpoint={self._endpoint!r}, "
            f"service={self._service!r}, tokens={self._tokens!r})"
        )

    def send(self, request: PipelineRequest[Any]) -> PipelineResponse[Any, Any]:
        """Send ``request`` authorized, answering one challenge if the registry sends it."""
        http_request = request.http_request
        if _origin(http_request.url) != self._origin:
            # e.g. a redirect to blob storage: never show a registry token to another host
            http_request.headers.pop("Authorization", None)
            return self.next.send(request)
        require_secure_origin(http_request.url)
        rewind = _Rewind(http_request.body)

        sent = self._authorize_up_front(request)
        unknown = sent is None and self._service is None and not self._probed
        if unknown and _has_body(http_request.body):
            self._learn_service(request)
            sent = self._authorize_up_front(request)
        response = self.next.send(request)
        if response.http_response.status_code != 401:
            if self._service is None:
                self._probed = True  # answered without a challenge: nothing more to learn
                if sent is not None:
                    self._service = sent.service  # the guessed service was right
            return response

        challenge = parse_challenge(response.http_response.headers.get("WWW-Authenticate"))
        if challenge is None or not challenge.service or not challenge.scope:
            return response
        self._service = challenge.service
        if sent is not None and (sent.service, sent.scope) == (challenge.service, challenge.scope):
            self._access_tokens.discard((sent.service, sent.scope), sent.token)
        if not rewind():
            return response

        token = self._access_token(challenge.service, challenge.scope)
        _set_bearer(request, token)
        response = self.next.send(request)
        if response.http_response.status_code == 401:
            self._access_tokens.discard((challenge.service, challenge.scope), token)
        return response

    def _learn_service(self, request: PipelineRequest[Any]) -> None:
        """Ask ``GET /v2/`` for the service name, so a body never goes out unauthorized.

        Only a first request that carries a body pays this; it costs what the 401 would have,
        without sending the body twice. A registry that answered without a challenge, or
        answers the probe with 200, is not asked again.
        """
        self._probed = True
        probe = PipelineRequest(
            HttpRequest("GET", self._endpoint.rstrip("/") + "/v2/"), request.context
        )
        response = self.next.send(probe)
        challenge = parse_challenge(response.http_response.headers.get("WWW-Authenticate"))
        if challenge is not None and challenge.service:
            self._service = challenge.service

    def _authorize_up_front(self, request: PipelineRequest[Any]) -> Optional[_Sent]:
        service = self._service or self._service_guess
        if service is None:
            return None
        http_request = request.http_request
        scope = predict_scope(http_request.method, urlsplit(http_request.url).path)
        if scope is None:
            return None
        if self._service is not None:
            token = self._access_token(service, scope)
        else:
            try:
                token = self._access_token(service, scope)
            except HttpResponseError:
                # The token route refused the guessed service (or has none): from now on,
                # learn the service from the registry's challenge instead.
                self._service_guess = None
                return None
        _set_bearer(request, token)
        return _Sent(service, scope, token)

    def _access_token(self, service: str, scope: str) -> Token:
        token, _ = self._access_tokens.get_or_fetch(
            (service, scope), lambda: self._fetch_access_token(service, scope)
        )
        return token

    def _fetch_access_token(self, service: str, scope: str) -> Token:
        if self._tokens.anonymous:
            return self._tokens.access_token(service, scope, None)
        refresh, fetched = self._refresh_tokens.get_or_fetch(
            service, lambda: self._tokens.refresh_token(service)
        )
        try:
            return self._tokens.access_token(service, scope, refresh)
        except ClientAuthenticationError:
            if fetched:
                raise
        # The cached refresh token was rejected (revoked, or expired early): exchange once more.
        self._refresh_tokens.discard(service, refresh)
        refresh, _ = self._refresh_tokens.get_or_fetch(
            service, lambda: self._tokens.refresh_token(service)
        )
        return self._tokens.access_token(service, scope, refresh)


def _has_body(body: Any) -> bool:
    """Whether a request carries content worth not sending twice."""
    if body is None:
        return False
    if isinstance(body, (bytes, bytearray, memoryview, str)):
        return len(body) > 0
    return True


def _set_bearer(request: PipelineRequest[Any], token: Token) -> None:
    request.http_request.headers["Authorization"] = f"Bearer {token.value}"
