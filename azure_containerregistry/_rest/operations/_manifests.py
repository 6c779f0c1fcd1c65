"""Operation group for manifest metadata: ``/acr/v1/{name}/_manifests`` and manifest deletion."""

from __future__ import annotations

from typing import Any, Tuple

from ..models import ChangeableAttributes, serialize_body
from ._base import JSON, OperationGroup, json_request, list_query, quote_segment

__all__ = ["ManifestsOperations"]


class ManifestsOperations(OperationGroup):
    """List, read and update manifest properties; delete manifests."""

    def _path(self, name: str, digest: str) -> str:
        return self._url(f"/acr/v1/{quote_segment(name)}/_manifests/{quote_segment(digest)}")

    def list_page(
        self,
        name: str,
        *,
        n: int | None = None,
        orderby: str | None = None,
        link: str | None = None,
        **kwargs: Any,
    ) -> Tuple[JSON, str | None]:
        """One page of ``{"registry", "imageName", "manifests": [...]}`` and the next link."""
        first = f"/acr/v1/{quote_segment(name)}/_manifests" + list_query(n, orderby)
        return self._get_page(link or first, **kwargs)

    def get_properties(self, name: str, digest: str, **kwargs: Any) -> JSON:
        return self._send_json(json_request("GET", self._path(name, digest)), **kwargs) or {}

    def update_properties(
        self, name: str, digest: str, value: ChangeableAttributes, **kwargs: Any
    ) -> JSON:
        request = json_request("PATCH", self._path(name, digest), serialize_body(value))
        return self._send_json(request, **kwargs) or {}

    def delete(self, name: str, digest: str, **kwargs: Any) -> bool:
        """``DELETE /v2/{name}/manifests/{digest}``; False when it did not exist."""
        url = self._url(
            f"/v2/{quote_segment(name)}/manifests/{quote_segment(digest)}", versioned=False
        )
        return self._send_json(
            json_request("DELETE", url), ok=(200, 202, 204), missing_ok=True, **kwargs
        ) is not None
