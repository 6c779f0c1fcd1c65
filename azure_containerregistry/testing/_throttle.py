"""Read and write budgets per minute for the local registry, as ACR's service tiers meter them.

ACR limits each registry to a number of read and write operations a minute (e.g. about 100 /
500 / 2,000 writes for Basic / Standard / Premium) and answers ``429 TOOMANYREQUESTS`` with a
``Retry-After`` when a budget is spent. :class:`Throttle` does the same with two token buckets
refilled continuously (``budget / 60`` tokens a second) and holding a small burst, so a client's
back-off can be tested and benchmarked locally::

    with LocalRegistry(throttle=Throttle(writes_per_minute=600)) as registry:
        ...  # the 11th write within a second is answered 429 with Retry-After: 1

Reads are ``GET``/``HEAD``, writes ``PUT``/``PATCH``/``POST``/``DELETE``, on ``/acr/v1`` and
``/v2``; token routes, blob storage redirects and the admin API are not counted, nor are
refused requests. The clock is injectable so tests never wait.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Callable, Optional

from ._protocol import RegistryError

__all__ = ["Throttle", "TokenBucket"]

READS = frozenset({"GET", "HEAD"})
WRITES = frozenset({"PUT", "PATCH", "POST", "DELETE"})
THROTTLED_MESSAGE = "too many requests"


class TokenBucket:
    """``per_minute`` requests a minute, refilled continuously, holding up to ``burst``.

    :param per_minute: the budget; ``per_minute / 60`` tokens are added every second.
    :param burst: the most tokens held (requests that can arrive at once after a lull).
    :param clock: monotonic seconds.
    """

    def __init__(self, per_minute: float, burst: float, clock: Callable[[], float]) -> None:
        if not per_minute > 0:
            raise ValueError(f"a budget per minute must be positive, not {per_minute!r}")
        if not burst >= 1:
            raise ValueError(f"burst must be at least 1 request, not {burst!r}")
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._clock = clock
        self._tokens = self.burst
        self._last = clock()
        self._lock = threading.Lock()

    def take(self) -> float:
        """Spend one token: 0.0 when granted, else the seconds until one is available."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
            self._last = now
            if self._tokens >= 1:
                self._tokens -= 1
                return 0.0
            return (1 - self._tokens) / self.rate


class Throttle:
    """Budgets for a :class:`~azure_containerregistry.testing.LocalRegistry` (``throttle=``).

    :keyword reads_per_minute: ``GET``/``HEAD`` budget, or None for unlimited.
    :keyword writes_per_minute: ``PUT``/``PATCH``/``POST``/``DELETE`` budget, or None.
    :keyword burst_seconds: how many seconds of budget a bucket holds (at least one request):
        the burst a client may send after a lull.
    :keyword clock: monotonic seconds (injectable for tests).
    """

    def __init__(self, *, reads_per_minute: Optional[float] = None,
                 writes_per_minute: Optional[float] = None, burst_seconds: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.reads_per_minute = reads_per_minute
        self.writes_per_minute = writes_per_minute

        def bucket(per_minute: Optional[float]) -> Optional[TokenBucket]:
            if per_minute is None:
                return None
            return TokenBucket(per_minute, max(1.0, per_minute / 60.0 * burst_seconds), clock)

        self._reads = bucket(reads_per_minute)
        self._writes = bucket(writes_per_minute)

    def __repr__(self) -> str:
        return (f"Throttle(reads_per_minute={self.reads_per_minute!r}, "
                f"writes_per_minute={self.writes_per_minute!r})")

    def refuse(self, method: str, path: str) -> Optional[RegistryError]:
        """The ``429`` for a request over budget, or None to let it through (spending a token).

        ``Retry-After`` is whole seconds (as HTTP has it), rounded up: never too early.
        """
        if not (path.startswith("/acr/v1/") or path == "/v2" or path.startswith("/v2/")):
            return None
        bucket = self._reads if method in READS else self._writes if method in WRITES else None
        if bucket is None:
            return None
        wait = bucket.take()
        if wait <= 0:
            return None
        return RegistryError(429, "TOOMANYREQUESTS", THROTTLED_MESSAGE, None, omit_detail=True,
                             headers={"Retry-After": str(max(1, math.ceil(wait)))})
