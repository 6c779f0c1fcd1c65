"""``copy_image``: copy a tag or digest, with all it references, between repositories or clients.

The argument checks live here, so bad input fails before any request; the copy itself is
:class:`._content._copy.ImageCopier`.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

from ._client import ContainerRegistryClient
from ._content._copy import CopyEvent, ImageCopier, Platform, ProgressCallback, Side
from ._validation import validate_reference, validate_repository

__all__ = ["CopyEvent", "copy_image", "parse_platform"]

#: Blobs moved at once: enough to hide latency, few enough to be polite to a registry.
DEFAULT_MAX_CONCURRENCY = 4
_MAX_CONCURRENCY = 32
_PLATFORM_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def parse_platform(value: object) -> Platform:
    """``"linux/amd64"`` or ``"linux/arm64/v8"`` as a :class:`Platform`.

    :raises ValueError: not ``os/architecture[/variant]``.
    :rtype: Platform
    """
    if not isinstance(value, str):
        kind = type(value).__name__
        raise TypeError(f"a platform must be a str such as 'linux/amd64', not {kind}")
    parts = value.split("/")
    if not 2 <= len(parts) <= 3 or not all(_PLATFORM_PART.fullmatch(part) for part in parts):
        raise ValueError(
            f"platform {value[:80]!r} is not 'os/architecture[/variant]', e.g. 'linux/amd64'"
        )
    return Platform(*parts)


def _platforms(platforms: Optional[Sequence[str]]) -> tuple[Platform, ...]:
    if platforms is None:
        return ()
    if isinstance(platforms, str):
        raise TypeError(f"platforms must be a list such as [{platforms!r}], not a str")
    parsed = tuple(parse_platform(value) for value in platforms)
    if not parsed:
        raise ValueError("platforms is empty: pass None to copy every platform")
    return parsed


def _client(value: object, argument: str) -> ContainerRegistryClient:
    if not isinstance(value, ContainerRegistryClient):
        raise TypeError(f"{argument} must be a ContainerRegistryClient, not {type(value).__name__}")
    return value


def copy_image(
    source: ContainerRegistryClient,
    source_repository: str,
    reference: str,
    target: ContainerRegistryClient,
    target_repository: Optional[str] = None,
    *,
    platforms: Optional[Sequence[str]] = None,
    referrers: bool = False,
    progress: Optional[ProgressCallback] = None,
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
) -> str:
    """Copy ``reference`` of ``source_repository`` into ``target_repository`` of ``target``.

    A multi-arch index (OCI index or Docker manifest list) is copied with all its images.
    Manifests are sent as the exact bytes the source served, so every digest stays the same;
    when ``reference`` is a tag, the target gets that tag too. What the target already has is
    not sent again: a second copy of the same image moves no blob bytes. Within one registry
    (the same client, or clients of the same endpoint) blobs are mounted, not copied; between
    registries they are streamed through this process with constant memory and checked
    against their digests. Up to ``max_concurrency`` blobs move at once.

    :param source: client of the registry to copy from.
    :param source_repository: e.g. ``library/hello-world``.
    :param reference: the tag or digest to copy.
    :param target: client of the registry to copy to; may be ``source`` itself.
    :param target_repository: defaults to ``source_repository``.
    :keyword platforms: e.g. ``["linux/amd64"]``. Only the images of an index whose platform
        matches are copied, and **not the index itself**: a filtered index would be new content
        with a new digest. The first matching image (in the index's order) is returned and, for
        a tag, tagged. An image that is not an index is copied as it is.
    :keyword referrers: also copy the manifests that refer to each copied one (signatures,
        SBOMs), found with the OCI referrers API or, on registries without it, the
        ``sha256-<hex>`` tag schema, which is then kept up to date on the target too.
    :keyword progress: called with a :class:`CopyEvent` for every blob and manifest (skipped,
        mounted, copying with bytes so far, copied); from worker threads, one call at a time.
    :keyword max_concurrency: blobs transferred at once, 1 to 32 (default 4).
    :returns: the digest copied, the same on both sides.
    :rtype: str
    :raises ValueError: a malformed name, reference or platform, or the same repository of
        the same registry as source and target, before any request.
    :raises LookupError: ``platforms`` matches no image of the index; nothing was written.
    :raises DigestValidationError: content did not match its digest; nothing unverified is kept.
    :raises ~azure.core.exceptions.ResourceNotFoundError: no such repository or reference.

    .. code-block:: python

        digest = copy_image(client, "library/hello-world", "v1", client, "mirror/hello-world")
    """
    source, target = _client(source, "source"), _client(target, "target")
    source_repository = validate_repository(source_repository, "source_repository")
    reference = validate_reference(reference, "reference")
    target_repository = validate_repository(
        source_repository if target_repository is None else target_repository, "target_repository"
    )
    wanted = _platforms(platforms)
    if not isinstance(referrers, bool):
        raise TypeError("referrers must be True or False")
    if progress is not None and not callable(progress):
        raise TypeError("progress must be a callable taking a CopyEvent, or None")
    if not isinstance(max_concurrency, int) or not 1 <= max_concurrency <= _MAX_CONCURRENCY:
        raise ValueError(f"max_concurrency must be an int from 1 to {_MAX_CONCURRENCY}")
    source_rest, target_rest = source._rest, target._rest  # the content layer's door to the wire
    same_registry = (
        source is target
        or source_rest.blobs.registry_origin == target_rest.blobs.registry_origin
    )
    if same_registry and source_repository == target_repository:
        raise ValueError(
            f"source and target are both {source_repository} of one registry: nothing to copy"
        )
    copier = ImageCopier(
        Side(source_rest, source_repository),
        Side(target_rest, target_repository),
        same_registry=same_registry,
        referrers=referrers,
        progress=progress,
        max_concurrency=max_concurrency,
    )
    return copier.copy(reference, wanted)
