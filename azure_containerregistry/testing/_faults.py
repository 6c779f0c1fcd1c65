"""Fault injection for the local registry: failing or dropping the next matching requests."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass
class FaultRule:
    """Affect the next ``remaining`` requests matching ``method``/``path_prefix``.

    ``kind`` is ``"fail"`` (answer ``status`` with optional ``Retry-After``) or ``"drop"``
    (close the connection, before answering or after ``after_bytes`` of the body).
    """

    kind: str
    remaining: int
    method: str | None = None
    path_prefix: str | None = None
    status: int = 503
    retry_after: float | None = None
    after_bytes: int | None = None

    def matches(self, method: str, path: str) -> bool:
        """Whether a request with ``method`` and raw ``path`` is affected."""
        if self.method is not None and self.method.upper() != method:
            return False
        return self.path_prefix is None or path.startswith(self.path_prefix)


class Faults:
    """Thread-safe queue of fault rules; the oldest matching rule wins."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []

    def add(self, rule: FaultRule) -> None:
        """Queue ``rule`` (ignored when it affects no request)."""
        if rule.remaining > 0:
            with self._lock:
                self._rules.append(rule)

    def take(self, method: str, path: str) -> FaultRule | None:
        """Consume one use of the first rule matching this request, if any."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path):
                    rule.remaining -= 1
                    if rule.remaining <= 0:
                        self._rules.remove(rule)
                    return rule
        return None

    def clear(self) -> None:
        """Forget all pending rules."""
        with self._lock:
            self._rules.clear()
