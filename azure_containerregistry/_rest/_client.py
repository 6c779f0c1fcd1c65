"""The REST client: one pipeline and the operation groups that share it."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Type

from azure.core import PipelineClient
from azure.core.credentials import TokenCredential

from ._pipeline import create_pipeline_client
from .operations import ManifestsOperations, RepositoriesOperations, TagsOperations

__all__ = ["ContainerRegistryRestClient"]


class ContainerRegistryRestClient:
    """Low-level access to the ACR data-plane API, arranged like generated code.

    :param endpoint: normalised registry URL, ``https://<name>.azurecr.io``.
    :param credential: AAD credential, or None for anonymous access.
    :keyword aad_scope: the AAD scope exchanged for ACR tokens.
    :keyword api_version: ``2021-07-01`` or ``2019-08-15-preview``.
    """

    def __init__(
        self,
        endpoint: str,
        credential: TokenCredential | None,
        *,
        aad_scope: str,
        api_version: str,
        **kwargs: Any,
    ) -> None:
        self.pipeline_client: PipelineClient[Any, Any] = create_pipeline_client(
            endpoint, credential, aad_scope=aad_scope, **kwargs
        )
        self.repositories = RepositoriesOperations(self.pipeline_client, endpoint, api_version)
        self.tags = TagsOperations(self.pipeline_client, endpoint, api_version)
        self.manifests = ManifestsOperations(self.pipeline_client, endpoint, api_version)

    def close(self) -> None:
        """Close the transport: every pooled connection, token calls included."""
        self.pipeline_client.close()

    def __enter__(self) -> ContainerRegistryRestClient:
        return self

    def __exit__(
        self,
        exc_type: Type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
