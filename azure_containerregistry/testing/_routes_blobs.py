"""Blobs on the local registry: ``/v2/{name}/blobs/...``, upload sessions and the fake
storage host that blob GETs redirect to when ``storage_redirect`` is on.

Uploads follow the Docker/ACR flow: ``POST .../uploads/`` opens a session (202 with a
relative ``Location`` carrying ``_nouploadcache`` and an opaque ``_state``), ``PATCH`` appends
chunks (202, ``Range: 0-<end>``), ``PUT ...&digest=`` completes (201) or fails with
``DIGEST_INVALID`` (the session is then gone). Monolithic ``POST ?digest=`` and cross-repository
``POST ?mount=&from=`` are supported too.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from typing import TYPE_CHECKING
from urllib.parse import quote

from ._auth import authorize
from ._http import Request, Response
from ._protocol import RegistryError, check_digest, format_time, recorded_error
from ._routes_manifests import sha256_digest
from ._store import Upload
from ._tokens import Scope

if TYPE_CHECKING:
    from ._registry import LocalRegistry

_CONTENT_RANGE_RE = re.compile(r"(?:bytes )?(\d+)-(\d+)(?:/(?:\d+|\*))?")
_RANGE_RE = re.compile(r"bytes=(\d*)-(\d*)")
OCTET = "application/octet-stream"


def _push_scope(name: str) -> Scope:
    return Scope("repository", name, ("pull", "push"))


def _upload_location(upload: Upload, name: str) -> dict[str, str]:
    state = json.dumps({"Name": name, "UUID": upload.uuid, "Offset": len(upload.data),
                        "StartedAt": format_time(upload.started)}).encode()
    token = base64.urlsafe_b64encode(state).decode().rstrip("=")
    end = max(len(upload.data) - 1, 0)
    return {"Location": f"/v2/{name}/blobs/uploads/{upload.uuid}?_nouploadcache=false"
                        f"&_state={token}",
            "Docker-Upload-UUID": upload.uuid, "Range": f"0-{end}"}


def _created(name: str, digest: str) -> Response:
    return Response(201, {"Docker-Content-Digest": digest,
                          "Location": f"/v2/{name}/blobs/{digest}"})


def _commit(registry: LocalRegistry, name: str, data: bytes, digest: str | None) -> Response:
    if not digest:
        raise RegistryError(400, "DIGEST_INVALID", "digest parameter is required", None)
    check_digest(digest)
    actual = sha256_digest(data)
    if actual != digest:
        raise RegistryError(400, "DIGEST_INVALID",
                            "provided digest did not match uploaded content",
                            {"digest": digest, "actual": actual})
    store = registry.store
    with store.lock:
        if digest not in store.blobs:
            store.blobs[digest] = bytes(data)
        store.ensure(name).blobs.add(digest)
    return _created(name, digest)


def start_upload(registry: LocalRegistry, request: Request, name: str) -> Response:
    """``POST /v2/{name}/blobs/uploads/`` (session, monolithic or mount)."""
    authorize(registry, request, _push_scope(name))
    store = registry.store
    mount, source = request.query.get("mount"), request.query.get("from")
    if mount:
        check_digest(mount)
        with store.lock:
            origin = store.repositories.get(source or "")
            if origin is not None and mount in origin.blobs:
                store.ensure(name).blobs.add(mount)
                return _created(name, mount)
    elif "digest" in request.query:
        return _commit(registry, name, request.body, request.query["digest"])
    with store.lock:
        upload = Upload(str(uuid.uuid4()), name, bytearray(request.body), store.now())
        store.uploads[upload.uuid] = upload
    return Response(202, _upload_location(upload, name))


def _session(registry: LocalRegistry, name: str, upload_id: str) -> Upload:
    upload = registry.store.uploads.get(upload_id)
    if upload is None or upload.repository != name:
        raise RegistryError(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry",
                            {"uuid": upload_id})
    return upload


def upload(registry: LocalRegistry, request: Request, name: str, upload_id: str) -> Response:
    """PATCH/PUT/GET/DELETE on an upload session."""
    if request.method not in ("PATCH", "PUT", "GET", "DELETE"):
        raise RegistryError(405, "UNSUPPORTED", "the method is not allowed on this route", None)
    authorize(registry, request, _push_scope(name))
    store = registry.store
    with store.lock:
        session = _session(registry, name, upload_id)
        if request.method == "GET":
            return Response(204, _upload_location(session, name))
        if request.method == "DELETE":
            del store.uploads[upload_id]
            return Response(204)
        content_range = request.headers.get("content-range")
        if content_range and request.body:
            match = _CONTENT_RANGE_RE.fullmatch(content_range.strip())
            if match is None or int(match.group(1)) != len(session.data):
                end = max(len(session.data) - 1, 0)
                return Response(416, {"Range": f"0-{end}", "Content-Type":
                                      "application/json; charset=utf-8"},
                                RegistryError(416, "BLOB_UPLOAD_INVALID",
                                              "blob upload invalid", None).body())
        session.data += request.body
        if request.method == "PATCH":
            return Response(202, _upload_location(session, name))
        del store.uploads[upload_id]
    return _commit(registry, name, bytes(session.data), request.query.get("digest"))


def _ranged(data: bytes, range_header: str | None, headers: dict[str, str],
            head: bool) -> Response:
    headers = {"Content-Type": OCTET, "Accept-Ranges": "bytes", **headers}
    if not range_header:
        return Response(200, headers, data, head=head)
    total = len(data)
    match = _RANGE_RE.fullmatch(range_header.strip())
    start: int | None = None
    end = total - 1
    if match is not None and (match.group(1) or match.group(2)):
        if match.group(1):
            start = int(match.group(1))
            if match.group(2):
                end = min(int(match.group(2)), total - 1)
        else:
            start = max(total - int(match.group(2)), 0)
    if start is None or start > end or start >= total:
        return Response(416, {**headers, "Content-Range": f"bytes */{total}"}, b"", head=head)
    headers["Content-Range"] = f"bytes {start}-{end}/{total}"
    return Response(206, headers, data[start : end + 1], head=head)


def blob(registry: LocalRegistry, request: Request, name: str, digest: str) -> Response:
    """GET/HEAD/DELETE ``/v2/{name}/blobs/{digest}``."""
    method = request.method
    if method not in ("GET", "HEAD", "DELETE"):
        raise RegistryError(405, "UNSUPPORTED", "the method is not allowed on this route", None)
    action = "delete" if method == "DELETE" else "pull"
    check_digest(digest)
    authorize(registry, request, Scope("repository", name, (action,)))
    store = registry.store
    with store.lock:
        repo = store.repositories.get(name)
        if repo is None or digest not in repo.blobs:
            raise recorded_error(404, "BLOB_UNKNOWN", "blob unknown to registry")
        if method == "DELETE":
            repo.blobs.discard(digest)
            return Response(202, {"Docker-Content-Digest": digest})
        data = store.blobs[digest]
    if method == "GET" and registry.storage_redirect:
        path = f"{quote(name, safe='')}/{digest}"
        sig = registry.issuer.sign(path)
        location = f"{registry.storage_endpoint}/_storage/{path}?sig={sig}"
        return Response(307, {"Location": location, "Docker-Content-Digest": digest})
    return _ranged(data, request.headers.get("range"), {"Docker-Content-Digest": digest},
                   method == "HEAD")


def storage(registry: LocalRegistry, request: Request, path: str) -> Response:
    """The fake storage host: signed URLs only, and never an ``Authorization`` header."""
    if request.method not in ("GET", "HEAD"):
        raise RegistryError(405, "UNSUPPORTED", "the method is not allowed on this route", None)
    if "authorization" in request.headers:
        # Azure Storage rejects a foreign bearer token; clients must drop it on the 307.
        raise RegistryError(403, "DENIED", "storage requests must not carry the registry's "
                            "Authorization header", None)
    if registry.issuer.sign(path) != request.query.get("sig"):
        raise RegistryError(403, "DENIED", "invalid storage signature", None)
    digest = path.rsplit("/", 1)[-1]
    data = registry.store.blobs.get(digest)
    if data is None:
        raise recorded_error(404, "BLOB_UNKNOWN", "blob unknown to registry")
    return _ranged(data, request.headers.get("range"), {"x-ms-blob-type": "BlockBlob"},
                   request.method == "HEAD")
