"""Storage accounting: which blobs each repository holds, shares, and would free.

A registry stores each blob once, however many manifests and repositories reference it, so
summing manifest sizes double-counts shared layers. These pure functions count distinct
blobs instead (the manifest documents themselves are not counted):

- a repository's **total** is the distinct config and layer blobs its manifests reference;
- **shared** is the part of it also referenced from another repository; **unique** the rest;
- **untagged** is what deleting every untagged manifest would free: blobs referenced by the
  repository's untagged manifests (not held by a tagged index) and by no manifest that would
  stay, anywhere in the registry.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Dict, Iterable, List, Sequence, Set

from ._records import ManifestRecord

__all__ = ["StorageRow", "StorageTotals", "kept_digests", "storage_rows", "storage_totals"]


@dataclass(frozen=True)
class StorageRow:
    """One repository's storage, in bytes (see the module docstring for each figure)."""

    repository: str
    total_bytes: int
    shared_bytes: int
    unique_bytes: int
    untagged_bytes: int


@dataclass(frozen=True)
class StorageTotals:
    """The whole registry's storage: distinct blobs, and what an untagged cleanup frees."""

    total_bytes: int
    untagged_bytes: int


def kept_digests(manifests: Iterable[ManifestRecord]) -> Set[tuple[str, str]]:
    """``(repository, digest)`` of manifests an untagged cleanup keeps.

    Those are the tagged ones and everything a kept index lists, nested indexes included.
    """
    children: Dict[tuple[str, str], Sequence[str]] = {}
    todo: List[tuple[str, str]] = []
    for m in manifests:
        key = (m.repository, m.digest)
        children[key] = m.children
        if m.tags:
            todo.append(key)
    kept: Set[tuple[str, str]] = set()
    while todo:
        key = todo.pop()
        if key in kept:
            continue
        kept.add(key)
        todo.extend((key[0], child) for child in children.get(key, ()))
    return kept


def _blob_sizes(manifests: Iterable[ManifestRecord]) -> Dict[str, int]:
    return {b.digest: b.size for m in manifests for b in m.blobs or ()}


def _freed(manifests: Sequence[ManifestRecord]) -> Dict[str, Set[str]]:
    """Per repository, digests of blobs an untagged cleanup of the registry frees."""
    kept = kept_digests(manifests)
    held = {b.digest for m in manifests if (m.repository, m.digest) in kept
            for b in m.blobs or ()}
    freed: Dict[str, Set[str]] = defaultdict(set)
    for m in manifests:
        if (m.repository, m.digest) not in kept:
            freed[m.repository].update(b.digest for b in m.blobs or () if b.digest not in held)
    return freed


def storage_rows(repositories: Sequence[str],
                 manifests: Sequence[ManifestRecord]) -> List[StorageRow]:
    """One :class:`StorageRow` per repository, in the order of ``repositories``.

    A blob freed from two repositories counts in both rows; :func:`storage_totals` counts it
    once. A manifest whose body was not read (``blobs`` is None) counts nothing.
    """
    sizes = _blob_sizes(manifests)
    blobs: Dict[str, Set[str]] = defaultdict(set)
    for m in manifests:
        blobs[m.repository].update(b.digest for b in m.blobs or ())
    holders: Dict[str, int] = defaultdict(int)
    for digests in blobs.values():
        for digest in digests:
            holders[digest] += 1
    freed = _freed(manifests)
    rows = []
    for name in repositories:
        mine = blobs.get(name, set())
        total = sum(sizes[d] for d in mine)
        shared = sum(sizes[d] for d in mine if holders[d] > 1)
        untagged = sum(sizes[d] for d in freed.get(name, ()))
        rows.append(StorageRow(name, total, shared, total - shared, untagged))
    return rows


def storage_totals(manifests: Sequence[ManifestRecord]) -> StorageTotals:
    """The registry's distinct blob bytes and what an untagged cleanup frees, each blob once."""
    sizes = _blob_sizes(manifests)
    freed = set().union(*_freed(manifests).values())
    return StorageTotals(sum(sizes.values()), sum(sizes[d] for d in freed))
