"""One concurrency limit shared by many registry calls, adapting to the registry's throttling.

ACR meters reads and writes per minute by tier and answers ``429`` (sometimes ``503``) with a
``Retry-After`` once a budget is spent. Retrying each request on its own, as azure-core's
``RetryPolicy`` does, keeps every other thread hammering the registry meanwhile. The
:class:`AdaptiveLimiter` instead handles throttling for all callers at once, like TCP's
congestion control:

1. every call runs under a shared limit of calls in flight;
2. a ``429``/``503`` pauses *all* callers until its ``Retry-After`` (capped at 60 s; exponential
   back-off with jitter when the answer has none) and halves the limit, at most once per
   round of calls in flight (multiplicative decrease, never below 1);
3. every ``limit`` successes raise the limit by one, up to ``maximum`` (additive increase);
4. the throttled call is retried, up to ``retries`` times; ``502``/``504`` are retried after a
   back-off of their own without touching the limit; any other error is raised at once.

The decisions take their time from ``clock`` and wait with ``sleep``, both injectable, so they
are tested without waiting. Used by the purge executor and the registry inventory::

    limiter = AdaptiveLimiter(concurrency=8)
    for tag, outcome in limiter.map(lambda t: limiter.call(client.delete_tag, repo, t), tags):
        ...
"""

from __future__ import annotations

import concurrent.futures as futures
import email.utils
import itertools
import queue
import random
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Optional, TypeVar, Union

from azure.core.exceptions import HttpResponseError

__all__ = ["MAX_PAUSE", "AdaptiveLimiter", "ThrottleStats", "retry_after"]

T = TypeVar("T")
X = TypeVar("X")

MAX_PAUSE = 60.0
"""Longest pause obeyed, in seconds: a ``Retry-After: 100000`` must not stall a CI job."""
_BACKOFF_BASE = 0.5
"""First back-off (seconds) when a throttled answer has no ``Retry-After``; doubles each time."""
_THROTTLED = frozenset({429, 503})
_TRANSIENT = frozenset({502, 504})
_JOIN_TIMEOUT = 30.0


@dataclass(frozen=True)
class ThrottleStats:
    """What a limiter has done so far.

    :ivar calls: operations run through :meth:`AdaptiveLimiter.call` (each counted once).
    :ivar throttled: ``429``/``503`` answers received.
    :ivar retries: operations sent again after a throttled or transient answer.
    :ivar paused: seconds during which all callers were held back by ``Retry-After``.
    :ivar limit: the current limit; ``min_limit``/``max_limit``: the lowest and highest reached.
    """

    calls: int
    throttled: int
    retries: int
    paused: float
    limit: int
    min_limit: int
    max_limit: int


def retry_after(error: BaseException, now: Optional[datetime] = None) -> Optional[float]:
    """Seconds the answer behind ``error`` asks to wait (``Retry-After``), or None.

    Reads ``retry-after-ms``/``x-ms-retry-after-ms`` and ``Retry-After`` as seconds or an HTTP
    date; a malformed or negative value counts as absent.
    """
    response = getattr(error, "response", None)
    raw = getattr(response, "headers", None)
    if raw is None:
        return None
    headers = {str(k).lower(): str(v) for k, v in raw.items()}
    for name, scale in (("retry-after-ms", 1000.0), ("x-ms-retry-after-ms", 1000.0),
                        ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        seconds: Optional[float]
        try:
            seconds = float(value) / scale
        except ValueError:
            seconds = _http_date_delay(value, now)
        if seconds is not None and seconds >= 0 and seconds == seconds:  # not NaN
            return seconds
    return None


def _http_date_delay(value: str, now: Optional[datetime]) -> Optional[float]:
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - (now or datetime.now(timezone.utc))).total_seconds())


def _status(error: BaseException) -> Optional[int]:
    if not isinstance(error, HttpResponseError):
        return None
    status = error.status_code
    if status is None and error.response is not None:
        status = error.response.status_code
    return status


class AdaptiveLimiter:
    """A thread-safe limit of registry calls in flight that backs off on throttling (AIMD).

    :param concurrency: the starting limit (clamped to ``1..maximum``).
    :keyword maximum: the highest the limit climbs, and the worker threads of :meth:`map`.
    :keyword retries: how often one call is sent again after throttled or transient answers.
    :keyword clock: monotonic seconds (injectable for tests).
    :keyword sleep: waits the given seconds (injectable for tests).
    """

    def __init__(self, concurrency: int = 8, *, maximum: int = 64, retries: int = 8,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if maximum < 1:
            raise ValueError(f"maximum must be at least 1, not {maximum!r}")
        if retries < 0:
            raise ValueError(f"retries must be at least 0, not {retries!r}")
        self._maximum = maximum
        self._retries = retries
        self._clock = clock
        self._sleep = sleep
        self._random = random.Random()
        self._cond = threading.Condition()
        self._limit = min(max(1, concurrency), maximum)
        self._in_flight = 0
        self._successes = 0  # since the last increase
        self._epoch = 0  # bumped by every decrease: one decrease per round of calls
        self._pause_until = 0.0
        self._backoff_level = 0  # consecutive throttled answers without a Retry-After
        self._calls = self._throttled = self._retried = 0
        self._paused = 0.0
        self._min = self._max = self._limit

    def __repr__(self) -> str:
        return f"AdaptiveLimiter(limit={self.limit}, maximum={self._maximum})"

    @property
    def limit(self) -> int:
        """Calls allowed in flight now."""
        with self._cond:
            return self._limit

    @property
    def stats(self) -> ThrottleStats:
        """A snapshot of the counters (see :class:`ThrottleStats`)."""
        with self._cond:
            return ThrottleStats(self._calls, self._throttled, self._retried, self._paused,
                                 self._limit, self._min, self._max)

    # -- one call --------------------------------------------------------------------------
    def call(self, operation: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``operation(*args, **kwargs)`` under the shared limit; retry when throttled.

        ``retry_status=0`` is added to ``kwargs`` (unless given) so a throttled answer comes
        back here rather than being retried inside azure-core by this one thread (azure-core
        still retries connection errors).

        :returns: what ``operation`` returns.
        :raises ~azure.core.exceptions.HttpResponseError: the last throttled or transient
            error once ``retries`` are spent, or any other error at once.
        """
        kwargs.setdefault("retry_status", 0)
        with self._cond:
            self._calls += 1
        for attempt in itertools.count():
            epoch = self._acquire()
            try:
                result = operation(*args, **kwargs)
            except Exception as error:
                self._release()
                status = _status(error)
                if status not in _THROTTLED and status not in _TRANSIENT:
                    raise
                wait = self._on_error(error, status, epoch, attempt)
                if attempt >= self._retries:
                    raise
                with self._cond:
                    self._retried += 1
                if wait > 0:
                    self._sleep(wait)  # a transient answer: this call alone backs off
                continue
            self._release(success=True)
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def _acquire(self) -> int:
        """Wait out any pause and for a free slot; take it; return the current epoch."""
        while True:
            with self._cond:
                remaining = self._pause_until - self._clock()
                if remaining <= 0:
                    if self._in_flight < self._limit:
                        self._in_flight += 1
                        return self._epoch
                    # A release or a limit change notifies; the timeout only guards the loop.
                    self._cond.wait(timeout=1.0)
                    continue
            self._sleep(remaining)

    def _release(self, success: bool = False) -> None:
        with self._cond:
            self._in_flight -= 1
            if success:
                self._backoff_level = 0
                self._successes += 1
                if self._successes >= self._limit and self._limit < self._maximum:
                    self._successes = 0
                    self._limit += 1
                    self._max = max(self._max, self._limit)
            self._cond.notify_all()

    def _on_error(self, error: BaseException, status: Optional[int], epoch: int,
                  attempt: int) -> float:
        """Record a throttled or transient answer; return this call's own wait (0 if paused)."""
        with self._cond:
            if status in _TRANSIENT:
                return self._backoff(attempt)
            self._throttled += 1
            delay = retry_after(error)
            if delay is None:
                delay = self._backoff(self._backoff_level)
                self._backoff_level += 1
            now = self._clock()
            until = now + min(delay, MAX_PAUSE)
            if until > self._pause_until:
                self._paused += until - max(now, self._pause_until)
                self._pause_until = until
            if epoch == self._epoch:  # the first throttled answer of this round decreases
                self._epoch += 1
                self._limit = max(1, self._limit // 2)
                self._successes = 0
                self._min = min(self._min, self._limit)
            return 0.0

    def _backoff(self, level: int) -> float:
        """Exponential back-off with jitter: between half and all of ``base * 2**level``."""
        ceiling = min(MAX_PAUSE, _BACKOFF_BASE * 2 ** min(level, 16))
        return float(ceiling * (0.5 + 0.5 * self._random.random()))

    # -- many items ------------------------------------------------------------------------
    def map(self, function: Callable[[X], T],
            items: Iterable[X]) -> Iterator[tuple[X, Union[T, BaseException]]]:
        """Run ``function(item)`` for every item, at most :attr:`limit` at a time.

        Yields ``(item, result)`` or ``(item, exception)`` as each finishes (not in order).
        Items are taken from ``items`` only as slots free up, so a large or endless iterable
        is never materialised. ``function`` should send its registry calls through
        :meth:`call`, so throttling shrinks the limit that gates this map too.
        """
        source = iter(items)
        running: dict[futures.Future[T], X] = {}
        finished: queue.SimpleQueue[futures.Future[T]] = queue.SimpleQueue()
        pool = futures.ThreadPoolExecutor(max_workers=self._maximum,
                                          thread_name_prefix="AdaptiveLimiter")
        try:
            exhausted = False
            while True:
                while not exhausted and len(running) < self.limit:
                    try:
                        item = next(source)
                    except StopIteration:
                        exhausted = True
                        break
                    future = pool.submit(function, item)
                    running[future] = item
                    future.add_done_callback(finished.put)  # O(1) per completion
                if not running:
                    return
                try:
                    future = finished.get(timeout=1.0)
                except queue.Empty:
                    continue
                item = running.pop(future)
                error = future.exception()
                yield (item, error) if error is not None else (item, future.result())
        finally:
            for future in running:
                future.cancel()
            futures.wait(running, timeout=_JOIN_TIMEOUT)
            pool.shutdown(wait=False)
