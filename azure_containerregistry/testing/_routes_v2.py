"""Routing of ``/v2/...`` paths (Docker registry API) to the manifest and blob handlers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

from . import _routes_blobs, _routes_manifests
from ._auth import authorize, require_token
from ._http import Request, Response
from ._protocol import RegistryError, check_name
from ._tokens import Scope

if TYPE_CHECKING:
    from ._registry import LocalRegistry

_ROUTES = (
    ("upload", re.compile(r"/v2/(?P<name>.+)/blobs/uploads/(?P<ref>[^/]*)")),
    ("blob", re.compile(r"/v2/(?P<name>.+)/blobs/(?P<ref>[^/]+)")),
    ("manifest", re.compile(r"/v2/(?P<name>.+)/manifests/(?P<ref>[^/]+)")),
    ("tags", re.compile(r"/v2/(?P<name>.+)/tags/list")),
)


def handle(registry: LocalRegistry, request: Request) -> Response:
    """Route one ``/v2`` request."""
    path = unquote(request.path)
    if path in ("/v2", "/v2/"):
        if request.method not in ("GET", "HEAD"):
            raise RegistryError(405, "UNSUPPORTED", "the method is not allowed on this route",
                                None)
        require_token(registry, request)
        return Response.json(200, {})
    for kind, pattern in _ROUTES:
        match = pattern.fullmatch(path)
        if match is None:
            continue
        name, ref = match.group("name"), match.groupdict().get("ref") or ""
        check_name(name)
        if kind == "upload":
            if ref:
                return _routes_blobs.upload(registry, request, name, ref)
            if request.method != "POST":
                raise RegistryError(405, "UNSUPPORTED",
                                    "the method is not allowed on this route", None)
            return _routes_blobs.start_upload(registry, request, name)
        if kind == "blob":
            return _routes_blobs.blob(registry, request, name, ref)
        if kind == "manifest":
            return _routes_manifests.handle(registry, request, name, ref)
        return _tags(registry, request, name)
    raise RegistryError(404, "NOT_FOUND", "the requested route does not exist", None)


def _tags(registry: LocalRegistry, request: Request, name: str) -> Response:
    if request.method not in ("GET", "HEAD"):
        raise RegistryError(405, "UNSUPPORTED", "the method is not allowed on this route", None)
    authorize(registry, request, Scope("repository", name, ("pull",)))
    with registry.store.lock:
        repo = registry.store.visible(name)
        if repo is None:
            raise _routes_manifests.name_unknown(name)
        tags = sorted(repo.tags)
    return Response.json(200, {"name": name, "tags": tags})
