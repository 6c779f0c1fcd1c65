"""Operation groups of the REST layer, one per resource, as generated code arranges them.

The token endpoints' group, ``_authentication.AuthenticationOperations``, is imported from its
module by the auth policy (importing it here would be circular).
"""

from ._blobs import BlobsOperations
from ._manifest_content import ManifestContentOperations
from ._manifests import ManifestsOperations
from ._repositories import RepositoriesOperations
from ._tags import TagsOperations

__all__ = [
    "BlobsOperations",
    "ManifestContentOperations",
    "ManifestsOperations",
    "RepositoriesOperations",
    "TagsOperations",
]
