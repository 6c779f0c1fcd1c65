"""Listings as pandas DataFrames with typed columns.

Each listing has a column spec: the model's attribute names, each with a kind that fixes its
dtype, so a frame is the same shape whatever the registry sent (an empty listing too) and
``df.created_on.dt``, ``df.size_in_bytes.sum()`` or ``df.architecture.value_counts()`` work
without conversion. pandas is imported only when a frame is built: the core install does not
need it.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Callable, Dict, Iterable, List, Tuple

__all__ = [
    "MANIFEST_COLUMNS",
    "NAME_COLUMNS",
    "REPOSITORY_COLUMNS",
    "TAG_COLUMNS",
    "Columns",
    "import_pandas",
    "to_dataframe",
]

TEXT, TIME, COUNT, FLAG, CATEGORY, LIST = "text", "time", "count", "flag", "category", "list"

#: ``(column, kind)`` pairs: the column is the item's attribute of that name.
Columns = Tuple[Tuple[str, str], ...]

_FLAGS = (("can_delete", FLAG), ("can_list", FLAG), ("can_read", FLAG), ("can_write", FLAG))
_TIMES = (("created_on", TIME), ("last_updated_on", TIME))

NAME_COLUMNS: Columns = (("name", TEXT),)
REPOSITORY_COLUMNS: Columns = (
    ("name", TEXT), ("registry", TEXT), *_TIMES, ("manifest_count", COUNT),
    ("tag_count", COUNT), *_FLAGS, ("teleport_enabled", FLAG),
)  # fmt: skip
TAG_COLUMNS: Columns = (
    ("name", TEXT), ("digest", TEXT), ("repository_name", TEXT), ("registry", TEXT),
    *_TIMES, *_FLAGS,
)  # fmt: skip
MANIFEST_COLUMNS: Columns = (
    ("digest", TEXT), ("repository_name", TEXT), ("registry", TEXT),
    ("fully_qualified_reference", TEXT), ("size_in_bytes", COUNT), *_TIMES,
    ("architecture", CATEGORY), ("operating_system", CATEGORY), ("tags", LIST),
    ("media_type", CATEGORY), ("config_media_type", CATEGORY), ("references", LIST), *_FLAGS,
)  # fmt: skip

_INSTALL = 'pip install "azure-acr-client[notebook]"'


def import_pandas() -> Any:
    """The pandas module.

    :raises ImportError: pandas is not installed; the message names the extra that brings it.
    """
    try:
        import pandas  # type: ignore[import-untyped,unused-ignore]
    except ImportError as exc:
        raise ImportError(
            f"to_dataframe() needs pandas, which is not installed: {_INSTALL}"
        ) from exc
    return pandas


def _plain_text(value: Any) -> Any:
    """An enum member as its value: categories are plain strings, unknown values included."""
    return value.value if isinstance(value, Enum) else value


def _as_list(value: Any) -> List[Any]:
    """A list cell: tags as strings, references as dicts of strings; missing as an empty list."""
    if not isinstance(value, list):
        return []
    return [item.to_dict(json=True) if hasattr(item, "to_dict") else item for item in value]


def _column(pandas: Any, kind: str, values: List[Any]) -> Any:
    if kind == TIME:
        # Explicit ns: pandas 3 would otherwise infer microseconds from datetime objects.
        return pandas.to_datetime(pandas.Series(values, dtype=object), utc=True).astype(
            "datetime64[ns, UTC]"
        )
    if kind == COUNT:
        return pandas.Series(values, dtype="Int64")
    if kind == FLAG:
        return pandas.Series(values, dtype="boolean")
    if kind == CATEGORY:
        return pandas.Series([_plain_text(v) for v in values], dtype="category")
    if kind == LIST:
        return pandas.Series([_as_list(v) for v in values], dtype=object)
    return pandas.Series(values, dtype=object)


def to_dataframe(items: Iterable[Any], columns: Columns) -> Any:
    """A DataFrame of ``items``, one row each, with ``columns`` typed by their kind.

    For ``NAME_COLUMNS`` the items are the names themselves.

    :raises ImportError: pandas is not installed.
    """
    pandas = import_pandas()
    rows = list(items)
    read: Callable[[Any, str], Any] = (
        (lambda item, _name: item) if columns is NAME_COLUMNS else getattr
    )
    data: Dict[str, Any] = {
        name: _column(pandas, kind, [read(item, name) for item in rows]) for name, kind in columns
    }
    return pandas.DataFrame(data, columns=[name for name, _ in columns])
