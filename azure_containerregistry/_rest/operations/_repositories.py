"""Operation group for repositories: ``/acr/v1/_catalog`` and ``/acr/v1/{name}``."""

from __future__ import annotations

from typing import Any, Optional

from .._wire import Item, catalog_names, repository_item
from ..models import ChangeableAttributes, serialize_body
from ._base import OperationGroup, Page, json_request, list_query, quote_segment

__all__ = ["RepositoriesOperations"]

_CATALOG = "/acr/v1/_catalog"


class RepositoriesOperations(OperationGroup):
    """List, read, update and delete repositories."""

    def _path(self, name: str) -> str:
        return self._versioned(f"/acr/v1/{quote_segment(name)}")

    def list_page(
        self, *, n: Optional[int] = None, link: Optional[str] = None, **kwargs: Any
    ) -> Page:
        """One page of repository names and the next link."""
        return self._page(_CATALOG, list_query(n), link, catalog_names, **kwargs)

    def get_properties(self, name: str, **kwargs: Any) -> Item:
        return self._json(
            json_request("GET", self._path(name)),
            lambda document: repository_item(document, self._registry),
            what="repository properties",
            **kwargs,
        )

    def update_properties(self, name: str, value: ChangeableAttributes, **kwargs: Any) -> Item:
        return self._json(
            json_request("PATCH", self._path(name), serialize_body(value)),
            lambda document: repository_item(document, self._registry),
            what="repository update",
            **kwargs,
        )

    def delete(self, name: str, **kwargs: Any) -> bool:
        """Delete a repository; False when the registry says it did not exist."""
        return self._delete(self._path(name), what="repository delete", **kwargs)
