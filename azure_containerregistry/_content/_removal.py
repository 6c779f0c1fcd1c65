"""Delete a blob; deleting one that is already gone is not an error (deletes are idempotent)."""

from __future__ import annotations

from typing import Any

from azure.core import PipelineClient

from .._rest.operations._blobs import BlobsOperations
from .._validation import validate_digest, validate_repository

__all__ = ["delete_blob"]


def delete_blob(
    client: PipelineClient[Any, Any], repository: str, digest: str, **kwargs: Any
) -> None:
    """Delete blob ``digest`` from ``repository``; a missing blob is silently fine.

    :raises ValueError: invalid repository or digest, before any request.
    :raises ~azure.core.exceptions.ClientAuthenticationError: no delete permission.
    """
    validate_repository(repository)
    validate_digest(digest)
    BlobsOperations(client).delete(repository, digest, **kwargs)
