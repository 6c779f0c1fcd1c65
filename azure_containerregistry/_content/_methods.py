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
from ._upload import DEFAULT_CHUNK_SIZE, BlobInput, mount_blob, upload_blob, upload_pieces

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

        :keyword str tag: tag to give it; without one it is stored by digest only.
        :keyword str media_type: its media type; by default taken from the manifest's ``mediaType``.
        :returns: the manifest's digest.
        :rtype: str
        :raises DigestValidationError: the registry stored something else.
        :raises ValueError: a bad argument, or a manifest over 4 MiB, before any request.
        """
        return set_manifest(
            self._rest.manifest_content, repository, manifest, tag=tag, media_type=media_type,
            **kwargs,
        )

    def get_manifest(self, repository: str, tag_or_digest: str, **kwargs: Any) -> GetManifestResult:
        """Pull a manifest by tag or digest; its bytes are verified against the digest.

        :rtype: ~azure_containerregistry.GetManifestResult
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
        expected_digest: str | None = None,
        **kwargs: Any,
    ) -> tuple[str, int]:
        """Upload a blob from bytes, a binary readable or any iterable of bytes.

        Streamed in ``chunk_size`` pieces, each byte sent once; a failed upload is cancelled so
        no session is left behind. A :class:`DownloadBlobStream` from any repository or client
        can be passed as it is, which copies a blob with constant memory. When the digest is
        known (bytes, a ``DownloadBlobStream``, or ``expected_digest``), a blob the registry
        already has is not sent again.

        :keyword int chunk_size: bytes per request, at least 64 KiB (default 4 MiB).
        :keyword str expected_digest: the digest the content must have; checked before the
            upload is committed.
        :returns: ``(digest, size)``.
        :rtype: tuple[str, int]
        :raises DigestValidationError: the content does not have its expected digest (the
            session is cancelled), or the registry stored other content than was sent.
        """
        return upload_blob(
            self._rest.blobs, repository, data, chunk_size=chunk_size,
            expected_digest=expected_digest, **kwargs,
        )  # fmt: skip

    def blob_exists(self, repository: str, digest: str, **kwargs: Any) -> bool:
        """Whether ``repository`` has blob ``digest`` (one ``HEAD``, no content moved).

        :rtype: bool
        :raises ValueError: a malformed repository or digest, before any request.
        """
        name, digest = validate_repository(repository), validate_digest(digest)
        return self._rest.blobs.exists(name, digest, **kwargs)

    def mount_blob(
        self, repository: str, digest: str, from_repository: str, **kwargs: Any
    ) -> bool:
        """Make blob ``digest`` of ``from_repository`` part of ``repository`` as well.

        The registry is asked to mount it, which moves no content. When it declines (it may not
        support mounts, or the credential may not read ``from_repository``), the blob is copied
        through this client instead, streamed and verified, and False is returned.

        :returns: True when mounted, False when copied.
        :rtype: bool
        :raises ValueError: a malformed name or digest, before any request.
        :raises ~azure.core.exceptions.ResourceNotFoundError: ``from_repository`` has no such
            blob.
        """
        name = validate_repository(repository)
        if mount_blob(self._rest.blobs, name, digest, from_repository, **kwargs):
            return True
        with self.download_blob(from_repository, digest, **kwargs) as stream:
            upload_pieces(self._rest.blobs, name, stream, digest, **kwargs)
        return False

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
        appears only once the digest matched. Pass it to another client's :meth:`upload_blob`
        to copy the blob.

        :keyword int chunk_size: bytes per ranged request, at least 64 KiB (default 4 MiB).
        :rtype: ~azure_containerregistry.DownloadBlobStream

        :raises ~azure.core.exceptions.ResourceNotFoundError: no such blob.
        """
        return download_blob(
            self._rest.blobs, repository, digest, chunk_size=chunk_size, **kwargs
        )

    def delete_blob(self, repository: str, digest: str, **kwargs: Any) -> None:
        """Delete a blob; a missing blob is not an error.

        :rtype: None
        """
        self._rest.blobs.delete(validate_repository(repository), validate_digest(digest), **kwargs)
