"""The plain-Python rows of an inventory: manifests, tags, blobs and what could not be read.

Frozen dataclasses with Python values (``datetime`` in UTC, ``str`` for enums), so an
inventory is usable without pandas and every row compares and hashes by value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping, Optional, Tuple

from .._content._media_types import DOCKER_MANIFEST_LIST, OCI_IMAGE_INDEX

__all__ = ["INDEX_TYPES", "Blob", "ManifestRecord", "TagRecord", "WalkError", "body_blobs",
           "body_children"]

INDEX_TYPES = frozenset({OCI_IMAGE_INDEX, DOCKER_MANIFEST_LIST})


@dataclass(frozen=True)
class Blob:
    """A config or layer blob a manifest references: its digest and size in bytes."""

    digest: str
    size: int


@dataclass(frozen=True)
class TagRecord:
    """One tag, as the tag listing has it.

    :ivar digest: the manifest the tag points at.
    """

    repository: str
    name: str
    digest: Optional[str]
    created_on: Optional[datetime]
    last_updated_on: Optional[datetime]
    can_delete: Optional[bool]
    can_write: Optional[bool]
    can_read: Optional[bool]
    can_list: Optional[bool]


@dataclass(frozen=True)
class ManifestRecord:
    """One manifest of one repository, joined with its tags and its parent index.

    :ivar tags: the tags pointing at it, sorted (empty when untagged).
    :ivar parent_index: digest of an index in the same repository that lists it (the first in
        digest order when several do), else None.
    :ivar children: digests an index lists (from the listing's references, and from its body
        when bodies were read); empty for an image.
    :ivar blobs: config and layer blobs, from the body (``layers=True``); None when the body
        was not read.
    """

    repository: str
    digest: str
    tags: Tuple[str, ...]
    media_type: Optional[str]
    config_media_type: Optional[str]
    size_in_bytes: Optional[int]
    created_on: Optional[datetime]
    last_updated_on: Optional[datetime]
    architecture: Optional[str]
    operating_system: Optional[str]
    parent_index: Optional[str]
    children: Tuple[str, ...]
    is_index: bool
    can_delete: Optional[bool]
    can_write: Optional[bool]
    can_read: Optional[bool]
    can_list: Optional[bool]
    blobs: Optional[Tuple[Blob, ...]] = None

    @property
    def blob_bytes(self) -> Optional[int]:
        """Bytes of the distinct blobs the body references; None when it was not read."""
        if self.blobs is None:
            return None
        return sum({b.digest: b.size for b in self.blobs}.values())


@dataclass(frozen=True)
class WalkError:
    """Something the walk could not read, and why (the rest of the inventory is complete).

    :ivar what: ``"repositories"``, ``"manifests"``, ``"tags"`` or ``"body"``.
    :ivar digest: the manifest whose body failed (``what == "body"``), else None.
    """

    what: str
    repository: Optional[str]
    digest: Optional[str]
    error: str


def body_blobs(document: Mapping[str, Any]) -> Tuple[Blob, ...]:
    """Config and layer blobs a manifest body references (``config``, ``layers``, ``blobs``).

    Descriptors without a string digest or a non-negative int size are skipped: their bytes are
    unknown. An index has none (its children are manifests, not blobs).
    """
    descriptors: list[Any] = [document.get("config")]
    for key in ("layers", "blobs"):  # "blobs": the ORAS artifact manifest
        listed = document.get(key)
        if isinstance(listed, list):
            descriptors.extend(listed)
    found = []
    for d in descriptors:
        if not isinstance(d, dict):
            continue
        digest, size = d.get("digest"), d.get("size")
        if isinstance(digest, str) and isinstance(size, int) and not isinstance(size, bool) \
                and size >= 0:
            found.append(Blob(digest, size))
    return tuple(found)


def body_children(document: Mapping[str, Any]) -> Tuple[str, ...]:
    """Digests an index body lists under ``manifests`` (empty for other manifests)."""
    listed = document.get("manifests")
    if not isinstance(listed, list):
        return ()
    return tuple(d["digest"] for d in listed
                 if isinstance(d, dict) and isinstance(d.get("digest"), str))
