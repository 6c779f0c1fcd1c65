"""Operation group for repositories: ``/acr/v1/_catalog`` and ``/acr/v1/{name}``."""

from __future__ import annotations

from typing import Any, Tuple

from ..models import ChangeableAttributes, serialize_body
from ._base import JSON, OperationGroup, json_request, list_query, quote_segment

__all__ = ["RepositoriesOperations"]


class RepositoriesOperations(OperationGroup):
    """List, read, update and delete repositories."""

    def list_page(
        self, *, n: int | None = None, link: str | None = None, **kwargs: Any
    ) -> Tuple[JSON, str | None]:
        """One page of the catalog: ``{"repositories": [...]}`` and the next link."""
        return self._get_page(link or "/acr/v1/_catalog" + list_query(n), **kwargs)

    def get_properties(self, name: str, **kwargs: Any) -> JSON:
        request = json_request("GET", self._url(f"/acr/v1/{quote_segment(name)}"))
        return self._send_json(request, **kwargs) or {}

    def update_properties(self, name: str, value: ChangeableAttributes, **kwargs: Any) -> JSON:
        url = self._url(f"/acr/v1/{quote_segment(name)}")
        request = json_request("PATCH", url, serialize_body(value))
        return self._send_json(request, **kwargs) or {}

    def delete(self, name: str, **kwargs: Any) -> JSON | None:
        """Delete a repository; None when it did not exist."""
        request = json_request("DELETE", self._url(f"/acr/v1/{quote_segment(name)}"))
        return self._send_json(request, ok=(200, 202, 204), missing_ok=True, **kwargs)
