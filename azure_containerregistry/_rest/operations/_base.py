"""What the metadata operation groups share: request builders, paging and the one send path."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, NamedTuple, Optional, TypeVar
from urllib.parse import quote

from azure.core.rest import HttpRequest

from ..._errors import protocol_error, raise_for_status
from ..._urls import UnsafeURLError
from .._sender import MAX_SMALL_BODY, Sender, read_bounded
from .._wire import MalformedAnswer

__all__ = [
    "JSON",
    "OperationGroup",
    "Page",
    "json_request",
    "list_query",
    "next_link",
    "quote_segment",
]

JSON = Dict[str, Any]
T = TypeVar("T")
_ACCEPT_JSON = {"Accept": "application/json"}
_DELETED = (200, 202, 204)
_MAX_LINK_HEADER = 8192


class Page(NamedTuple):
    """One listing page: its checked items and the (checked, absolute) next link, if any."""

    items: List[Any]
    next_link: Optional[str]


def quote_segment(value: str) -> str:
    """Percent-encode one path segment: ``library/hello`` -> ``library%2Fhello``, as ACR expects."""
    return quote(value, safe="")


def next_link(link_header: Optional[str]) -> Optional[str]:
    """The ``rel="next"`` target of an RFC 5988 ``Link`` header, or None.

    ACR sends ``</acr/v1/_catalog?last=b&n=2&orderby=>; rel="next"``: relative to the registry.
    The target is not checked here; :meth:`~.._urls.RegistryUrls.link` does that.
    """
    if not link_header or len(link_header) > _MAX_LINK_HEADER:
        return None
    for part in link_header.split(","):
        target, _, params = part.partition(";")
        target = target.strip()
        if target.startswith("<") and target.endswith(">"):
            rels = params.replace(" ", "").lower()
            if not rels or 'rel="next"' in rels or "rel=next" in rels:
                return target[1:-1]
    return None


def json_request(method: str, url: str, body: Optional[JSON] = None) -> HttpRequest:
    """A request that accepts JSON and, when ``body`` is given, sends it."""
    if body is None:
        return HttpRequest(method, url, headers=dict(_ACCEPT_JSON))
    return HttpRequest(method, url, headers=dict(_ACCEPT_JSON), json=body)


def list_query(n: Optional[int], orderby: Optional[str] = None, **extra: Optional[str]) -> str:
    """Query string of a first listing page: only the parameters that are set."""
    params = [("n", str(n) if n is not None else None), ("orderby", orderby), *extra.items()]
    return "&".join(f"{key}={quote(value, safe='')}" for key, value in params if value is not None)


class OperationGroup:
    """Base of the metadata operation groups: the sender, the API version and the registry host.

    :param sender: the one send path of the registry's API pipeline.
    :param api_version: sent as ``api-version`` on single-item ``/acr/v1`` calls.
    """

    def __init__(self, sender: Sender, api_version: str) -> None:
        self._sender = sender
        self._api_version = api_version
        self._registry = sender.urls.host

    def _versioned(self, path: str) -> str:
        return f"{path}?api-version={quote(self._api_version, safe='')}"

    def _json(
        self, request: HttpRequest, unwrap: Callable[[Any], T], *, what: str, **kwargs: Any
    ) -> T:
        """Send ``request`` and return its JSON body as ``unwrap`` checks and shapes it."""
        document, response = self._sender.json(request, what=what, **kwargs)
        try:
            return unwrap(document)
        except MalformedAnswer as exc:
            error = protocol_error(f"{what}: {exc}", response)
        raise error

    def _page(
        self,
        route: str,
        first_query: str,
        link: Optional[str],
        unwrap: Callable[[Any], List[Any]],
        **kwargs: Any,
    ) -> Page:
        """GET one listing page of ``route``: the first, or the one ``link`` points to.

        :raises ValueError: ``link`` (a continuation token) leaves ``route`` or the registry.
        :raises ~azure.core.exceptions.HttpResponseError: the registry's next link does.
        """
        urls = self._sender.urls
        url = urls.link(link, route) if link is not None else urls.url(route, first_query)
        request = json_request("GET", url)
        document, response = self._sender.json(request, what="listing page", **kwargs)
        following = next_link(response.headers.get("Link"))
        try:
            items = unwrap(document)
            if following is not None:
                following = urls.link(following, route)
        except (MalformedAnswer, UnsafeURLError) as exc:
            error = protocol_error(f"listing page: {exc}", response)
            raise error from None
        return Page(items, following)

    def _delete(self, path: str, *, what: str, **kwargs: Any) -> bool:
        """DELETE ``path``; False when the registry says the item is unknown (already gone).

        Any other 404 raises: on a registry without the route, "already gone" would be a lie.
        """
        response = self._sender.send(json_request("DELETE", path), **kwargs)
        if not raise_for_status(response, ok=_DELETED, missing_if_unknown=True, what=what):
            return False
        read_bounded(response, MAX_SMALL_BODY, what)
        return True
