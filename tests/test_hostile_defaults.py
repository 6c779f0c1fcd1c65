"""Finding 8: defaults that bound how long a server can hold the client.

A ``Retry-After`` is honoured up to 60 s (``retry_after_max=`` to change it), and every request
carries connect and read timeouts (10 s and 60 s at most) unless the caller chose others. Waits
and timeouts are observed with :class:`~hostile.RecordingTransport`, azure-core's
``RequestsTransport`` recording ``sleep`` and ``send`` arguments: nothing here really sleeps.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

import pytest
from hostile import Answer, HostileServer, RecordingTransport, acr_error, client_for, routes

REPOSITORY = {"registry": "127.0.0.1", "imageName": "app", "manifestCount": 1, "tagCount": 1}


def _throttled_once(retry_after: str) -> Any:
    """``GET /acr/v1/app``: 429 with ``Retry-After`` the first time, then the repository."""
    calls: list[int] = []

    def handle(method: str, target: str, headers: Mapping[str, str], body: bytes) -> Answer:
        calls.append(1)
        if len(calls) == 1:
            return acr_error(429, "TOOMANYREQUESTS", "slow down",
                             [("Retry-After", retry_after)])
        return Answer.json(REPOSITORY)

    return routes({("GET", "/acr/v1/app"): handle})


@pytest.mark.parametrize(("options", "limit"), [({}, 60.0), ({"retry_after_max": 5}, 5.0)],
                         ids=["default", "retry_after_max=5"])
def test_a_huge_retry_after_is_waited_out_only_up_to_the_cap(
    hostile: HostileServer, options: dict[str, Any], limit: float
) -> None:
    hostile.handler = _throttled_once("100000")
    transport = RecordingTransport()
    with client_for(hostile, transport=transport, retry_total=3, **options) as client:
        assert client.get_repository_properties("app").name == "app"
    assert [s.status for s in hostile.api_requests] == [429, 200]
    assert sum(transport.slept) <= limit


def _timeouts(kwargs: Mapping[str, Any]) -> tuple[Optional[float], Optional[float]]:
    """``(connect, read)`` as ``RequestsTransport.send`` reads its keyword arguments."""
    connect = kwargs.get("connection_timeout")
    if isinstance(connect, tuple):
        return connect[0], connect[1]
    return connect, kwargs.get("read_timeout")


def test_every_request_carries_bounded_default_timeouts(hostile: HostileServer) -> None:
    hostile.handler = routes({
        ("GET", "/acr/v1/app"): Answer.json(REPOSITORY),
        ("GET", "/acr/v1/_catalog"): Answer.json({"repositories": ["app"]}),
    })
    transport = RecordingTransport()
    with client_for(hostile, transport=transport) as client:
        client.get_repository_properties("app")
        assert list(client.list_repository_names()) == ["app"]
    assert len(transport.sends) == len(hostile.requests) >= 3  # token calls included
    for url, kwargs in transport.sends:
        connect, read = _timeouts(kwargs)
        assert connect is not None and connect <= 10, (url, kwargs)
        assert read is not None and read <= 60, (url, kwargs)


@pytest.mark.parametrize(("keyword", "value", "index"),
                         [("read_timeout", 5, 1), ("connection_timeout", 3, 0)])
def test_a_callers_timeout_wins_for_that_call(
    hostile: HostileServer, keyword: str, value: float, index: int
) -> None:
    hostile.handler = routes({("GET", "/acr/v1/app"): Answer.json(REPOSITORY)})
    transport = RecordingTransport()
    with client_for(hostile, transport=transport) as client:
        client.get_repository_properties("app", **{keyword: value})
    (api,) = [kwargs for url, kwargs in transport.sends if "/acr/v1/app" in url]
    assert _timeouts(api)[index] == value
