"""The OCI content methods of ``ContainerRegistryClient``: manifests and blobs over ``/v2``.

A mixin, so the client's module stays about metadata; each method validates nothing itself and
delegates to the content functions, which validate before any request.
"""

from __future__ import annotations

from typing import Any

from .._rest._client import ContainerRegistryRestClient
from .._validation import validate_digest, validate_repository
from ._download import DownloadBlobStream, download_blob
from ._manifests import ManifestInput, get_manifest, set_manifest
from ._media_types import OCI_IMAGE_MANIFEST
from ._models import GetManifestResult
from ._upload import DEFAULT_CHUNK_SIZE, BlobInput, upload_blob

__all__ = ["ContentMethods"]


class ContentMethods:
    """Push and pull manifests and blobs; mixed into ``ContainerRegistryClient``."""

    _rest: ContainerRegistryRestClient

    def set_manifest(
        self,
        repository: str,
        manifest: ManifestInput,
        *,
        tag: str | None = None,
        media_type: str = OCI_IMAGE_MANIFEST,
        **kwargs: Any,
    ) -> str:
        """Push a manifest (dict, exact bytes, stream or :class:`GetManifestResult`).

        The digest is computed before the write and checked against the registry's after it.

        :keyword tag: tag to give it; without one it is stored by digest only.
        :keyword media_type: its media type; by default taken from the manifest's ``mediaType``.
        :returns: the manifest's digest.
        :raises DigestValidationError: the registry stored something else.
        :raises ValueError: a bad argument, or a manifest over 4 MiB, before any request.
        """
        return set_manifest(
            self._rest.manifest_content, repository, manifest, tag=tag, media_type=media_type,
            **kwargs,
        )

    def get_manifest(self, repository: str, tag_or_digest: str, **kwargs: Any) -> GetManifestResult:
        """Pull a manifest by tag or digest; its bytes are verified against the digest.

        :raises DigestValidationError: the content does not match its digest.
        :raises ~azure.core.exceptions.ResourceNotFoundError: no such manifest.
        """
        return get_manifest(self._rest.manifest_content, repository, tag_or_digest, **kwargs)

    def upload_blob(
        self,
        repository: str,
        data: BlobInput,
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        **kwargs: Any,
    ) -> tuple[str, int]:
        """Upload a blob from bytes or any binary readable, streamed in ``chunk_size`` pieces.

        Each byte is sent once; a blob the registry already has is not sent again; a failed
        upload is cancelled so no session is left behind.

        :returns: ``(digest, size)``.
        :raises DigestValidationError: the registry stored other content than was sent.
        """
        return upload_blob(self._rest.blobs, repository, data, chunk_size=chunk_size, **kwargs)

    def download_blob(
        self,
        repository: str,
        digest: str,
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        **kwargs: Any,
    ) -> DownloadBlobStream:
        """Download a blob as a stream of chunks over one connection; digest checked at the end.

        ``client.download_blob(repo, digest).readinto_file(path)`` writes it to a file that
        appears only once the digest matched.

        :raises ~azure.core.exceptions.ResourceNotFoundError: no such blob.
        """
        return download_blob(
            self._rest.blobs, repository, digest, chunk_size=chunk_size, **kwargs
        )

    def delete_blob(self, repository: str, digest: str, **kwargs: Any) -> None:
        """Delete a blob; a missing blob is not an error."""
        self._rest.blobs.delete(validate_repository(repository), validate_digest(digest), **kwargs)
