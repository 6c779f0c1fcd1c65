"""Referrers (signatures, SBOMs, attestations: manifests whose ``subject`` is another manifest).

The OCI distribution spec 1.1 lists them with ``GET /v2/<name>/referrers/<digest>``. Registries
without that API (CNCF distribution 2.x, older ones) use the *tag schema* instead: an OCI index
tagged ``<algorithm>-<hex>`` of the subject lists its referrers, and whoever pushes a referrer
keeps that index up to date. A copy reads the source's list either way, and on a target without
the API merges the copied referrers into the target's own tag-schema index.
"""

from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Optional

from azure.core.exceptions import ResourceNotFoundError

from .._rest.operations import ManifestContentOperations
from .._validation import validate_digest
from ._manifests import get_manifest, set_manifest
from ._media_types import OCI_IMAGE_INDEX
from ._models import GetManifestResult

__all__ = ["Referrers", "fallback_tag", "list_referrers", "publish_referrers"]

Descriptor = Dict[str, Any]


class Referrers(NamedTuple):
    """The referrers of one subject as a source registry lists them."""

    descriptors: List[Descriptor]
    source_index: Optional[GetManifestResult]
    """The tag-schema index they were read from; None when they came from the referrers API."""


def fallback_tag(subject: str) -> str:
    """The tag-schema tag of ``subject``: ``sha256:ab12...`` -> ``sha256-ab12...`` (128 at most).

    >>> fallback_tag("sha256:" + "0" * 64) == "sha256-" + "0" * 64
    True
    """
    algorithm, _, encoded = subject.partition(":")
    return f"{algorithm}-{encoded}"[:128]


def index_descriptors(index: GetManifestResult) -> List[Descriptor]:
    """The ``manifests`` of an index, each checked to carry a well-formed digest.

    :raises ValueError: the index has no ``manifests`` list, or a descriptor is malformed.
    """
    manifests = index.manifest.get("manifests")
    if not isinstance(manifests, list):
        raise ValueError(f"index {index.digest} has no 'manifests' list")
    for descriptor in manifests:
        if not isinstance(descriptor, dict):
            raise ValueError(f"index {index.digest} lists a descriptor that is not an object")
        validate_digest(descriptor.get("digest"), f"a descriptor digest in {index.digest}")
    return manifests


def _get_or_none(
    operations: ManifestContentOperations, repository: str, reference: str, **kwargs: Any
) -> Optional[GetManifestResult]:
    try:
        return get_manifest(operations, repository, reference, **kwargs)
    except ResourceNotFoundError:
        return None


def list_referrers(
    operations: ManifestContentOperations, repository: str, subject: str, **kwargs: Any
) -> Referrers:
    """The referrers of ``subject``: from the referrers API, else from the tag schema.

    :rtype: Referrers
    """
    found = operations.referrers(repository, subject, **kwargs)
    if found is not None:
        return Referrers(found, None)
    index = _get_or_none(operations, repository, fallback_tag(subject), **kwargs)
    if index is None:
        return Referrers([], None)
    return Referrers(index_descriptors(index), index)


def publish_referrers(
    operations: ManifestContentOperations,
    repository: str,
    subject: str,
    referrers: Referrers,
    **kwargs: Any,
) -> Optional[str]:
    """Make a target list ``referrers`` (already copied there) as referrers of ``subject``.

    A registry with the referrers API indexed them itself when they were pushed. Otherwise the
    target's tag-schema index gets the ones it lacks: the source's own index is pushed byte for
    byte when the target has none, else the two lists are merged into a new index.

    :returns: the digest of the tag-schema index pushed, or None when nothing was pushed.
    :rtype: str or None
    """
    if operations.referrers(repository, subject, **kwargs) is not None:
        return None
    tag = fallback_tag(subject)
    existing = _get_or_none(operations, repository, tag, **kwargs)
    have = [] if existing is None else index_descriptors(existing)
    known = {descriptor["digest"] for descriptor in have}
    missing = [d for d in referrers.descriptors if d["digest"] not in known]
    if not missing:
        return None
    source_index = referrers.source_index
    if existing is None and source_index is not None:
        return set_manifest(
            operations, repository, source_index, tag=tag, media_type=source_index.media_type,
            **kwargs,
        )  # fmt: skip
    document = {"schemaVersion": 2, "mediaType": OCI_IMAGE_INDEX, "manifests": have + missing}
    return set_manifest(
        operations, repository, document, tag=tag, media_type=OCI_IMAGE_INDEX, **kwargs
    )
