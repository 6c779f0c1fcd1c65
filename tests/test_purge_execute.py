"""The executor: deletes exactly the plan, in order, rechecking every item first; failures and
changes are reported, never forced; a rerun finishes an interrupted run."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import pytest
from test_purge_helpers import add_nested_index, add_referrer, children, days_ago, manifests

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry.purge import Outcome, PurgePlan, PurgeReport, plan
from azure_containerregistry.testing import LocalRegistry


def _seed(registry: LocalRegistry) -> dict[str, str]:
    digests = {
        "kept": registry.add_image("app", ["v1"], created_on=days_ago(50)),
        "old": registry.add_image("app", ["pr-1", "pr-2"], created_on=days_ago(50), size=700),
        "dangling": registry.add_image("app", created_on=days_ago(50), size=300),
        "index": registry.add_index("app", ["pr-multi"], created_on=days_ago(50)),
        "other": registry.add_image("web", ["pr-1"], created_on=days_ago(50)),
    }
    return digests


def test_execute_deletes_exactly_the_plan(registry: LocalRegistry,
                                          client: ContainerRegistryClient) -> None:
    d = _seed(registry)
    made = plan(client, ["app:pr-.*"], untagged=True)
    events: list[Outcome] = []
    report = made.execute(client, progress=events.append)
    assert report.ok and report.skipped == [] and report.failed == []
    assert sorted(o.item.name for o in report.deleted) == sorted(i.name for i in made.deletions)
    assert sorted(map(str, events)) == sorted(map(str, report.deleted))
    assert registry.tags("app") == ["v1"] and registry.tags("web") == ["pr-1"]
    assert manifests(registry, "app") == {d["kept"]}
    sizes = sum(i.size or 0 for i in made.deletions if i.kind == "manifest")
    assert report.bytes_reclaimed == sizes >= 1000
    assert report.duration >= 0
    assert '"ok": true' in report.to_json()


def test_nested_index_and_referrers_are_deleted_in_dependency_order(
        registry: LocalRegistry, client: ContainerRegistryClient) -> None:
    inner = registry.add_index("app")
    add_nested_index(client, "app", [inner], tag="multi")
    image = registry.add_image("app", ["pr-1"])
    add_referrer(client, "app", image)
    keeper = registry.add_image("app", ["v1"])
    made = plan(client, ["app:multi", "app:pr-1"], untagged=True)
    registry.clear_requests()
    report = made.execute(client, concurrency=4)
    assert report.ok and len(report.deleted) == len(made.deletions) == 2 + 6
    assert manifests(registry, "app") == {keeper}
    deletes = [unquote(r.path.rsplit("/", 1)[-1]) for r in registry.requests
               if r.method == "DELETE"]
    position = {name: deletes.index(name) for name in deletes}
    for item in made.deletions:
        for child in item.children:
            assert position[item.name] < position[child]
        if item.subject:
            assert position[item.name] < position[item.subject]


@pytest.mark.parametrize("one_by_one", [False, True], ids=["listed", "reread"])
def test_a_saved_plan_skips_what_changed_since(registry: LocalRegistry,
                                               client: ContainerRegistryClient,
                                               one_by_one: bool) -> None:
    """Tags rechecked from a listing taken before each wave, or (one item per plan) by
    rereading each tag: the same outcome. (Manifest waves always list their repository.)"""
    d = _seed(registry)
    moved_to = registry.add_image("app", ["v2"])
    saved = plan(client, ["app:pr-.*"], untagged=True).to_json()
    # The registry changes while the plan is reviewed.
    client.set_manifest("app", client.get_manifest("app", moved_to), tag="pr-1")  # tag moved
    registry.set_attributes("app", "pr-2", can_write=False)                         # tag locked
    client.delete_tag("app", "pr-multi")                                            # tag gone
    registry.set_attributes("app", digest=d["dangling"], can_delete=False)          # locked
    reviewed = PurgePlan.from_json(saved)
    registry.clear_requests()
    if one_by_one:
        report = PurgeReport()
        for item in reviewed.deletions:
            single = PurgePlan([item]).execute(client)
            for outcome in single.deleted + single.skipped + single.failed:
                report.add(outcome)
    else:
        report = reviewed.execute(client)
    listed = [r.path for r in registry.requests if r.path.endswith("/_tags")]
    assert bool(listed) is not one_by_one
    reasons = {o.item.name: o.reason for o in report.skipped}
    assert reasons == {"pr-1": "changed", "pr-2": "locked", "pr-multi": "gone",
                       d["old"]: "tagged", d["dangling"]: "locked"}
    assert report.ok
    assert registry.tags("app") == ["pr-1", "pr-2", "v1", "v2"]
    assert manifests(registry, "app") == {d["kept"], d["old"], d["dangling"], moved_to}


def test_a_child_stays_when_its_index_could_not_be_deleted(
        registry: LocalRegistry, client: ContainerRegistryClient) -> None:
    index = registry.add_index("app", ["pr-multi"])
    registry.add_image("app", ["v1"])
    made = plan(client, ["app:pr-.*"], untagged=True)
    registry.set_attributes("app", digest=index, can_delete=False)  # locked after planning
    report = made.execute(client)
    reasons = {o.item.name: o.reason for o in report.skipped}
    assert reasons == {index: "locked",
                       **{c: "child-of-kept-index" for c in children(registry, "app", index)}}
    assert {index, *children(registry, "app", index)} <= manifests(registry, "app")


def test_include_locked_unlocks_then_deletes(registry: LocalRegistry,
                                             client: ContainerRegistryClient) -> None:
    locked = registry.add_image("app", ["pinned"], can_delete=False, can_write=False)
    registry.add_image("web", ["v1"])
    made = plan(client, ["app:.*"], untagged=True, include_locked=True)
    registry.clear_requests()
    report = made.execute(client)
    assert report.ok and {o.item.name for o in report.deleted} == {"pinned", locked}
    assert [r.method for r in registry.requests if r.method == "PATCH"] == ["PATCH", "PATCH"]
    assert manifests(registry, "app") == set()


def test_one_failure_does_not_stop_the_run(registry: LocalRegistry,
                                           client: ContainerRegistryClient) -> None:
    d = _seed(registry)
    made = plan(client, ["app:pr-.*"], untagged=True)
    registry.fail_next(1, status=500, method="DELETE", path_prefix="/acr/v1/app/_tags/pr-1")
    report = made.execute(client)
    assert not report.ok
    assert [(o.item.name, "500" in o.reason) for o in report.failed] == [("pr-1", True)]
    assert {o.item.name: o.reason for o in report.skipped} == {d["old"]: "tagged"}
    assert registry.tags("app") == ["pr-1", "v1"]
    assert manifests(registry, "app") == {d["kept"], d["old"]}
    assert "Bearer" not in report.to_json() and "eyJ" not in report.to_json()


def test_a_rerun_finishes_an_interrupted_run(registry: LocalRegistry,
                                             client: ContainerRegistryClient) -> None:
    d = _seed(registry)
    made = plan(client, ["app:pr-.*"], untagged=True)
    seen: list[Outcome] = []

    def interrupt(outcome: Outcome) -> None:
        seen.append(outcome)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        made.execute(client, concurrency=1, progress=interrupt)
    assert manifests(registry, "app") != {d["kept"]}  # the first run stopped early
    report = PurgePlan.from_json(made.to_json()).execute(client)
    assert report.ok
    gone = {o.item.name for o in report.skipped if o.reason == "gone"}
    assert {o.item.name for o in seen} <= gone
    assert gone | {o.item.name for o in report.deleted} == {i.name for i in made.deletions}
    assert registry.tags("app") == ["v1"] and manifests(registry, "app") == {d["kept"]}
    again = made.execute(client)
    assert again.deleted == [] and len(again.skipped) == len(made.deletions)


def test_a_plan_refuses_to_run_against_another_registry(
    registry: LocalRegistry, client: ContainerRegistryClient, registry_factory: Any
) -> None:
    registry.add_image("app", tags=["old"], created_on=days_ago(90))
    registry.add_image("app", tags=["new"])
    mirror = registry_factory()
    mirror.add_image("app", tags=["old"], created_on=days_ago(90))
    reviewed = PurgePlan.from_json(plan(client, ["app:.*"], ago="30d").to_json())
    other = ContainerRegistryClient(mirror.endpoint, mirror.credential())
    with other, pytest.raises(ValueError, match="made for"):
        reviewed.execute(other)
    assert mirror.requests == []
    assert mirror.tags("app") == ["old"]


def test_an_index_pushed_after_planning_keeps_its_children(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", ["v1"])
    child = registry.add_image("app", created_on=days_ago(90))  # untagged: to be deleted
    reviewed = plan(client, ["app:.*"], untagged_only=True)
    assert [(i.kind, i.name) for i in reviewed.deletions] == [("manifest", child)]
    body = client.get_manifest("app", child)
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
             "manifests": [{"mediaType": body.media_type, "digest": child, "size": body.size,
                            "platform": {"architecture": "amd64", "os": "linux"}}]}
    client.set_manifest("app", index, tag="multi")  # pushed while the plan waited for review
    report = reviewed.execute(client)
    assert [(o.item.name, o.reason) for o in report.skipped] == [(child, "child-of-kept-index")]
    assert child in manifests(registry, "app")
