"""What the public models share: tolerant field readers, and the bases that hold wire data.

The readers never raise on what a registry sends: a value of the wrong type reads as None. The
bases give every model ``__repr__``, ``__eq__`` (by value), ``__hash__`` (on identity),
``to_dict`` and the notebook reprs (:mod:`._display`), and the tag and manifest models the
repository and registry they are in.
"""

from __future__ import annotations

import sys
from datetime import datetime
from enum import Enum
from types import MappingProxyType
from typing import Any, ClassVar, Dict, Hashable, List, Mapping, TypeVar

import isodate

from ._display import Displayable, Row
from ._rest._wire import Item
from ._rest.models import ChangeableAttributes

__all__ = ["Wire"]

Wire = Mapping[str, Any]
_EMPTY: Wire = MappingProxyType({})


def _parse_time(value: object) -> datetime | None:
    """An ISO 8601 time, or None when ``value`` is missing or not one.

    ACR times carry up to 7 fractional digits and a ``Z``: 3.11's ``fromisoformat`` takes both,
    older ones take neither, so they use isodate. Both drop digits beyond microseconds.
    A ``datetime`` (given to a model's constructor) is returned as it is.
    """
    if not isinstance(value, str):
        return value if isinstance(value, datetime) else None
    try:
        if sys.version_info >= (3, 11):
            return datetime.fromisoformat(value)
        parsed: datetime = isodate.parse_datetime(value)
        return parsed
    except (ValueError, OverflowError):  # isodate's ISO8601Error is a ValueError
        return None


def _mapping(value: object) -> Wire:
    """``value`` if it is a JSON object, else an empty one."""
    # dict, not Mapping: decoded JSON is always a dict, and the ABC check costs 2 µs an item.
    return value if isinstance(value, dict) else _EMPTY


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _count(value: object) -> int | None:
    # bool is an int to Python, not to JSON.
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _list_of(value: object, item_type: type | tuple[type, ...]) -> List[Any] | None:
    """A copy of ``value`` if it is a JSON array of ``item_type`` only, else None.

    A list with one odd item is read as malformed as a whole: keeping the rest would hide that
    the server sent something other than what we understand.
    """
    if isinstance(value, (list, tuple)) and all(isinstance(item, item_type) for item in value):
        return list(value)
    return None


def _given(**fields: Any) -> Dict[str, Any]:
    """The wire fields of a model built from keywords: the ones given (not None)."""
    return {key: value for key, value in fields.items() if value is not None}


def _python(value: Any, json: bool) -> Any:
    """A copy of ``value`` for ``to_dict``: nested models as dicts; with ``json``, JSON-safe."""
    if isinstance(value, _Model):
        return value.to_dict(json=json)
    if isinstance(value, list):
        return [_python(item, json) for item in value]
    if not json:
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


class _Model(Displayable):
    """``__repr__``, ``__eq__``, ``__hash__``, ``to_dict`` and notebook reprs over ``_fields``."""

    _fields: ClassVar[tuple[str, ...]] = ()

    def _identity(self) -> tuple[Hashable, ...]:
        """What identifies the item; every value of it is also in :meth:`to_dict`."""
        raise NotImplementedError

    def to_dict(self, *, json: bool = False) -> Dict[str, Any]:
        """The fields as a dict, keyed by attribute name.

        By default the values are Python's: datetimes stay :class:`~datetime.datetime`, enums
        stay enum members (``str`` subclasses), nested models become dicts; what a DataFrame or
        a comparison wants. With ``json=True`` they are JSON-safe for :func:`json.dumps`:
        datetimes as ISO 8601 strings, enums as their values.

        :keyword bool json: JSON-safe values instead of Python ones.
        :rtype: dict[str, Any]
        """
        return {name: _python(getattr(self, name), json) for name in self._fields}

    def _display_rows(self) -> List[Row]:
        return [(name, getattr(self, name)) for name in self._fields]

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        # Over the identity only: equal models (same to_dict) have the same identity, and the
        # settable can_* flags are not part of it, so a model's hash never changes.
        return hash((type(self).__name__, *self._identity()))


class _Changeable(_Model):
    """Server data read from the wire, plus the four settable flags every model carries."""

    _wire: Wire

    def _init(
        self,
        wire: Wire,
        can_delete: bool | None,
        can_list: bool | None,
        can_read: bool | None,
        can_write: bool | None,
    ) -> None:
        """Keyword construction: ``wire`` holds the given fields under their wire names."""
        self._wire = wire
        self.can_delete, self.can_list = can_delete, can_list
        self.can_read, self.can_write = can_read, can_write

    def _set_wire(self, wire: Wire) -> None:
        self._wire = _mapping(wire)
        changeable = _mapping(self._wire.get("changeableAttributes"))
        self.can_delete = _flag(changeable.get("deleteEnabled"))
        self.can_list = _flag(changeable.get("listEnabled"))
        self.can_read = _flag(changeable.get("readEnabled"))
        self.can_write = _flag(changeable.get("writeEnabled"))

    def _changeable_attributes(self) -> ChangeableAttributes:
        """The flags as the PATCH body's wire model; unset (None) flags are not sent."""
        return ChangeableAttributes(
            delete_enabled=self.can_delete, write_enabled=self.can_write,
            list_enabled=self.can_list, read_enabled=self.can_read,
        )  # fmt: skip

    @property
    def created_on(self) -> datetime | None:
        """When the item was created.

        :rtype: ~datetime.datetime or None
        """
        return _parse_time(self._wire.get("createdTime"))

    @property
    def last_updated_on(self) -> datetime | None:
        """When the item was last changed.

        :rtype: ~datetime.datetime or None
        """
        return _parse_time(self._wire.get("lastUpdateTime"))


class _Artifact(_Changeable):
    """A tag or manifest: wire data of one item plus the repository and registry it is in."""

    _repository: str | None = None
    _registry: str | None = None

    @classmethod
    def _from_item(cls: type[_A], item: Item) -> _A:
        """From the REST layer's checked item: its fields and where it lives."""
        return cls._from_wire(item.wire, repository=item.repository, registry=item.registry)

    @classmethod
    def _from_wire(
        cls: type[_A], wire: Wire, *, repository: str | None, registry: str | None
    ) -> _A:
        self = cls.__new__(cls)
        self._set_wire(wire)
        self._repository, self._registry = repository, registry
        return self

    def _init_artifact(
        self,
        wire: Dict[str, Any],
        repository_name: str | None,
        registry: str | None,
        flags: tuple[bool | None, bool | None, bool | None, bool | None],
    ) -> None:
        self._init(wire, *flags)
        self._repository, self._registry = repository_name, registry

    @property
    def digest(self) -> str | None:
        """Digest of the manifest (for a tag: the manifest it points to).

        :rtype: str or None
        """
        return _text(self._wire.get("digest"))

    @property
    def repository_name(self) -> str | None:
        """Name of the repository the item is in.

        :rtype: str or None
        """
        return _text(self._repository)

    @property
    def registry(self) -> str | None:
        """Login server of the registry the item is in.

        :rtype: str or None
        """
        return _text(self._registry)


_A = TypeVar("_A", bound=_Artifact)
