"""The one ``ItemPaged`` factory behind every ``list_*`` method.

A page fetcher takes the continuation token (None for the first page, else a next link) and
returns a :class:`~._rest.operations._base.Page`: checked items and the checked next link.
Resuming with ``by_page(continuation_token=link)`` starts exactly where a page ended; the REST
layer refuses a token that leaves the listing's route or the registry. A registry whose links
lead back to a page already read would page forever: that is refused here.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Optional, Set, Tuple, TypeVar

from azure.core.paging import ItemPaged

from ._errors import protocol_error
from ._rest.operations._base import Page

__all__ = ["PageFetcher", "item_paged"]

T = TypeVar("T")
PageFetcher = Callable[[Optional[str]], Page]


def item_paged(fetch: PageFetcher, to_item: Callable[[Any], T]) -> ItemPaged[T]:
    """Page through a listing with ``fetch``, turning each checked wire item into ``to_item``."""
    seen: Set[str] = set()
    last: list[Optional[str]] = [None]

    def get_next(link: Optional[str]) -> Page:
        if link is None or link != last[0]:
            seen.clear()  # a new walk: from the start, or from a caller's continuation token
        return fetch(link)

    def extract_data(page: Page) -> Tuple[Optional[str], Iterator[T]]:
        following = page.next_link
        if following is not None:
            if following in seen:
                raise protocol_error("the Link header leads back to a page already read")
            seen.add(following)
        last[0] = following
        return following, iter([to_item(item) for item in page.items])

    return ItemPaged(get_next, extract_data)
