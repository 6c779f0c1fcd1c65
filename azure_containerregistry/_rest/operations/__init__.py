"""Operation groups of the REST layer, one per resource, as generated code arranges them."""

from ._authentication import AuthenticationOperations
from ._blobs import BlobsOperations
from ._manifest_content import ManifestContentOperations
from ._manifests import ManifestsOperations
from ._repositories import RepositoriesOperations
from ._tags import TagsOperations

__all__ = [
    "AuthenticationOperations",
    "BlobsOperations",
    "ManifestContentOperations",
    "ManifestsOperations",
    "RepositoriesOperations",
    "TagsOperations",
]
