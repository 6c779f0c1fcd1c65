"""Blob routes of the distribution API: uploads, ranged reads, existence checks, mounts, deletes.

``POST /v2/{name}/blobs/uploads/`` opens an upload session and answers with a ``Location``;
chunks are ``PATCH``ed to it, the final ``PUT <Location>?digest=...`` (which may carry the last
chunk) commits and ``DELETE`` cancels. The ``Location`` is resolved against the URL that returned
it (ACR's is relative, distribution's absolute) and checked by :func:`.._urls.resolve_location`:
it may lead to another origin (an upload front end), which then never sees the registry's token.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Optional
from urllib.parse import quote, urlsplit, urlunsplit

from azure.core.rest import HttpRequest, HttpResponse

from ..._errors import protocol_error, raise_for_status
from ..._urls import UnsafeURLError, resolve_location
from .._sender import Answer, Sender
from ._base import quote_segment

__all__ = [
    "BlobStat",
    "BlobsOperations",
    "build_cancel_upload_request",
    "build_check_blob_request",
    "build_complete_upload_request",
    "build_delete_blob_request",
    "build_get_blob_range_request",
    "build_mount_blob_request",
    "build_start_upload_request",
    "build_upload_chunk_request",
    "with_digest",
]

_OCTETS = "application/octet-stream"


def _blob_path(name: str, digest: str) -> str:
    return f"/v2/{quote_segment(name)}/blobs/{quote_segment(digest)}"


def with_digest(location: str, digest: str) -> str:
    """``location`` with ``digest=<digest>`` prepended to its query, as the spec's PUT wants."""
    parts = urlsplit(location)
    query = "digest=" + quote(digest, safe="")
    if parts.query:
        query += "&" + parts.query
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def build_start_upload_request(name: str) -> HttpRequest:
    """``POST /v2/{name}/blobs/uploads/`` with no body: opens a session (202 + ``Location``)."""
    return HttpRequest("POST", f"/v2/{quote_segment(name)}/blobs/uploads/", content=b"")


def build_mount_blob_request(name: str, digest: str, from_name: str) -> HttpRequest:
    """``POST /v2/{name}/blobs/uploads/?mount=<digest>&from=<from_name>``: cross-repo mount."""
    query = f"mount={quote(digest, safe='')}&from={quote(from_name, safe='')}"
    return HttpRequest("POST", f"/v2/{quote_segment(name)}/blobs/uploads/?{query}", content=b"")


def build_upload_chunk_request(location: str, data: bytes) -> HttpRequest:
    """``PATCH <Location>`` with one chunk (no ``Content-Range``, as ACR's own client sends)."""
    return HttpRequest("PATCH", location, headers={"Content-Type": _OCTETS}, content=data)


def build_complete_upload_request(location: str, digest: str, data: bytes = b"") -> HttpRequest:
    """``PUT <Location>?digest=...``, optionally carrying the last chunk."""
    return HttpRequest(
        "PUT", with_digest(location, digest), headers={"Content-Type": _OCTETS}, content=data
    )


def build_cancel_upload_request(location: str) -> HttpRequest:
    """``DELETE <Location>``: abandon the session so the registry frees it."""
    return HttpRequest("DELETE", location, headers={"Accept": "*/*"})


def build_check_blob_request(name: str, digest: str) -> HttpRequest:
    """``HEAD /v2/{name}/blobs/{digest}``: 200 with ``Content-Length`` when the blob exists."""
    return HttpRequest("HEAD", _blob_path(name, digest))


def build_get_blob_range_request(
    url: str, start: int = 0, end: Optional[int] = None
) -> HttpRequest:
    """A ranged GET of ``url``: the registry's blob path, or the storage URL it redirected to.

    ``Accept-Encoding: identity`` keeps byte ranges about the blob itself, not a compressed form.
    """
    last = "" if end is None else str(end)
    headers = {"Accept": _OCTETS, "Range": f"bytes={start}-{last}", "Accept-Encoding": "identity"}
    return HttpRequest("GET", url, headers=headers)


def build_delete_blob_request(name: str, digest: str) -> HttpRequest:
    """``DELETE /v2/{name}/blobs/{digest}``."""
    return HttpRequest("DELETE", _blob_path(name, digest), headers={"Accept": "*/*"})


class BlobStat(NamedTuple):
    """What a ``HEAD`` tells about a blob the registry has."""

    size: Optional[int]
    """Its size from ``Content-Length``, or None when the registry did not say."""


class BlobsOperations:
    """Send blob requests through the registry's send path and check their statuses.

    Upload operations return the answer so callers can follow its ``Location``; use
    :meth:`next_location` to resolve it.

    :param sender: the one send path of the registry's API pipeline.
    """

    def __init__(self, sender: Sender) -> None:
        self._sender = sender

    @staticmethod
    def next_location(answer: Answer) -> str:
        """The session URL a registry answered with, absolute and checked.

        :raises ~azure.core.exceptions.HttpResponseError: missing, malformed or ambiguous.
        """
        response = answer.response
        location = response.headers.get("Location")
        if not location:
            raise protocol_error("upload answer has no Location header", response)
        try:
            return resolve_location(location, response.request.url)
        except UnsafeURLError as exc:
            error = protocol_error(f"upload Location refused: {exc}", response)
        raise error

    def start_upload(self, name: str, **kwargs: Any) -> Answer:
        request = build_start_upload_request(name)
        return self._sender.call(request, ok=(202,), what="upload start", **kwargs)

    def mount(self, name: str, digest: str, from_name: str, **kwargs: Any) -> Answer:
        """201 when mounted; 202 when the registry opened a normal upload session instead."""
        request = build_mount_blob_request(name, digest, from_name)
        return self._sender.call(request, ok=(201, 202), what="blob mount", **kwargs)

    def upload_chunk(self, location: str, data: bytes, **kwargs: Any) -> Answer:
        request = build_upload_chunk_request(location, data)
        return self._sender.call(request, ok=(202, 204), what="upload chunk", **kwargs)

    def complete_upload(
        self, location: str, digest: str, data: bytes = b"", **kwargs: Any
    ) -> Answer:
        request = build_complete_upload_request(location, digest, data)
        return self._sender.call(request, ok=(201, 204), what="upload commit", **kwargs)

    def cancel_upload(self, location: str, **kwargs: Any) -> bool:
        """Cancel a session; False when the registry no longer knew it."""
        answer = self._sender.call_if_exists(
            build_cancel_upload_request(location), ok=(200, 202, 204), what="upload cancel",
            **kwargs,
        )  # fmt: skip
        return answer is not None

    def stat(self, name: str, digest: str, **kwargs: Any) -> Optional[BlobStat]:
        """``HEAD`` the blob: None when repository ``name`` does not have it.

        A ``HEAD`` answer has no body, so a 404 cannot say *what* is unknown: on this route it
        always means the blob is absent (a missing repository has no blobs either).
        """
        response = self._sender.send(build_check_blob_request(name, digest), **kwargs)
        if response.status_code == 404:
            response.close()
            return None
        raise_for_status(response, ok=(200,), what="blob check")
        response.close()
        length = response.headers.get("Content-Length", "")
        return BlobStat(int(length) if length.isdigit() else None)

    def exists(self, name: str, digest: str, **kwargs: Any) -> bool:
        """Whether repository ``name`` already has the blob."""
        return self.stat(name, digest, **kwargs) is not None

    @property
    def registry_origin(self) -> tuple[str, str, int]:
        """``(scheme, host, port)`` of the registry: two clients with the same one share blobs."""
        return self._sender.urls.origin

    def get(
        self,
        name: str,
        digest: str,
        start: int = 0,
        end: Optional[int] = None,
        *,
        storage_url: Optional[str] = None,
        **kwargs: Any,
    ) -> HttpResponse:
        """Send the ranged GET (streamed); the caller handles 200/206/416 and reads the body.

        :keyword storage_url: ask this storage URL (an earlier redirect's target) directly.
        """
        url = storage_url if storage_url is not None else _blob_path(name, digest)
        return self._sender.send(build_get_blob_range_request(url, start, end), **kwargs)

    def is_registry_url(self, url: str) -> bool:
        """Whether ``url`` is on the registry itself (not storage it redirected to)."""
        return self._sender.urls.is_registry(url)

    def delete(self, name: str, digest: str, **kwargs: Any) -> bool:
        """Delete a blob; False when it did not exist."""
        request = build_delete_blob_request(name, digest)
        answer = self._sender.call_if_exists(
            request, ok=(200, 202, 204), what="blob delete", **kwargs
        )
        return answer is not None
