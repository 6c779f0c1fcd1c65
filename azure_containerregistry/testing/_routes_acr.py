"""The ``/acr/v1`` metadata API of the local registry (repositories, tags, manifests).

Scopes follow ACR: ``registry:catalog:*`` for the catalog, ``metadata_read`` for GET,
``metadata_write`` for PATCH and ``delete`` for DELETE. Listings page like ACR with
``n``/``last``/``orderby`` and a relative ``Link: <...&orderby=>; rel="next"`` header.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import TYPE_CHECKING, Any, Callable, TypeVar
from urllib.parse import quote, unquote

from ._auth import authorize
from ._http import Request, Response
from ._protocol import (
    LOCKED_CODE,
    LOCKED_MESSAGE,
    LOCKED_STATUS,
    RegistryError,
    check_name,
    format_time,
    recorded_error,
)
from ._store import ATTRIBUTE_KEYS, Manifest, Repository, Tag
from ._tokens import Scope

if TYPE_CHECKING:
    from ._registry import LocalRegistry

T = TypeVar("T")
_PATH_RE = re.compile(r"(?P<name>.+?)(?:/(?P<kind>_tags|_manifests)(?:/(?P<ref>[^/]+))?)?")
_ACTIONS = {"GET": "metadata_read", "HEAD": "metadata_read", "PATCH": "metadata_write",
            "DELETE": "delete"}


def locked() -> RegistryError:
    """The error ACR answers for writes or deletes on a locked artifact."""
    return RegistryError(LOCKED_STATUS, LOCKED_CODE, LOCKED_MESSAGE, None)


def tag_json(tag: Tag) -> dict[str, Any]:
    """A tag item exactly as ACR lists it."""
    return {"name": tag.name, "digest": tag.digest, "createdTime": format_time(tag.created),
            "lastUpdateTime": format_time(tag.updated), "signed": False,
            "changeableAttributes": dict(tag.attributes)}


def manifest_json(manifest: Manifest) -> dict[str, Any]:
    """A manifest item exactly as ACR lists it (optional keys omitted when unknown)."""
    item: dict[str, Any] = {"digest": manifest.digest, "imageSize": manifest.image_size,
                            "createdTime": format_time(manifest.created),
                            "lastUpdateTime": format_time(manifest.updated)}
    if manifest.architecture is not None:
        item["architecture"] = manifest.architecture
    if manifest.os is not None:
        item["os"] = manifest.os
    item["mediaType"] = manifest.media_type
    if manifest.config_media_type is not None:
        item["configMediaType"] = manifest.config_media_type
    if manifest.tags:
        item["tags"] = sorted(manifest.tags)
    if manifest.references:
        item["references"] = [dict(r) for r in manifest.references]
    item["changeableAttributes"] = dict(manifest.attributes)
    return item


def repository_json(registry: LocalRegistry, repo: Repository) -> dict[str, Any]:
    """Repository attributes exactly as ACR answers them."""
    return {"registry": registry.service, "imageName": repo.name,
            "createdTime": format_time(repo.created), "lastUpdateTime": format_time(repo.updated),
            "manifestCount": len(repo.manifests), "tagCount": len(repo.tags),
            "changeableAttributes": dict(repo.attributes)}


def _page_size(registry: LocalRegistry, request: Request) -> int:
    text = request.query.get("n", "")
    if not text:
        return registry.page_size
    try:
        size = int(text)
    except ValueError:
        size = -1
    if size < 0:
        raise RegistryError(400, "PAGINATION_NUMBER_INVALID",
                            "invalid number of results requested", {"n": text})
    # n above the maximum is clamped (not refused) so a greedy client still pages correctly.
    return min(size, registry.max_page_size) if size else registry.page_size


def paginate(
    registry: LocalRegistry, request: Request, items: list[T], key: Callable[[T], str],
    by_name: bool, base: str,
) -> tuple[list[T], dict[str, str]]:
    """Cut one page after ``last``; return it with the ``Link`` header for the next one.

    ``items`` must already be in the requested order; ``by_name`` means sorted by ``key``,
    which allows a binary search even when ``last`` no longer exists.
    """
    size = _page_size(registry, request)
    last = request.query.get("last")
    start = 0
    if last:
        if by_name:
            start = bisect.bisect_right([key(i) for i in items], last)
        else:
            start = len(items)
            for index, item in enumerate(items):
                if key(item) == last:
                    start = index + 1
                    break
    page = items[start : start + size]
    headers: dict[str, str] = {}
    if page and start + size < len(items):
        orderby = request.query.get("orderby", "")
        headers["Link"] = (f"<{base}?last={quote(key(page[-1]), safe='')}&n={size}"
                           f"&orderby={quote(orderby, safe='')}>; " 'rel="next"')
    return page, headers


def _ordered(items: list[T], request: Request, name: Callable[[T], str],
             updated: Callable[[T], Any]) -> tuple[list[T], bool]:
    orderby = request.query.get("orderby", "")
    if orderby == "timedesc":
        return sorted(items, key=lambda i: (updated(i), name(i)), reverse=True), False
    if orderby == "timeasc":
        return sorted(items, key=lambda i: (updated(i), name(i))), False
    return sorted(items, key=name), True


def _patch_attributes(request: Request, target: dict[str, bool]) -> None:
    try:
        payload = json.loads(request.body or b"null")
    except ValueError:
        raise RegistryError(400, "BAD_REQUEST", "the request body is not valid JSON",
                            None) from None
    if not isinstance(payload, dict):
        raise RegistryError(400, "BAD_REQUEST", "the request body must be a JSON object", None)
    changes = {k: v for k, v in payload.items() if k in ATTRIBUTE_KEYS}
    for key, value in changes.items():
        if not isinstance(value, bool):
            raise RegistryError(400, "BAD_REQUEST", f"{key} must be a boolean", {key: value})
    target.update(changes)


def handle(registry: LocalRegistry, request: Request) -> Response:
    """Route one ``/acr/v1/...`` request."""
    rest = unquote(request.path[len("/acr/v1/"):])
    if rest in ("_catalog", "_catalog/"):
        return _catalog(registry, request)
    match = _PATH_RE.fullmatch(rest.rstrip("/")) if rest else None
    if match is None:
        raise RegistryError(404, "NOT_FOUND", "the requested route does not exist", None)
    name, kind, ref = match.group("name"), match.group("kind"), match.group("ref")
    check_name(name)
    action = _ACTIONS.get(request.method)
    allowed = ("GET", "PATCH", "DELETE") if kind is None or ref else ("GET",)
    if action is None or request.method not in (*allowed, "HEAD"):
        raise RegistryError(405, "UNSUPPORTED", "the method is not allowed on this route", None)
    authorize(registry, request, Scope("repository", name, (action,)))
    with registry.store.lock:
        if kind is None:
            return _repository(registry, request, name)
        repo = registry.store.visible(name)
        if kind == "_tags":
            if ref:
                return _tag(registry, request, repo, ref)
            return _tags(registry, request, _listable(repo, name))
        if ref:
            return _manifest(registry, request, repo, ref)
        return _manifests(registry, request, _listable(repo, name))


def _catalog(registry: LocalRegistry, request: Request) -> Response:
    if request.method not in ("GET", "HEAD"):
        raise RegistryError(405, "UNSUPPORTED", "the method is not allowed on this route", None)
    authorize(registry, request, Scope("registry", "catalog", ("*",)))
    with registry.store.lock:
        names = sorted(n for n, r in registry.store.repositories.items()
                       if r.visible and r.attributes["listEnabled"])
    page, headers = paginate(registry, request, names, str, True, "/acr/v1/_catalog")
    return Response.json(200, {"repositories": page}, headers)


def _missing_repository(name: str, request: Request) -> RegistryError:
    if request.method == "DELETE":
        return RegistryError(404, "NAME_UNKNOWN", "repository name not known to registry",
                             {"name": name})
    return recorded_error(404, "NAME_UNKNOWN", f'repository "{name}" is not found')


def _repository(registry: LocalRegistry, request: Request, name: str) -> Response:
    repo = registry.store.visible(name)
    if repo is None:
        raise _missing_repository(name, request)
    if request.method == "PATCH":
        _patch_attributes(request, repo.attributes)
    elif request.method == "DELETE":
        if not repo.attributes["deleteEnabled"] or any(
            not m.attributes["deleteEnabled"] for m in repo.manifests.values()
        ):
            raise locked()
        registry.store.delete_repository(name)
        return Response.json(202, {"manifestsDeleted": sorted(repo.manifests) or None,
                                   "tagsDeleted": sorted(repo.tags) or None})
    return Response.json(200, repository_json(registry, repo))


def _listable(repo: Repository | None, name: str) -> Repository:
    if repo is None:
        raise RegistryError(404, "NAME_UNKNOWN", "repository name not known to registry",
                            {"name": name})
    return repo


def _tags(registry: LocalRegistry, request: Request, repo: Repository) -> Response:
    items = [t for t in repo.tags.values() if t.attributes["listEnabled"]]
    digest = request.query.get("digest")
    if digest:
        items = [t for t in items if t.digest == digest]
    ordered, by_name = _ordered(items, request, lambda t: t.name, lambda t: t.updated)
    base = f"/acr/v1/{quote(repo.name, safe='')}/_tags"
    page, headers = paginate(registry, request, ordered, lambda t: t.name, by_name, base)
    # Real ACR sends "tags": null for a repository without tags (list_in_empty_repo).
    body = {"registry": registry.service, "imageName": repo.name,
            "tags": [tag_json(t) for t in page] or None}
    return Response.json(200, body, headers)


def _tag(registry: LocalRegistry, request: Request, repo: Repository | None,
         name: str) -> Response:
    tag = repo.tags.get(name) if repo is not None else None
    if repo is None or tag is None:
        raise recorded_error(404, "TAG_UNKNOWN", "the specified tag does not exist")
    if request.method == "PATCH":
        _patch_attributes(request, tag.attributes)
    elif request.method == "DELETE":
        if not tag.attributes["deleteEnabled"] or not repo.attributes["deleteEnabled"]:
            raise locked()
        registry.store.delete_tag(repo, name)
        return Response(202, {"X-Ms-Int-Docker-Content-Digest": tag.digest})
    return Response.json(200, {"registry": registry.service, "imageName": repo.name,
                               "tag": tag_json(tag)})


def _manifests(registry: LocalRegistry, request: Request, repo: Repository) -> Response:
    items = [m for m in repo.manifests.values() if m.attributes["listEnabled"]]
    ordered, by_name = _ordered(items, request, lambda m: m.digest, lambda m: m.updated)
    base = f"/acr/v1/{quote(repo.name, safe='')}/_manifests"
    page, headers = paginate(registry, request, ordered, lambda m: m.digest, by_name, base)
    body = {"registry": registry.service, "imageName": repo.name,
            "manifests": [manifest_json(m) for m in page] or None}
    return Response.json(200, body, headers)


def _manifest(registry: LocalRegistry, request: Request, repo: Repository | None,
              digest: str) -> Response:
    # Only digests address manifests here; a tag gets 404 like ACR.
    manifest = repo.manifests.get(digest) if repo is not None else None
    if repo is None or manifest is None:
        raise recorded_error(404, "MANIFEST_UNKNOWN", "manifest unknown")
    if request.method == "PATCH":
        _patch_attributes(request, manifest.attributes)
    elif request.method == "DELETE":
        deny_manifest_delete(repo, manifest)
        registry.store.delete_manifest(repo, digest)
        return Response(202)
    return Response.json(200, {"registry": registry.service, "imageName": repo.name,
                               "manifest": manifest_json(manifest)})


def deny_manifest_delete(repo: Repository, manifest: Manifest) -> None:
    """Raise the lock error if the repository, the manifest or one of its tags is locked."""
    if not repo.attributes["deleteEnabled"] or not manifest.attributes["deleteEnabled"]:
        raise locked()
    if any(not repo.tags[t].attributes["deleteEnabled"] for t in manifest.tags):
        raise locked()
