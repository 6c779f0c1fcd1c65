"""Read the expiry (``exp``) of a JWT without verifying it.

The client never trusts a token's claims for security; it only needs ``exp`` to know when to
renew. JWT segments are base64url (``-`` and ``_``, no padding): decoding them with plain base64,
as the official client does, fails on payloads containing ``>``, ``?`` or ``~``.
"""

from __future__ import annotations

import base64
import json
import math
from typing import Optional

__all__ = ["MAX_JWT_LENGTH", "jwt_expiry"]

MAX_JWT_LENGTH = 1024 * 1024
"""Longer tokens are not read (their expiry is unknown): ACR's are a few kilobytes."""


def _b64url_decode(segment: str) -> bytes:
    """Decode one unpadded base64url JWT segment; raise ``ValueError`` if it is not one."""
    if not segment or any(c in segment for c in "+/="):
        raise ValueError("not a base64url segment")
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def jwt_expiry(token: str) -> Optional[float]:
    """Return the ``exp`` claim of ``token`` in seconds since the epoch, or ``None``.

    ``None`` means "unknown": ``token`` is not a three-part JWT, its payload is not a JSON object,
    or it has no finite numeric ``exp``. Callers treat such tokens as good for one use only.
    The token comes from a server: no input makes this raise.

    >>> jwt_expiry("eyJhbGciOiJub25lIn0.eyJleHAiOjE3MDAwMDAwMDB9.")
    1700000000.0
    """
    if not isinstance(token, str) or len(token) > MAX_JWT_LENGTH:
        return None
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(_b64url_decode(parts[1]))
    except (ValueError, RecursionError):  # binascii.Error and UnicodeDecodeError are ValueErrors
        return None
    if not isinstance(payload, dict):
        return None
    exp = payload.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        return None
    try:
        value = float(exp)
    except OverflowError:  # an integer beyond any float
        return None
    return value if math.isfinite(value) else None
