"""``/v2/{name}/manifests/{reference}`` on the local registry, and manifest validation.

PUT validates like ACR: JSON with ``schemaVersion`` 2, a ``Content-Type`` consistent with the
body's ``mediaType`` (else ``MANIFEST_INVALID`` with ``{"Reason": {}}`` as recorded),
referenced blobs/child manifests present in the repository (``MANIFEST_BLOB_UNKNOWN``), a digest
reference equal to the body's digest (``DIGEST_INVALID``) and at most 4 MiB.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ._auth import authorize
from ._http import Request, Response
from ._protocol import (
    DOCKER_MANIFEST,
    IMAGE_TYPES,
    INDEX_TYPES,
    MAX_MANIFEST_BYTES,
    RegistryError,
    check_digest,
    is_digest,
    is_valid_tag,
    recorded_error,
)
from ._routes_acr import deny_manifest_delete, locked
from ._store import Manifest, Repository, Store
from ._tokens import Scope

if TYPE_CHECKING:
    from ._registry import LocalRegistry


def sha256_digest(data: bytes) -> str:
    """The ``sha256:<hex>`` digest of ``data``."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _invalid(reason: Any) -> RegistryError:
    return RegistryError(400, "MANIFEST_INVALID", "manifest invalid", {"Reason": reason})


def _blob_unknown(digest: Any) -> RegistryError:
    return RegistryError(400, "MANIFEST_BLOB_UNKNOWN", "blob unknown to registry",
                         {"digest": digest})


def _descriptor_digest(descriptor: Any) -> str:
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("digest"), str):
        raise _invalid("descriptor without a digest")
    digest: str = descriptor["digest"]
    try:
        check_digest(digest)
    except RegistryError:
        raise _blob_unknown(digest) from None
    return digest


def build_manifest(store: Store, repo: Repository, data: bytes, content_type: str,
                   when: datetime) -> Manifest:
    """Validate manifest bytes against ``repo`` and return the record to store."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise _invalid("manifest exceeds the 4 MiB limit")
    try:
        doc = json.loads(data)
    except ValueError:
        raise _invalid("manifest is not valid JSON") from None
    if not isinstance(doc, dict) or doc.get("schemaVersion") != 2:
        raise _invalid("schemaVersion must be 2")
    declared = doc.get("mediaType")
    sent = content_type.split(";")[0].strip().lower()
    if declared is not None and sent and declared != sent:
        raise _invalid({})
    if sent == DOCKER_MANIFEST and declared is None:
        raise _invalid({})
    media_type = declared or sent
    if media_type in INDEX_TYPES or (not media_type and "manifests" in doc):
        return _build_index(repo, data, doc, media_type, when)
    if media_type not in IMAGE_TYPES:
        raise _invalid(f"unsupported manifest media type {media_type!r}")
    config = doc.get("config")
    layers = doc.get("layers")
    if not isinstance(layers, list):
        raise _invalid("layers must be a list")
    config_digest = _descriptor_digest(config)
    layer_digests = [_descriptor_digest(layer) for layer in layers]
    for digest in [config_digest, *layer_digests]:
        if digest not in repo.blobs:
            raise _blob_unknown(digest)
    architecture, os_name = _platform(store.blobs.get(config_digest, b""))
    return Manifest(
        digest=sha256_digest(data), data=data, media_type=media_type, created=when,
        updated=when, image_size=sum(len(store.blobs[d]) for d in layer_digests),
        config_media_type=config.get("mediaType") if isinstance(config, dict) else None,
        architecture=architecture, os=os_name,
    )


def _build_index(repo: Repository, data: bytes, doc: dict[str, Any], media_type: str,
                 when: datetime) -> Manifest:
    children = doc.get("manifests")
    if not isinstance(children, list):
        raise _invalid("manifests must be a list")
    references: list[dict[str, Any]] = []
    digests: list[str] = []
    for child in children:
        digest = _descriptor_digest(child)
        digests.append(digest)
        if digest not in repo.manifests:
            raise _blob_unknown(digest)
        platform = child.get("platform") if isinstance(child.get("platform"), dict) else {}
        references.append({"digest": digest, "architecture": platform.get("architecture"),
                           "os": platform.get("os")})
    size = sum(repo.manifests[d].image_size for d in digests)
    return Manifest(digest=sha256_digest(data), data=data, media_type=media_type, created=when,
                    updated=when, image_size=size, references=references, children=digests)


def _platform(config: bytes) -> tuple[str | None, str | None]:
    try:
        doc = json.loads(config)
    except ValueError:
        return None, None
    if not isinstance(doc, dict):
        return None, None
    arch, os_name = doc.get("architecture"), doc.get("os")
    return (arch if isinstance(arch, str) else None, os_name if isinstance(os_name, str) else None)


def name_unknown(name: str) -> RegistryError:
    """``/v2`` answer for a repository the registry does not know."""
    return RegistryError(404, "NAME_UNKNOWN", "repository name not known to registry",
                         {"name": name})


def _find(repo: Repository | None, name: str, ref: str) -> Manifest:
    if repo is None:
        raise name_unknown(name)
    if is_digest(ref):
        check_digest(ref)
        manifest = repo.manifests.get(ref)
        if manifest is None:
            raise recorded_error(404, "MANIFEST_UNKNOWN", f"manifest {ref} is not found")
        return manifest
    tag = repo.tags.get(ref)
    if tag is None:
        raise recorded_error(404, "MANIFEST_UNKNOWN", f'manifest tagged by "{ref}" is not found')
    return repo.manifests[tag.digest]


def _acceptable(manifest: Manifest, accept: str) -> bool:
    if manifest.media_type not in INDEX_TYPES:
        return True
    offered = {part.split(";")[0].strip().lower() for part in accept.split(",")}
    return manifest.media_type in offered or "*/*" in offered


def handle(registry: LocalRegistry, request: Request, name: str, ref: str) -> Response:
    """Route one manifest request (GET/HEAD/PUT/DELETE)."""
    if is_digest(ref):
        check_digest(ref)
    elif not is_valid_tag(ref):
        raise RegistryError(400, "TAG_INVALID", "manifest tag did not match URI", {"tag": ref})
    method = request.method
    if method in ("GET", "HEAD"):
        authorize(registry, request, Scope("repository", name, ("pull",)))
        with registry.store.lock:
            manifest = _find(registry.store.visible(name), name, ref)
        if not _acceptable(manifest, request.headers.get("accept", "")):
            raise recorded_error(404, "MANIFEST_UNKNOWN",
                                 "OCI index found, but accept header does not support OCI "
                                 "indexes")
        headers = {"Content-Type": manifest.media_type, "Docker-Content-Digest": manifest.digest,
                   "ETag": f'"{manifest.digest}"'}
        return Response(200, headers, manifest.data, head=method == "HEAD")
    if method == "PUT":
        authorize(registry, request, Scope("repository", name, ("pull", "push")))
        return _put(registry, request, name, ref)
    if method == "DELETE":
        authorize(registry, request, Scope("repository", name, ("delete",)))
        return _delete(registry, name, ref)
    raise RegistryError(405, "UNSUPPORTED", "the method is not allowed on this route", None)


def _put(registry: LocalRegistry, request: Request, name: str, ref: str) -> Response:
    store = registry.store
    with store.lock:
        repo = store.ensure(name)
        when = store.now()
        manifest = build_manifest(store, repo, request.body,
                                  request.headers.get("content-type", ""), when)
        if is_digest(ref):
            check_digest(ref)
            if ref != manifest.digest:
                raise RegistryError(400, "DIGEST_INVALID",
                                    "provided digest did not match uploaded content",
                                    {"digest": ref})
        existing = repo.manifests.get(manifest.digest)
        tag = None if is_digest(ref) else repo.tags.get(ref)
        if (not repo.attributes["writeEnabled"]
                or (existing is not None and not existing.attributes["writeEnabled"])
                or (tag is not None and not tag.attributes["writeEnabled"])):
            raise locked()
        store.put_manifest(repo, manifest)
        if not is_digest(ref):
            store.set_tag(repo, ref, manifest.digest, when)
    headers = {"Docker-Content-Digest": manifest.digest,
               "Location": f"/v2/{name}/manifests/{manifest.digest}"}
    return Response(201, headers)


def _delete(registry: LocalRegistry, name: str, ref: str) -> Response:
    if not is_digest(ref):
        raise RegistryError(405, "UNSUPPORTED",
                            "deleting a manifest by tag is not supported; use its digest",
                            {"reference": ref})
    with registry.store.lock:
        repo = registry.store.visible(name)
        manifest = _find(repo, name, ref)
        assert repo is not None
        deny_manifest_delete(repo, manifest)
        registry.store.delete_manifest(repo, manifest.digest)
    return Response(202)
