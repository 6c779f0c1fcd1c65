"""Manifest content over the distribution API: ``GET``/``PUT /v2/{name}/manifests/{ref}``.

Manifest metadata (``/acr/v1/.../_manifests``) and deletion live in ``_manifests.py``.
"""

from __future__ import annotations

from typing import Any

from azure.core.rest import HttpRequest, HttpResponse

from ..._errors import raise_for_status
from .._sender import Answer, Sender
from ._base import quote_segment

__all__ = [
    "ManifestContentOperations",
    "build_get_manifest_request",
    "build_put_manifest_request",
]


def _manifest_path(name: str, reference: str) -> str:
    return f"/v2/{quote_segment(name)}/manifests/{quote_segment(reference)}"


def build_get_manifest_request(name: str, reference: str, accept: str) -> HttpRequest:
    """``GET /v2/{name}/manifests/{tag|digest}`` asking for the media types in ``accept``."""
    return HttpRequest("GET", _manifest_path(name, reference), headers={"Accept": accept})


def build_put_manifest_request(
    name: str, reference: str, content: bytes, media_type: str
) -> HttpRequest:
    """``PUT /v2/{name}/manifests/{tag|digest}`` with the raw manifest bytes."""
    return HttpRequest(
        "PUT",
        _manifest_path(name, reference),
        headers={"Content-Type": media_type, "Accept": "application/json"},
        content=content,
    )


class ManifestContentOperations:
    """Read and write manifest documents of one registry.

    :param sender: the one send path of the registry's API pipeline.
    """

    def __init__(self, sender: Sender) -> None:
        self._sender = sender

    def get(self, name: str, reference: str, accept: str, **kwargs: Any) -> HttpResponse:
        """Send the GET; the caller reads (and bounds) the streamed body.

        :raises ~azure.core.exceptions.ResourceNotFoundError: unknown manifest.
        """
        response = self._sender.send(build_get_manifest_request(name, reference, accept), **kwargs)
        raise_for_status(response, ok=(200,), what="manifest download")
        return response

    def put(
        self, name: str, reference: str, content: bytes, media_type: str, **kwargs: Any
    ) -> Answer:
        """PUT the manifest; returns the 201 answer (``Docker-Content-Digest``, ``Location``).

        :raises ~azure.core.exceptions.HttpResponseError: e.g. 400 ``MANIFEST_INVALID``.
        """
        request = build_put_manifest_request(name, reference, content, media_type)
        return self._sender.call(request, ok=(200, 201, 202), what="manifest upload", **kwargs)
