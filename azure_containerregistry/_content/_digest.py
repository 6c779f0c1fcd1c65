"""Content digests (``algorithm:hex``): computing them, streaming them and comparing them.

Every byte that crosses the wire is checked against a digest before it is reported as good;
this module is the one place that knows how a digest string maps to a hash function.
"""

from __future__ import annotations

import hashlib
from typing import Union

from .._errors import DigestValidationError

__all__ = ["BytesLike", "DigestHasher", "compute_digest", "verify_digest"]

BytesLike = Union[bytes, bytearray, memoryview]

_ALGORITHMS = {"sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}


class DigestHasher:
    """Incremental digest of a byte stream, e.g. ``DigestHasher("sha256")``.

    :param algorithm: ``sha256`` (the default, and what registries use), ``sha384`` or ``sha512``.
    :raises ValueError: for an algorithm the OCI spec does not register.
    """

    __slots__ = ("_algorithm", "_hash", "size")

    def __init__(self, algorithm: str = "sha256") -> None:
        factory = _ALGORITHMS.get(algorithm)
        if factory is None:
            raise ValueError(f"unsupported digest algorithm {algorithm!r}: use sha256 or sha512")
        self._algorithm = algorithm
        self._hash = factory()
        self.size = 0

    @classmethod
    def for_digest(cls, digest: str) -> DigestHasher:
        """A hasher using the algorithm of ``digest`` (``sha512:...`` -> sha512)."""
        return cls(digest.partition(":")[0])

    def update(self, data: BytesLike) -> None:
        self._hash.update(data)
        self.size += len(data)

    @property
    def digest(self) -> str:
        """``algorithm:hex`` of everything seen so far."""
        return f"{self._algorithm}:{self._hash.hexdigest()}"


def compute_digest(data: BytesLike, algorithm: str = "sha256") -> str:
    """``algorithm:hex`` digest of ``data``."""
    hasher = DigestHasher(algorithm)
    hasher.update(data)
    return hasher.digest


def verify_digest(data: bytes, expected: str | None, what: str) -> None:
    """Check ``data`` against ``expected`` (skipped when None), in ``expected``'s own algorithm.

    :raises DigestValidationError: naming ``what`` and both digests.
    """
    if not expected:
        return
    try:
        actual = compute_digest(data, expected.partition(":")[0])
    except ValueError as exc:
        raise DigestValidationError(f"{what}: cannot verify digest {expected!r}: {exc}") from None
    if actual != expected:
        raise DigestValidationError(f"{what}: content has digest {actual}, expected {expected}")
