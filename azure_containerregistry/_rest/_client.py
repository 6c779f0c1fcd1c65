"""The REST client: every operation group of one registry, sharing one send path."""

from __future__ import annotations

from types import TracebackType
from typing import Optional, Type

from ._sender import Sender
from .operations import (
    AuthenticationOperations,
    BlobsOperations,
    ManifestContentOperations,
    ManifestsOperations,
    RepositoriesOperations,
    TagsOperations,
)

__all__ = ["ContainerRegistryRestClient"]


class ContainerRegistryRestClient:
    """Low-level access to the ACR data-plane API, arranged like generated code.

    The operation groups are the only door to the wire: they build every request from
    registry-relative paths, send it through ``sender`` and check what comes back.

    :param sender: the send path of the API pipeline (with the challenge policy).
    :param authentication: the token routes' group, on the auth-free token pipeline; the
        challenge policy inside ``sender``'s pipeline uses the same instance.
    :keyword api_version: ``2021-07-01`` or ``2019-08-15-preview``.
    """

    def __init__(
        self, sender: Sender, authentication: AuthenticationOperations, *, api_version: str
    ) -> None:
        self._sender = sender
        self.repositories = RepositoriesOperations(sender, api_version)
        self.tags = TagsOperations(sender, api_version)
        self.manifests = ManifestsOperations(sender, api_version)
        self.manifest_content = ManifestContentOperations(sender)
        self.blobs = BlobsOperations(sender)
        self.authentication = authentication

    def close(self) -> None:
        """Close the transport: every pooled connection, token calls included."""
        self._sender.close()

    def __enter__(self) -> ContainerRegistryRestClient:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()
