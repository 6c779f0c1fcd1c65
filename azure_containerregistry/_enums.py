"""Public enums: case-insensitive ``str`` enums that never reject new service values."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar, Union

from azure.core import CaseInsensitiveEnumMeta

__all__ = [
    "ArtifactArchitecture",
    "ArtifactManifestOrder",
    "ArtifactOperatingSystem",
    "ArtifactTagOrder",
    "ManifestOrder",
    "TagOrder",
    "enum_or_str",
    "order_by_value",
]


class ArtifactArchitecture(str, Enum, metaclass=CaseInsensitiveEnumMeta):
    """CPU architecture of an image, as Go's ``GOARCH`` names it."""

    AMD64 = "amd64"
    ARM = "arm"
    ARM64 = "arm64"
    I386 = "386"
    MIPS = "mips"
    MIPS64 = "mips64"
    MIPS64LE = "mips64le"
    MIPSLE = "mipsle"
    PPC64 = "ppc64"
    PPC64LE = "ppc64le"
    RISCV64 = "riscv64"
    S390X = "s390x"
    WASM = "wasm"


class ArtifactOperatingSystem(str, Enum, metaclass=CaseInsensitiveEnumMeta):
    """Operating system of an image, as Go's ``GOOS`` names it."""

    AIX = "aix"
    ANDROID = "android"
    DARWIN = "darwin"
    DRAGONFLY = "dragonfly"
    FREEBSD = "freebsd"
    ILLUMOS = "illumos"
    IOS = "ios"
    JS = "js"
    LINUX = "linux"
    NETBSD = "netbsd"
    OPENBSD = "openbsd"
    PLAN9 = "plan9"
    SOLARIS = "solaris"
    WINDOWS = "windows"


class ArtifactManifestOrder(str, Enum, metaclass=CaseInsensitiveEnumMeta):
    """Order of :meth:`ContainerRegistryClient.list_manifest_properties` (1.2.0 names)."""

    NONE = "none"
    LAST_UPDATED_ON_DESCENDING = "timedesc"
    LAST_UPDATED_ON_ASCENDING = "timeasc"


class ArtifactTagOrder(str, Enum, metaclass=CaseInsensitiveEnumMeta):
    """Order of :meth:`ContainerRegistryClient.list_tag_properties` (1.2.0 names)."""

    NONE = "none"
    LAST_UPDATED_ON_DESCENDING = "timedesc"
    LAST_UPDATED_ON_ASCENDING = "timeasc"


class ManifestOrder(str, Enum, metaclass=CaseInsensitiveEnumMeta):
    """Seed-era name of :class:`ArtifactManifestOrder`, still accepted everywhere."""

    LAST_UPDATE_TIME_DESCENDING = "timedesc"
    LAST_UPDATE_TIME_ASCENDING = "timeasc"


class TagOrder(str, Enum, metaclass=CaseInsensitiveEnumMeta):
    """Seed-era name of :class:`ArtifactTagOrder`, still accepted everywhere."""

    LAST_UPDATE_TIME_DESCENDING = "timedesc"
    LAST_UPDATE_TIME_ASCENDING = "timeasc"


_E = TypeVar("_E", bound=Enum)
_ORDER_VALUES = frozenset(("none", "timedesc", "timeasc"))


def enum_or_str(enum_type: type[_E], value: str | None) -> Union[_E, str, None]:
    """Return the member of ``enum_type`` for ``value``, or ``value`` itself when unknown.

    The service adds architectures and systems over time; an unknown one must not break a listing.
    """
    if value is None:
        return None
    try:
        return enum_type(value)
    except ValueError:
        return value


def order_by_value(order_by: object) -> str | None:
    """The ``orderby`` query value for any of the order enums or a plain string.

    ``None`` and ``"none"`` mean the service's default order, so nothing is sent.
    """
    if order_by is None:
        return None
    if not isinstance(order_by, str):
        raise TypeError(f"order_by must be an order enum or str, not {type(order_by).__name__}")
    value = (order_by.value if isinstance(order_by, Enum) else order_by).lower()
    if value not in _ORDER_VALUES:
        raise ValueError(f"order_by {order_by!r} is not one of 'timedesc', 'timeasc', 'none'")
    return None if value == "none" else value
