"""A throttled inventory completes with nothing missing, backing off on a fake clock.

The registry's read budget and the limiter share a clock that only moves when the limiter
sleeps, so the walk obeys every ``Retry-After`` without waiting for real.
"""

from __future__ import annotations

from typing import Callable, Set, Tuple

from fake_time import FakeTime

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry._throttle import AdaptiveLimiter
from azure_containerregistry.explore import Inventory, inventory
from azure_containerregistry.testing import LocalRegistry, Throttle

Factory = Callable[..., LocalRegistry]



def seed(registry: LocalRegistry, repositories: int = 6, images: int = 8) -> None:
    for r in range(repositories):
        for i in range(images):
            registry.add_image(f"team/repo{r}", tags=[f"v{i}"] if i % 2 else [])
        registry.add_index(f"team/repo{r}", tags=["latest"])


def content(found: Inventory) -> Tuple[Set[object], Set[object]]:
    return set(found.manifests), set(found.tags)


def test_a_walk_under_a_read_budget_completes_with_nothing_missing(
        registry_factory: Factory) -> None:
    fake = FakeTime()
    registry = registry_factory(throttle=Throttle(reads_per_minute=600, clock=fake.clock))
    seed(registry)
    registry.throttle = None
    with ContainerRegistryClient(registry.endpoint, registry.credential(),
                                 retry_backoff_factor=0) as client:
        expected = inventory(client, layers=True, progress=False)
        registry.throttle = Throttle(reads_per_minute=600, clock=fake.clock)  # 10 a second
        limiter = AdaptiveLimiter(16, clock=fake.clock, sleep=fake.sleep)
        found = inventory(client, layers=True, progress=False, limiter=limiter)
    assert found.errors == ()
    assert len(found.manifests) == 6 * 11 and len(found.tags) == 6 * 5
    assert content(found) == content(expected)
    assert found.storage_rows() == expected.storage_rows()
    stats = limiter.stats
    assert stats.throttled > 0 and stats.min_limit < 16 and fake.slept
    throttled = [r for r in registry.requests if r.status == 429]
    assert len(throttled) == stats.throttled


def test_injected_429s_are_retried_and_nothing_is_missing(registry: LocalRegistry) -> None:
    seed(registry, repositories=3, images=4)
    fake = FakeTime()
    with ContainerRegistryClient(registry.endpoint, registry.credential(),
                                 retry_backoff_factor=0) as client:
        expected = inventory(client, layers=True, progress=False)
        registry.fail_next(5, status=429, retry_after=0.01, path_prefix="/acr/v1/")
        registry.fail_next(5, status=429, retry_after=0.01, path_prefix="/v2/")
        limiter = AdaptiveLimiter(8, clock=fake.clock, sleep=fake.sleep)
        found = inventory(client, layers=True, progress=False, limiter=limiter)
    assert found.errors == ()
    assert content(found) == content(expected)
    assert limiter.stats.throttled == 10 and limiter.stats.retries == 10


def test_a_repository_throttled_past_its_retries_is_reported_not_dropped(
        registry: LocalRegistry) -> None:
    seed(registry, repositories=2, images=2)
    fake = FakeTime()
    with ContainerRegistryClient(registry.endpoint, registry.credential(),
                                 retry_backoff_factor=0) as client:
        registry.fail_next(3, status=429, retry_after=1, path_prefix="/acr/v1/team%2Frepo1/_tags")
        limiter = AdaptiveLimiter(4, retries=2, clock=fake.clock, sleep=fake.sleep)
        found = inventory(client, progress=False, limiter=limiter)
    assert [(e.what, e.repository) for e in found.errors] == [("tags", "team/repo1")]
    assert "429" in found.errors[0].error or "TOOMANYREQUESTS" in found.errors[0].error
    assert {m.repository for m in found.manifests} == {"team/repo0", "team/repo1"}
