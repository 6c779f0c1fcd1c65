"""The token client: AAD token -> ACR refresh token -> ACR access token.

It sends nothing itself: it calls the two token routes through an operations object that
satisfies :class:`TokenOperations` (the REST layer's ``AuthenticationOperations``, on an auth-free
pipeline that borrows the API client's transport). The pipeline assembly builds that object and
hands it in, so this package never imports the REST layer.
"""

from __future__ import annotations

from typing import Optional, Protocol

from azure.core.credentials import TokenCredential

from .._errors import protocol_error
from ._token_cache import Token

__all__ = ["AccessTokenAnswer", "RefreshTokenAnswer", "TokenClient", "TokenOperations"]


class RefreshTokenAnswer(Protocol):
    """The answer of ``POST /oauth2/exchange``."""

    @property
    def refresh_token(self) -> Optional[str]: ...


class AccessTokenAnswer(Protocol):
    """The answer of ``POST /oauth2/token``."""

    @property
    def access_token(self) -> Optional[str]: ...


class TokenOperations(Protocol):
    """The registry's two token routes, as the REST layer's ``AuthenticationOperations`` has them.

    Failures raise azure-core errors: ``ClientAuthenticationError`` for a ``401``.
    """

    def exchange_aad_access_token_for_acr_refresh_token(
        self, *, grant_type: str, service: str, access_token: str
    ) -> RefreshTokenAnswer:
        """``POST /oauth2/exchange``: an AAD access token for an ACR refresh token."""
        ...

    def exchange_acr_refresh_token_for_acr_access_token(
        self, *, service: str, scope: str, refresh_token: Optional[str], grant_type: str
    ) -> AccessTokenAnswer:
        """``POST /oauth2/token``: an ACR access token for ``scope``.

        ``grant_type`` is ``refresh_token`` with a refresh token, or ``password`` with none
        (anonymous access).
        """
        ...


class TokenClient:
    """Fetch ACR tokens for one registry.

    :param operations: the token routes, on a pipeline without the challenge policy.
    :param credential: the AAD credential, or None for anonymous access.
    :param aad_scope: the AAD scope, e.g. ``https://containerregistry.azure.net/.default``.
    """

    def __init__(
        self,
        operations: TokenOperations,
        credential: Optional[TokenCredential],
        aad_scope: str,
    ) -> None:
        self._operations = operations
        self._credential = credential
        self._aad_scope = aad_scope

    def __repr__(self) -> str:
        mode = "anonymous" if self._credential is None else "credential"
        return f"TokenClient({mode}, aad_scope={self._aad_scope!r})"

    @property
    def anonymous(self) -> bool:
        """Whether tokens are requested without a credential (``grant_type=password``)."""
        return self._credential is None

    def refresh_token(self, service: str) -> Token:
        """Exchange the credential's AAD token for an ACR refresh token for ``service``."""
        if self._credential is None:
            raise ValueError("anonymous access has no refresh token")
        aad_token = self._credential.get_token(self._aad_scope).token
        answer = self._operations.exchange_aad_access_token_for_acr_refresh_token(
            grant_type="access_token", service=service, access_token=aad_token
        )
        return Token.from_jwt(_required(answer.refresh_token, "refresh_token"))

    def access_token(self, service: str, scope: str, refresh_token: Optional[Token]) -> Token:
        """An ACR access token for ``scope``; anonymous when ``refresh_token`` is None."""
        answer = self._operations.exchange_acr_refresh_token_for_acr_access_token(
            service=service,
            scope=scope,
            refresh_token=None if refresh_token is None else refresh_token.value,
            grant_type="password" if refresh_token is None else "refresh_token",
        )
        return Token.from_jwt(_required(answer.access_token, "access_token"))


def _required(value: Optional[str], field: str) -> str:
    if not value:  # the REST layer checks answers; this guards other TokenOperations
        raise protocol_error(f"token answer has no {field}")
    return value
