"""Operation group for tags: ``/acr/v1/{name}/_tags[/{tag}]``."""

from __future__ import annotations

from typing import Any, Optional

from .._wire import Item, single_tag, tag_items
from ..models import ChangeableAttributes, serialize_body
from ._base import OperationGroup, Page, json_request, list_query, quote_segment

__all__ = ["TagsOperations"]


class TagsOperations(OperationGroup):
    """List, read, update and delete tags."""

    def _path(self, name: str, tag: str) -> str:
        return self._versioned(f"/acr/v1/{quote_segment(name)}/_tags/{quote_segment(tag)}")

    def list_page(
        self,
        name: str,
        *,
        n: Optional[int] = None,
        orderby: Optional[str] = None,
        digest: Optional[str] = None,
        link: Optional[str] = None,
        **kwargs: Any,
    ) -> Page:
        """One page of tags (checked :class:`~.._wire.Item` s) and the next link."""
        return self._page(
            f"/acr/v1/{quote_segment(name)}/_tags",
            list_query(n, orderby, digest=digest),
            link,
            lambda document: tag_items(document, name, self._registry),
            **kwargs,
        )

    def get_properties(self, name: str, tag: str, **kwargs: Any) -> Item:
        """A tag's attributes; its ``digest`` is checked, so it can address its manifest."""
        return self._json(
            json_request("GET", self._path(name, tag)),
            lambda document: single_tag(document, name, self._registry),
            what="tag properties",
            **kwargs,
        )

    def update_properties(
        self, name: str, tag: str, value: ChangeableAttributes, **kwargs: Any
    ) -> Item:
        return self._json(
            json_request("PATCH", self._path(name, tag), serialize_body(value)),
            lambda document: single_tag(document, name, self._registry),
            what="tag update",
            **kwargs,
        )

    def delete(self, name: str, tag: str, **kwargs: Any) -> bool:
        """Delete a tag; False when the registry says it did not exist."""
        return self._delete(self._path(name, tag), what="tag delete", **kwargs)
