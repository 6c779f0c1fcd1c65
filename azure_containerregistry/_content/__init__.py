"""OCI content: push and pull manifests and blobs, streamed and verified.

Plain functions over the REST layer's operation groups (``ManifestContentOperations``,
``BlobsOperations``), so the public client's methods are one-line delegations. Public models
(``GetManifestResult``, ``DownloadBlobStream``) are re-exported from the package root.
"""

from ._download import DownloadBlobStream, download_blob
from ._manifests import ManifestInput, get_manifest, serialize_manifest, set_manifest
from ._media_types import (
    DOCKER_MANIFEST,
    DOCKER_MANIFEST_LIST,
    MANIFEST_ACCEPT,
    MAX_MANIFEST_SIZE,
    OCI_IMAGE_INDEX,
    OCI_IMAGE_MANIFEST,
)
from ._models import GetManifestResult
from ._upload import DEFAULT_CHUNK_SIZE, MIN_CHUNK_SIZE, BlobInput, mount_blob, upload_blob

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DOCKER_MANIFEST",
    "DOCKER_MANIFEST_LIST",
    "MANIFEST_ACCEPT",
    "MAX_MANIFEST_SIZE",
    "MIN_CHUNK_SIZE",
    "OCI_IMAGE_INDEX",
    "OCI_IMAGE_MANIFEST",
    "BlobInput",
    "DownloadBlobStream",
    "GetManifestResult",
    "ManifestInput",
    "download_blob",
    "get_manifest",
    "mount_blob",
    "serialize_manifest",
    "set_manifest",
    "upload_blob",
]
