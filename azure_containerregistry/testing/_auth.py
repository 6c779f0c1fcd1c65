"""ACR's token protocol on the local registry: challenges, ``/oauth2/exchange`` and
``/oauth2/token``.

1. A request without a valid access token for the route's scope gets ``401`` with
   ``WWW-Authenticate: Bearer realm=...,service=...,scope=...`` (plus
   ``error="insufficient_scope"`` when a valid token lacking the scope was sent).
2. ``POST /oauth2/exchange`` trades an AAD token from :class:`LocalCredential` (audience must
   be one of the registry's audiences) for a refresh token.
3. ``POST /oauth2/token`` trades the refresh token (or nothing, with ``grant_type=password``
   when anonymous pull is on) for an access token listing the granted actions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from ._http import Request, Response
from ._protocol import UNAUTHORIZED_MESSAGE, RegistryError
from ._tokens import Scope, grants, parse_scope

if TYPE_CHECKING:
    from ._registry import LocalRegistry

ANONYMOUS_ACTIONS = frozenset({"pull", "metadata_read", "*"})


def challenge(registry: LocalRegistry, scope: Scope, insufficient: bool) -> RegistryError:
    """The 401 error ACR answers when ``scope`` is not covered by the request's token."""
    value = (f'Bearer realm="{registry.endpoint}/oauth2/token",service="{registry.service}",'
             f'scope="{scope}"')
    if insufficient:
        value += ',error="insufficient_scope"'
    detail = [{"Type": scope.type, "Name": scope.name, "Action": action}
              for action in scope.actions]
    return RegistryError(401, "UNAUTHORIZED", UNAUTHORIZED_MESSAGE, detail,
                         headers={"WWW-Authenticate": value})


def require_token(registry: LocalRegistry, request: Request) -> None:
    """``GET /v2/``: any valid access token passes; otherwise a challenge with no scope.

    Docker clients (and ours, before sending a body) call it to learn the service name.
    """
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        claims = registry.issuer.verify(header[7:].strip(), "access")
        if claims is not None and claims.get("aud") == registry.service:
            return
    value = f'Bearer realm="{registry.endpoint}/oauth2/token",service="{registry.service}"'
    raise RegistryError(401, "UNAUTHORIZED", UNAUTHORIZED_MESSAGE, None,
                        headers={"WWW-Authenticate": value})


def authorize(registry: LocalRegistry, request: Request, scope: Scope) -> None:
    """Raise the 401 challenge unless the request's bearer token grants ``scope``."""
    request.scope = str(scope)
    header = request.headers.get("authorization", "")
    if not header[:7].lower() == "bearer ":
        raise challenge(registry, scope, insufficient=False)
    claims = registry.issuer.verify(header[7:].strip(), "access")
    if claims is None or claims.get("aud") != registry.service:
        raise challenge(registry, scope, insufficient=False)
    if not grants(claims, scope):
        raise challenge(registry, scope, insufficient=True)


def _form(request: Request) -> dict[str, list[str]]:
    if not request.headers.get("content-type", "").startswith(
        "application/x-www-form-urlencoded"
    ):
        raise RegistryError(400, "UNSUPPORTED", "expected application/x-www-form-urlencoded body")
    try:
        pairs = parse_qsl(request.body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise RegistryError(400, "UNSUPPORTED", "body is not UTF-8") from None
    form: dict[str, list[str]] = {}
    for key, value in pairs:
        form.setdefault(key, []).append(value)
    return form


def _unauthorized(message: str) -> RegistryError:
    return RegistryError(401, "UNAUTHORIZED", message, None)


def _check_service(registry: LocalRegistry, form: dict[str, list[str]]) -> None:
    service = form.get("service", [""])[0]
    if service != registry.service:
        raise _unauthorized(f"unknown service {service!r}")


def exchange(registry: LocalRegistry, request: Request) -> Response:
    """``POST /oauth2/exchange``: AAD access token -> ACR refresh token."""
    if request.method != "POST":
        raise RegistryError(405, "UNSUPPORTED", "the method is not allowed on this route")
    form = _form(request)
    grant = form.get("grant_type", [""])[0]
    if grant != "access_token":
        raise RegistryError(400, "UNSUPPORTED", f"unsupported grant_type {grant!r}")
    _check_service(registry, form)
    claims = registry.issuer.verify(form.get("access_token", [""])[0], "aad")
    if claims is None:
        raise _unauthorized("invalid or expired AAD access token")
    if claims.get("aud") not in registry.audiences:
        raise _unauthorized("the AAD access token has an unexpected audience")
    token, _ = registry.issuer.issue(
        {"token_type": "refresh", "aud": registry.service, "tenant": claims.get("tid"),
         "grant_type": "refresh_token", "iss": "Azure Container Registry"},
        registry.refresh_token_lifetime,
    )
    return Response.json(200, {"refresh_token": token})


def token(registry: LocalRegistry, request: Request) -> Response:
    """``POST /oauth2/token``: refresh token (or anonymous) -> scoped access token."""
    if request.method != "POST":
        raise RegistryError(405, "UNSUPPORTED", "the method is not allowed on this route")
    form = _form(request)
    _check_service(registry, form)
    grant = form.get("grant_type", [""])[0]
    anonymous = grant == "password" and not form.get("username") and not form.get("password")
    if grant == "refresh_token":
        claims = registry.issuer.verify(form.get("refresh_token", [""])[0], "refresh")
        if claims is None or claims.get("aud") != registry.service:
            raise _unauthorized("invalid or expired refresh token")
    elif anonymous:
        if not registry.anonymous_pull:
            raise _unauthorized("anonymous access is disabled on this registry")
    else:
        raise RegistryError(400, "UNSUPPORTED", f"unsupported grant_type {grant!r}")
    access: list[dict[str, Any]] = []
    for text in form.get("scope", []):
        for item in text.split():
            scope = parse_scope(item)
            if scope is None:
                continue
            actions = [a for a in scope.actions if not anonymous or a in ANONYMOUS_ACTIONS]
            if actions:
                access.append({"type": scope.type, "name": scope.name, "actions": actions})
    jwt, _ = registry.issuer.issue(
        {"token_type": "access", "aud": registry.service, "access": access,
         "grant_type": "password" if anonymous else "refresh_token",
         "iss": "Azure Container Registry"},
        registry.access_token_lifetime,
    )
    return Response.json(200, {"access_token": jwt})
