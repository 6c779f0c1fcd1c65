"""Manifest media types, the ``Accept`` header that asks for all of them, and the size limit.

A registry only serves a manifest whose media type the client accepts (ACR answers "OCI index
found, but accept header does not support OCI indexes" otherwise), and rejects a PUT whose
``Content-Type`` disagrees with the manifest's own ``mediaType`` (``MANIFEST_INVALID``, see the
recordings), so both directions need the full list.
"""

from __future__ import annotations

from typing import Any, Mapping

__all__ = [
    "DOCKER_MANIFEST",
    "DOCKER_MANIFEST_LIST",
    "MANIFEST_ACCEPT",
    "MANIFEST_MEDIA_TYPES",
    "MAX_MANIFEST_SIZE",
    "OCI_IMAGE_INDEX",
    "OCI_IMAGE_MANIFEST",
    "ORAS_ARTIFACT_MANIFEST",
    "infer_media_type",
]

OCI_IMAGE_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_IMAGE_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
ORAS_ARTIFACT_MANIFEST = "application/vnd.cncf.oras.artifact.manifest.v1+json"

MANIFEST_MEDIA_TYPES = (
    OCI_IMAGE_MANIFEST,
    DOCKER_MANIFEST,
    OCI_IMAGE_INDEX,
    DOCKER_MANIFEST_LIST,
    ORAS_ARTIFACT_MANIFEST,
)

#: Sent on every manifest GET/HEAD; the same list, in the same order, as the official client.
MANIFEST_ACCEPT = ", ".join(("*/*", *MANIFEST_MEDIA_TYPES))

#: Registries (ACR, CNCF distribution) refuse manifests above 4 MiB; so do we, before sending.
MAX_MANIFEST_SIZE = 4 * 1024 * 1024


def infer_media_type(document: Mapping[str, Any], default: str = OCI_IMAGE_MANIFEST) -> str:
    """The media type a manifest declares itself, else an index for ``manifests``, else ``default``.

    Never raises: a document that is not a JSON object gets ``default``. A declared type is
    returned as it is; the caller validates it before it becomes a header.

    >>> infer_media_type({"mediaType": DOCKER_MANIFEST, "schemaVersion": 2}) == DOCKER_MANIFEST
    True
    >>> infer_media_type({"schemaVersion": 2, "manifests": []}) == OCI_IMAGE_INDEX
    True
    """
    if not isinstance(document, Mapping):
        return default
    declared = document.get("mediaType")
    if isinstance(declared, str) and declared:
        return declared
    if "manifests" in document and "layers" not in document:
        return OCI_IMAGE_INDEX
    return default
