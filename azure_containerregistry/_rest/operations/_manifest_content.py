"""Manifest content over the distribution API: ``GET``/``HEAD``/``PUT /v2/{name}/manifests/{ref}``.

Request builders return plain :class:`~azure.core.rest.HttpRequest` objects; the operation group
sends them through the client's pipeline (auth, retries) and maps error statuses to exceptions.
Manifest metadata (``/acr/v1/.../_manifests``) and deletion live in ``_manifests.py``.
"""

from __future__ import annotations

from typing import Any

from azure.core import PipelineClient
from azure.core.rest import HttpRequest, HttpResponse

from ..._errors import raise_for_status
from ._base import quote_segment

__all__ = [
    "ManifestContentOperations",
    "build_get_manifest_request",
    "build_head_manifest_request",
    "build_put_manifest_request",
]


def _manifest_url(base: str, name: str, reference: str) -> str:
    return f"{base}/v2/{quote_segment(name)}/manifests/{quote_segment(reference)}"


def build_get_manifest_request(base: str, name: str, reference: str, accept: str) -> HttpRequest:
    """``GET /v2/{name}/manifests/{tag|digest}`` asking for the media types in ``accept``."""
    return HttpRequest("GET", _manifest_url(base, name, reference), headers={"Accept": accept})


def build_head_manifest_request(base: str, name: str, reference: str, accept: str) -> HttpRequest:
    """``HEAD /v2/{name}/manifests/{tag|digest}``: existence, digest and size without the body."""
    return HttpRequest("HEAD", _manifest_url(base, name, reference), headers={"Accept": accept})


def build_put_manifest_request(
    base: str, name: str, reference: str, content: bytes, media_type: str
) -> HttpRequest:
    """``PUT /v2/{name}/manifests/{tag|digest}`` with the raw manifest bytes."""
    return HttpRequest(
        "PUT",
        _manifest_url(base, name, reference),
        headers={"Content-Type": media_type, "Accept": "application/json"},
        content=content,
    )


class ManifestContentOperations:
    """Read and write manifest documents of one registry.

    :param client: the registry's pipeline client; paths are joined to its base URL.
    """

    def __init__(self, client: PipelineClient[Any, Any]) -> None:
        self._client = client
        self._base = client.format_url("").rstrip("/")

    def get(self, name: str, reference: str, accept: str, **kwargs: Any) -> HttpResponse:
        """Send the GET with ``stream=True``; the caller reads (and bounds) the body.

        :raises ~azure.core.exceptions.ResourceNotFoundError: unknown manifest.
        """
        request = build_get_manifest_request(self._base, name, reference, accept)
        response: HttpResponse = self._client.send_request(request, stream=True, **kwargs)
        try:
            raise_for_status(response, ok=(200,))
        except BaseException:
            response.close()
            raise
        return response

    def head(self, name: str, reference: str, accept: str, **kwargs: Any) -> HttpResponse | None:
        """The HEAD response, or None when the manifest does not exist."""
        request = build_head_manifest_request(self._base, name, reference, accept)
        response: HttpResponse = self._client.send_request(request, **kwargs)
        return response if raise_for_status(response, ok=(200,), missing_ok=True) else None

    def put(
        self, name: str, reference: str, content: bytes, media_type: str, **kwargs: Any
    ) -> HttpResponse:
        """PUT the manifest; returns the 201 response (``Docker-Content-Digest``, ``Location``).

        :raises ~azure.core.exceptions.HttpResponseError: e.g. 400 ``MANIFEST_INVALID``.
        """
        request = build_put_manifest_request(self._base, name, reference, content, media_type)
        response: HttpResponse = self._client.send_request(request, **kwargs)
        raise_for_status(response, ok=(200, 201, 202))
        return response
