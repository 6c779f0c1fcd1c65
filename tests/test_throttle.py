"""AdaptiveLimiter: AIMD limit, shared pauses from Retry-After, retries, map; no real waiting.

Time is a :class:`FakeTime` (``sleep`` advances ``clock``), errors are azure-core's
``HttpResponseError`` over a minimal response, so every decision is checked exactly.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any, Callable, Optional

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from fake_time import FakeTime

from azure_containerregistry._throttle import MAX_PAUSE, AdaptiveLimiter, retry_after

JOIN = 30.0


class Answer:
    """The parts of an azure-core response an ``HttpResponseError`` reads."""

    def __init__(self, status: int, headers: Optional[dict[str, str]] = None) -> None:
        self.status_code = status
        self.reason = "reason"
        self.headers = headers or {}

    def text(self, encoding: Optional[str] = None) -> str:
        return ""


def error(status: int, **headers: str) -> HttpResponseError:
    return HttpResponseError(response=Answer(status, {k.replace("_", "-"): v
                                                      for k, v in headers.items()}))


def limiter(time: FakeTime, **options: Any) -> AdaptiveLimiter:
    return AdaptiveLimiter(clock=time.clock, sleep=time.sleep, **options)


def scripted(*outcomes: Any) -> tuple[Callable[..., Any], list[dict[str, Any]]]:
    """An operation that raises or returns ``outcomes`` in turn; records its kwargs."""
    seen: list[dict[str, Any]] = []
    queue = iter(outcomes)

    def operation(*args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs)
        outcome = next(queue)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    return operation, seen


def test_success_passes_arguments_and_turns_off_status_retries() -> None:
    time = FakeTime(1000.0)
    lim = limiter(time)
    operation, seen = scripted("a", "b")
    assert lim.call(operation, "repo", tag="t") == "a"
    assert seen[0] == {"tag": "t", "retry_status": 0}
    assert lim.call(operation, retry_status=3) == "b"
    assert seen[1] == {"retry_status": 3}
    stats = lim.stats
    assert (stats.calls, stats.throttled, stats.retries, stats.paused) == (2, 0, 0, 0.0)
    assert time.slept == []


def test_429_pauses_for_retry_after_halves_and_retries() -> None:
    time = FakeTime(1000.0)
    lim = limiter(time, concurrency=8)
    operation, seen = scripted(error(429, Retry_After="3"), "done")
    assert lim.call(operation) == "done"
    assert len(seen) == 2 and time.slept == [3.0]
    stats = lim.stats
    assert (stats.throttled, stats.retries, stats.paused) == (1, 1, 3.0)
    assert (stats.limit, stats.min_limit, stats.max_limit) == (4, 4, 8)


def test_a_pause_holds_back_every_caller() -> None:
    time = FakeTime(1000.0)
    lim = limiter(time, retries=0)
    throttled, _ = scripted(error(429, Retry_After="5"))
    with pytest.raises(HttpResponseError):
        lim.call(throttled)
    started: list[float] = []
    lim.call(lambda **_: started.append(time.clock()))
    assert started == [1005.0] and time.slept == [5.0]


def test_retry_after_is_capped() -> None:
    time = FakeTime(1000.0)
    lim = limiter(time)
    operation, _ = scripted(error(503, Retry_After="100000"), None)
    lim.call(operation)
    assert time.slept == [MAX_PAUSE] and lim.stats.paused == MAX_PAUSE


def test_without_retry_after_back_off_grows_with_jitter() -> None:
    time = FakeTime(1000.0)
    lim = limiter(time, retries=4)
    operation, _ = scripted(*[error(429)] * 4, "ok")
    assert lim.call(operation) == "ok"
    assert len(time.slept) == 4
    for level, slept in enumerate(time.slept):
        ceiling = 0.5 * 2 ** level
        assert ceiling / 2 <= slept <= ceiling


def test_retries_run_out_and_the_last_error_is_raised() -> None:
    time = FakeTime(1000.0)
    lim = limiter(time, retries=2)
    last = error(429, Retry_After="1")
    operation, seen = scripted(error(429, Retry_After="1"), error(503, Retry_After="1"), last)
    with pytest.raises(HttpResponseError) as raised:
        lim.call(operation)
    assert raised.value is last and len(seen) == 3
    assert (lim.stats.throttled, lim.stats.retries) == (3, 2)


@pytest.mark.parametrize("failure", [ResourceNotFoundError("gone"), error(500), error(405),
                                     ValueError("bad")])
def test_other_errors_are_raised_at_once(failure: BaseException) -> None:
    time = FakeTime(1000.0)
    lim = limiter(time)
    operation, seen = scripted(failure)
    with pytest.raises(type(failure)):
        lim.call(operation)
    assert len(seen) == 1 and time.slept == [] and lim.limit == 8


def test_gateway_errors_back_off_alone_without_cutting_the_limit() -> None:
    time = FakeTime(1000.0)
    lim = limiter(time, concurrency=6)
    operation, _ = scripted(error(502), error(504), "ok")
    assert lim.call(operation) == "ok"
    assert len(time.slept) == 2 and 0.25 <= time.slept[0] <= 0.5 <= time.slept[1] <= 1.0
    stats = lim.stats
    assert (stats.limit, stats.throttled, stats.retries, stats.paused) == (6, 0, 2, 0.0)


def test_successes_climb_one_per_round_up_to_maximum() -> None:
    time = FakeTime(1000.0)
    lim = limiter(time, concurrency=2, maximum=4)
    climb = []
    for _ in range(2 + 3 + 4 + 4):
        lim.call(lambda **_: None)
        climb.append(lim.limit)
    assert climb == [2, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4]
    assert lim.stats.max_limit == 4


def test_limit_halves_down_to_one_never_zero() -> None:
    time = FakeTime(1000.0)
    lim = limiter(time, concurrency=5, retries=0)
    for _ in range(4):
        with pytest.raises(HttpResponseError):
            lim.call(scripted(error(429, Retry_After="0"))[0])
    assert (lim.limit, lim.stats.min_limit) == (1, 1)


def test_throttles_of_one_round_halve_once() -> None:
    time = FakeTime(1000.0)
    lim = limiter(time, concurrency=8)
    together = threading.Barrier(3, timeout=JOIN)
    attempts = itertools.count()
    lock = threading.Lock()

    def operation(**_: Any) -> str:
        with lock:
            first_round = next(attempts) < 3
        if first_round:
            together.wait()  # all three are in flight before any answer comes back
            raise error(429, Retry_After="1")
        return "ok"

    threads = [threading.Thread(target=lim.call, args=(operation,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN)
        assert not thread.is_alive()
    stats = lim.stats
    assert (stats.throttled, stats.retries, stats.min_limit) == (3, 3, 4)


def test_retry_after_forms() -> None:
    now = datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert retry_after(error(429, Retry_After="2.5")) == 2.5
    assert retry_after(error(429, retry_after_ms="1500")) == 1.5
    assert retry_after(error(429, x_ms_retry_after_ms="200", Retry_After="9")) == 0.2
    assert retry_after(error(429, Retry_After="Mon, 01 Jan 2024 00:00:10 GMT"), now) == 10.0
    assert retry_after(error(429, Retry_After="soon")) is None
    assert retry_after(error(429, Retry_After="-1")) is None
    assert retry_after(error(429)) is None
    assert retry_after(ValueError("no response")) is None


def test_map_yields_results_and_errors_for_every_item() -> None:
    lim = AdaptiveLimiter(concurrency=3, maximum=4)

    def work(n: int) -> int:
        if n % 5 == 0:
            raise ValueError(n)
        return n * n

    outcomes = dict(lim.map(work, range(1, 21)))
    assert sorted(outcomes) == list(range(1, 21))
    assert outcomes[4] == 16
    failed = [n for n, value in outcomes.items() if isinstance(value, ValueError)]
    assert failed == [5, 10, 15, 20]


def test_map_keeps_at_most_limit_in_flight() -> None:
    lim = AdaptiveLimiter(concurrency=3, maximum=8)
    active = peak = 0
    lock = threading.Lock()
    release = threading.Event()

    def work(n: int) -> int:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
            full = active == 3
        if full:
            release.set()
        assert release.wait(timeout=JOIN)
        with lock:
            active -= 1
        return n

    assert sorted(n for n, _ in lim.map(work, range(30))) == list(range(30))
    assert peak == 3


def test_map_takes_items_lazily() -> None:
    lim = AdaptiveLimiter(concurrency=2, maximum=4)
    taken = 0

    def endless() -> Iterator[int]:
        nonlocal taken
        for n in itertools.count():
            taken += 1
            yield n

    results = lim.map(lambda n: n, endless())
    first = [next(results) for _ in range(5)]
    results.close()  # type: ignore[attr-defined]
    assert len(first) == 5 and taken <= 5 + 2


def test_calls_inside_map_share_one_limit() -> None:
    lim = AdaptiveLimiter(concurrency=2, maximum=8)
    active = peak = 0
    lock = threading.Lock()

    def delete(n: int, **_: Any) -> int:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        with lock:
            active -= 1
        return n

    def purge(n: int) -> int:
        return lim.call(delete, n) + lim.call(delete, n)

    outcomes = dict(lim.map(purge, range(50)))
    assert outcomes == {n: 2 * n for n in range(50)}
    assert peak <= lim.stats.max_limit and lim.stats.calls == 100


def test_invalid_options() -> None:
    with pytest.raises(ValueError):
        AdaptiveLimiter(maximum=0)
    with pytest.raises(ValueError):
        AdaptiveLimiter(retries=-1)
    assert AdaptiveLimiter(concurrency=100, maximum=10).limit == 10
    assert AdaptiveLimiter(concurrency=0).limit == 1
