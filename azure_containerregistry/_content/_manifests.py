"""Push and pull manifest documents, with their digests checked on both sides of the wire.

``set_manifest`` computes the digest before sending (the PUT goes to that digest when no tag is
given) and compares it with the registry's ``Docker-Content-Digest`` afterwards. ``get_manifest``
reads at most 4 MiB, then checks the body against the digest that was asked for and against the
one the registry reported, before anything is returned.
"""

from __future__ import annotations

import json
from typing import IO, Any, Mapping, Union

from azure.core.rest import HttpResponse

from .._errors import DigestValidationError, protocol_error
from .._rest._sender import read_bounded
from .._rest.operations import ManifestContentOperations
from .._validation import (
    is_digest,
    validate_media_type,
    validate_reference,
    validate_repository,
    validate_tag,
)
from ._digest import compute_digest, verify_digest
from ._media_types import MANIFEST_ACCEPT, MAX_MANIFEST_SIZE, OCI_IMAGE_MANIFEST, infer_media_type
from ._models import GetManifestResult

__all__ = ["ManifestInput", "get_manifest", "serialize_manifest", "set_manifest"]

#: What ``set_manifest`` takes: a JSON document, its bytes, a readable stream of them, or a
#: ``GetManifestResult`` (its exact bytes are sent).
ManifestInput = Union[Mapping[str, Any], bytes, bytearray, memoryview, IO[bytes], GetManifestResult]

_TOO_LARGE = "manifest is {size} bytes; registries accept at most {limit} bytes (4 MiB)"
_OVER = f"over {MAX_MANIFEST_SIZE}"


def serialize_manifest(manifest: ManifestInput) -> bytes:
    """The bytes ``set_manifest`` would send for ``manifest``.

    A mapping is serialised with :func:`json.dumps` defaults (``", "`` and ``": "`` separators),
    exactly as Microsoft's client does, so the same ``dict`` gets the same digest with either
    client. Bytes, streams and ``GetManifestResult`` are sent unchanged.

    :raises ValueError: above 4 MiB (streams are read no further than that).
    :raises TypeError: for anything else, e.g. ``str``.
    """
    if isinstance(manifest, GetManifestResult):
        data = manifest.data
    elif isinstance(manifest, Mapping):
        try:
            data = json.dumps(manifest, allow_nan=False).encode("utf-8")
        except ValueError as exc:  # NaN or infinity: not JSON, registries would refuse it
            raise ValueError(f"manifest is not valid JSON: {exc}") from None
    elif isinstance(manifest, (bytes, bytearray, memoryview)):
        data = bytes(manifest)
    elif hasattr(manifest, "read"):
        data = manifest.read(MAX_MANIFEST_SIZE + 1)
        if not isinstance(data, bytes):
            raise TypeError("manifest stream must be opened in binary mode and return bytes")
    else:
        raise TypeError(
            "manifest must be a dict, bytes, a binary stream or a GetManifestResult, "
            f"not {type(manifest).__name__}"
        )
    if len(data) > MAX_MANIFEST_SIZE:
        raise ValueError(_TOO_LARGE.format(size=_OVER, limit=MAX_MANIFEST_SIZE))
    return data


def _parse(data: bytes, what: str) -> dict[str, Any]:
    try:
        document = json.loads(data)
    except ValueError as exc:
        raise ValueError(f"{what} is not valid JSON: {exc}") from None
    if not isinstance(document, dict):
        raise ValueError(f"{what} must be a JSON object, not {type(document).__name__}")
    return document


def set_manifest(
    operations: ManifestContentOperations,
    repository: str,
    manifest: ManifestInput,
    *,
    tag: str | None = None,
    media_type: str = OCI_IMAGE_MANIFEST,
    **kwargs: Any,
) -> str:
    """Upload ``manifest`` to ``repository`` and return its digest.

    :param manifest: a JSON document, its exact bytes, a binary stream, or a
        :class:`GetManifestResult` (sent byte for byte, so a copy keeps its digest).
    :keyword tag: tag the manifest; without one it is stored by digest only.
    :keyword media_type: the ``Content-Type`` to send. When left at the default (the OCI image
        manifest type), the manifest's own ``mediaType`` wins, then a ``manifests`` list means an
        OCI index: registries reject a PUT whose type disagrees with the document.
    :returns: ``sha256:<hex>`` of the bytes sent, confirmed by the registry.
    :raises ValueError: invalid repository/tag, non-JSON manifest, or over 4 MiB; before sending.
    :raises DigestValidationError: the registry reported another digest (the write happened).
    """
    validate_repository(repository)
    if tag is not None:
        validate_tag(tag)
    validate_media_type(media_type)
    data = serialize_manifest(manifest)
    document = _parse(data, "manifest")
    if media_type == OCI_IMAGE_MANIFEST:
        media_type = validate_media_type(
            infer_media_type(document, OCI_IMAGE_MANIFEST), "the manifest's mediaType"
        )
    digest = compute_digest(data)
    answer = operations.put(repository, tag or digest, data, media_type, **kwargs)
    reported = answer.response.headers.get("Docker-Content-Digest")
    if reported and reported != digest:
        raise DigestValidationError(
            f"registry stored manifest {repository}:{tag or digest} as {reported}, "
            f"but the bytes sent have digest {digest}"
        )
    return digest


def _read_manifest(response: HttpResponse) -> bytes:
    """Read a manifest body: at most 4 MiB, and exactly what ``Content-Length`` announced."""
    data = read_bounded(response, MAX_MANIFEST_SIZE, "manifest")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) != len(data):
        raise DigestValidationError(
            f"manifest body is {len(data)} bytes, the registry announced {declared}: truncated"
        )
    return data


def get_manifest(
    operations: ManifestContentOperations, repository: str, tag_or_digest: str, **kwargs: Any
) -> GetManifestResult:
    """Download a manifest by tag or digest and verify it before returning it.

    :returns: the parsed manifest, its media type, its verified digest and its exact bytes.
    :raises ValueError: invalid repository or reference, before any request.
    :raises ~azure.core.exceptions.ResourceNotFoundError: no such manifest.
    :raises DigestValidationError: the body does not match the requested digest or the registry's
        ``Docker-Content-Digest``, or was cut short.
    """
    validate_repository(repository)
    validate_reference(tag_or_digest)
    response = operations.get(repository, tag_or_digest, MANIFEST_ACCEPT, **kwargs)
    data = _read_manifest(response)
    where = f"manifest {repository}@{tag_or_digest}"
    if is_digest(tag_or_digest):
        verify_digest(data, tag_or_digest, where)
    verify_digest(data, response.headers.get("Docker-Content-Digest"), where)
    try:
        document = _parse(data, where)
    except ValueError as exc:
        raise protocol_error(str(exc), response) from None
    content_type = response.headers.get("Content-Type", "").split(";", 1)[0].strip()
    media_type = (
        content_type
        if content_type and content_type not in ("application/json", "application/octet-stream")
        else infer_media_type(document)
    )
    digest = tag_or_digest if is_digest(tag_or_digest) else compute_digest(data)
    return GetManifestResult(manifest=document, media_type=media_type, digest=digest, data=data)
