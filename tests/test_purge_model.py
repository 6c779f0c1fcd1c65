"""Plans and reports as data: the JSON round trip is exact, anything else is refused, and the
texts a reviewer reads say what will happen."""

from __future__ import annotations

import dataclasses
import json

import pytest
from test_purge_helpers import add_referrer, days_ago

import azure_containerregistry.purge as purge
from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry.purge import (
    Decision,
    Outcome,
    PlanItem,
    PurgePlan,
    PurgeReport,
    Reason,
    plan,
)
from azure_containerregistry.testing import LocalRegistry


def test_public_names_are_pinned() -> None:
    assert purge.__all__ == sorted(purge.__all__) == [
        "Decision", "Outcome", "PlanItem", "PurgePlan", "PurgeReport", "Reason", "plan"]


@pytest.fixture
def made(registry: LocalRegistry, client: ContainerRegistryClient) -> PurgePlan:
    registry.add_index("app", ["pr-multi"], created_on=days_ago(9))
    image = registry.add_image("app", ["pr-1", "v1"], created_on=days_ago(9))
    add_referrer(client, "app", image)
    registry.add_image("app", ["pinned"], can_delete=False, created_on=days_ago(9))
    registry.add_image("app", created_on=days_ago(9))
    registry.add_repository("empty")
    return plan(client, ["app:.*"], exclude=["app:v.*"], keep=0, untagged=True,
                include_locked=True)


def test_json_round_trip_is_exact(made: PurgePlan) -> None:
    text = made.to_json()
    again = PurgePlan.from_json(text)
    assert again == made and again.to_json() == text
    kinds = {i.kind for i in made.items}
    assert kinds == {"repository", "tag", "manifest"}
    assert any(i.unlock for i in made.items) and any(i.children for i in made.items)
    assert any(i.subject for i in made.items) and any(i.wave > 1 for i in made.items)
    assert json.loads(text)["rules"]["exclude"] == ["app:v.*"]


def _item_json(made: PurgePlan) -> dict[str, object]:
    return dict(json.loads(made.to_json())["items"][1])


@pytest.mark.parametrize("change", [
    {"decision": "destroy"}, {"reason": "because"}, {"kind": "blob"}, {"size": -1},
    {"size": 1.5}, {"tags": "v1"}, {"tags": [1]}, {"unlock": "yes"}, {"wave": "1"},
    {"name": None}, {"digest": 7}, {"extra": 1}, {"children": None},
])
def test_malformed_items_are_refused(made: PurgePlan, change: dict[str, object]) -> None:
    document = json.loads(made.to_json())
    document["items"][1] = {**_item_json(made), **change}
    with pytest.raises(ValueError):
        PurgePlan.from_json(json.dumps(document))


def test_missing_fields_and_other_versions_are_refused(made: PurgePlan) -> None:
    document = json.loads(made.to_json())
    broken = [
        "not json", "[]", json.dumps({**document, "version": 2}),
        json.dumps({k: v for k, v in document.items() if k != "rules"}),
        json.dumps({**document, "items": {}}), json.dumps({**document, "created_on": 1}),
        json.dumps({**document, "items": [{k: v for k, v in _item_json(made).items()
                                           if k != "wave"}]}),
        json.dumps({**document, "items": ["x"]}),
    ]
    for text in broken:
        with pytest.raises(ValueError):
            PurgePlan.from_json(text)


def test_deletions_come_in_wave_order(made: PurgePlan) -> None:
    deletions = made.deletions
    assert [i.wave for i in deletions] == sorted(i.wave for i in deletions)
    assert {i.kind for i in deletions if i.wave == 0} == {"tag"}
    assert all(i.decision is Decision.DELETE for i in deletions)


def test_summary_and_repr_say_what_happens(made: PurgePlan) -> None:
    tags = made.count("tag", Decision.DELETE)
    manifests = made.count("manifest", Decision.DELETE)
    assert made.summary().startswith(f"delete {tags} tags and {manifests} manifests")
    assert "in 1 repositories" in made.summary()
    assert repr(made).startswith(f"PurgePlan(deletions={tags + manifests}, items=")
    item = next(i for i in made.items if i.name == "v1")
    assert str(item) == "keep tag app:v1 (excluded)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.name = "x"  # type: ignore[misc]


def test_report_counts_and_serialises_outcomes() -> None:
    manifest = PlanItem("manifest", "app", "sha256:a", Decision.DELETE, Reason.UNTAGGED,
                        digest="sha256:a", size=1200, wave=1)
    tag = PlanItem("tag", "app", "v1", Decision.DELETE, Reason.MATCHED, digest="sha256:a")
    report = PurgeReport()
    for outcome in (Outcome(manifest, "deleted"), Outcome(tag, "deleted"),
                    Outcome(tag, "skipped", "gone"), Outcome(tag, "failed", "HttpResponseError")):
        report.add(outcome)
    assert (len(report.deleted), len(report.skipped), len(report.failed)) == (2, 1, 1)
    assert report.bytes_reclaimed == 1200 and not report.ok
    document = json.loads(report.to_json())
    assert document["ok"] is False and document["bytes_reclaimed"] == 1200
    assert document["skipped"][0]["reason"] == "gone"
    assert str(report.failed[0]) == "failed tag app:v1 (HttpResponseError)"
    assert "failed 1" in report.summary() and repr(report).endswith("ok=False)")
