"""Manifest content over the distribution API: ``GET``/``HEAD``/``PUT /v2/{name}/manifests/{ref}``
and the OCI referrers API, ``GET /v2/{name}/referrers/{digest}``.

Manifest metadata (``/acr/v1/.../_manifests``) and deletion live in ``_manifests.py``.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, NamedTuple, Optional

from azure.core.rest import HttpRequest, HttpResponse

from ..._errors import protocol_error, raise_for_status
from ..._urls import UnsafeURLError
from ..._validation import validate_digest
from .._sender import MAX_JSON_BYTES, Answer, Sender, read_bounded
from ._base import next_link, quote_segment

__all__ = [
    "ManifestContentOperations",
    "ManifestHead",
    "build_get_manifest_request",
    "build_get_referrers_request",
    "build_head_manifest_request",
    "build_put_manifest_request",
]

_OCI_INDEX = "application/vnd.oci.image.index.v1+json"
#: Referrer listings longer than this many pages are cut off: a registry cannot loop us forever.
MAX_REFERRER_PAGES = 100


class ManifestHead(NamedTuple):
    """What a ``HEAD`` tells about a manifest the registry has."""

    digest: Optional[str]
    """``Docker-Content-Digest`` (checked to be well formed), or None when not sent."""
    media_type: str
    """``Content-Type`` without parameters; empty when not sent."""


def _manifest_path(name: str, reference: str) -> str:
    return f"/v2/{quote_segment(name)}/manifests/{quote_segment(reference)}"


def _referrers_path(name: str, digest: str) -> str:
    return f"/v2/{quote_segment(name)}/referrers/{quote_segment(digest)}"


def build_get_manifest_request(name: str, reference: str, accept: str) -> HttpRequest:
    """``GET /v2/{name}/manifests/{tag|digest}`` asking for the media types in ``accept``."""
    return HttpRequest("GET", _manifest_path(name, reference), headers={"Accept": accept})


def build_head_manifest_request(name: str, reference: str, accept: str) -> HttpRequest:
    """``HEAD /v2/{name}/manifests/{tag|digest}``: whether it exists, and its digest."""
    return HttpRequest("HEAD", _manifest_path(name, reference), headers={"Accept": accept})


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


def build_get_referrers_request(url: str) -> HttpRequest:
    """``GET /v2/{name}/referrers/{digest}`` (or a next page of it): an OCI image index."""
    return HttpRequest("GET", url, headers={"Accept": _OCI_INDEX})


def _descriptors(document: Any) -> List[Dict[str, Any]]:
    """The ``manifests`` of a referrers answer, each with a well-formed digest and a size."""
    if not isinstance(document, dict):
        raise ValueError("referrers answer is not a JSON object")
    manifests = document.get("manifests", [])
    if not isinstance(manifests, list):
        raise ValueError("referrers answer has no 'manifests' list")
    for descriptor in manifests:
        if not isinstance(descriptor, dict):
            raise ValueError("referrers answer lists a descriptor that is not an object")
        validate_digest(descriptor.get("digest"), "referrer digest")
        size = descriptor.get("size")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise ValueError("referrers answer lists a descriptor without a valid size")
    return manifests


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

    def head(self, name: str, reference: str, accept: str, **kwargs: Any) -> Optional[ManifestHead]:
        """``HEAD`` the manifest: None when the registry does not have it (a 404).

        :raises ~azure.core.exceptions.HttpResponseError: another error, or a malformed digest.
        """
        request = build_head_manifest_request(name, reference, accept)
        response = self._sender.send(request, **kwargs)
        if response.status_code == 404:
            response.close()
            return None
        raise_for_status(response, ok=(200,), what="manifest check")
        response.close()
        digest = response.headers.get("Docker-Content-Digest") or None
        if digest is not None:
            try:
                validate_digest(digest, "Docker-Content-Digest")
            except ValueError as exc:
                raise protocol_error(str(exc), response) from None
        media_type = response.headers.get("Content-Type", "").split(";", 1)[0].strip()
        return ManifestHead(digest, media_type)

    def put(
        self, name: str, reference: str, content: bytes, media_type: str, **kwargs: Any
    ) -> Answer:
        """PUT the manifest; returns the 201 answer (``Docker-Content-Digest``, ``Location``).

        :raises ~azure.core.exceptions.HttpResponseError: e.g. 400 ``MANIFEST_INVALID``.
        """
        request = build_put_manifest_request(name, reference, content, media_type)
        return self._sender.call(request, ok=(200, 201, 202), what="manifest upload", **kwargs)

    def referrers(
        self, name: str, digest: str, **kwargs: Any
    ) -> Optional[List[Dict[str, Any]]]:
        """The descriptors of the manifests whose ``subject`` is ``digest``, every page of them.

        :returns: None when the registry has no referrers API (a 404: registries that have it
            answer an empty index for a manifest without referrers).
        :raises ~azure.core.exceptions.HttpResponseError: another error, a malformed answer, or
            a next link that leaves the route.
        """
        route = _referrers_path(name, digest)
        url: Optional[str] = route
        found: List[Dict[str, Any]] = []
        pages = 0
        while url is not None and pages < MAX_REFERRER_PAGES:
            pages += 1
            response = self._sender.send(build_get_referrers_request(url), **kwargs)
            if response.status_code == 404 and pages == 1:
                response.close()
                return None
            raise_for_status(response, ok=(200,), what="referrers listing")
            body = read_bounded(response, MAX_JSON_BYTES, "referrers listing")
            following = next_link(response.headers.get("Link"))
            try:
                found.extend(_descriptors(json.loads(body) if body.strip() else {}))
                url = None if following is None else self._sender.urls.link(following, route)
            except (ValueError, RecursionError, UnsafeURLError) as exc:
                error = protocol_error(f"referrers listing: {exc}", response)
                raise error from None
        return found
