"""Pure parts of the planner, tested directly: rule and age parsing, the graph rules, and tag
decisions on data the registry can't produce (missing timestamps)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Optional

import pytest

from azure_containerregistry.purge import Reason
from azure_containerregistry.purge._graph import body_children, body_subject, protect, waves
from azure_containerregistry.purge._plan import _decide_manifest, _decide_tags, _Options
from azure_containerregistry.purge._rules import MAX_AGE, cutoff, parse_ago, parse_rules

NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)


def test_a_rule_splits_at_the_first_colon_outside_groups() -> None:
    [rule] = parse_rules("(?:team-a|team-b)/.*:(?:v|pr-)[0-9]+")
    assert rule.matches("team-a/web", "pr-12") and rule.matches("team-b/x", "v1")
    assert not rule.matches("team-c/web", "v1") and not rule.matches("team-a/web", "v1-rc")
    assert parse_rules("a:[:x]")[0].tag.pattern == "[:x]"  # a class may hold ':'
    assert parse_rules(r"a:\:")[0].tag.pattern == r"\:"
    assert [r.text for r in parse_rules("solo:.*")] == ["solo:.*"]


@pytest.mark.parametrize("text", ["app", "app:", ":v1", "app:(", "(:x", "app:[", 42])
def test_bad_rules_are_refused(text: object) -> None:
    with pytest.raises(ValueError):
        parse_rules([text])  # type: ignore[list-item]


@pytest.mark.parametrize(("text", "expected"), [
    ("30d", timedelta(days=30)), ("2d3h", timedelta(days=2, hours=3)),
    ("15m", timedelta(minutes=15)), ("1h30m", timedelta(minutes=90)),
    ("0d", timedelta(0)), (" 45s ", timedelta(seconds=45)), ("1D", timedelta(days=1)),
])
def test_ago_text_is_days_hours_minutes_seconds(text: str, expected: timedelta) -> None:
    assert parse_ago(text) == expected


@pytest.mark.parametrize("bad", ["", "30", "-1d", "3h2d", "1w", "d", "1.5d", "54790d",
                                 "9" * 30 + "d", timedelta(seconds=-1), MAX_AGE * 2, 30, True])
def test_absurd_ages_are_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        cutoff(bad, NOW)  # type: ignore[arg-type]


def test_a_datetime_is_the_cutoff_itself() -> None:
    assert cutoff(datetime(2024, 5, 1), NOW) == datetime(2024, 5, 1, tzinfo=timezone.utc)
    assert cutoff("1d", NOW) == NOW - timedelta(days=1)
    assert cutoff(None, NOW) is None
    for bad in (NOW + timedelta(seconds=1), datetime(1800, 1, 1, tzinfo=timezone.utc)):
        with pytest.raises(ValueError):
            cutoff(bad, NOW)


def test_bodies_give_children_and_subject() -> None:
    index = {"manifests": [{"digest": "sha256:a"}, {"nodigest": 1}, "junk"]}
    assert body_children(index) == ["sha256:a"]
    assert body_children({"manifests": "x"}) == [] and body_subject(index) is None
    assert body_subject({"subject": {"digest": "sha256:s"}}) == "sha256:s"


def test_protection_reaches_a_fixpoint_through_indexes_and_referrers() -> None:
    # kept index K lists I (deleting), I lists C; R refers to C, S refers to R; X is free.
    present = ["K", "I", "C", "R", "S", "X", "D"]
    children = {"K": ["I"], "I": ["C"]}
    subjects = {"R": "C", "S": "R", "D": "gone-subject"}
    rescued = protect(present, ["I", "C", "R", "S", "X", "D"], children, subjects)
    assert rescued == {"I": Reason.CHILD_OF_KEPT_INDEX, "C": Reason.CHILD_OF_KEPT_INDEX,
                       "R": Reason.REFERRER_OF_KEPT_IMAGE, "S": Reason.REFERRER_OF_KEPT_IMAGE}


def test_waves_put_indexes_and_referrers_first() -> None:
    children = {"O": ["I"], "I": ["A", "B"], "kept": ["Z"]}
    subjects = {"sig": "O", "sig2": "sig"}
    assert waves(["O", "I", "A", "B", "sig", "sig2", "lone"], children, subjects) == {
        "sig2": 1, "sig": 2, "O": 3, "I": 4, "A": 5, "B": 5, "lone": 1}
    assert waves(["P", "Q"], {"P": ["Q"], "Q": ["P"]}, {}) in ({"P": 1, "Q": 2},
                                                               {"P": 2, "Q": 1})


@dataclass
class Tag:
    """Registry data as the listing gives it (the fields the planner reads)."""

    name: Optional[str]
    last_updated_on: Optional[datetime]
    digest: Optional[str] = "sha256:m"
    can_delete: Optional[bool] = True
    can_write: Optional[bool] = True


@dataclass
class Manifest:
    digest: Optional[str] = "sha256:m"
    last_updated_on: Optional[datetime] = NOW - timedelta(days=9)
    media_type: Optional[str] = "application/vnd.oci.image.manifest.v1+json"
    tags: Optional[list[str]] = field(default_factory=list)
    can_delete: Optional[bool] = True
    can_write: Optional[bool] = True


def _options(**changes: object) -> _Options:
    base = dict(filters=tuple(parse_rules("app:.*")), excludes=(), cutoff=NOW - timedelta(1),
                keep=0, min_tags=0, untagged=True, untagged_only=False, include_locked=False)
    return _Options(**{**base, **changes})  # type: ignore[arg-type]


def test_unreadable_tags_are_kept_and_not_counted_by_keep() -> None:
    old = NOW - timedelta(days=9)
    tags = [Tag("no-time", None), Tag("no-digest", old, digest=None),
            Tag("unknown-manifest", old, digest="sha256:other"), Tag("a", old),
            Tag("b", old - timedelta(1)), Tag(None, old)]
    items = _decide_tags("app", tags, {"sha256:m": Manifest()}, _options(keep=1))  # type: ignore
    assert [(i.name, i.reason) for i in items] == [
        ("no-time", Reason.UNREADABLE), ("no-digest", Reason.UNREADABLE),
        ("unknown-manifest", Reason.UNREADABLE), ("a", Reason.KEPT_BY_KEEP),
        ("b", Reason.MATCHED), ("", Reason.UNREADABLE)]


def test_unreadable_manifests_are_kept() -> None:
    o = _options()
    for manifest in (Manifest(last_updated_on=None), Manifest(media_type=None),
                     Manifest(digest=None)):
        assert _decide_manifest("app", manifest, set(), o)[1] is Reason.UNREADABLE  # type: ignore
    assert _decide_manifest("app", Manifest(tags=None), set(), o)[1] is Reason.UNTAGGED  # type: ignore
