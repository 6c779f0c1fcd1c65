"""The tokens a registry client holds: access tokens per ``(service, scope)``, refresh per service.

:class:`RegistryTokens` puts :class:`~._exchange.TokenClient` behind two single-flight caches, so
concurrent callers share one exchange per service and one token call per scope. Which cached
token is still good, and when a refused refresh token is exchanged again, are rules of
:mod:`._flow`; this module only carries them out.
"""

from __future__ import annotations

import time
from typing import Callable, Tuple

from azure.core.exceptions import ClientAuthenticationError

from ._exchange import TokenClient
from ._flow import access_token_is_fresh, reexchange_after_refusal, refresh_token_is_fresh
from ._token_cache import Token, TokenCache

__all__ = ["RegistryTokens"]


class RegistryTokens:
    """Cached ACR tokens for one registry, fetched through ``client`` when missing or stale.

    :param client: fetches refresh and access tokens.
    :param clock: current time in seconds since the epoch, ``time.time`` by default.
    """

    def __init__(self, client: TokenClient, clock: Callable[[], float] = time.time) -> None:
        self._client = client
        self._refresh: TokenCache[str] = TokenCache(refresh_token_is_fresh, clock)
        self._access: TokenCache[Tuple[str, str]] = TokenCache(access_token_is_fresh, clock)

    def __repr__(self) -> str:
        return f"RegistryTokens({self._client!r}, access={self._access!r})"

    def basic_authorization(self) -> str:
        """The client's username and password as an ``Authorization: Basic`` value."""
        return self._client.basic_authorization()

    def get(self, service: str, scope: str) -> Token:
        """A fresh access token for ``scope`` at ``service``, from the cache or the token route.

        :raises ~azure.core.exceptions.HttpResponseError: the token route refused or failed
            (``ClientAuthenticationError`` for a ``401``).
        """
        token, _ = self._access.get_or_fetch((service, scope), lambda: self._fetch(service, scope))
        return token

    def forget(self, service: str, scope: str, token: Token) -> None:
        """Drop ``token``, which the registry rejected, unless another thread replaced it."""
        self._access.discard((service, scope), token)

    def _fetch(self, service: str, scope: str) -> Token:
        if not self._client.exchanges:  # anonymous, or a username and password
            return self._client.access_token(service, scope, None)
        refresh, fetched = self._refresh.get_or_fetch(
            service, lambda: self._client.refresh_token(service)
        )
        try:
            return self._client.access_token(service, scope, refresh)
        except ClientAuthenticationError:
            if not reexchange_after_refusal(refresh_token_was_cached=not fetched):
                raise
        self._refresh.discard(service, refresh)
        refresh, _ = self._refresh.get_or_fetch(
            service, lambda: self._client.refresh_token(service)
        )
        return self._client.access_token(service, scope, refresh)
