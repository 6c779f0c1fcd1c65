"""The planner's protections, whatever the rules: indexes, referrers, locks, unreadable items,
and rule sets that would empty the registry."""

from __future__ import annotations

import pytest
from test_purge_helpers import add_nested_index, add_referrer, children, days_ago, decided, writes

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry.purge import Decision, Reason, plan
from azure_containerregistry.testing import LocalRegistry


def test_children_of_a_kept_index_are_never_untagged_garbage(
        registry: LocalRegistry, client: ContainerRegistryClient) -> None:
    index = registry.add_index("app", ["latest"], created_on=days_ago(9))
    dangling = registry.add_image("app", created_on=days_ago(9))
    made = plan(client, ["app:.*"], untagged_only=True)
    expected = {f"app:{d}": "keep child-of-kept-index" for d in children(registry, "app", index)}
    assert decided(made, "manifest") == {**expected, f"app:{index}": "keep tagged",
                                         f"app:{dangling}": "delete untagged"}


def test_nested_indexes_protect_their_grandchildren(
        registry: LocalRegistry, client: ContainerRegistryClient) -> None:
    inner = registry.add_index("app", created_on=days_ago(9))
    outer = add_nested_index(client, "app", [inner], tag="multi")
    made = plan(client, ["app:.*"], untagged_only=True)
    assert decided(made, "manifest") == {
        f"app:{outer}": "keep tagged", f"app:{inner}": "keep child-of-kept-index",
        **{f"app:{d}": "keep child-of-kept-index" for d in children(registry, "app", inner)},
    }
    assert made.deletions == []


def test_a_deleted_nested_index_goes_before_its_children(
        registry: LocalRegistry, client: ContainerRegistryClient) -> None:
    inner = registry.add_index("app", created_on=days_ago(9))
    outer = add_nested_index(client, "app", [inner], tag="multi")
    registry.add_image("other", ["v1"])
    made = plan(client, ["app:.*"], untagged=True)
    waves = {i.name: i.wave for i in made.deletions}
    assert waves == {"multi": 0, outer: 1, inner: 2,
                     **{d: 3 for d in children(registry, "app", inner)}}
    assert [i.wave for i in made.deletions] == sorted(waves.values())
    outer_item = next(i for i in made.items if i.name == outer)
    assert outer_item.children == (inner,)


def test_referrers_of_kept_images_stay_and_others_go_first(
        registry: LocalRegistry, client: ContainerRegistryClient) -> None:
    kept = registry.add_image("app", ["v1"])
    doomed = registry.add_image("app", ["pr-1"])
    signature = add_referrer(client, "app", kept)
    sbom = add_referrer(client, "app", kept, "sbom")
    signature_of_sbom = add_referrer(client, "app", sbom)
    doomed_signature = add_referrer(client, "app", doomed)
    made = plan(client, ["app:pr-.*"], untagged=True)
    manifests = decided(made, "manifest")
    for digest in (signature, sbom, signature_of_sbom):
        assert manifests[f"app:{digest}"] == "keep referrer-of-kept-image"
    assert manifests[f"app:{doomed}"] == "delete untagged"
    assert manifests[f"app:{doomed_signature}"] == "delete untagged"
    waves = {i.name: i.wave for i in made.deletions}
    assert waves[doomed_signature] < waves[doomed]
    assert next(i for i in made.items if i.name == doomed_signature).subject == doomed


def test_a_referrer_of_a_protected_child_stays(registry: LocalRegistry,
                                               client: ContainerRegistryClient) -> None:
    index = registry.add_index("app", ["latest"])
    child = children(registry, "app", index)[0]
    attestation = add_referrer(client, "app", child, "attestation")
    made = plan(client, ["app:.*"], untagged_only=True)
    assert decided(made, "manifest")[f"app:{attestation}"] == "keep referrer-of-kept-image"


def test_locked_tags_and_manifests_are_skipped(registry: LocalRegistry,
                                               client: ContainerRegistryClient) -> None:
    registry.add_image("app", ["no-delete"], can_delete=False)
    registry.add_image("app", ["no-write"])
    registry.set_attributes("app", "no-write", can_write=False)
    locked_image = registry.add_image("app", ["on-locked-image"])
    registry.set_attributes("app", digest=locked_image, can_delete=False)
    locked_dangling = registry.add_image("app", can_write=False)
    registry.add_image("app", ["free"])
    made = plan(client, ["app:.*"], untagged=True, allow_all=True)
    assert decided(made) == {"app:no-delete": "skip locked", "app:no-write": "skip locked",
                             "app:on-locked-image": "skip locked", "app:free": "delete matched"}
    assert decided(made, "manifest")[f"app:{locked_dangling}"] == "skip locked"
    assert decided(made, "manifest")[f"app:{locked_image}"] == "keep tagged"


def test_include_locked_plans_unlock_then_delete(registry: LocalRegistry,
                                                 client: ContainerRegistryClient) -> None:
    locked = registry.add_image("app", ["pinned"], can_delete=False, can_write=False)
    registry.add_image("other", ["v1"])
    made = plan(client, ["app:.*"], untagged=True, include_locked=True)
    plans = {i.name: (i.reason, i.unlock) for i in made.deletions}
    assert plans == {"pinned": (Reason.UNLOCK_THEN_DELETE, True),
                     locked: (Reason.UNLOCK_THEN_DELETE, True)}
    assert writes(registry) == []


def test_a_locked_index_keeps_its_children(registry: LocalRegistry,
                                           client: ContainerRegistryClient) -> None:
    index = registry.add_index("app", created_on=days_ago(3))
    registry.set_attributes("app", digest=index, can_delete=False)
    registry.add_image("other", ["v1"])
    made = plan(client, ["app:.*"], untagged_only=True)
    expected = {f"app:{d}": "keep child-of-kept-index" for d in children(registry, "app", index)}
    assert decided(made, "manifest") == {**expected, f"app:{index}": "skip locked"}


def test_a_manifest_whose_body_cannot_be_read_is_kept(
        registry: LocalRegistry, client: ContainerRegistryClient) -> None:
    dangling = registry.add_image("app")
    registry.add_image("other", ["v1"])
    registry.fail_next(1, status=404, method="GET", path_prefix="/v2/app/manifests/")
    made = plan(client, ["app:.*"], untagged_only=True)
    assert decided(made, "manifest") == {f"app:{dangling}": "keep unreadable"}
    assert made.deletions == []


def test_a_rule_set_that_empties_the_registry_is_refused(
        registry: LocalRegistry, client: ContainerRegistryClient) -> None:
    registry.add_image("app", ["v1", "v2"], created_on=days_ago(40))
    registry.add_image("web", ["v1"], created_on=days_ago(40))
    for filters in ([".*:.*"], ["app:.*", "web:v.*"]):
        with pytest.raises(ValueError, match="allow_all"):
            plan(client, filters)
    assert len(plan(client, [".*:.*"], allow_all=True).deletions) == 3
    assert len(plan(client, [".*:.*"], exclude=["web:v1"]).deletions) == 2
    assert len(plan(client, [".*:.*"], min_tags=1).deletions) == 1
    assert plan(client, [".*:.*"], ago="50d").deletions == []
    assert writes(registry) == []


def test_purging_every_untagged_manifest_of_an_untagged_registry_is_refused(
        registry: LocalRegistry, client: ContainerRegistryClient) -> None:
    registry.add_image("app")
    with pytest.raises(ValueError, match="allow_all"):
        plan(client, [".*:.*"], untagged_only=True)
    made = plan(client, [".*:.*"], untagged_only=True, allow_all=True)
    assert [i.decision for i in made.deletions] == [Decision.DELETE]


def _hide_references(registry: LocalRegistry, repository: str, digest: str) -> None:
    """Make the listing show an index without its references (as older ACR answers do)."""
    with registry.store.lock:
        registry.store.repositories[repository].manifests[digest].references = []


def test_an_index_listed_without_references_is_read_for_its_children(
        registry: LocalRegistry, client: ContainerRegistryClient) -> None:
    index = registry.add_index("app", ["latest"])
    _hide_references(registry, "app", index)
    assert client.get_manifest_properties("app", index).references == []
    made = plan(client, ["app:.*"], untagged_only=True)
    expected = {f"app:{d}": "keep child-of-kept-index" for d in children(registry, "app", index)}
    assert decided(made, "manifest") == {**expected, f"app:{index}": "keep tagged"}
    reads = [r.path for r in registry.requests if "/v2/app/manifests/" in r.path]
    assert len(reads) == 1 + 2  # the index's body, and the bodies of both would-be deletions


def test_an_index_whose_children_cannot_be_seen_keeps_every_candidate(
        registry: LocalRegistry, client: ContainerRegistryClient) -> None:
    index = registry.add_index("app", ["latest"])
    dangling = registry.add_image("app")
    _hide_references(registry, "app", index)
    encoded = index.replace(":", "%3A")  # as the client sends it
    registry.fail_next(1, status=404, method="GET", path_prefix=f"/v2/app/manifests/{encoded}")
    made = plan(client, ["app:.*"], untagged_only=True)
    assert made.deletions == []
    manifests = decided(made, "manifest")
    assert manifests[f"app:{dangling}"] == "keep unreadable"
    assert manifests[f"app:{index}"] == "keep tagged"
