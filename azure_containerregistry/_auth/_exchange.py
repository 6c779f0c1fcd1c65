"""The token client: AAD token -> ACR refresh token -> ACR access token, or username and
password -> ACR access token.

With an AAD credential, an access token comes from ``POST /oauth2/token`` with the refresh token
that ``POST /oauth2/exchange`` gave for the AAD token. With an
:class:`~azure.core.credentials.AzureNamedKeyCredential` (an admin user or a scope-map token's
name and password), it comes straight from ``GET /oauth2/token`` with HTTP Basic auth: there is
no refresh token and no exchange. The password is read on every fetch, so
``AzureNamedKeyCredential.update`` takes effect on the next token fetched.

It sends nothing itself: it calls the two token routes through an operations object that
satisfies :class:`TokenOperations` (the REST layer's ``AuthenticationOperations``, on an auth-free
pipeline that borrows the API client's transport). The pipeline assembly builds that object and
hands it in, so this package never imports the REST layer.
"""

from __future__ import annotations

import base64
from typing import Optional, Protocol, Union

from azure.core.credentials import AzureNamedKeyCredential, TokenCredential

from .._errors import protocol_error
from ._token_cache import Token

__all__ = [
    "AccessTokenAnswer",
    "RefreshTokenAnswer",
    "RegistryCredential",
    "TokenClient",
    "TokenOperations",
]

RegistryCredential = Union[TokenCredential, AzureNamedKeyCredential]
"""What signs a client in: an AAD token credential, or a registry username and password."""


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

    def get_acr_access_token_from_login(
        self, *, service: str, scope: str, username: str, password: str
    ) -> AccessTokenAnswer:
        """``GET /oauth2/token`` with ``Authorization: Basic``: an access token for ``scope``."""
        ...


class TokenClient:
    """Fetch ACR tokens for one registry.

    :param operations: the token routes, on a pipeline without the challenge policy.
    :param credential: the AAD credential, a registry username and password, or None for
        anonymous access.
    :param aad_scope: the AAD scope, e.g. ``https://containerregistry.azure.net/.default``.
    """

    def __init__(
        self,
        operations: TokenOperations,
        credential: Optional[RegistryCredential],
        aad_scope: str,
    ) -> None:
        self._operations = operations
        self._login: Optional[AzureNamedKeyCredential] = None
        self._credential: Optional[TokenCredential] = None
        if isinstance(credential, AzureNamedKeyCredential):
            self._login = credential
        else:
            self._credential = credential
        self._aad_scope = aad_scope

    def __repr__(self) -> str:
        mode = "anonymous" if self.anonymous else "login" if self.login else "credential"
        return f"TokenClient({mode}, aad_scope={self._aad_scope!r})"

    @property
    def anonymous(self) -> bool:
        """Whether tokens are requested without a credential (``grant_type=password``)."""
        return self._credential is None and self._login is None

    @property
    def login(self) -> bool:
        """Whether the client signs in with a username and password (no refresh token)."""
        return self._login is not None

    @property
    def exchanges(self) -> bool:
        """Whether access tokens come from a refresh token (an AAD credential's exchange)."""
        return self._credential is not None

    def basic_authorization(self) -> str:
        """The ``Authorization`` value for a registry that takes HTTP Basic auth on its API.

        :raises ValueError: the client has no username and password.
        """
        if self._login is None:
            raise ValueError("only a username and password can sign in with Basic auth")
        username, password = self._login.named_key
        return basic_authorization(username, password)

    def refresh_token(self, service: str) -> Token:
        """Exchange the credential's AAD token for an ACR refresh token for ``service``."""
        if self._credential is None:
            raise ValueError("only an AAD credential has a refresh token")
        aad_token = self._credential.get_token(self._aad_scope).token
        answer = self._operations.exchange_aad_access_token_for_acr_refresh_token(
            grant_type="access_token", service=service, access_token=aad_token
        )
        return Token.from_jwt(_required(answer.refresh_token, "refresh_token"))

    def access_token(self, service: str, scope: str, refresh_token: Optional[Token]) -> Token:
        """An ACR access token for ``scope``.

        With a refresh token, from it; else with the username and password if the client has
        them; else anonymously.
        """
        if refresh_token is None and self._login is not None:
            username, password = self._login.named_key  # read now: update() applies at once
            answer = self._operations.get_acr_access_token_from_login(
                service=service, scope=scope, username=username, password=password
            )
        else:
            answer = self._operations.exchange_acr_refresh_token_for_acr_access_token(
                service=service,
                scope=scope,
                refresh_token=None if refresh_token is None else refresh_token.value,
                grant_type="password" if refresh_token is None else "refresh_token",
            )
        return Token.from_jwt(_required(answer.access_token, "access_token"))


def basic_authorization(username: str, password: str) -> str:
    """``Basic base64(username:password)``, UTF-8 encoded (RFC 7617).

    >>> basic_authorization("user", "pass")
    'Basic dXNlcjpwYXNz'
    """
    pair = f"{username}:{password}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")


def _required(value: Optional[str], field: str) -> str:
    if not value:  # the REST layer checks answers; this guards other TokenOperations
        raise protocol_error(f"token answer has no {field}")
    return value
