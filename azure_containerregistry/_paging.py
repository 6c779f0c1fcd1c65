"""The one ``ItemPaged`` factory behind every ``list_*`` method.

A page fetcher takes the continuation token (None for the first page, else the ``Link``
next link the previous page gave) and returns the page's JSON and the next link. Resuming
with ``by_page(continuation_token=link)`` therefore starts exactly where a page ended.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, Iterator, Optional, Tuple, TypeVar

from azure.core.paging import ItemPaged

__all__ = ["PageFetcher", "item_paged"]

T = TypeVar("T")
Page = Tuple[Dict[str, Any], Optional[str]]
PageFetcher = Callable[[Optional[str]], Page]


def item_paged(fetch: PageFetcher, items: Callable[[Dict[str, Any]], Iterable[T]]) -> ItemPaged[T]:
    """Page through a listing with ``fetch``, turning each page's JSON into items with ``items``."""

    def extract_data(page: Page) -> Tuple[str | None, Iterator[T]]:
        body, link = page
        return link, iter(items(body))

    return ItemPaged(fetch, extract_data)
