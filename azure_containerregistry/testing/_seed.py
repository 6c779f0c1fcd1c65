"""Seeding helpers: build real OCI images and indexes directly in the registry's store.

Every image gets its own layer and config blob (a serial number keeps digests unique), and
goes through the same validation as a pushed manifest, so ``/v2`` serves it byte for byte.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

from ._protocol import OCI_CONFIG, OCI_INDEX, OCI_LAYER, OCI_MANIFEST, check_name, is_valid_tag
from ._routes_manifests import build_manifest, sha256_digest
from ._store import Manifest, Repository, Store

_serial = itertools.count(1)


def _utc(moment: datetime | None, store: Store) -> datetime:
    if moment is None:
        return store.now()
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def _add_blob(store: Store, repo: Repository, data: bytes) -> dict[str, object]:
    digest = sha256_digest(data)
    store.blobs.setdefault(digest, data)
    repo.blobs.add(digest)
    return {"digest": digest, "size": len(data)}


def _store_manifest(store: Store, repo: Repository, data: bytes, media_type: str,
                    tags: Iterable[str], when: datetime, attributes: dict[str, bool]) -> Manifest:
    tags = list(tags)
    for tag in tags:
        if not is_valid_tag(tag):
            raise ValueError(f"invalid tag {tag!r}")
    manifest = store.put_manifest(repo, build_manifest(store, repo, data, media_type, when))
    manifest.attributes.update(attributes)
    for tag in tags:
        store.set_tag(repo, tag, manifest.digest, when).attributes.update(attributes)
    return manifest


def add_image(store: Store, name: str, tags: Sequence[str], architecture: str | None,
              os_name: str | None, created_on: datetime | None, size: int | None,
              attributes: dict[str, bool]) -> str:
    """Create an OCI image manifest with real blobs; return its digest."""
    check_name(name)
    serial = next(_serial)
    with store.lock:
        when = _utc(created_on, store)
        repo = store.ensure(name, when)
        layer = _add_blob(store, repo, f"local registry layer {name} #{serial}\n".encode())
        config_doc = {"architecture": architecture, "os": os_name,
                      "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]},
                      "serial": serial}
        config = _add_blob(store, repo, json.dumps(config_doc, sort_keys=True).encode())
        doc = {"schemaVersion": 2, "mediaType": OCI_MANIFEST,
               "config": {"mediaType": OCI_CONFIG, **config},
               "layers": [{"mediaType": OCI_LAYER, **layer}]}
        data = json.dumps(doc, separators=(",", ":")).encode()
        manifest = _store_manifest(store, repo, data, OCI_MANIFEST, tags, when, attributes)
        if size is not None:
            manifest.image_size = size
        return manifest.digest


def add_index(store: Store, name: str, tags: Sequence[str],
              platforms: Sequence[tuple[str, str]], created_on: datetime | None) -> str:
    """Create one image per platform plus an OCI index over them; return the index digest."""
    with store.lock:
        children = []
        for architecture, os_name in platforms:
            digest = add_image(store, name, (), architecture, os_name, created_on, None, {})
            child = store.repositories[name].manifests[digest]
            children.append({"mediaType": OCI_MANIFEST, "digest": digest,
                             "size": len(child.data),
                             "platform": {"architecture": architecture, "os": os_name}})
        doc = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": children}
        data = json.dumps(doc, separators=(",", ":")).encode()
        repo = store.ensure(name)
        when = _utc(created_on, store)
        return _store_manifest(store, repo, data, OCI_INDEX, tags, when, {}).digest


def add_repository(store: Store, name: str) -> None:
    """Create a repository that stays visible with no manifests or tags."""
    check_name(name)
    with store.lock:
        store.ensure(name).pinned = True


def set_attributes(store: Store, name: str, tag: str | None, digest: str | None,
                   attributes: dict[str, bool]) -> None:
    """Update changeable attributes of a tag, a manifest or (neither given) the repository."""
    with store.lock:
        repo = store.repositories.get(name)
        if repo is None:
            raise KeyError(f"no repository {name!r}")
        if tag is not None:
            repo.tags[tag].attributes.update(attributes)
        elif digest is not None:
            repo.manifests[digest].attributes.update(attributes)
        else:
            repo.attributes.update(attributes)
