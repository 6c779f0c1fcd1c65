"""What every operation group shares: sending a request and reading JSON or a page of it."""

from __future__ import annotations

import json
from typing import Any, Collection, Dict, Tuple
from urllib.parse import quote

from azure.core import PipelineClient
from azure.core.rest import HttpRequest

from ..._errors import raise_for_status

__all__ = ["JSON", "OperationGroup", "json_request", "list_query", "next_link", "quote_segment"]

JSON = Dict[str, Any]


def quote_segment(value: str) -> str:
    """Percent-encode one path segment: ``library/hello`` -> ``library%2Fhello``, as ACR expects."""
    return quote(value, safe="")


def next_link(link_header: str | None) -> str | None:
    """The ``rel="next"`` target of an RFC 5988 ``Link`` header, or None.

    ACR sends ``</acr/v1/_catalog?last=b&n=2&orderby=>; rel="next"``: relative to the registry.
    """
    if not link_header:
        return None
    for part in link_header.split(","):
        target, _, params = part.partition(";")
        target = target.strip()
        if target.startswith("<") and target.endswith(">"):
            rels = params.replace(" ", "").lower()
            if not rels or 'rel="next"' in rels or "rel=next" in rels:
                return target[1:-1]
    return None


class OperationGroup:
    """Base of the operation groups: holds the pipeline client and the API version."""

    def __init__(self, client: PipelineClient[Any, Any], endpoint: str, api_version: str) -> None:
        self._client = client
        self._base = endpoint.rstrip("/")
        self._api_version = api_version

    def _url(self, path: str, *, versioned: bool = True) -> str:
        url = self._base + path
        return f"{url}?api-version={self._api_version}" if versioned else url

    def _send_json(
        self,
        request: HttpRequest,
        *,
        ok: Collection[int] = (200,),
        missing_ok: bool = False,
        **kwargs: Any,
    ) -> JSON | None:
        """Send ``request``; return its JSON body, or None for a tolerated 404."""
        response = self._client.send_request(request, **kwargs)
        if not raise_for_status(response, ok=ok, missing_ok=missing_ok):
            return None
        content = response.content
        return json.loads(content) if content else {}

    def _get_page(self, path_or_link: str, **kwargs: Any) -> Tuple[JSON, str | None]:
        """GET one listing page (a path with query, or a next link); return it and the next link."""
        request = HttpRequest("GET", self._base + path_or_link, headers=_ACCEPT_JSON)
        response = self._client.send_request(request, **kwargs)
        raise_for_status(response)
        content = response.content
        return (json.loads(content) if content else {}), next_link(response.headers.get("Link"))


_ACCEPT_JSON = {"Accept": "application/json"}


def json_request(method: str, url: str, body: JSON | None = None) -> HttpRequest:
    """A request that accepts JSON and, when ``body`` is given, sends it."""
    if body is None:
        return HttpRequest(method, url, headers=dict(_ACCEPT_JSON))
    return HttpRequest(method, url, headers=dict(_ACCEPT_JSON), json=body)


def list_query(n: int | None, orderby: str | None = None, **extra: str | None) -> str:
    """Query string of a first listing page: only the parameters that are set."""
    params = [("n", str(n) if n is not None else None), ("orderby", orderby), *extra.items()]
    query = "&".join(f"{key}={quote(value, safe='')}" for key, value in params if value is not None)
    return f"?{query}" if query else ""
