"""Public models: what the registry says about repositories, tags and manifests.

Server data is read-only; ``can_delete``, ``can_list``, ``can_read`` and ``can_write`` are
settable and are what ``update_*`` sends. Models are built straight from the wire JSON and parse
timestamps only when read, so listing thousands of items stays cheap.

A registry is not ours to trust: a field of the wrong type or an unreadable timestamp reads as
``None`` (or ``[]`` for a list) instead of raising, so one odd item cannot break a listing, a
``repr`` or a comparison.
"""

from __future__ import annotations

import sys
import warnings
from datetime import datetime
from enum import Enum
from types import MappingProxyType
from typing import Any, ClassVar, Dict, List, Mapping, TypeVar, Union

import isodate

from ._enums import ArtifactArchitecture, ArtifactOperatingSystem, enum_or_str
from ._rest._wire import Item
from ._rest.models import ChangeableAttributes

__all__ = [
    "ArtifactManifestPlatform",
    "ArtifactManifestProperties",
    "ArtifactTagProperties",
    "RepositoryProperties",
]

Wire = Mapping[str, Any]
_EMPTY: Wire = MappingProxyType({})


def _parse_time(value: object) -> datetime | None:
    """An ISO 8601 time, or None when ``value`` is missing or not one.

    ACR times carry up to 7 fractional digits and a ``Z``: 3.11's ``fromisoformat`` takes both,
    older ones take neither, so they use isodate. Both drop digits beyond microseconds.
    """
    if not isinstance(value, str):
        return None
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


def _list_of(value: object, item_type: type | tuple[type, ...]) -> List[Any]:
    """A copy of ``value`` if it is a JSON array of ``item_type`` only, else ``[]``.

    A list with one odd item is read as malformed as a whole: keeping the rest would hide that
    the server sent something other than what we understand.
    """
    if isinstance(value, (list, tuple)) and all(isinstance(item, item_type) for item in value):
        return list(value)
    return []


def _plain(value: Any) -> Any:
    """A JSON-able copy of ``value`` for ``to_dict``."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, _Model):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    return value


class _Model:
    """Shared ``__repr__``, ``__eq__`` and ``to_dict`` over the names in ``_fields``."""

    _fields: ClassVar[tuple[str, ...]] = ()

    def to_dict(self) -> Dict[str, Any]:
        """Plain JSON-able values: datetimes as ISO 8601 strings, enums as their values."""
        return {name: _plain(getattr(self, name)) for name in self._fields}

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]  # mutable (settable can_*), so unhashable

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={_plain(getattr(self, name))!r}" for name in self._fields)
        return f"{type(self).__name__}({shown})"


class _Changeable(_Model):
    """Server data read from the wire, plus the four settable flags every model carries."""

    _wire: Wire

    def __init__(
        self,
        *,
        can_delete: bool | None = None,
        can_list: bool | None = None,
        can_read: bool | None = None,
        can_write: bool | None = None,
    ) -> None:
        self._wire = {}
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
        return _parse_time(self._wire.get("createdTime"))

    @property
    def last_updated_on(self) -> datetime | None:
        return _parse_time(self._wire.get("lastUpdateTime"))


class RepositoryProperties(_Changeable):
    """Properties of a repository."""

    _fields = (
        "name", "registry", "created_on", "last_updated_on", "manifest_count", "tag_count",
        "can_delete", "can_list", "can_read", "can_write", "teleport_enabled",
    )  # fmt: skip

    def __init__(
        self,
        *,
        can_delete: bool | None = None,
        can_list: bool | None = None,
        can_read: bool | None = None,
        can_write: bool | None = None,
        teleport_enabled: bool | None = None,
    ) -> None:
        super().__init__(
            can_delete=can_delete, can_list=can_list, can_read=can_read, can_write=can_write
        )
        #: Seed-era flag: read from the wire when present; sent only on the preview API version.
        self.teleport_enabled = teleport_enabled

    @classmethod
    def _from_item(cls, item: Item) -> RepositoryProperties:
        """From the REST layer's checked item."""
        return cls._from_wire(item.wire)

    @classmethod
    def _from_wire(cls, wire: Wire) -> RepositoryProperties:
        self = cls.__new__(cls)
        self._set_wire(wire)
        changeable = _mapping(self._wire.get("changeableAttributes"))
        teleport = changeable.get("teleportEnabled", self._wire.get("teleportEnabled"))
        self.teleport_enabled = _flag(teleport)
        return self

    @property
    def name(self) -> str | None:
        """Repository name, e.g. ``library/hello-world``."""
        return _text(self._wire.get("imageName"))

    @property
    def registry(self) -> str | None:
        """Login server of the registry."""
        return _text(self._wire.get("registry"))

    @property
    def last_udpated_on(self) -> datetime | None:
        """Seed-era misspelling of :attr:`last_updated_on`."""
        warnings.warn(
            "last_udpated_on is deprecated; use last_updated_on", DeprecationWarning, stacklevel=2
        )
        return self.last_updated_on

    @property
    def manifest_count(self) -> int | None:
        return _count(self._wire.get("manifestCount"))

    @property
    def tag_count(self) -> int | None:
        return _count(self._wire.get("tagCount"))

    def _changeable_attributes(self) -> ChangeableAttributes:
        attributes = super()._changeable_attributes()
        attributes.teleport_enabled = self.teleport_enabled
        return attributes


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

    @property
    def digest(self) -> str | None:
        """Digest of the manifest (for a tag: the manifest it points to)."""
        return _text(self._wire.get("digest"))

    @property
    def repository_name(self) -> str | None:
        return _text(self._repository)

    @property
    def registry(self) -> str | None:
        return _text(self._registry)


_A = TypeVar("_A", bound=_Artifact)


class ArtifactTagProperties(_Artifact):
    """Properties of a tag."""

    _fields = (
        "name", "digest", "repository_name", "registry", "created_on", "last_updated_on",
        "can_delete", "can_list", "can_read", "can_write",
    )  # fmt: skip

    @property
    def name(self) -> str | None:
        return _text(self._wire.get("name"))


class ArtifactManifestPlatform(_Model):
    """One child manifest of a multi-arch index: its digest and platform."""

    _fields = ("digest", "architecture", "operating_system")

    def __init__(self, wire: Wire) -> None:
        self._wire = _mapping(wire)

    @property
    def digest(self) -> str | None:
        return _text(self._wire.get("digest"))

    @property
    def architecture(self) -> Union[ArtifactArchitecture, str, None]:
        return enum_or_str(ArtifactArchitecture, _text(self._wire.get("architecture")))

    @property
    def operating_system(self) -> Union[ArtifactOperatingSystem, str, None]:
        return enum_or_str(ArtifactOperatingSystem, _text(self._wire.get("os")))


class ArtifactManifestProperties(_Artifact):
    """Properties of a manifest: an image, an index or any other OCI artifact."""

    _fields = (
        "digest", "repository_name", "registry", "fully_qualified_reference", "size_in_bytes",
        "created_on", "last_updated_on", "architecture", "operating_system", "tags",
        "media_type", "config_media_type", "references",
        "can_delete", "can_list", "can_read", "can_write",
    )  # fmt: skip

    @property
    def fully_qualified_reference(self) -> str:
        """``<registry>/<repository>@sha256:<hex>``, what ``docker pull`` accepts."""
        return f"{self.registry}/{self.repository_name}@{self.digest}"

    @property
    def size_in_bytes(self) -> int | None:
        return _count(self._wire.get("imageSize"))

    @property
    def size(self) -> int | None:
        """Seed-era name of :attr:`size_in_bytes`."""
        return self.size_in_bytes

    @property
    def architecture(self) -> Union[ArtifactArchitecture, str, None]:
        return enum_or_str(ArtifactArchitecture, _text(self._wire.get("architecture")))

    @property
    def operating_system(self) -> Union[ArtifactOperatingSystem, str, None]:
        return enum_or_str(ArtifactOperatingSystem, _text(self._wire.get("os")))

    @property
    def tags(self) -> List[str]:
        return _list_of(self._wire.get("tags"), str)

    @property
    def media_type(self) -> str | None:
        return _text(self._wire.get("mediaType"))

    @property
    def config_media_type(self) -> str | None:
        return _text(self._wire.get("configMediaType"))

    @property
    def references(self) -> List[ArtifactManifestPlatform]:
        """Child manifests of a multi-arch index; empty for a single image."""
        children = _list_of(self._wire.get("references"), dict)
        return [ArtifactManifestPlatform(child) for child in children]
