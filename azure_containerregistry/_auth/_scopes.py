"""Predict the token scope the registry will demand for a request, from its method and path.

Knowing the scope before sending lets the client attach a cached (or freshly fetched) access
token up front instead of paying for a ``401`` first. A wrong guess costs little: the registry
answers ``401`` with the real scope and the challenge policy recovers, so this is only an
optimisation and stays a pure function.

The scopes are those ACR asks for (see the recordings): ``registry:catalog:*`` for the catalog,
``repository:<name>:metadata_read`` / ``metadata_write`` for ``/acr/v1`` reads and updates,
``repository:<name>:delete`` for deletes, and Docker's ``pull`` / ``pull,push`` for ``/v2`` (an
upload session, even read or cancelled, needs ``pull,push``).
"""

from __future__ import annotations

import re
from typing import Optional
from urllib.parse import unquote

__all__ = ["predict_scope"]

_READ_METHODS = frozenset({"GET", "HEAD"})
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})

# /acr/v1/<name>[/_tags[/<tag>]|/_manifests[/<digest>]]: segments starting with "_" are reserved,
# a repository name component never starts with one. The name may arrive quoted (one segment,
# library%2Fhello) or not (library/hello).
_ACR_PATH = re.compile(r"^/acr/v1/(?P<name>[^_/][^/]*(?:/[^_/][^/]*)*)(?:/_[^/]+(?:/[^/]+)?)?/?$")
# /v2/<name>/<route>: the route anchors the end, so the name is everything before it.
_V2_PATH = re.compile(
    r"^/v2/(?P<name>.+?)/(?:"
    r"(?P<upload>blobs/uploads/[^/]*)|blobs/[^/]+|manifests/[^/]+|tags/list|referrers/[^/]+"
    r")$"
)
_V2_METHODS = _READ_METHODS | _WRITE_METHODS | {"DELETE"}
_CATALOG_PATHS = frozenset({"/acr/v1/_catalog", "/v2/_catalog"})


def _repository_scope(name: str, actions: str) -> str:
    return f"repository:{unquote(name)}:{actions}"


def predict_scope(method: str, path: str) -> Optional[str]:
    """Return the scope the registry will challenge ``method path`` with, or ``None`` if unsure.

    ``path`` is the URL path as sent (percent-encoding allowed, query string ignored).

    >>> predict_scope("GET", "/acr/v1/library%2Fhello/_tags")
    'repository:library/hello:metadata_read'
    >>> predict_scope("PATCH", "/v2/library%2Fhello/blobs/uploads/1234")
    'repository:library/hello:pull,push'
    """
    method = method.upper()
    path = path.split("?", 1)[0].split("#", 1)[0]
    if path in _CATALOG_PATHS:
        return "registry:catalog:*" if method in _READ_METHODS else None
    acr = _ACR_PATH.match(path)
    if acr:
        name = acr.group("name")
        if method in _READ_METHODS:
            return _repository_scope(name, "metadata_read")
        if method == "PATCH":
            return _repository_scope(name, "metadata_write")
        if method == "DELETE":
            return _repository_scope(name, "delete")
        return None
    v2 = _V2_PATH.match(path)
    if v2:
        name = v2.group("name")
        if v2.group("upload") and method in _V2_METHODS:
            return _repository_scope(name, "pull,push")  # every upload-session call is a push
        if method in _READ_METHODS:
            return _repository_scope(name, "pull")
        if method in _WRITE_METHODS:
            return _repository_scope(name, "pull,push")
        if method == "DELETE":
            return _repository_scope(name, "delete")
    return None
