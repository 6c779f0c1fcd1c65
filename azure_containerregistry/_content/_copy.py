"""Copy one manifest and everything it references to another repository, keeping every digest.

A copy runs in three phases, so a target never holds a manifest whose content is missing:

1. **Plan** (reads only). Walk the source from the reference: an index's children, an image's
   config and layers, and optionally each manifest's referrers. A manifest the target already
   has is not descended into (a registry accepts a manifest only with its content present),
   except to look for new referrers.
2. **Blobs**, a few at a time on a small thread pool: skipped when the target has them, mounted
   when both sides are one registry, else streamed from the source into the target with
   constant memory, checked against their digest before the upload is committed.
3. **Manifests**, children before parents and subjects before their referrers, each sent as
   the exact bytes the source served so its digest stays the same; the tag goes on last.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any, Callable, Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence

from .._rest._client import ContainerRegistryRestClient
from .._validation import is_digest, validate_digest
from ._download import download_blob
from ._manifests import get_manifest, set_manifest
from ._media_types import MANIFEST_ACCEPT
from ._models import GetManifestResult
from ._referrers import Referrers, list_referrers, publish_referrers
from ._upload import DEFAULT_CHUNK_SIZE, mount_blob, upload_pieces

__all__ = ["CopyEvent", "ImageCopier", "Platform", "ProgressCallback", "Side"]

# Layers that registries need not store (Windows base layers): pulled from their ``urls``.
_FOREIGN = ("foreign", "nondistributable")


class CopyEvent(NamedTuple):
    """One step of :func:`~azure_containerregistry.copy_image`, passed to its ``progress``.

    ``kind`` is ``"blob"`` or ``"manifest"``; ``action`` is ``"skipped"`` (the target had it),
    ``"mounted"`` (shared within the registry, no bytes moved), ``"copying"`` (some bytes moved;
    sent once per chunk) or ``"copied"``. ``size`` is the item's size when known and
    ``transferred`` the bytes moved for it so far.
    """

    kind: str
    digest: str
    action: str
    size: Optional[int]
    transferred: int


ProgressCallback = Callable[[CopyEvent], None]


class Platform(NamedTuple):
    """A platform filter such as ``linux/arm64/v8``; no variant matches any variant."""

    os: str
    architecture: str
    variant: Optional[str] = None

    def matches(self, platform: object) -> bool:
        """Whether an index descriptor's ``platform`` object is this platform."""
        if not isinstance(platform, dict):
            return False
        return (
            platform.get("os") == self.os
            and platform.get("architecture") == self.architecture
            and (self.variant is None or platform.get("variant") == self.variant)
        )

    def __str__(self) -> str:
        return "/".join(part for part in self if part)


class Side(NamedTuple):
    """One end of a copy: a registry's REST client and a repository in it."""

    rest: ContainerRegistryRestClient
    repository: str


class _Plan:
    """What phase 1 found: manifests to push in order, blobs to transfer, referrers to list."""

    def __init__(self) -> None:
        self.manifests: List[GetManifestResult] = []
        self.blobs: Dict[str, Optional[int]] = {}
        self.referrers: List[tuple[str, Referrers]] = []
        self.seen: set[str] = set()


def _descriptors(pulled: GetManifestResult, keys: Sequence[str]) -> Iterator[Dict[str, Any]]:
    """The descriptors under ``keys`` (``config`` is one, the others lists), digests checked."""
    for key in keys:
        value = pulled.manifest.get(key)
        for descriptor in value if isinstance(value, list) else [value] if value else []:
            if not isinstance(descriptor, dict):
                raise ValueError(f"manifest {pulled.digest} has a malformed {key!r} descriptor")
            validate_digest(descriptor.get("digest"), f"a {key!r} digest in {pulled.digest}")
            yield descriptor


def _is_index(pulled: GetManifestResult) -> bool:
    return isinstance(pulled.manifest.get("manifests"), list)


class ImageCopier:
    """Copies manifests from ``source`` to ``target`` (see the module docstring).

    :param same_registry: both sides are one registry, so blobs can be mounted.
    :param referrers: also copy each manifest's referrers.
    :param progress: called with a :class:`CopyEvent` per step, one call at a time.
    :param max_concurrency: blobs transferred at once.
    """

    def __init__(
        self,
        source: Side,
        target: Side,
        *,
        same_registry: bool,
        referrers: bool = False,
        progress: Optional[ProgressCallback] = None,
        max_concurrency: int = 4,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> None:
        self._source = source
        self._target = target
        self._same_registry = same_registry
        self._referrers = referrers
        self._progress = progress
        self._progress_lock = threading.Lock()
        self._max_concurrency = max_concurrency
        self._chunk_size = chunk_size

    def copy(self, reference: str, platforms: Sequence[Platform] = ()) -> str:
        """Copy ``reference`` (a tag is set on the target too) and return the copied digest.

        With ``platforms``, an index is not copied: its matching children are, and the first
        of them (in the index's order) is returned and tagged.

        :raises LookupError: ``platforms`` matches no child of the index (nothing was written).
        """
        root = self._pull(reference)
        selected = [root]
        if platforms and _is_index(root):
            matched = [
                child for child in _descriptors(root, ["manifests"])
                if any(platform.matches(child.get("platform")) for platform in platforms)
            ]  # fmt: skip
            if not matched:
                wanted = ", ".join(str(platform) for platform in platforms)
                raise LookupError(f"{reference} has no image for {wanted}")
            selected = [self._pull(child["digest"]) for child in matched]
        plan = _Plan()
        for pulled in selected:
            self._visit(pulled, plan)
        self._copy_blobs(plan.blobs)
        tag = None if is_digest(reference) else reference
        head = selected[0]
        for pulled in plan.manifests:
            self._put(pulled, tag if pulled is head else None)
        target = self._target
        for subject, found in plan.referrers:
            publish_referrers(target.rest.manifest_content, target.repository, subject, found)
        if tag is not None and head not in plan.manifests:
            tagged = target.rest.manifest_content.head(target.repository, tag, MANIFEST_ACCEPT)
            if tagged is None or tagged.digest != head.digest:
                self._put(head, tag)
        return head.digest

    # -- phase 1: plan ------------------------------------------------------------------------

    def _pull(self, reference: str) -> GetManifestResult:
        source = self._source
        return get_manifest(source.rest.manifest_content, source.repository, reference)

    def _visit(self, pulled: GetManifestResult, plan: _Plan) -> None:
        if pulled.digest in plan.seen:
            return
        plan.seen.add(pulled.digest)
        target = self._target
        present = (
            target.rest.manifest_content.head(target.repository, pulled.digest, MANIFEST_ACCEPT)
            is not None
        )
        if present:
            self._emit(CopyEvent("manifest", pulled.digest, "skipped", pulled.size, 0))
        if _is_index(pulled):
            if not present or self._referrers:  # a present child may still have new referrers
                for child in _descriptors(pulled, ["manifests"]):
                    self._visit(self._pull(child["digest"]), plan)
        elif not present:
            for blob in _descriptors(pulled, ["config", "layers", "blobs"]):
                media_type = str(blob.get("mediaType", ""))
                if not (blob.get("urls") and any(word in media_type for word in _FOREIGN)):
                    size = blob.get("size")
                    plan.blobs.setdefault(blob["digest"], size if isinstance(size, int) else None)
        if not present:
            plan.manifests.append(pulled)
        if self._referrers:
            source = self._source
            found = list_referrers(source.rest.manifest_content, source.repository, pulled.digest)
            for referrer in found.descriptors:
                self._visit(self._pull(referrer["digest"]), plan)
            if found.descriptors:
                plan.referrers.append((pulled.digest, found))

    # -- phase 2: blobs -----------------------------------------------------------------------

    def _copy_blobs(self, blobs: Dict[str, Optional[int]]) -> None:
        if not blobs:
            return
        workers = min(self._max_concurrency, len(blobs))
        with ThreadPoolExecutor(workers, thread_name_prefix="copy-blob") as pool:
            futures = [pool.submit(self._copy_blob, digest, size) for digest, size in blobs.items()]
            try:
                for future in as_completed(futures):
                    future.result()
            except BaseException:
                for future in futures:  # the first failure stops blobs not yet started
                    future.cancel()
                raise

    def _copy_blob(self, digest: str, size: Optional[int]) -> None:
        source, target = self._source, self._target
        if target.rest.blobs.exists(target.repository, digest):
            self._emit(CopyEvent("blob", digest, "skipped", size, 0))
            return
        if self._same_registry and mount_blob(
            target.rest.blobs, target.repository, digest, source.repository
        ):
            self._emit(CopyEvent("blob", digest, "mounted", size, 0))
            return
        with download_blob(
            source.rest.blobs, source.repository, digest, chunk_size=self._chunk_size
        ) as stream:
            pieces = self._counted(stream, digest, size if size is not None else stream.size)
            _, sent = upload_pieces(
                target.rest.blobs, target.repository, pieces, digest, chunk_size=self._chunk_size
            )
        self._emit(CopyEvent("blob", digest, "copied", sent, sent))

    def _counted(
        self, pieces: Iterable[bytes], digest: str, size: Optional[int]
    ) -> Iterator[bytes]:
        transferred = 0
        for piece in pieces:
            transferred += len(piece)
            self._emit(CopyEvent("blob", digest, "copying", size, transferred))
            yield piece

    # -- phase 3: manifests -------------------------------------------------------------------

    def _put(self, pulled: GetManifestResult, tag: Optional[str]) -> None:
        target = self._target
        set_manifest(
            target.rest.manifest_content, target.repository, pulled, tag=tag,
            media_type=pulled.media_type,
        )  # fmt: skip
        self._emit(CopyEvent("manifest", pulled.digest, "copied", pulled.size, pulled.size))

    def _emit(self, event: CopyEvent) -> None:
        if self._progress is not None:
            with self._progress_lock:
                self._progress(event)
