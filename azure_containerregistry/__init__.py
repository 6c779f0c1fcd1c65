"""A synchronous client for Azure Container Registry, drop-in for ``azure.containerregistry``.

.. code-block:: python

    from azure.identity import DefaultAzureCredential
    from azure_containerregistry import ContainerRegistryClient

    endpoint = "https://myregistry.azurecr.io"
    with ContainerRegistryClient(endpoint, DefaultAzureCredential()) as client:
        for name in client.list_repository_names():
            print(name)
"""

from ._client import ContainerRegistryClient
from ._content import DownloadBlobStream, GetManifestResult
from ._copy import CopyEvent, copy_image
from ._enums import (
    ArtifactArchitecture,
    ArtifactManifestOrder,
    ArtifactOperatingSystem,
    ArtifactTagOrder,
    ManifestOrder,
    TagOrder,
)
from ._errors import DigestValidationError, MetadataApiUnavailableError
from ._models import (
    ArtifactManifestPlatform,
    ArtifactManifestProperties,
    ArtifactTagProperties,
    RepositoryProperties,
)
from ._version import VERSION

__version__ = VERSION

__all__ = [
    "ArtifactArchitecture",
    "ArtifactManifestOrder",
    "ArtifactManifestPlatform",
    "ArtifactManifestProperties",
    "ArtifactOperatingSystem",
    "ArtifactTagOrder",
    "ArtifactTagProperties",
    "ContainerRegistryClient",
    "CopyEvent",
    "DigestValidationError",
    "DownloadBlobStream",
    "GetManifestResult",
    "ManifestOrder",
    "MetadataApiUnavailableError",
    "RepositoryProperties",
    "TagOrder",
    "__version__",
    "copy_image",
]
