"""The rules of ACR authentication as a state machine with no I/O.

:class:`ChallengeFlow` decides; :class:`~._policy.ContainerRegistryChallengePolicy` sends. Each
method takes plain facts (a URL, a method and path, whether a body is present or can be rewound,
a status code, a parsed challenge) and returns a small decision, so every rule can be tested
without a server. The policy asks, for each request:

1. :meth:`ChallengeFlow.destination`: may this URL get a token? The registry's own origin does
   (over https, or plain http to loopback only); another well-formed origin (blob storage after
   a redirect) is sent no token; a URL the strict parser cannot read is refused.
2. :meth:`ChallengeFlow.target`: which token to attach up front, ``(service, scope)``. The
   service is the one a challenge named, or for a signed-in client the endpoint's host (ACR
   names its service after its login server). :meth:`ChallengeFlow.guess_refused` stops the
   guessing when the token route refuses it.
3. :meth:`ChallengeFlow.should_probe`: with no token to attach and the service unknown, a first
   request with a body waits while ``GET /v2/`` fetches the challenge
   (:meth:`ChallengeFlow.probe_answered`), so the body is never sent twice.
4. :meth:`ChallengeFlow.on_response`: a ``401`` with a Bearer challenge names the service (now
   known) and the scope to retry with; the token sent, if it was for that same scope, was
   rejected and is forgotten. A body that cannot be rewound is not re-sent. Any other answer to a
   guessed token confirms the guess.
5. :meth:`ChallengeFlow.on_retry_response`: a ``401`` on the retry goes back to the caller, and
   the token it carried is forgotten. There is no second retry.

A client signed in with a username and password also speaks plain HTTP Basic auth: a ``401``
with a ``Basic`` challenge and no Bearer one (CNCF distribution with an htpasswd file) makes
every later request to the registry's origin carry the username and password
(:data:`BASIC`), and the request at hand is retried with them once.

Token lifetimes are rules too: :func:`refresh_token_is_fresh` and :func:`access_token_is_fresh`
take the time as an argument, and :func:`reexchange_after_refusal` says when a refresh token the
token route refused is exchanged once more.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

from azure.core.exceptions import ServiceRequestError

from .._urls import ParsedURL, UnsafeURLError, parse_strict
from .._validation import is_loopback_host
from ._challenge import BearerChallenge
from ._scopes import predict_scope

__all__ = [
    "ACCESS_TOKEN_MARGIN",
    "BASIC",
    "REFRESH_TOKEN_MARGIN",
    "ChallengeFlow",
    "Destination",
    "Target",
    "Verdict",
    "access_token_is_fresh",
    "is_fresh",
    "reexchange_after_refusal",
    "refresh_token_is_fresh",
    "require_secure_origin",
]

REFRESH_TOKEN_MARGIN = 300.0
"""Renew the ACR refresh token when fewer seconds than this remain."""
ACCESS_TOKEN_MARGIN = 30.0
"""Stop using an access token when fewer seconds than this remain."""

_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_fresh(expires_on: Optional[float], now: float, margin: float) -> bool:
    """Whether a token expiring at ``expires_on`` may still be used at ``now``.

    A token is fresh while more than ``margin`` seconds remain. An unknown expiry (``None``, e.g. a
    token that is not a JWT) is never fresh: such a token is used for the request at hand only.
    """
    return expires_on is not None and expires_on - now > margin


def refresh_token_is_fresh(expires_on: Optional[float], now: float) -> bool:
    """Whether a cached ACR refresh token may still be exchanged for access tokens at ``now``."""
    return is_fresh(expires_on, now, REFRESH_TOKEN_MARGIN)


def access_token_is_fresh(expires_on: Optional[float], now: float) -> bool:
    """Whether a cached ACR access token may still be attached to a request at ``now``."""
    return is_fresh(expires_on, now, ACCESS_TOKEN_MARGIN)


def reexchange_after_refusal(*, refresh_token_was_cached: bool) -> bool:
    """Whether to drop a refresh token the token route refused and exchange a new one.

    A cached one may have been revoked or expired early: one more exchange recovers. One just
    exchanged was refused for good reason, and the error goes to the caller.
    """
    return refresh_token_was_cached


def require_secure_origin(url: ParsedURL) -> None:
    """Refuse to send tokens to ``url`` unless it is https or a loopback host.

    :raises ServiceRequestError: ``url`` is plain http to a host that is not this machine.
    """
    if url.scheme != "https" and not is_loopback_host(url.host):
        raise ServiceRequestError(
            f"Refusing to send registry tokens over plain http to {url.host!r}: use https "
            "(plain http is allowed only for loopback hosts)."
        )


class Destination(NamedTuple):
    """Where a request goes: to the registry (it may carry a token) or elsewhere (it may not)."""

    to_registry: bool
    path: str
    """The URL path, percent-encoded as sent (for scope prediction)."""


class Target(NamedTuple):
    """The token a request carries: an access token for ``scope`` from ``service``.

    ``guessed`` is true when ``service`` is the endpoint's host rather than one a challenge named.
    """

    service: str
    scope: str
    guessed: bool = False
    basic: bool = False
    """Send the username and password (``Authorization: Basic``) instead of a token."""


BASIC = Target("", "", basic=True)
"""The target of a registry that asked for HTTP Basic auth: no service, no scope, no token."""


class Verdict(NamedTuple):
    """What to do after the registry answered a request.

    :ivar forget_sent: the token sent was rejected: drop it from the cache.
    :ivar retry: rewind the body and send again with a token for this target; ``None`` means the
        answer goes back to the caller.
    """

    forget_sent: bool
    retry: Optional[Target]


class ChallengeFlow:
    """What ACR's Bearer challenge protocol asks of one client, with no I/O.

    Thread-safe as the policy uses it: the state is three fields, each written in one step, and
    a lost race costs at most one extra request (a second probe), never a token in a wrong place.

    :param endpoint: the registry URL; only requests to its origin get tokens.
    :param guess_service: whether to try the endpoint's host as the service before any
        challenge. Signed-in clients do; anonymous clients do not, as they often talk to
        registries without any auth, where the guess would cost a failed token call.
    :param basic: whether the client holds a username and password it may send as HTTP Basic
        auth to a registry that asks for it.
    :raises ValueError: ``endpoint`` is not a URL the strict parser accepts.
    """

    def __init__(self, endpoint: str, *, guess_service: bool, basic: bool = False) -> None:
        try:
            parsed = parse_strict(endpoint)
        except UnsafeURLError as err:
            raise ValueError(f"not a registry endpoint: {err}") from None
        self._endpoint = parsed.url.rstrip("/")
        self._origin = parsed.origin
        self._service: Optional[str] = None
        scheme, host, port = parsed.origin
        login_server = host if port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
        self._guess: Optional[str] = login_server if guess_service else None
        self._probed = False
        self._can_basic = basic
        self._basic = False  # the registry asked for Basic auth on its API

    def __repr__(self) -> str:
        return f"ChallengeFlow(endpoint={self._endpoint!r}, service={self._service!r})"

    @property
    def service(self) -> Optional[str]:
        """The token service a challenge named (or a guess confirmed), once known."""
        return self._service

    @property
    def probe_url(self) -> str:
        """``GET`` this to be challenged without sending a body: the registry's ``/v2/``."""
        return self._endpoint + "/v2/"

    def destination(self, url: str) -> Destination:
        """Where ``url`` goes.

        :raises ServiceRequestError: ``url`` is malformed or ambiguous (parsers would disagree on
            its host), or it is the registry's origin over plain http to a remote host. Nothing
            may be sent then.
        """
        try:
            parsed = parse_strict(url)
        except UnsafeURLError:
            raise ServiceRequestError(
                "Refusing to send a request to a malformed or ambiguous URL."
            ) from None
        if parsed.origin != self._origin:
            return Destination(False, parsed.path)
        require_secure_origin(parsed)
        return Destination(True, parsed.path)

    def target(self, method: str, path: str) -> Optional[Target]:
        """The token to attach before sending ``method path``, or ``None`` to send without one.

        :data:`BASIC` once the registry asked for Basic auth; ``None`` when the service is not
        known (nor guessed) or the scope cannot be predicted.
        """
        if self._basic:
            return BASIC
        service = self._service
        guessed = service is None
        if service is None:
            service = self._guess
        if service is None:
            return None
        scope = predict_scope(method, path)
        return None if scope is None else Target(service, scope, guessed)

    def guess_refused(self) -> None:
        """The token route refused the guessed service: learn it from a challenge instead."""
        self._guess = None

    def should_probe(self, *, has_body: bool, authorized: bool) -> bool:
        """Whether to ``GET`` :attr:`probe_url` before sending a request that has no token.

        Only the first request with a body while the service is unknown does: the probe costs
        what the ``401`` would have, without sending the body twice. A yes is claimed: other
        requests are not told to probe again, whatever the probe finds.
        """
        if authorized or not has_body or self._service is not None or self._probed or self._basic:
            return False
        self._probed = True
        return True

    def probe_answered(
        self, challenge: Optional[BearerChallenge], *, basic_offered: bool = False
    ) -> None:
        """The probe's answer: a challenge names the service, or asks for Basic auth."""
        if challenge is not None and challenge.service:
            self._service = challenge.service
        elif basic_offered and self._can_basic:
            self._basic = True

    def on_response(
        self,
        status: int,
        challenge: Optional[BearerChallenge],
        sent: Optional[Target],
        *,
        rewindable: bool,
        basic_offered: bool = False,
    ) -> Verdict:
        """What to do with the registry's answer to a request that carried ``sent``.

        :param status: the answer's status code.
        :param challenge: the answer's Bearer challenge, if it had one.
        :param sent: the token the request carried, or ``None``.
        :param rewindable: whether the request's body (if any) can be sent again.
        :param basic_offered: whether the answer carried a ``Basic`` challenge.
        """
        if status != 401:
            if self._service is None:
                self._probed = True  # answered without a challenge: nothing more to learn
                if sent is not None and not sent.basic:
                    self._service = sent.service  # the guessed service was right
            return Verdict(forget_sent=False, retry=None)
        if challenge is None and basic_offered and self._can_basic:
            if sent is not None and sent.basic:
                return Verdict(forget_sent=False, retry=None)  # the password was refused
            self._basic = True
            return Verdict(forget_sent=False, retry=BASIC if rewindable else None)
        if challenge is None or not challenge.service or not challenge.scope:
            return Verdict(forget_sent=False, retry=None)  # not ACR's challenge: the caller's
        self._service = challenge.service
        rejected = sent is not None and not sent.basic and (sent.service, sent.scope) == (
            challenge.service,
            challenge.scope,
        )
        retry = Target(challenge.service, challenge.scope) if rewindable else None
        return Verdict(forget_sent=rejected, retry=retry)

    def on_retry_response(self, status: int) -> bool:
        """Whether the token the retry carried was rejected (and is to be forgotten).

        Either way the answer goes back to the caller: a ``401`` here becomes the caller's
        ``ClientAuthenticationError``.
        """
        return status == 401
