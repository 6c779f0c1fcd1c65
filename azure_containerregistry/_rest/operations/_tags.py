"""Operation group for tags: ``/acr/v1/{name}/_tags[/{tag}]``."""

from __future__ import annotations

from typing import Any, Tuple

from ..models import ChangeableAttributes, serialize_body
from ._base import JSON, OperationGroup, json_request, list_query, quote_segment

__all__ = ["TagsOperations"]


class TagsOperations(OperationGroup):
    """List, read, update and delete tags."""

    def _path(self, name: str, tag: str) -> str:
        return self._url(f"/acr/v1/{quote_segment(name)}/_tags/{quote_segment(tag)}")

    def list_page(
        self,
        name: str,
        *,
        n: int | None = None,
        orderby: str | None = None,
        digest: str | None = None,
        link: str | None = None,
        **kwargs: Any,
    ) -> Tuple[JSON, str | None]:
        """One page of ``{"registry", "imageName", "tags": [...]}`` and the next link."""
        first = f"/acr/v1/{quote_segment(name)}/_tags" + list_query(n, orderby, digest=digest)
        return self._get_page(link or first, **kwargs)

    def get_properties(self, name: str, tag: str, **kwargs: Any) -> JSON:
        return self._send_json(json_request("GET", self._path(name, tag)), **kwargs) or {}

    def update_properties(
        self, name: str, tag: str, value: ChangeableAttributes, **kwargs: Any
    ) -> JSON:
        request = json_request("PATCH", self._path(name, tag), serialize_body(value))
        return self._send_json(request, **kwargs) or {}

    def delete(self, name: str, tag: str, **kwargs: Any) -> bool:
        """Delete a tag; False when it did not exist."""
        request = json_request("DELETE", self._path(name, tag))
        return self._send_json(request, ok=(200, 202, 204), missing_ok=True, **kwargs) is not None
