"""ACR's token protocol on the local registry: challenges, ``/oauth2/exchange`` and
``/oauth2/token``.

1. A request without a valid access token for the route's scope gets ``401`` with
   ``WWW-Authenticate: Bearer realm=...,service=...,scope=...`` (plus
   ``error="insufficient_scope"`` when a valid token lacking the scope was sent).
2. ``POST /oauth2/exchange`` trades an AAD token from :class:`LocalCredential` (audience must
   be one of the registry's audiences) for a refresh token.
3. ``POST /oauth2/token`` trades the refresh token (or nothing, with ``grant_type=password``
   when anonymous pull is on) for an access token listing the granted actions.
4. ``GET /oauth2/token?service=...&scope=...`` with ``Authorization: Basic`` trades a user's
   name and password (:meth:`LocalRegistry.add_user`: an admin user or a scope-map token) for an
   access token; a scope outside the user's is refused with ``401 DENIED`` naming it.
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import hmac
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import parse_qsl

from ._http import Request, Response
from ._protocol import UNAUTHORIZED_MESSAGE, RegistryError
from ._tokens import Scope, grants, parse_scope

if TYPE_CHECKING:
    from ._registry import LocalRegistry

ANONYMOUS_ACTIONS = frozenset({"pull", "metadata_read", "*"})
ALL_SCOPES = ("repository:*:*", "registry:*:*")
"""An admin user's scopes: every action on every repository and on the registry (catalog)."""


class User(NamedTuple):
    """A registry login: an admin user or a scope-map token, with the scopes it may use."""

    name: str
    password: str
    scopes: tuple[Scope, ...]

    def allows(self, scope: Scope) -> bool:
        """Whether every action ``scope`` asks for is within one of the user's scopes.

        Names match as shell patterns (``*``, ``app/*``), as ACR scope maps' wildcards do; the
        action ``*`` allows any action.
        """
        for held in self.scopes:
            if (
                held.type == scope.type
                and fnmatch.fnmatchcase(scope.name, held.name)
                and ("*" in held.actions or all(a in held.actions for a in scope.actions))
            ):
                return True
        return False


class Users:
    """The registry's logins by name; thread-safe."""

    def __init__(self) -> None:
        self._users: dict[str, User] = {}
        self._lock = threading.Lock()

    def add(self, name: str, password: str, scopes: Iterable[str] | None = None) -> User:
        """Add (or replace) a login; ``scopes`` ``None`` means every scope (an admin user).

        :raises ValueError: an empty name or password, a ``:`` in the name, or a malformed
            scope (not ``type:name:actions``).
        """
        if not name or ":" in name or not password:
            raise ValueError("a user needs a name without ':' and a non-empty password")
        parsed = []
        for text in ALL_SCOPES if scopes is None else scopes:
            scope = parse_scope(text)
            if scope is None or not scope.actions:
                raise ValueError(f"not a scope like 'repository:app:pull,push': {text!r}")
            parsed.append(scope)
        user = User(name, password, tuple(parsed))
        with self._lock:
            self._users[name] = user
        return user

    def sign_in(self, authorization: str) -> User | None:
        """The user an ``Authorization: Basic`` value names, if its password is right."""
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            name, sep, password = base64.b64decode(value.strip(), validate=True).decode(
                "utf-8").partition(":")
        except (binascii.Error, ValueError):
            return None
        with self._lock:
            user = self._users.get(name)
        if not sep or user is None:
            return None
        if not hmac.compare_digest(user.password.encode(), password.encode()):
            return None
        return user


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
    if request.method == "GET":
        return token_from_login(registry, request)
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


def token_from_login(registry: LocalRegistry, request: Request) -> Response:
    """``GET /oauth2/token?service=&scope=`` with Basic auth -> an access token for ``scope``.

    A wrong name or password gets ``401 UNAUTHORIZED``; a scope the user may not use gets
    ``401 DENIED`` naming it, so nothing outside a scope-map token's scopes is ever granted.
    """
    user = registry.users.sign_in(request.headers.get("authorization", ""))
    if user is None:
        raise RegistryError(401, "UNAUTHORIZED", UNAUTHORIZED_MESSAGE, None,
                            headers={"WWW-Authenticate": f'Basic realm="{registry.endpoint}"'})
    if request.query.get("service", "") != registry.service:
        raise _unauthorized(f"unknown service {request.query.get('service', '')!r}")
    access: list[dict[str, Any]] = []
    for item in request.query.get("scope", "").split():
        scope = parse_scope(item)
        if scope is None:
            continue
        if not user.allows(scope):
            raise RegistryError(401, "DENIED", f"requested access to {scope} is denied", None)
        access.append({"type": scope.type, "name": scope.name, "actions": list(scope.actions)})
    jwt, _ = registry.issuer.issue(
        {"token_type": "access", "aud": registry.service, "access": access,
         "grant_type": "password", "sub": user.name, "iss": "Azure Container Registry"},
        registry.access_token_lifetime,
    )
    return Response.json(200, {"access_token": jwt})
