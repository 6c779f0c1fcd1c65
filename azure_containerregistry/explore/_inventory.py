"""``Inventory``: what a registry walk found, as plain Python data and as DataFrames."""

from __future__ import annotations

from typing import Any, Iterable, Tuple

from . import _frames
from ._records import ManifestRecord, TagRecord, WalkError
from ._storage import StorageRow, StorageTotals, storage_rows, storage_totals

__all__ = ["Inventory"]


class Inventory:
    """The repositories, manifests and tags of a registry, joined, as :func:`inventory` found
    them.

    The data is plain Python (usable without pandas); the ``*dataframe``/``storage`` methods
    import pandas when called.

    :ivar repositories: names walked, in listing order.
    :ivar manifests: one :class:`ManifestRecord` per (repository, manifest), tags joined and
        index children linked to their parent.
    :ivar tags: one :class:`TagRecord` per (repository, tag).
    :ivar errors: reads that failed even after retries (:class:`WalkError`); empty when the
        inventory is complete.
    :ivar layers: whether manifest bodies were read (needed for storage figures).
    """

    def __init__(self, repositories: Iterable[str], manifests: Iterable[ManifestRecord],
                 tags: Iterable[TagRecord], errors: Iterable[WalkError] = (), *,
                 layers: bool = False) -> None:
        self.repositories: Tuple[str, ...] = tuple(repositories)
        self.manifests: Tuple[ManifestRecord, ...] = tuple(manifests)
        self.tags: Tuple[TagRecord, ...] = tuple(tags)
        self.errors: Tuple[WalkError, ...] = tuple(errors)
        self.layers = layers

    def __repr__(self) -> str:
        return (f"Inventory(repositories={len(self.repositories)}, "
                f"manifests={len(self.manifests)}, tags={len(self.tags)}, "
                f"errors={len(self.errors)}, layers={self.layers})")

    def _need_layers(self) -> None:
        if not self.layers:
            raise ValueError("storage figures need the manifest bodies: take the inventory "
                             "with inventory(client, layers=True)")

    def storage_rows(self) -> list[StorageRow]:
        """Bytes per repository as :class:`StorageRow` s (the data behind :meth:`storage`).

        :raises ValueError: the inventory was taken without ``layers=True``.
        """
        self._need_layers()
        return storage_rows(self.repositories, self.manifests)

    def storage_totals(self) -> StorageTotals:
        """The whole registry's distinct blob bytes and untagged bytes, each blob counted once.

        :raises ValueError: the inventory was taken without ``layers=True``.
        """
        self._need_layers()
        return storage_totals(self.manifests)

    def storage(self) -> Any:
        """A DataFrame with one row per repository: ``repository``, ``total_bytes``,
        ``shared_bytes``, ``unique_bytes``, ``untagged_bytes``.

        ``total_bytes`` counts the distinct config and layer blobs the repository's manifests
        reference, ``shared_bytes`` those also referenced from another repository,
        ``unique_bytes`` the rest; ``untagged_bytes`` is what deleting the untagged manifests
        (not held by a tagged index) would free.

        :rtype: pandas.DataFrame
        :raises ValueError: the inventory was taken without ``layers=True``.
        :raises ImportError: pandas is not installed (``pip install "azure-acr-client[notebook]"``).
        """
        return _frames.storage_frame(self.storage_rows())

    def to_dataframe(self) -> Any:
        """A DataFrame with one row per (repository, manifest), typed columns.

        Columns: ``repository``, ``digest`` (string); ``tags`` (list of names);
        ``media_type``, ``config_media_type``, ``architecture``, ``operating_system``
        (category); ``size_in_bytes``, ``blob_bytes`` (Int64; ``blob_bytes`` with
        ``layers=True``); ``created_on``, ``last_updated_on`` (datetime64, UTC);
        ``parent_index`` (string, missing when none); ``is_index`` (bool); ``can_delete``,
        ``can_write``, ``can_read``, ``can_list`` (boolean).

        :rtype: pandas.DataFrame
        :raises ImportError: pandas is not installed (``pip install "azure-acr-client[notebook]"``).
        """
        return _frames.manifest_frame(self.manifests)

    def tags_dataframe(self) -> Any:
        """A DataFrame with one row per (repository, tag): ``repository``, ``tag``, ``digest``,
        ``created_on``, ``last_updated_on`` and the ``can_*`` flags.

        :rtype: pandas.DataFrame
        :raises ImportError: pandas is not installed (``pip install "azure-acr-client[notebook]"``).
        """
        return _frames.tag_frame(self.tags)
