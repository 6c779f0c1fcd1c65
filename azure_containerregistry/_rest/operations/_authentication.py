"""Operation group for the token routes: ``POST /oauth2/exchange``, ``POST /oauth2/token`` and
``GET /oauth2/token`` (HTTP Basic auth with a username and password: an admin user or a
scope-map token).

Shaped like generated code: one request builder per operation, an operation group that sends
them, and msrest models for the JSON answers. The group runs on the token pipeline, which has no
challenge policy (these routes are how the challenge is answered).
"""

from __future__ import annotations

import base64
from typing import Any, ClassVar, Dict, Optional

from azure.core.rest import HttpRequest
from msrest import Deserializer
from msrest.serialization import Model

from ..._errors import protocol_error
from .._sender import Sender

__all__ = [
    "AcrAccessToken",
    "AcrRefreshToken",
    "AuthenticationOperations",
    "build_exchange_aad_access_token_for_acr_refresh_token_request",
    "build_exchange_acr_refresh_token_for_acr_access_token_request",
    "build_get_acr_access_token_from_login_request",
]

_API_VERSION = "2021-07-01"
_MAX_SCOPE_SHOWN = 200
_HEADERS = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}


class AcrRefreshToken(Model):
    """The answer of ``/oauth2/exchange``: an ACR refresh token. ``repr`` hides it."""

    # msrest declares _attribute_map as an instance variable, hence no ClassVar
    _attribute_map: Dict[str, Dict[str, Any]] = {  # noqa: RUF012
        "refresh_token": {"key": "refresh_token", "type": "str"}
    }

    def __init__(self, *, refresh_token: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]
        self.refresh_token = refresh_token

    def __repr__(self) -> str:
        return "AcrRefreshToken(refresh_token=<redacted>)"

    __str__ = __repr__


class AcrAccessToken(Model):
    """The answer of ``/oauth2/token``: an ACR access token. ``repr`` hides it."""

    # msrest declares _attribute_map as an instance variable, hence no ClassVar
    _attribute_map: Dict[str, Dict[str, Any]] = {  # noqa: RUF012
        "access_token": {"key": "access_token", "type": "str"}
    }

    def __init__(self, *, access_token: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]
        self.access_token = access_token

    def __repr__(self) -> str:
        return "AcrAccessToken(access_token=<redacted>)"

    __str__ = __repr__


def _form(fields: Dict[str, Optional[str]]) -> Dict[str, str]:
    """Form fields in order, without the ``None`` ones (as the service expects)."""
    return {name: value for name, value in fields.items() if value is not None}


def build_exchange_aad_access_token_for_acr_refresh_token_request(
    *,
    grant_type: str,
    service: str,
    tenant: Optional[str] = None,
    refresh_token: Optional[str] = None,
    access_token: Optional[str] = None,
    api_version: str = _API_VERSION,
) -> HttpRequest:
    """``POST /oauth2/exchange``: trade an AAD access token for an ACR refresh token."""
    data = _form(
        {
            "grant_type": grant_type,
            "service": service,
            "tenant": tenant,
            "refresh_token": refresh_token,
            "access_token": access_token,
        }
    )
    return HttpRequest(
        "POST",
        "/oauth2/exchange",
        params={"api-version": api_version},
        headers=dict(_HEADERS),
        data=data,
    )


def build_exchange_acr_refresh_token_for_acr_access_token_request(
    *,
    service: str,
    scope: str,
    refresh_token: Optional[str] = None,
    grant_type: str = "refresh_token",
    api_version: str = _API_VERSION,
) -> HttpRequest:
    """``POST /oauth2/token``: an ACR access token for ``scope``; anonymous with ``password``."""
    fields = {"service": service, "scope": scope, "refresh_token": refresh_token}
    data = _form({**fields, "grant_type": grant_type})
    return HttpRequest(
        "POST",
        "/oauth2/token",
        params={"api-version": api_version},
        headers=dict(_HEADERS),
        data=data,
    )


def build_get_acr_access_token_from_login_request(
    *, service: str, scope: str, username: str, password: str
) -> HttpRequest:
    """``GET /oauth2/token?service=&scope=`` with ``Authorization: Basic base64(user:password)``.

    The secret travels in the header only, which the logging policies and errors redact.
    """
    pair = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return HttpRequest(
        "GET",
        "/oauth2/token",
        params={"service": service, "scope": scope},
        headers={"Accept": "application/json", "Authorization": f"Basic {pair}"},
    )


class AuthenticationOperations:
    """Token routes of the registry, sent through ``sender`` (on the auth-free token pipeline).

    Failures are the error module's redacted errors: a 401 is ``ClientAuthenticationError``;
    an answer that is not the expected JSON object says so without quoting it.
    """

    models: ClassVar[Dict[str, type]] = {
        "AcrRefreshToken": AcrRefreshToken,
        "AcrAccessToken": AcrAccessToken,
    }

    def __init__(self, sender: Sender, api_version: str = _API_VERSION) -> None:
        self._sender = sender
        self._api_version = api_version
        self._deserialize = Deserializer(self.models)  # type: ignore[no-untyped-call]

    def _send(
        self, operation: str, request: HttpRequest, model: str, field: str, **kwargs: Any
    ) -> Any:
        """Send a token request; the answer must be a JSON object with a non-empty ``field``."""
        document, response = self._sender.json(request, what=operation, **kwargs)
        if isinstance(document, dict) and isinstance(document.get(field), str) and document[field]:
            try:
                return self._deserialize(model, document)
            except Exception:  # msrest's errors quote the data: not one of them is shown
                pass
        raise protocol_error(f"{operation} answer has no {field}", response)

    def exchange_aad_access_token_for_acr_refresh_token(
        self,
        grant_type: str,
        service: str,
        tenant: Optional[str] = None,
        refresh_token: Optional[str] = None,
        access_token: Optional[str] = None,
        **kwargs: Any,
    ) -> AcrRefreshToken:
        """Exchange an AAD token (``grant_type="access_token"``) for an ACR refresh token."""
        request = build_exchange_aad_access_token_for_acr_refresh_token_request(
            grant_type=grant_type,
            service=service,
            tenant=tenant,
            refresh_token=refresh_token,
            access_token=access_token,
            api_version=self._api_version,
        )
        result: AcrRefreshToken = self._send(
            "Token exchange", request, "AcrRefreshToken", "refresh_token", **kwargs
        )
        return result

    def exchange_acr_refresh_token_for_acr_access_token(
        self,
        service: str,
        scope: str,
        refresh_token: Optional[str] = None,
        grant_type: str = "refresh_token",
        **kwargs: Any,
    ) -> AcrAccessToken:
        """Get an ACR access token for ``scope`` (anonymously with ``grant_type="password"``)."""
        request = build_exchange_acr_refresh_token_for_acr_access_token_request(
            service=service,
            scope=scope,
            refresh_token=refresh_token,
            grant_type=grant_type,
            api_version=self._api_version,
        )
        result: AcrAccessToken = self._send(
            _token_request(scope), request, "AcrAccessToken", "access_token", **kwargs
        )
        return result

    def get_acr_access_token_from_login(
        self, service: str, scope: str, username: str, password: str, **kwargs: Any
    ) -> AcrAccessToken:
        """Get an ACR access token for ``scope`` with a username and password (Basic auth).

        :raises ~azure.core.exceptions.ClientAuthenticationError: the password is wrong, or the
            user (a scope-map token) may not use ``scope``; the message names the scope.
        """
        request = build_get_acr_access_token_from_login_request(
            service=service, scope=scope, username=username, password=password
        )
        result: AcrAccessToken = self._send(
            _token_request(scope), request, "AcrAccessToken", "access_token", **kwargs
        )
        return result


def _token_request(scope: str) -> str:
    """The operation's name in errors: it names the scope, which a scoped login may lack.

    The scope may come from a server's challenge: it is shortened and shown with ``repr``.
    """
    shown = scope if len(scope) <= _MAX_SCOPE_SHOWN else scope[:_MAX_SCOPE_SHOWN] + "..."
    return f"Token request for scope {shown!r}"
