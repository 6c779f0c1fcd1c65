"""pandas DataFrames from inventory rows, with typed columns; pandas is imported only here.

Columns keep their meaning in the dtype, so a notebook can filter and plot at once: ``string``
for names and digests, ``category`` for media types and platforms, nullable ``Int64`` for
sizes, ``datetime64[..., UTC]`` for times, ``bool``/nullable ``boolean`` for flags.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Sequence, TypeVar

from ._progress import NOTEBOOK_EXTRA
from ._records import ManifestRecord, TagRecord
from ._storage import StorageRow

__all__ = ["manifest_frame", "pandas", "storage_frame", "tag_frame"]

R = TypeVar("R")
_FLAGS = ("can_delete", "can_write", "can_read", "can_list")


def pandas() -> Any:
    """The pandas module; an ImportError naming the extra when it is missing."""
    try:
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]
    except ImportError as error:
        raise ImportError(f"DataFrames need pandas, which the core install leaves out: "
                          f"{NOTEBOOK_EXTRA}") from error
    return pd


def _columns(pd: Any, rows: Sequence[R], kinds: Dict[str, str],
             value: Callable[[R, str], Any]) -> Any:
    """A DataFrame with one column per ``kinds`` entry (name -> dtype), in that order."""
    data: Dict[str, Any] = {}
    for name, kind in kinds.items():
        values: List[Any] = [value(row, name) for row in rows]
        if kind == "datetime":
            data[name] = pd.Series(pd.to_datetime(values, utc=True), dtype="datetime64[ns, UTC]")
        elif kind == "object":
            data[name] = pd.Series(values, dtype=object)
        else:
            data[name] = pd.Series(values, dtype=kind)
    return pd.DataFrame(data)


_MANIFEST_COLUMNS = {
    "repository": "string", "digest": "string", "tags": "object", "media_type": "category",
    "config_media_type": "category", "size_in_bytes": "Int64", "blob_bytes": "Int64",
    "created_on": "datetime", "last_updated_on": "datetime", "architecture": "category",
    "operating_system": "category", "parent_index": "string", "is_index": "bool",
    **dict.fromkeys(_FLAGS, "boolean"),
}  # fmt: skip


def manifest_frame(manifests: Sequence[ManifestRecord]) -> Any:
    """One row per (repository, manifest); ``tags`` is a list of names (empty if untagged)."""
    def value(m: ManifestRecord, name: str) -> Any:
        return list(m.tags) if name == "tags" else getattr(m, name)

    return _columns(pandas(), manifests, _MANIFEST_COLUMNS, value)


_TAG_COLUMNS = {
    "repository": "string", "tag": "string", "digest": "string", "created_on": "datetime",
    "last_updated_on": "datetime", **dict.fromkeys(_FLAGS, "boolean"),
}


def tag_frame(tags: Sequence[TagRecord]) -> Any:
    """One row per (repository, tag)."""
    return _columns(pandas(), tags, _TAG_COLUMNS,
                    lambda t, name: t.name if name == "tag" else getattr(t, name))


_STORAGE_COLUMNS = {"repository": "string", "total_bytes": "int64", "shared_bytes": "int64",
                    "unique_bytes": "int64", "untagged_bytes": "int64"}


def storage_frame(rows: Sequence[StorageRow]) -> Any:
    """One row per repository: total, shared, unique and untagged bytes."""
    return _columns(pandas(), rows, _STORAGE_COLUMNS, getattr)
