"""JWT-shaped tokens of the local registry and its fake AAD credential.

Tokens are ``base64url(header).base64url(payload).base64url(HMAC-SHA256)`` signed with a
per-registry secret, so clients can decode ``exp`` exactly as they would with ACR's tokens.
Each token also carries a generation number: :meth:`TokenIssuer.expire_all` bumps the
generation, which makes every token issued before it count as expired.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from typing import Any, NamedTuple

AAD_ISSUER = "https://sts.local.invalid/00000000-0000-0000-0000-000000000000/"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Scope(NamedTuple):
    """One parsed scope, e.g. ``repository:library/hello:pull,push``."""

    type: str
    name: str
    actions: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.type}:{self.name}:{','.join(self.actions)}"


def parse_scope(text: str) -> Scope | None:
    """Parse ``type:name:actions``; the name may itself contain ``:`` (e.g. a port)."""
    first = text.find(":")
    last = text.rfind(":")
    if first <= 0 or last == first:
        return None
    actions = tuple(a for a in text[last + 1 :].split(",") if a)
    return Scope(text[:first], text[first + 1 : last], actions)


class TokenIssuer:
    """Signs and verifies the registry's refresh, access and AAD tokens."""

    def __init__(self) -> None:
        self._secret = secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._generation = 0
        self._aad_generation = 0

    def expire_all(self, *, include_aad: bool = False) -> None:
        """Make every refresh and access token issued so far expired (AAD ones optionally)."""
        with self._lock:
            self._generation += 1
            if include_aad:
                self._aad_generation += 1

    def sign(self, text: str) -> str:
        """A URL-safe HMAC of ``text`` (used for the fake storage host's signed URLs)."""
        return _b64(hmac.new(self._secret, text.encode(), hashlib.sha256).digest())

    def issue(self, claims: dict[str, Any], lifetime: float) -> tuple[str, int]:
        """Sign ``claims`` plus ``iat``/``nbf``/``exp``/``jti``; return ``(jwt, exp)``."""
        now = int(time.time())
        exp = int(now + lifetime)
        aad = claims.get("token_type") == "aad"
        with self._lock:
            gen = self._aad_generation if aad else self._generation
        payload = {"jti": str(uuid.uuid4()), "iat": now, "nbf": now - 1, "exp": exp,
                   "gen": gen, **claims}
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        signing_input = f"{header}.{body}".encode()
        signature = _b64(hmac.new(self._secret, signing_input, hashlib.sha256).digest())
        return f"{header}.{body}.{signature}", exp

    def verify(self, token: str, token_type: str) -> dict[str, Any] | None:
        """Return the claims of a valid, unexpired token of ``token_type``, else ``None``."""
        parts = token.split(".")
        if len(parts) != 3:
            return None
        expected = hmac.new(self._secret, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256)
        try:
            if not hmac.compare_digest(_unb64(parts[2]), expected.digest()):
                return None
            claims = json.loads(_unb64(parts[1]))
        except (ValueError, TypeError):
            return None
        if not isinstance(claims, dict) or claims.get("token_type") != token_type:
            return None
        with self._lock:
            gen = self._aad_generation if token_type == "aad" else self._generation
        if claims.get("gen") != gen or not isinstance(claims.get("exp"), int):
            return None
        if claims["exp"] <= time.time():
            return None
        return claims


def grants(claims: dict[str, Any], scope: Scope) -> bool:
    """Whether an access token's ``access`` claim covers every action ``scope`` needs."""
    for entry in claims.get("access", ()):
        if entry.get("type") == scope.type and entry.get("name") == scope.name:
            held = set(entry.get("actions", ()))
            if "*" in held or all(a in held for a in scope.actions):
                return True
    return False


class AccessTokenTuple(NamedTuple):
    """Same shape as :class:`azure.core.credentials.AccessToken` (stdlib-only stand-in)."""

    token: str
    expires_on: int


class LocalCredential:
    """A ``TokenCredential`` issuing AAD-like tokens that only its registry accepts.

    ``get_token("<audience>/.default")`` returns a token for that audience; the registry's
    ``/oauth2/exchange`` rejects audiences it was not configured with. ``calls`` counts
    ``get_token`` calls so tests can assert on AAD traffic.
    """

    def __init__(self, issuer: TokenIssuer, lifetime: float = 3600.0) -> None:
        self._issuer = issuer
        self._lifetime = lifetime
        self._lock = threading.Lock()
        self.calls = 0
        self.scopes_requested: list[tuple[str, ...]] = []

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessTokenTuple:
        """Issue a fresh AAD-like token for the first scope (``<audience>/.default``)."""
        with self._lock:
            self.calls += 1
            self.scopes_requested.append(scopes)
        scope = scopes[0] if scopes else ""
        audience = scope[: -len("/.default")] if scope.endswith("/.default") else scope
        claims = {"token_type": "aad", "aud": audience, "iss": AAD_ISSUER,
                  "tid": kwargs.get("tenant_id") or "00000000-0000-0000-0000-000000000000"}
        token, exp = self._issuer.issue(claims, self._lifetime)
        return AccessTokenTuple(token, exp)

    def close(self) -> None:
        """Nothing to release; present for ``TokenCredential`` parity."""

    def __repr__(self) -> str:
        return f"LocalCredential(calls={self.calls})"
