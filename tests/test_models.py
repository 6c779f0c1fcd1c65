"""Models: repr, equality, to_dict (Python values and the JSON form), seed-era names, flags."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from azure_containerregistry import (
    ArtifactArchitecture,
    ArtifactManifestProperties,
    ArtifactOperatingSystem,
    ArtifactTagProperties,
    ContainerRegistryClient,
    RepositoryProperties,
)
from azure_containerregistry.testing import LocalRegistry


def test_models_round_trip_to_plain_json_with_the_json_form(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_index("multi", tags=["latest"])
    manifest = client.get_manifest_properties("multi", "latest")
    plain = json.loads(json.dumps(manifest.to_dict(json=True)))
    assert plain["digest"] == manifest.digest
    assert plain["created_on"] == manifest.created_on.isoformat()  # type: ignore[union-attr]
    assert plain["references"][0]["architecture"] == "amd64"
    repository = client.get_repository_properties("multi").to_dict(json=True)
    assert json.loads(json.dumps(repository))["name"] == "multi"


def test_to_dict_keeps_python_values_datetimes_and_enum_members(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_index("multi", tags=["latest"])
    manifest = client.get_manifest_properties("multi", "latest").to_dict()
    assert isinstance(manifest["created_on"], datetime)
    assert manifest["created_on"].utcoffset() == timedelta(0)
    child = manifest["references"][0]
    assert child["architecture"] is ArtifactArchitecture.AMD64
    assert child["operating_system"] is ArtifactOperatingSystem.LINUX
    assert manifest["tags"] == ["latest"] and isinstance(manifest["size_in_bytes"], int)
    repository = client.get_repository_properties("multi").to_dict()
    assert isinstance(repository["last_updated_on"], datetime)
    assert isinstance(repository["tag_count"], int) and repository["can_delete"] is True


def test_repr_shows_datetimes_as_datetimes() -> None:
    tag = ArtifactTagProperties(name="v1", created_on="2026-01-02T03:04:05Z")
    assert "created_on=datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)" in (
        repr(tag)
    )
    built = ArtifactManifestProperties(architecture="arm64")
    assert "architecture='arm64'" in repr(built)


def test_models_compare_by_value_and_repr_is_readable(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    first, second = client.get_tag_properties("app", "v1"), client.get_tag_properties("app", "v1")
    assert first == second and first is not second
    second.can_delete = False
    assert first != second
    text = repr(first)
    assert text.startswith("ArtifactTagProperties(name='v1'")
    assert "repository_name='app'" in text


def test_models_hash_on_identity_so_settable_flags_never_change_the_hash(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1", "v2"])
    first, second = client.get_tag_properties("app", "v1"), client.get_tag_properties("app", "v1")
    assert hash(first) == hash(second)  # equal models hash equal
    before = hash(first)
    first.can_delete = not first.can_delete
    assert hash(first) == before and first != second  # unequal now, same bucket: allowed
    tags = list(client.list_tag_properties("app"))
    assert len(set(tags + tags)) == 2
    assert {tag: tag.name for tag in tags}[second] == "v1"
    manifest = client.get_manifest_properties("app", "v1")
    assert manifest in {client.get_manifest_properties("app", "v2")}  # same digest, same item
    repository = client.get_repository_properties("app")
    assert {repository: 1}[client.get_repository_properties("app")] == 1
    assert len({RepositoryProperties(), RepositoryProperties(name="app")}) == 2


def test_models_can_be_built_with_only_flags_for_updates() -> None:
    for model in (RepositoryProperties, ArtifactTagProperties, ArtifactManifestProperties):
        built = model(can_delete=False, can_write=True)
        assert (built.can_delete, built.can_write, built.can_read) == (False, True, None)


def test_seed_era_last_udpated_on_warns_and_matches(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    properties = client.get_repository_properties("app")
    with pytest.warns(DeprecationWarning, match="last_updated_on"):
        assert properties.last_udpated_on == properties.last_updated_on


def test_teleport_enabled_is_settable_and_sent_only_on_preview_api(
    registry: LocalRegistry,
) -> None:
    registry.add_image("app", tags=["v1"])
    credential = registry.credential()
    properties = RepositoryProperties(teleport_enabled=True)
    with ContainerRegistryClient(registry.endpoint, credential) as stable:
        stable.update_repository_properties("app", properties)
    with ContainerRegistryClient(
        registry.endpoint, credential, api_version="2019-08-15-preview"
    ) as preview:
        preview.update_repository_properties("app", properties)
    patches = [r for r in registry.requests if r.method == "PATCH" and r.status == 200]
    assert [r.body_bytes for r in patches] == [len(b"{}"), len(b'{"teleportEnabled": true}')]
