"""Tokens as opaque secrets, and a thread-safe single-flight cache of them.

A :class:`Token` never shows its value in ``repr``/``str``, so it cannot leak through a log line,
a traceback or a debugger print. :class:`TokenCache` keeps one token per key (a service for refresh
tokens, ``(service, scope)`` for access tokens) while its freshness rule allows, and lets exactly
one thread fetch a missing token while the others wait for it, so eight threads starting
together still make one exchange and one token call per scope. API requests never hold its locks.
"""

from __future__ import annotations

import threading
import time
from typing import Callable, Dict, Generic, Hashable, Optional, Tuple, TypeVar

from ._jwt import jwt_expiry

__all__ = ["Freshness", "Token", "TokenCache"]

K = TypeVar("K", bound=Hashable)
Freshness = Callable[[Optional[float], float], bool]
"""``fresh(expires_on, now)``: whether a token may still be served (see :mod:`._flow`)."""


class Token:
    """A bearer secret and its expiry; ``repr`` shows the expiry only."""

    __slots__ = ("expires_on", "value")

    def __init__(self, value: str, expires_on: Optional[float]) -> None:
        self.value = value
        self.expires_on = expires_on

    @classmethod
    def from_jwt(cls, value: str) -> Token:
        """Wrap ``value``, reading its expiry from the JWT ``exp`` claim when it has one."""
        return cls(value, jwt_expiry(value))

    def __repr__(self) -> str:
        return f"Token(value=<redacted>, expires_on={self.expires_on!r})"

    __str__ = __repr__


class TokenCache(Generic[K]):
    """Fresh tokens by key, fetched at most once at a time per key.

    :param fresh: the rule for serving a cached token, e.g. :func:`._flow.access_token_is_fresh`.
    :param clock: returns the current time in seconds since the epoch (``time.time``).
    """

    def __init__(self, fresh: Freshness, clock: Callable[[], float] = time.time) -> None:
        self._fresh = fresh
        self._clock = clock
        self._tokens: Dict[K, Token] = {}
        self._locks: Dict[K, threading.Lock] = {}
        self._guard = threading.Lock()

    def __repr__(self) -> str:
        return f"TokenCache(entries={len(self._tokens)})"

    def get(self, key: K) -> Optional[Token]:
        """Return the cached token for ``key`` if it is still fresh, else ``None``."""
        token = self._tokens.get(key)
        if token is not None and self._fresh(token.expires_on, self._clock()):
            return token
        return None

    def get_or_fetch(self, key: K, fetch: Callable[[], Token]) -> Tuple[Token, bool]:
        """Return a fresh token for ``key``, calling ``fetch`` if there is none.

        Concurrent callers for the same key wait for a single ``fetch``. Tokens without a known
        expiry are returned but not stored. Returns the token and whether this call fetched it.
        """
        token = self.get(key)
        if token is not None:
            return token, False
        with self._lock_for(key):
            token = self.get(key)
            if token is not None:
                return token, False
            token = fetch()
            if token.expires_on is not None:
                with self._guard:
                    self._tokens[key] = token
            return token, True

    def discard(self, key: K, token: Token) -> None:
        """Forget ``token`` under ``key`` (a rejected token), unless it was already replaced."""
        with self._guard:
            if self._tokens.get(key) is token:
                del self._tokens[key]

    def _lock_for(self, key: K) -> threading.Lock:
        with self._guard:
            lock = self._locks.get(key)
            if lock is None:
                lock = self._locks[key] = threading.Lock()
            return lock
