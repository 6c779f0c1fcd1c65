"""Blob routes of the distribution API: uploads, ranged reads, existence checks, mounts, deletes.

``POST /v2/{name}/blobs/uploads/`` opens an upload session and answers with a ``Location``;
chunks are ``PATCH``ed to it, the final ``PUT <Location>?digest=...`` (which may carry the last
chunk) commits, ``GET`` reports progress and ``DELETE`` cancels. The ``Location`` is used
verbatim, resolved against the URL that returned it (ACR's is relative, distribution's absolute).
Operations raise azure-core exceptions for unexpected statuses (``_errors.raise_for_status``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from azure.core import PipelineClient
from azure.core.exceptions import HttpResponseError
from azure.core.rest import HttpRequest, HttpResponse

from ..._errors import raise_for_status
from ._base import quote_segment

__all__ = [
    "BlobsOperations",
    "build_cancel_upload_request",
    "build_check_blob_request",
    "build_complete_upload_request",
    "build_delete_blob_request",
    "build_get_blob_request",
    "build_mount_blob_request",
    "build_start_upload_request",
    "build_upload_chunk_request",
    "with_digest",
]

_OCTETS = "application/octet-stream"


def _blob_url(base: str, name: str, digest: str) -> str:
    return f"{base}/v2/{quote_segment(name)}/blobs/{quote_segment(digest)}"


def with_digest(location: str, digest: str) -> str:
    """``location`` with ``digest=<digest>`` prepended to its query, as the spec's PUT wants."""
    parts = urlsplit(location)
    query = "digest=" + quote(digest, safe="")
    if parts.query:
        query += "&" + parts.query
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def build_start_upload_request(base: str, name: str) -> HttpRequest:
    """``POST /v2/{name}/blobs/uploads/`` with no body: opens a session (202 + ``Location``)."""
    return HttpRequest("POST", f"{base}/v2/{quote_segment(name)}/blobs/uploads/", content=b"")


def build_mount_blob_request(base: str, name: str, digest: str, from_name: str) -> HttpRequest:
    """``POST /v2/{name}/blobs/uploads/?mount=<digest>&from=<from_name>``: cross-repo mount."""
    query = f"mount={quote(digest, safe='')}&from={quote(from_name, safe='')}"
    return HttpRequest(
        "POST", f"{base}/v2/{quote_segment(name)}/blobs/uploads/?{query}", content=b""
    )


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


def build_check_blob_request(base: str, name: str, digest: str) -> HttpRequest:
    """``HEAD /v2/{name}/blobs/{digest}``: 200 with ``Content-Length`` when the blob exists."""
    return HttpRequest("HEAD", _blob_url(base, name, digest))


def build_get_blob_request(
    base: str, name: str, digest: str, start: int = 0, end: int | None = None
) -> HttpRequest:
    """``GET /v2/{name}/blobs/{digest}`` for bytes ``start..end`` (inclusive; None: to the end)."""
    return build_get_blob_range_request(_blob_url(base, name, digest), start, end)


def build_get_blob_range_request(url: str, start: int = 0, end: int | None = None) -> HttpRequest:
    """A ranged GET of ``url``: the registry's blob URL, or the storage URL it redirected to.

    ``Accept-Encoding: identity`` keeps byte ranges about the blob itself, not a compressed form.
    """
    last = "" if end is None else str(end)
    headers = {"Accept": _OCTETS, "Range": f"bytes={start}-{last}", "Accept-Encoding": "identity"}
    return HttpRequest("GET", url, headers=headers)


def build_delete_blob_request(base: str, name: str, digest: str) -> HttpRequest:
    """``DELETE /v2/{name}/blobs/{digest}``."""
    return HttpRequest("DELETE", _blob_url(base, name, digest), headers={"Accept": "*/*"})


class BlobsOperations:
    """Send blob requests through ``client``'s pipeline and check their statuses.

    Upload operations return the response so callers can follow its ``Location``; use
    :meth:`next_location` to resolve it.
    """

    def __init__(self, client: PipelineClient[Any, Any]) -> None:
        self._client = client
        self._base = client.format_url("").rstrip("/")

    def _send(self, request: HttpRequest, ok: tuple[int, ...], **kwargs: Any) -> HttpResponse:
        response: HttpResponse = self._client.send_request(request, **kwargs)
        raise_for_status(response, ok=ok)
        return response

    @staticmethod
    def next_location(response: HttpResponse) -> str:
        """The session URL a registry answered with, made absolute against the request URL.

        :raises ~azure.core.exceptions.HttpResponseError: when the header is missing.
        """
        location = response.headers.get("Location")
        if not location:
            raise HttpResponseError(
                message="registry answered an upload request without a Location header",
                response=response,
            )
        return urljoin(response.request.url, location)

    def start_upload(self, name: str, **kwargs: Any) -> HttpResponse:
        return self._send(build_start_upload_request(self._base, name), (202,), **kwargs)

    def mount(self, name: str, digest: str, from_name: str, **kwargs: Any) -> HttpResponse:
        """201 when mounted; 202 when the registry opened a normal upload session instead."""
        request = build_mount_blob_request(self._base, name, digest, from_name)
        return self._send(request, (201, 202), **kwargs)

    def upload_chunk(self, location: str, data: bytes, **kwargs: Any) -> HttpResponse:
        return self._send(build_upload_chunk_request(location, data), (202, 204), **kwargs)

    def complete_upload(
        self, location: str, digest: str, data: bytes = b"", **kwargs: Any
    ) -> HttpResponse:
        request = build_complete_upload_request(location, digest, data)
        return self._send(request, (201, 204), **kwargs)

    def cancel_upload(self, location: str, **kwargs: Any) -> bool:
        """Cancel a session; False when the registry no longer knew it."""
        response: HttpResponse = self._client.send_request(
            build_cancel_upload_request(location), **kwargs
        )
        return raise_for_status(response, ok=(200, 202, 204), missing_ok=True)

    def exists(self, name: str, digest: str, **kwargs: Any) -> bool:
        """Whether repository ``name`` already has the blob."""
        response: HttpResponse = self._client.send_request(
            build_check_blob_request(self._base, name, digest), **kwargs
        )
        return raise_for_status(response, ok=(200,), missing_ok=True)

    def get(
        self,
        name: str,
        digest: str,
        start: int = 0,
        end: int | None = None,
        *,
        storage_url: str | None = None,
        **kwargs: Any,
    ) -> HttpResponse:
        """Send the ranged GET with ``stream=True``; the caller handles 200/206/416.

        :keyword storage_url: ask this storage URL (an earlier redirect's target) directly.
        """
        if storage_url is None:
            request = build_get_blob_request(self._base, name, digest, start, end)
        else:
            request = build_get_blob_range_request(storage_url, start, end)
        response: HttpResponse = self._client.send_request(request, stream=True, **kwargs)
        return response

    def is_registry_url(self, url: str) -> bool:
        """Whether ``url`` is on the registry itself (not storage it redirected to)."""
        return url == self._base or url.startswith(self._base + "/")

    def delete(self, name: str, digest: str, **kwargs: Any) -> bool:
        """Delete a blob; False when it did not exist."""
        response: HttpResponse = self._client.send_request(
            build_delete_blob_request(self._base, name, digest), **kwargs
        )
        return raise_for_status(response, ok=(200, 202, 204), missing_ok=True)
