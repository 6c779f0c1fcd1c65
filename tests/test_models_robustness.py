"""Models read whatever a server sends without raising: odd fields read as None (references: [])."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from azure_containerregistry import (
    ArtifactArchitecture,
    ArtifactManifestPlatform,
    ArtifactManifestProperties,
    ArtifactOperatingSystem,
    ArtifactTagProperties,
    RepositoryProperties,
)

DIGEST = "sha256:" + "a" * 64
RECORDED_TIME = "2021-06-09T18:20:41.4935491Z"  # the recordings' shape: 7 digits and "Z"
BAD_TIMES: list[Any] = ["garbage", "", 123, 1.5, None, True, [], {}, "2021-13-01T00:00:00Z"]
BAD_TEXT: list[Any] = [5, 1.5, True, [], {}, ["x"], {"a": "b"}]
BAD_COUNTS: list[Any] = ["big", "12", 1.5, True, [], {}, None]
BAD_LISTS: list[Any] = ["x", 5, {}, {"a": 1}, True]


def manifest(**wire: Any) -> ArtifactManifestProperties:
    return ArtifactManifestProperties._from_wire(wire, repository="app", registry="r.azurecr.io")


def tag(**wire: Any) -> ArtifactTagProperties:
    return ArtifactTagProperties._from_wire(wire, repository="app", registry="r.azurecr.io")


def repository(**wire: Any) -> RepositoryProperties:
    return RepositoryProperties._from_wire(wire)


def assert_never_raises(model: Any) -> None:
    """``repr``, ``str``, ``to_dict`` and ``==`` all work on ``model``."""
    assert type(model).__name__ in repr(model)
    assert str(model) == repr(model)
    plain = model.to_dict()
    assert plain == model.to_dict()
    assert model == copy.copy(model)
    assert model != object()


def test_recorded_timestamps_with_seven_digits_and_z_are_read() -> None:
    model = manifest(createdTime=RECORDED_TIME, lastUpdateTime="2021-06-09T18:20:41Z")
    expected = datetime(2021, 6, 9, 18, 20, 41, 493549, tzinfo=timezone.utc)
    assert model.created_on == expected
    assert model.last_updated_on == expected.replace(microsecond=0)
    assert model.created_on is not None and model.created_on.utcoffset() == timedelta(0)


def test_timestamps_with_offsets_are_read() -> None:
    created = repository(createdTime="2021-06-09T20:20:41.12+02:00").created_on
    assert created == datetime(2021, 6, 9, 18, 20, 41, 120000, tzinfo=timezone.utc)


@pytest.mark.parametrize("bad", BAD_TIMES)
def test_malformed_timestamps_read_as_none(bad: Any) -> None:
    for model in (
        manifest(createdTime=bad, lastUpdateTime=bad),
        tag(createdTime=bad, lastUpdateTime=bad),
        repository(createdTime=bad, lastUpdateTime=bad),
    ):
        assert (model.created_on, model.last_updated_on) == (None, None)
        assert_never_raises(model)


@pytest.mark.parametrize("bad", BAD_TEXT)
def test_wrong_typed_text_fields_read_as_none(bad: Any) -> None:
    built = manifest(digest=bad, mediaType=bad, configMediaType=bad, architecture=bad, os=bad)
    assert (built.digest, built.media_type, built.config_media_type) == (None, None, None)
    assert (built.architecture, built.operating_system) == (None, None)
    assert built.fully_qualified_reference == "r.azurecr.io/app@None"
    assert tag(name=bad, digest=bad).name is None
    assert (repository(imageName=bad).name, repository(registry=bad).registry) == (None, None)
    assert_never_raises(built)


@pytest.mark.parametrize("bad", BAD_COUNTS)
def test_wrong_typed_counts_and_sizes_read_as_none(bad: Any) -> None:
    built = repository(manifestCount=bad, tagCount=bad)
    assert (built.manifest_count, built.tag_count) == (None, None)
    assert manifest(imageSize=bad).size_in_bytes is None
    assert manifest(imageSize=bad).size is None
    assert_never_raises(built)


@pytest.mark.parametrize("bad", BAD_LISTS)
def test_wrong_typed_lists_read_as_no_tags_and_no_references(bad: Any) -> None:
    built = manifest(tags=bad, references=bad)
    assert (built.tags, built.references) == (None, [])
    assert_never_raises(built)


def test_a_list_with_a_wrong_typed_item_is_dropped_as_a_whole() -> None:
    built = manifest(tags=["v1", 2], references=[1, "x", {}])
    assert (built.tags, built.references) == (None, [])
    assert_never_raises(built)


def test_references_with_wrong_typed_fields_give_platforms_of_none() -> None:
    built = manifest(references=[{"digest": 1, "architecture": 5, "os": []}, {}])
    assert [child.to_dict() for child in built.references] == [
        {"digest": None, "architecture": None, "operating_system": None}
    ] * 2
    assert_never_raises(built)


def test_well_typed_fields_still_read_as_before() -> None:
    built = manifest(
        digest=DIGEST, imageSize=0, tags=["v1", "latest"], mediaType="a/b",
        architecture="arm64", os="linux", createdTime=RECORDED_TIME,
        references=[{"digest": DIGEST, "architecture": "riscv128", "os": "linux"}],
        changeableAttributes={"deleteEnabled": False, "writeEnabled": True},
    )  # fmt: skip
    assert (built.digest, built.size_in_bytes, built.tags) == (DIGEST, 0, ["v1", "latest"])
    assert built.architecture is ArtifactArchitecture.ARM64
    assert built.operating_system is ArtifactOperatingSystem.LINUX
    assert (built.can_delete, built.can_write, built.can_read) == (False, True, None)
    assert built.references[0].architecture == "riscv128"  # unknown values are kept as str
    assert built.fully_qualified_reference == f"r.azurecr.io/app@{DIGEST}"


@pytest.mark.parametrize("bad", [[], ["x"], "yes", 5, None])
def test_malformed_changeable_attributes_leave_flags_unset(bad: Any) -> None:
    for model in (
        manifest(changeableAttributes=bad),
        tag(changeableAttributes=bad),
        repository(changeableAttributes=bad),
    ):
        flags = (model.can_delete, model.can_list, model.can_read, model.can_write)
        assert flags == (None, None, None, None)
        assert_never_raises(model)


def test_non_boolean_flags_read_as_none() -> None:
    wire = {"deleteEnabled": "false", "listEnabled": 0, "readEnabled": None, "teleportEnabled": 1}
    built = repository(changeableAttributes=wire)
    flags = (built.can_delete, built.can_list, built.can_read, built.teleport_enabled)
    assert flags == (None, None, None, None)


@pytest.mark.parametrize("wire", [None, [], "x", 5])
def test_a_wire_body_that_is_not_an_object_gives_an_empty_model(wire: Any) -> None:
    built = ArtifactManifestProperties._from_wire(wire, repository="app", registry="r")
    assert (built.digest, built.tags, built.created_on) == (None, None, None)
    assert ArtifactManifestPlatform(wire).digest is None
    assert RepositoryProperties._from_wire(wire).name is None
    assert_never_raises(built)


def test_wrong_typed_repository_and_registry_read_as_none() -> None:
    built = ArtifactTagProperties._from_wire({}, repository=5, registry=[])  # type: ignore[arg-type]
    assert (built.repository_name, built.registry) == (None, None)
    assert_never_raises(built)


def test_models_with_unparseable_times_compare_equal_and_unequal_by_value() -> None:
    first, second = manifest(createdTime="garbage"), manifest(createdTime=123)
    assert first == second
    assert first != manifest(createdTime=RECORDED_TIME)
