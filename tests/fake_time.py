"""A clock that moves only when someone sleeps, for limiters and throttles: no test waits."""

from __future__ import annotations

import threading


class FakeTime:
    """A thread-safe ``clock``/``sleep`` pair: sleeping advances the clock at once.

    :param start: the clock's first reading.
    """

    def __init__(self, start: float = 0.0) -> None:
        self.now = start
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.now += max(seconds, 0.0)
