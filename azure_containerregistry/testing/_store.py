"""In-memory content of the local registry: repositories, manifests, tags and blobs.

Everything is guarded by one re-entrant lock owned by the store; route code takes
``store.lock`` around each read-modify-write. Blobs are content addressed and shared between
repositories; each repository keeps the set of digests linked to it, as a real registry does.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

ATTRIBUTE_KEYS = ("deleteEnabled", "writeEnabled", "readEnabled", "listEnabled")
_ATTRIBUTE_KWARGS = {"can_delete": "deleteEnabled", "can_write": "writeEnabled",
                     "can_read": "readEnabled", "can_list": "listEnabled"}


def attributes_from_kwargs(**kwargs: bool | None) -> dict[str, bool]:
    """Map ``can_delete=...`` style keywords to ACR attribute names, skipping ``None``."""
    out: dict[str, bool] = {}
    for key, value in kwargs.items():
        if key not in _ATTRIBUTE_KWARGS:
            raise TypeError(f"unexpected keyword argument {key!r}")
        if value is not None:
            out[_ATTRIBUTE_KWARGS[key]] = bool(value)
    return out


def _default_attributes() -> dict[str, bool]:
    return dict.fromkeys(ATTRIBUTE_KEYS, True)


@dataclass
class Manifest:
    """A stored manifest and its ACR metadata."""

    digest: str
    data: bytes
    media_type: str
    created: datetime
    updated: datetime
    image_size: int
    config_media_type: str | None = None
    architecture: str | None = None
    os: str | None = None
    references: list[dict[str, Any]] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    attributes: dict[str, bool] = field(default_factory=_default_attributes)
    tags: set[str] = field(default_factory=set)


@dataclass
class Tag:
    """A tag pointing at a manifest digest."""

    name: str
    digest: str
    created: datetime
    updated: datetime
    attributes: dict[str, bool] = field(default_factory=_default_attributes)


@dataclass
class Repository:
    """A repository. It is visible while it has manifests or was created explicitly."""

    name: str
    created: datetime
    updated: datetime
    pinned: bool = False
    manifests: dict[str, Manifest] = field(default_factory=dict)
    tags: dict[str, Tag] = field(default_factory=dict)
    blobs: set[str] = field(default_factory=set)
    attributes: dict[str, bool] = field(default_factory=_default_attributes)

    @property
    def visible(self) -> bool:
        """Whether ACR would list this repository."""
        return self.pinned or bool(self.manifests)


@dataclass
class Upload:
    """An open blob upload session."""

    uuid: str
    repository: str
    data: bytearray
    started: datetime


class Store:
    """All registry content plus a strictly increasing clock for stable time ordering."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.repositories: dict[str, Repository] = {}
        self.blobs: dict[str, bytes] = {}
        self.uploads: dict[str, Upload] = {}
        self._last_now = datetime.now(timezone.utc)

    def now(self) -> datetime:
        """Current UTC time, strictly after the previous call (so time orders are total)."""
        with self.lock:
            moment = datetime.now(timezone.utc)
            if moment <= self._last_now:
                moment = self._last_now + timedelta(microseconds=1)
            self._last_now = moment
            return moment

    def visible(self, name: str) -> Repository | None:
        """The repository called ``name`` if ACR would report it, else ``None``."""
        repo = self.repositories.get(name)
        return repo if repo is not None and repo.visible else None

    def ensure(self, name: str, when: datetime | None = None) -> Repository:
        """Get or create the storage record of repository ``name``."""
        repo = self.repositories.get(name)
        if repo is None:
            moment = when or self.now()
            repo = Repository(name, moment, moment)
            self.repositories[name] = repo
        return repo

    def put_manifest(self, repo: Repository, manifest: Manifest) -> Manifest:
        """Store ``manifest`` (keeping the original if it already exists)."""
        existing = repo.manifests.get(manifest.digest)
        if existing is not None:
            return existing
        if not repo.visible:
            repo.created = min(repo.created, manifest.created)
        repo.manifests[manifest.digest] = manifest
        repo.updated = max(repo.updated, manifest.updated)
        return manifest

    def set_tag(self, repo: Repository, name: str, digest: str, when: datetime) -> Tag:
        """Point tag ``name`` at ``digest``, moving it off its previous manifest."""
        tag = repo.tags.get(name)
        if tag is None:
            tag = Tag(name, digest, when, when)
            repo.tags[name] = tag
        else:
            old = repo.manifests.get(tag.digest)
            if old is not None:
                old.tags.discard(name)
            tag.digest = digest
            tag.updated = when
        repo.manifests[digest].tags.add(name)
        repo.updated = max(repo.updated, when)
        return tag

    def delete_tag(self, repo: Repository, name: str) -> Tag:
        """Remove tag ``name`` (which must exist)."""
        tag = repo.tags.pop(name)
        manifest = repo.manifests.get(tag.digest)
        if manifest is not None:
            manifest.tags.discard(name)
        repo.updated = self.now()
        return tag

    def delete_manifest(self, repo: Repository, digest: str) -> list[str]:
        """Remove a manifest and its tags; return the removed tag names."""
        manifest = repo.manifests.pop(digest)
        removed = sorted(manifest.tags)
        for name in removed:
            repo.tags.pop(name, None)
        if not repo.manifests:
            repo.pinned = False
        repo.updated = self.now()
        return removed

    def delete_repository(self, name: str) -> Repository:
        """Remove repository ``name`` with all its content links."""
        return self.repositories.pop(name)
