"""The executor under faults: 503 bursts, 429 with Retry-After (injected and from LocalRegistry's
throttling), dropped connections and tokens expiring mid-run. Each run completes, deletes all it
planned and nothing else, and reports it; no test waits out a real back-off (the limiter gets a
fake clock and sleep, azure-core's own back-off is set to zero)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Callable

import pytest
from test_purge_helpers import FakeTime, add_referrer, children, days_ago, manifests

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry._throttle import AdaptiveLimiter
from azure_containerregistry.purge import Outcome, PurgePlan, PurgeReport, plan
from azure_containerregistry.testing import LocalRegistry, Throttle


class Scene:
    """A registry seeded with things to purge and things that must stay, and its plan."""

    def __init__(self, registry: LocalRegistry, client: ContainerRegistryClient,
                 images: int = 6) -> None:
        self.registry, self.client = registry, client
        index = registry.add_index("app", ["latest"])
        self.kept = {index, *children(registry, "app", index),
                     add_referrer(client, "app", index)}
        for n in range(images):
            registry.add_image("app", [f"pr-{n}"], created_on=days_ago(40))
            registry.add_image("web", [f"pr-{n}", f"ci-{n}"], created_on=days_ago(40))
        self.kept_web = {registry.add_image("web", ["v1"], created_on=days_ago(40))}
        self.plan: PurgePlan = plan(client, [".*:pr-.*", "web:ci-.*"], untagged=True)
        self.fake = FakeTime()
        self.limiter = AdaptiveLimiter(8, clock=self.fake.clock, sleep=self.fake.sleep)

    def run(self, progress: Callable[[Outcome], None] | None = None) -> PurgeReport:
        return self.plan.execute(self.client, limiter=self.limiter, progress=progress)

    def check(self, report: PurgeReport) -> None:
        """Everything planned is deleted, everything else is still there."""
        assert report.ok, report.failed
        assert report.skipped == []
        assert len(report.deleted) == len(self.plan.deletions) == 3 * 6 + 2 * 6
        assert manifests(self.registry, "app") == self.kept
        assert manifests(self.registry, "web") == self.kept_web
        assert self.registry.tags("app") == ["latest"] and self.registry.tags("web") == ["v1"]


@pytest.fixture
def quick_client(registry: LocalRegistry) -> Iterator[ContainerRegistryClient]:
    """A client whose azure-core retries (connection errors) don't sleep."""
    with ContainerRegistryClient(registry.endpoint, registry.credential(),
                                 retry_backoff_factor=0) as made:
        yield made


def test_a_503_burst_is_retried_by_the_limiter(registry: LocalRegistry,
                                                quick_client: ContainerRegistryClient) -> None:
    scene = Scene(registry, quick_client)
    # Fewer than the limiter's 8 retries: even if one call met every fault, it would succeed.
    registry.fail_next(7, status=503, method="DELETE")
    registry.fail_next(5, status=503, method="GET", path_prefix="/acr/v1/web/")
    scene.check(scene.run())
    assert scene.limiter.stats.throttled == 12
    assert scene.fake.slept  # backed off, on the fake clock
    assert scene.limiter.stats.min_limit < 8


def test_429_retry_after_pauses_every_caller_then_completes(
        registry: LocalRegistry, quick_client: ContainerRegistryClient) -> None:
    scene = Scene(registry, quick_client)
    registry.fail_next(4, status=429, retry_after=7, method="DELETE")
    scene.check(scene.run())
    stats = scene.limiter.stats
    assert stats.throttled == 4 and stats.retries == 4
    assert stats.paused >= 7 and max(scene.fake.slept) <= 7
    assert 429 in {r.status for r in registry.requests}


def test_dropped_connections_are_retried(registry: LocalRegistry,
                                         quick_client: ContainerRegistryClient) -> None:
    scene = Scene(registry, quick_client)
    registry.drop_next(1, method="DELETE")
    registry.drop_next(1, method="GET", path_prefix="/acr/v1/app/_tags/")
    registry.drop_next(1, method="DELETE", after_bytes=0)  # deleted, but the answer is lost
    scene.check(scene.run())


def test_tokens_expiring_mid_run_are_renewed(registry: LocalRegistry,
                                             quick_client: ContainerRegistryClient) -> None:
    scene = Scene(registry, quick_client)
    # One call at a time, so the tokens expire between requests, as time makes them do. (Expiry
    # racing a token fetch in flight is a revocation the client may answer with a 401.)
    scene.limiter = AdaptiveLimiter(1, maximum=1, clock=scene.fake.clock, sleep=scene.fake.sleep)
    seen: list[Outcome] = []

    def expire(outcome: Outcome) -> None:
        seen.append(outcome)
        if len(seen) in (3, 20):
            registry.expire_tokens(include_aad=len(seen) == 20)

    registry.clear_requests()
    scene.check(scene.run(progress=expire))
    assert len(seen) == len(scene.plan.deletions)
    assert sum(r.status == 401 for r in registry.requests) >= 2  # each expiry was noticed


def test_a_throttled_registry_is_purged_without_failures(
        registry_factory: Callable[..., LocalRegistry]) -> None:
    fake = FakeTime()
    registry = registry_factory(throttle=Throttle(writes_per_minute=600, clock=fake.clock))
    with ContainerRegistryClient(registry.endpoint, registry.credential(),
                                 retry_backoff_factor=0) as client:
        scene = Scene(registry, client, images=15)
        scene.fake = fake
        scene.limiter = AdaptiveLimiter(16, clock=fake.clock, sleep=fake.sleep)
        report = scene.run()
        assert report.ok, report.failed
        assert len(report.deleted) == len(scene.plan.deletions) == 5 * 15
    assert manifests(registry, "app") == scene.kept
    assert manifests(registry, "web") == scene.kept_web
    stats = scene.limiter.stats
    assert stats.throttled > 0 and stats.min_limit < 16
    assert sum(fake.slept) >= (5 * 15 - 10) / 10 - 1  # ~10 writes a second after the burst
