"""Operation group for manifest metadata: ``/acr/v1/{name}/_manifests`` and manifest deletion."""

from __future__ import annotations

from typing import Any, Optional

from .._wire import Item, manifest_items, single_manifest
from ..models import ChangeableAttributes, serialize_body
from ._base import OperationGroup, Page, json_request, list_query, quote_segment

__all__ = ["ManifestsOperations"]


class ManifestsOperations(OperationGroup):
    """List, read and update manifest properties; delete manifests."""

    def _path(self, name: str, digest: str) -> str:
        return self._versioned(f"/acr/v1/{quote_segment(name)}/_manifests/{quote_segment(digest)}")

    def list_page(
        self,
        name: str,
        *,
        n: Optional[int] = None,
        orderby: Optional[str] = None,
        link: Optional[str] = None,
        **kwargs: Any,
    ) -> Page:
        """One page of manifests (checked :class:`~.._wire.Item` s) and the next link."""
        return self._page(
            f"/acr/v1/{quote_segment(name)}/_manifests",
            list_query(n, orderby),
            link,
            lambda document: manifest_items(document, name, self._registry),
            **kwargs,
        )

    def get_properties(self, name: str, digest: str, **kwargs: Any) -> Item:
        return self._json(
            json_request("GET", self._path(name, digest)),
            lambda document: single_manifest(document, name, self._registry),
            what="manifest properties",
            **kwargs,
        )

    def update_properties(
        self, name: str, digest: str, value: ChangeableAttributes, **kwargs: Any
    ) -> Item:
        return self._json(
            json_request("PATCH", self._path(name, digest), serialize_body(value)),
            lambda document: single_manifest(document, name, self._registry),
            what="manifest update",
            **kwargs,
        )

    def delete(self, name: str, digest: str, **kwargs: Any) -> bool:
        """``DELETE /v2/{name}/manifests/{digest}``; False when it did not exist."""
        path = f"/v2/{quote_segment(name)}/manifests/{quote_segment(digest)}"
        return self._delete(path, what="manifest delete", **kwargs)
