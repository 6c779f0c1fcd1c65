"""The token client: AAD token -> ACR refresh token -> ACR access token, over the shared transport.

It owns no connections: its pipeline borrows the API client's transport, so token calls reuse the
same pool and ``close()`` of the API client closes them too.
"""

from __future__ import annotations

from typing import Any, Optional

from azure.core import PipelineClient
from azure.core.credentials import TokenCredential
from azure.core.exceptions import ClientAuthenticationError

from .._rest.operations._authentication import AuthenticationOperations
from ._token_cache import Token

__all__ = ["TokenClient"]


class TokenClient:
    """Fetch ACR tokens for one registry.

    :param client: a client on the token pipeline (no challenge policy), based at the endpoint.
    :param credential: the AAD credential, or None for anonymous access.
    :param aad_scope: the AAD scope, e.g. ``https://containerregistry.azure.net/.default``.
    """

    def __init__(
        self,
        client: PipelineClient[Any, Any],
        credential: Optional[TokenCredential],
        aad_scope: str,
    ) -> None:
        self._operations = AuthenticationOperations(client)
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
        result = self._operations.exchange_aad_access_token_for_acr_refresh_token(
            grant_type="access_token", service=service, access_token=aad_token
        )
        return Token.from_jwt(_required(result.refresh_token, "refresh_token"))

    def access_token(self, service: str, scope: str, refresh_token: Optional[Token]) -> Token:
        """An ACR access token for ``scope``; anonymous when ``refresh_token`` is None."""
        if refresh_token is None:
            result = self._operations.exchange_acr_refresh_token_for_acr_access_token(
                service=service, scope=scope, grant_type="password"
            )
        else:
            result = self._operations.exchange_acr_refresh_token_for_acr_access_token(
                service=service, scope=scope, refresh_token=refresh_token.value
            )
        return Token.from_jwt(_required(result.access_token, "access_token"))


def _required(value: Optional[str], field: str) -> str:
    if not value:
        raise ClientAuthenticationError(message=f"The registry's token response has no {field}")
    return value
