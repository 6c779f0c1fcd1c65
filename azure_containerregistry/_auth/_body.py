"""Request bodies as the challenge policy sees them: present or not, and whether they rewind.

A ``401`` after a body went out means sending it again, which only works if the body can be
rewound: bytes and text always can, a seekable stream can if it remembers where it started, an
iterator or generator cannot (the first send consumed it).
"""

from __future__ import annotations

from typing import Any, Optional

__all__ = ["RequestBody"]

_IN_MEMORY = (bytes, bytearray, memoryview, str, dict, list, tuple)


class RequestBody:
    """Remembers where a request body starts, so it can be sent again after a ``401``.

    :param body: the request's body as azure-core holds it (``None`` when there is none).
    """

    def __init__(self, body: Any) -> None:
        self._body = body
        self._position: Optional[int] = None
        self.rewindable = True
        """False when the body is known not to survive a first send."""
        if body is None or isinstance(body, _IN_MEMORY):
            return
        if hasattr(body, "read"):
            try:
                self._position = body.tell()
            except (AttributeError, OSError, ValueError):
                self.rewindable = False
        elif hasattr(body, "__iter__") or hasattr(body, "__next__"):
            self.rewindable = False  # an iterator or generator is consumed by the first send

    def __repr__(self) -> str:
        return f"RequestBody(present={self.present}, rewindable={self.rewindable})"

    @property
    def present(self) -> bool:
        """Whether the request carries content worth not sending twice."""
        if self._body is None:
            return False
        if isinstance(self._body, (bytes, bytearray, memoryview, str)):
            return len(self._body) > 0
        return True

    def rewind(self) -> bool:
        """Rewind the body; return False if it cannot be sent again."""
        if not self.rewindable:
            return False
        if self._position is not None:
            try:
                self._body.seek(self._position)
            except (AttributeError, OSError, ValueError):
                return False
        return True
