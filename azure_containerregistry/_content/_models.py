"""``GetManifestResult``: a manifest as the registry served it, parsed and byte-exact."""

from __future__ import annotations

import json
from typing import Any, Dict, Mapping

__all__ = ["GetManifestResult"]


class GetManifestResult:
    """The result of ``get_manifest``: the parsed manifest, its media type and verified digest.

    :ivar manifest: the manifest document (parsed JSON).
    :ivar media_type: its media type, e.g. ``application/vnd.oci.image.manifest.v1+json``.
    :ivar digest: ``sha256:<hex>`` of :attr:`data`, checked against what was asked for and what
        the registry reported.
    :ivar data: the exact bytes the registry served; pass them (or this object) back to
        ``set_manifest`` for a byte-exact, digest-preserving copy. A ``dict`` round trip re-
        serialises and so may change the digest.
    """

    __slots__ = ("_data", "_digest", "_manifest", "_media_type")

    def __init__(
        self,
        *,
        manifest: Mapping[str, Any],
        media_type: str,
        digest: str,
        data: bytes | None = None,
    ) -> None:
        self._manifest: Dict[str, Any] = dict(manifest)
        self._media_type = media_type
        self._digest = digest
        self._data = data if data is not None else json.dumps(self._manifest).encode()

    @property
    def manifest(self) -> Dict[str, Any]:
        return self._manifest

    @property
    def media_type(self) -> str:
        return self._media_type

    @property
    def digest(self) -> str:
        return self._digest

    @property
    def data(self) -> bytes:
        return self._data

    @property
    def size(self) -> int:
        """Length of :attr:`data` in bytes."""
        return len(self._data)

    def to_dict(self) -> Dict[str, Any]:
        """Plain JSON-able values: ``manifest``, ``media_type``, ``digest`` and ``size``."""
        return {
            "manifest": self._manifest,
            "media_type": self._media_type,
            "digest": self._digest,
            "size": len(self._data),
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GetManifestResult):
            return NotImplemented
        return (self._digest, self._media_type, self._data) == (
            other._digest,
            other._media_type,
            other._data,
        )

    def __hash__(self) -> int:
        return hash((self._digest, self._media_type))

    def __repr__(self) -> str:
        return (
            f"GetManifestResult(media_type={self._media_type!r}, digest={self._digest!r}, "
            f"size={len(self._data)})"
        )
