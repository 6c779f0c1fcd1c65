"""The one ``ItemPaged`` factory behind every ``list_*`` method.

A page fetcher takes the continuation token (None for the first page, else a next link) and
returns a :class:`~._rest.operations._base.Page`: checked items and the checked next link.
Resuming with ``by_page(continuation_token=link)`` starts exactly where a page ended; the REST
layer refuses a token that leaves the listing's route or the registry. A registry whose links
lead back to a page already read would page forever: that is refused here.

Every ``by_page()`` call (iteration makes one) is a walk with its own state: the links seen,
the pages and items counted for :meth:`ListingPaged.on_page`. The plain iteration path does no
work per item beyond building the model.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, List, Optional, Set, Tuple, TypeVar

from azure.core.paging import ItemPaged, PageIterator

from ._errors import protocol_error
from ._rest.operations._base import Page
from ._tables import Columns, import_pandas, to_dataframe

__all__ = ["ListingPaged", "PageCallback", "PageFetcher", "item_paged"]

T = TypeVar("T")
PageFetcher = Callable[[Optional[str]], Page]

#: Called after each page arrives: ``(pages read, items read)`` so far in this walk.
PageCallback = Callable[[int, int], None]


class _Walk:
    """One walk through a listing: checks its links, counts its pages, calls the callbacks."""

    def __init__(
        self, fetch: PageFetcher, to_item: Callable[[Any], Any], callbacks: List[PageCallback]
    ) -> None:
        self._fetch, self._to_item, self._callbacks = fetch, to_item, callbacks
        self._seen: Set[str] = set()
        self._pages = self._items = 0

    def get_next(self, link: Optional[str]) -> Page:
        return self._fetch(link)

    def extract_data(self, page: Page) -> Tuple[Optional[str], Iterator[Any]]:
        following = page.next_link
        if following is not None:
            if following in self._seen:
                raise protocol_error("the Link header leads back to a page already read")
            self._seen.add(following)
        items = [self._to_item(item) for item in page.items]
        if self._callbacks:  # per page, never per item
            self._pages += 1
            self._items += len(items)
            for callback in self._callbacks:
                callback(self._pages, self._items)
        return following, iter(items)


class ListingPaged(ItemPaged[T]):
    """What the ``list_*`` methods return: an :class:`~azure.core.paging.ItemPaged` that can
    also give a typed DataFrame and report pages as they arrive.

    Iterate it, call ``by_page()`` or resume with ``by_page(continuation_token=...)`` as with
    any ``ItemPaged``. For a table, call :meth:`to_dataframe`: ``pandas.DataFrame(pager)``
    gives one column of model objects, not a column per attribute.

    .. code-block:: python

        pager = client.list_manifest_properties("app")
        pager.on_page(lambda pages, items: print(f"{pages} pages, {items} manifests"))
        frame = pager.to_dataframe()   # needs pandas: pip install "azure-acr-client[notebook]"
        frame.groupby("architecture", observed=True).size_in_bytes.sum()
    """

    def __init__(
        self, fetch: PageFetcher, to_item: Callable[[Any], T], columns: Columns
    ) -> None:
        super().__init__()
        self._fetch, self._to_item, self._columns = fetch, to_item, columns
        self._callbacks: List[PageCallback] = []

    def by_page(self, continuation_token: Optional[str] = None) -> Iterator[Iterator[T]]:
        """Pages of items, each an iterator; from ``continuation_token`` (a next link) if given.

        :rtype: iterator[iterator]
        """
        walk = _Walk(self._fetch, self._to_item, self._callbacks)
        # azure-core types extract_data's next link as str; None (the last page) is what it
        # expects there too.
        extract: Any = walk.extract_data
        pages: Iterator[Iterator[T]] = PageIterator(
            walk.get_next, extract, continuation_token=continuation_token
        )
        return pages

    def on_page(self, callback: PageCallback) -> ListingPaged[T]:
        """Call ``callback(pages, items)`` after each page arrives; returns the pager.

        ``pages`` and ``items`` count what this walk (an iteration, a ``by_page()`` call or a
        :meth:`to_dataframe`) has read so far, the new page included; the callback runs before
        the page's items are handed out. An exception it raises stops the listing. Several
        callbacks may be added; they run in the order added.

        :param callback: a function of two ints, e.g. to update a progress bar.
        :rtype: ListingPaged
        """
        if not callable(callback):
            raise TypeError(f"callback must be callable, not {type(callback).__name__}")
        self._callbacks.append(callback)
        return self

    def to_dataframe(self) -> Any:
        """Read the whole listing, from its first page, into a :class:`pandas.DataFrame`.

        One row per item; columns are the model's attributes (``name`` alone for repository
        names), typed: ``datetime64[ns, UTC]`` for times, ``Int64`` for sizes and counts,
        ``boolean`` for ``can_*``, ``category`` for architecture, operating system and media
        types, lists (``[]`` when none) for ``tags`` and ``references`` (each a dict). Missing
        values are ``NaT`` / ``<NA>``. Each call reads the listing again.

        :rtype: ~pandas.DataFrame
        :raises ImportError: pandas is not installed (``pip install
            "azure-acr-client[notebook]"``); checked before any request.
        """
        import_pandas()
        items = (item for page in self.by_page() for item in page)
        return to_dataframe(items, self._columns)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} at {hex(id(self))}: iterate it, or call to_dataframe()>"


def item_paged(
    fetch: PageFetcher, to_item: Callable[[Any], T], columns: Columns
) -> ListingPaged[T]:
    """Page through a listing with ``fetch``, turning each checked wire item into ``to_item``;
    ``columns`` say how :meth:`ListingPaged.to_dataframe` types them."""
    return ListingPaged(fetch, to_item, columns)
