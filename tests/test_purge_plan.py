"""The planner's rules against LocalRegistry: filters, excludes, age, keep, min_tags, untagged.

Every test also checks the plan is a dry run: only reads reached the registry.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_purge_helpers import days_ago, decided, writes

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry.purge import Decision, Reason, plan
from azure_containerregistry.testing import LocalRegistry


def test_filters_match_whole_repository_and_tag_names(registry: LocalRegistry,
                                                      client: ContainerRegistryClient) -> None:
    registry.add_image("app", ["pr-1", "pr-10", "v1", "xpr-1"])
    registry.add_image("app-old", ["pr-1"])
    made = plan(client, ["app:pr-\\d"])
    assert decided(made) == {
        "app:pr-1": "delete matched", "app:pr-10": "keep not-matched",
        "app:v1": "keep not-matched", "app:xpr-1": "keep not-matched",
    }
    repositories = decided(made, "repository")
    assert repositories == {"app:app": "keep matched", "app-old:app-old": "skip not-matched"}
    assert writes(registry) == []


def test_any_filter_may_match_and_excludes_win(registry: LocalRegistry,
                                               client: ContainerRegistryClient) -> None:
    registry.add_image("app", ["pr-1", "pr-2", "rc-1", "v1"])
    made = plan(client, ["app:pr-.*", "a.p:rc-.*"], exclude=["app:pr-2", ".*:rc-.*"])
    assert decided(made) == {
        "app:pr-1": "delete matched", "app:pr-2": "keep excluded",
        "app:rc-1": "keep excluded", "app:v1": "keep not-matched",
    }


def test_age_cutoff_applies_to_tag_last_updated(registry: LocalRegistry,
                                                client: ContainerRegistryClient) -> None:
    registry.add_image("app", ["old"], created_on=days_ago(40))
    registry.add_image("app", ["mid"], created_on=days_ago(20))
    registry.add_image("app", ["new"])
    by_text = decided(plan(client, ["app:.*"], ago="30d"))
    assert by_text == {"app:old": "delete matched", "app:mid": "keep too-new",
                       "app:new": "keep too-new"}
    assert decided(plan(client, ["app:.*"], ago=timedelta(days=10))) == {
        "app:old": "delete matched", "app:mid": "delete matched", "app:new": "keep too-new"}
    assert decided(plan(client, ["app:.*"], ago=days_ago(30)))["app:mid"] == "keep too-new"
    assert decided(plan(client, ["app:.*"], ago="1d2h"))["app:mid"] == "delete matched"


def test_keep_saves_the_newest_matching_tags_whatever_their_age(
        registry: LocalRegistry, client: ContainerRegistryClient) -> None:
    for day in range(1, 7):
        registry.add_image("app", [f"b{day}"], created_on=days_ago(day * 10))
    registry.add_image("app", ["other"], created_on=days_ago(1))
    made = plan(client, ["app:b.*"], ago="25d", keep=3)
    assert decided(made) == {
        "app:b1": "keep too-new", "app:b2": "keep too-new", "app:b3": "keep kept-by-keep",
        "app:b4": "delete matched", "app:b5": "delete matched", "app:b6": "delete matched",
        "app:other": "keep not-matched",
    }


def test_keep_and_min_tags_count_across_many_pages(
        registry_factory: object, ) -> None:
    registry = registry_factory(max_page_size=4)  # type: ignore[operator]
    for n in range(30):
        registry.add_image(f"repo{n % 2}", [f"t{n:02d}"], created_on=days_ago(100 - n))
    with ContainerRegistryClient(registry.endpoint, registry.credential()) as client:
        made = plan(client, ["repo0:.*", "repo1:.*"], keep=4, min_tags=6, ago="1d")
    listing = [r for r in registry.requests if r.path.endswith("/_tags")]
    assert len(listing) >= 8  # 15 tags per repository, 4 per page
    for repository in ("repo0", "repo1"):
        tags = sorted((i for i in made.items if i.kind == "tag" and i.repository == repository),
                      key=lambda i: i.last_updated_on or "", reverse=True)
        assert len(tags) == 15
        assert [i.reason for i in tags[:4]] == [Reason.KEPT_BY_KEEP] * 4
        assert [i.reason for i in tags[4:6]] == [Reason.MIN_TAGS] * 2
        assert all(i.decision is Decision.DELETE for i in tags[6:])


def test_min_tags_counts_tags_the_filters_do_not_touch(
        registry: LocalRegistry, client: ContainerRegistryClient) -> None:
    registry.add_image("app", ["v1", "v2"])
    for day in range(1, 5):
        registry.add_image("app", [f"pr-{day}"], created_on=days_ago(day))
    made = plan(client, ["app:pr-.*"], min_tags=4)
    assert decided(made) == {
        "app:v1": "keep not-matched", "app:v2": "keep not-matched",
        "app:pr-1": "keep min-tags", "app:pr-2": "keep min-tags",
        "app:pr-3": "delete matched", "app:pr-4": "delete matched",
    }


def test_untagged_deletes_manifests_left_without_tags(
        registry: LocalRegistry, client: ContainerRegistryClient) -> None:
    shared = registry.add_image("app", ["pr-1", "v1"], created_on=days_ago(9))
    gone = registry.add_image("app", ["pr-2", "pr-3"], created_on=days_ago(9))
    dangling = registry.add_image("app", created_on=days_ago(9))
    fresh = registry.add_image("app")
    made = plan(client, ["app:pr-.*"], untagged=True, ago="1d")
    assert decided(made, "manifest") == {
        f"app:{shared}": "keep tagged", f"app:{gone}": "delete untagged",
        f"app:{dangling}": "delete untagged", f"app:{fresh}": "keep too-new",
    }
    without = plan(client, ["app:pr-.*"], ago="1d")
    assert decided(without, "manifest")[f"app:{gone}"] == "keep not-matched"
    assert writes(registry) == []


def test_untagged_only_keeps_every_tag(registry: LocalRegistry,
                                       client: ContainerRegistryClient) -> None:
    tagged = registry.add_image("app", ["pr-1"], created_on=days_ago(9))
    dangling = registry.add_image("app", created_on=days_ago(9))
    made = plan(client, ["app:.*"], untagged_only=True)
    assert decided(made) == {"app:pr-1": "keep not-matched"}
    assert decided(made, "manifest") == {f"app:{tagged}": "keep tagged",
                                         f"app:{dangling}": "delete untagged"}


def test_exclude_matches_the_digest_of_an_untagged_manifest(
        registry: LocalRegistry, client: ContainerRegistryClient) -> None:
    dangling = registry.add_image("app")
    other = registry.add_image("app")
    made = plan(client, ["app:.*"], untagged_only=True, exclude=[f"app:{dangling}"])
    assert decided(made, "manifest") == {f"app:{dangling}": "keep excluded",
                                         f"app:{other}": "delete untagged"}


def test_bad_rules_raise_before_any_request(registry: LocalRegistry,
                                            client: ContainerRegistryClient) -> None:
    registry.add_image("app", ["v1"])
    for bad in (dict(filters=["app"]), dict(filters=["app:("]), dict(filters=[]),
                dict(filters=["app:.*"], exclude=[":x"]), dict(filters=["app:.*"], ago="-1d"),
                dict(filters=["app:.*"], ago="200000d"), dict(filters=["app:.*"], keep=-1),
                dict(filters=["app:.*"], min_tags=True)):
        with pytest.raises(ValueError):
            plan(client, **bad)  # type: ignore[arg-type]
    assert registry.requests == []


def test_the_plan_is_a_dry_run(registry: LocalRegistry,
                               client: ContainerRegistryClient) -> None:
    registry.add_index("app", ["multi"], created_on=days_ago(50))
    registry.add_image("app", ["v1", "v2"], created_on=days_ago(50))
    registry.add_image("app", created_on=days_ago(50))
    registry.add_image("keep", ["v1"])
    made = plan(client, ["app:.*"], untagged=True, ago="1d")
    assert len(made.deletions) == 3 + 5
    assert writes(registry) == []
    assert {r.method for r in registry.requests if not r.path.startswith("/oauth2/")} == {"GET"}
    assert registry.tags("app") == ["multi", "v1", "v2"]
    listings = [r for r in registry.requests if r.path.endswith(("/_tags", "/_manifests",
                                                                  "/_catalog"))]
    assert len(listings) == 3 and all(r.query.get("n") == "1000" for r in listings)
