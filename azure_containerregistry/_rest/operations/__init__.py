"""Operation groups of the REST layer, one per resource, as generated code arranges them."""

from ._manifests import ManifestsOperations
from ._repositories import RepositoriesOperations
from ._tags import TagsOperations

__all__ = ["ManifestsOperations", "RepositoriesOperations", "TagsOperations"]
