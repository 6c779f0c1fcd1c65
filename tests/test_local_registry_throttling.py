"""LocalRegistry's ACR-like read/write budgets, and our AdaptiveLimiter finishing under them.

The registry's clock is a fake one; the end-to-end test gives the limiter a ``sleep`` that
moves that clock, so throttled runs complete without waiting out any real back-off.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from typing import Callable

import pytest
from conftest import RegistryHTTP
from fake_time import FakeTime

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry._throttle import AdaptiveLimiter
from azure_containerregistry.testing import LocalRegistry, Throttle
from azure_containerregistry.testing._throttle import TokenBucket

Factory = Callable[..., LocalRegistry]



def test_bucket_grants_a_burst_then_refills_continuously() -> None:
    time = FakeTime()
    bucket = TokenBucket(600, 10, time.clock)  # 10 a second
    assert [bucket.take() for _ in range(10)] == [0.0] * 10
    assert bucket.take() == pytest.approx(0.1)
    time.sleep(0.05)
    assert bucket.take() == pytest.approx(0.05)  # half a token has come back
    time.sleep(0.05)
    assert bucket.take() == 0.0
    time.sleep(60)
    assert sum(bucket.take() == 0.0 for _ in range(20)) == 10  # never more than the burst


def test_bucket_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        TokenBucket(0, 1, FakeTime().clock)
    with pytest.raises(ValueError):
        TokenBucket(60, 0.5, FakeTime().clock)


def test_writes_over_budget_get_acr_429_with_retry_after(registry_factory: Factory) -> None:
    time = FakeTime()
    registry = registry_factory(throttle=Throttle(writes_per_minute=120, clock=time.clock))
    http = RegistryHTTP(registry)
    try:
        # Anonymous writes: let through they are challenged (401), refused they are 429.
        statuses = [http.request("DELETE", f"/acr/v1/app/_tags/t{i}").status for i in range(3)]
        assert statuses == [401, 401, 429]  # a burst of one second's budget: two writes
        refused = http.request("POST", "/v2/app/blobs/uploads/")
        assert refused.status == 429 and refused.headers["retry-after"] == "1"
        assert refused.json() == {"errors": [{"code": "TOOMANYREQUESTS",
                                              "message": "too many requests"}]}
        assert http.request("GET", "/v2/").status == 401  # reads are not writes
        assert http.request("POST", "/oauth2/token").status == 400  # token routes: not metered
        time.sleep(0.5)
        assert http.request("PUT", "/v2/app/manifests/v1").status == 401
        assert http.request("PATCH", "/acr/v1/app").status == 429
    finally:
        http.close()
    assert [r.status for r in registry.requests].count(429) == 3


def test_reads_have_their_own_budget(registry_factory: Factory) -> None:
    time = FakeTime()
    registry = registry_factory(throttle=Throttle(reads_per_minute=60, writes_per_minute=60,
                                                  burst_seconds=3, clock=time.clock))
    http = RegistryHTTP(registry)
    try:
        reads = [http.request("HEAD" if i % 2 else "GET", "/v2/").status for i in range(4)]
        assert reads == [401, 401, 401, 429]
        answer = http.request("GET", "/acr/v1/_catalog")
        assert answer.status == 429 and answer.headers["retry-after"] == "1"
        assert http.request("DELETE", "/v2/app/manifests/v1").status == 401
        time.sleep(2.5)
        assert http.request("GET", "/v2/").status == 401
    finally:
        http.close()


def test_retry_after_says_when_a_token_comes_back(registry_factory: Factory) -> None:
    time = FakeTime()
    registry = registry_factory(throttle=Throttle(writes_per_minute=12, clock=time.clock))
    http = RegistryHTTP(registry)
    try:
        assert http.request("DELETE", "/v2/app/manifests/v1").status == 401
        assert http.request("DELETE", "/v2/app/manifests/v1").headers["retry-after"] == "5"
        time.sleep(3.5)
        assert http.request("DELETE", "/v2/app/manifests/v1").headers["retry-after"] == "2"
    finally:
        http.close()


def test_no_throttle_by_default(registry: LocalRegistry, acr_http: RegistryHTTP) -> None:
    assert registry.throttle is None
    assert {acr_http.request("DELETE", "/v2/app/manifests/v1").status
            for _ in range(50)} == {401}


def test_burst_of_deletes_completes_through_the_limiter(registry_factory: Factory) -> None:
    time = FakeTime()
    registry = registry_factory(throttle=Throttle(writes_per_minute=300, clock=time.clock))
    digests = [registry.add_image("app", tags=[f"v{i}"], size=10 + i) for i in range(40)]
    limiter = AdaptiveLimiter(concurrency=16, clock=time.clock, sleep=time.sleep)
    with ContainerRegistryClient(registry.endpoint, registry.credential()) as client:
        def delete(digest: str) -> None:
            limiter.call(client.delete_manifest, "app", digest)

        outcomes = dict(limiter.map(delete, digests))
    assert sorted(outcomes) == sorted(digests)
    assert [item for item, outcome in outcomes.items() if outcome is not None] == []
    assert registry.tags("app") == []
    statuses = [r.status for r in registry.requests if r.method == "DELETE"]
    stats = limiter.stats
    assert statuses.count(202) == 40 and statuses.count(429) == stats.throttled > 0
    assert stats.min_limit < 16 and stats.paused > 0


def test_serve_flags_turn_throttling_on() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "azure_containerregistry.testing", "serve",
                             "--port", "0", "--writes-per-minute", "60",
                             "--reads-per-minute", "60"], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        endpoint = proc.stdout.readline().strip()
        statuses = []
        for _ in range(2):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(endpoint + "/v2/", timeout=30)
            statuses.append(refused.value.code)
            retry = refused.value.headers.get("Retry-After")
            refused.value.close()
        assert statuses == [401, 429] and retry == "1"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()
