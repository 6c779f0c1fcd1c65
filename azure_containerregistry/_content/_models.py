"""``GetManifestResult``: a manifest as the registry served it, parsed and byte-exact."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping

from .._display import Row, html_table, manifest_json, manifest_summary, pretty

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

    def to_dict(self, *, json: bool = False) -> Dict[str, Any]:
        """``manifest``, ``media_type``, ``digest`` and ``size``; already JSON-safe.

        :keyword bool json: accepted for symmetry with the models' ``to_dict``; the values are
            the same either way.
        :rtype: dict[str, Any]
        """
        return {
            "manifest": self._manifest,
            "media_type": self._media_type,
            "digest": self._digest,
            "size": len(self._data),
        }

    def _display_rows(self) -> List[Row]:
        return [
            ("media_type", self._media_type),
            ("digest", self._digest),
            ("size", len(self._data)),
            ("manifest", manifest_summary(self._manifest)),
        ]

    def _repr_html_(self) -> str:
        """A compact HTML table, the manifest JSON collapsed below it, for Jupyter."""
        details = ("manifest JSON", manifest_json(self._manifest))
        return html_table("GetManifestResult", self._display_rows(), details=details)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's pretty printer: one field per line, the manifest summarised."""
        pretty(printer, cycle, "GetManifestResult", self._display_rows())

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
