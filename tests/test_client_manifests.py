"""Manifest-property operations end to end against LocalRegistry over a real socket."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from azure_containerregistry import (
    ArtifactArchitecture,
    ArtifactManifestOrder,
    ArtifactManifestProperties,
    ArtifactOperatingSystem,
    ContainerRegistryClient,
    ManifestOrder,
)
from azure_containerregistry.testing import LocalRegistry

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_list_manifest_properties_fills_every_field(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    digest = registry.add_image(
        "library/hello-world", tags=["latest", "v1"], architecture="arm64", os="windows",
        created_on=START, size=1234,
    )
    [manifest] = list(client.list_manifest_properties("library/hello-world"))
    assert isinstance(manifest, ArtifactManifestProperties)
    assert manifest.digest == digest
    assert manifest.repository_name == "library/hello-world"
    assert manifest.registry == registry.service
    assert manifest.fully_qualified_reference == f"{registry.service}/library/hello-world@{digest}"
    assert manifest.fully_qualified_reference.split("@")[1].startswith("sha256:")
    assert manifest.size_in_bytes == 1234
    assert manifest.size == 1234
    assert manifest.created_on == START
    assert manifest.last_updated_on == START
    assert manifest.architecture is ArtifactArchitecture.ARM64
    assert manifest.operating_system is ArtifactOperatingSystem.WINDOWS
    assert sorted(manifest.tags) == ["latest", "v1"]
    assert manifest.media_type == "application/vnd.oci.image.manifest.v1+json"
    assert manifest.config_media_type == "application/vnd.oci.image.config.v1+json"
    assert manifest.references == []
    assert (manifest.can_delete, manifest.can_list, manifest.can_read, manifest.can_write) == (
        True, True, True, True,
    )


def test_unknown_architecture_and_os_stay_strings(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"], architecture="loong64", os="haiku")
    manifest = client.get_manifest_properties("app", "v1")
    assert manifest.architecture == "loong64" and not isinstance(
        manifest.architecture, ArtifactArchitecture
    )
    assert manifest.operating_system == "haiku"
    assert manifest.to_dict()["architecture"] == "loong64"


def test_index_lists_its_children_as_references(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    digest = registry.add_index(
        "multi", tags=["latest"], platforms=[("amd64", "linux"), ("arm64", "linux")]
    )
    index = client.get_manifest_properties("multi", digest)
    assert index.media_type == "application/vnd.oci.image.index.v1+json"
    assert [(c.architecture, c.operating_system) for c in index.references] == [
        (ArtifactArchitecture.AMD64, ArtifactOperatingSystem.LINUX),
        (ArtifactArchitecture.ARM64, ArtifactOperatingSystem.LINUX),
    ]
    assert all(c.digest and c.digest.startswith("sha256:") for c in index.references)


@pytest.mark.parametrize(
    ("order", "newest_first"),
    [
        (ArtifactManifestOrder.LAST_UPDATED_ON_DESCENDING, True),
        (ManifestOrder.LAST_UPDATE_TIME_DESCENDING, True),
        (ArtifactManifestOrder.LAST_UPDATED_ON_ASCENDING, False),
        (ManifestOrder.LAST_UPDATE_TIME_ASCENDING, False),
    ],
)
def test_list_manifest_properties_ordered_across_pages(
    registry: LocalRegistry, client: ContainerRegistryClient, order: object, newest_first: bool
) -> None:
    digests = [
        registry.add_image("app", tags=[f"v{i}"], created_on=START + timedelta(days=i))
        for i in range(5)
    ]
    listed = client.list_manifest_properties("app", order_by=order, results_per_page=2)  # type: ignore[arg-type]
    pages = [[m.digest for m in page] for page in listed.by_page()]
    assert [len(page) for page in pages] == [2, 2, 1]
    expected = digests[::-1] if newest_first else digests
    assert [d for page in pages for d in page] == expected


def test_list_manifest_properties_resumes_from_continuation_token(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    for i in range(5):
        registry.add_image("app", tags=[f"v{i}"])
    all_digests = [m.digest for m in client.list_manifest_properties("app")]
    pages = client.list_manifest_properties("app", results_per_page=2).by_page()
    first = [m.digest for m in next(pages)]
    resumed = client.list_manifest_properties("app").by_page(
        continuation_token=pages.continuation_token
    )
    assert first + [m.digest for page in resumed for m in page] == all_digests


def test_list_manifest_properties_of_an_empty_repository_is_empty(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_repository("empty")
    assert list(client.list_manifest_properties("empty")) == []


def test_get_manifest_properties_by_tag_equals_by_digest(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    digest = registry.add_image("app", tags=["v1"])
    assert client.get_manifest_properties("app", "v1") == client.get_manifest_properties(
        "app", digest
    )


def test_get_manifest_properties_not_found_for_missing_tag_or_digest(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    with pytest.raises(ResourceNotFoundError):
        client.get_manifest_properties("app", "nope")
    with pytest.raises(ResourceNotFoundError):
        client.get_manifest_properties("app", "sha256:" + "0" * 64)


def test_update_manifest_properties_locks_by_tag(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    digest = registry.add_image("app", tags=["v1"])
    locked = client.update_manifest_properties("app", "v1", can_delete=False, can_write=False)
    assert (locked.digest, locked.can_delete, locked.can_write, locked.can_read) == (
        digest, False, False, True,
    )
    with pytest.raises(HttpResponseError):
        client.delete_manifest("app", digest)
    assert [m.digest for m in client.list_manifest_properties("app")] == [digest]


def test_update_manifest_properties_with_properties_keyword(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    digest = registry.add_image("app", tags=["v1"])
    properties = client.get_manifest_properties("app", digest)
    properties.can_list = False
    updated = client.update_manifest_properties(
        repository="app", tag_or_digest=digest, properties=properties
    )
    assert updated.can_list is False


def test_delete_manifest_by_tag_and_digest(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    first = registry.add_image("app", tags=["v1"])
    registry.add_image("app", tags=["v2"])
    client.delete_manifest("app", "v2")
    assert [m.digest for m in client.list_manifest_properties("app")] == [first]
    client.delete_manifest("app", first)
    assert list(client.list_repository_names()) == []  # ACR drops a repository with no manifests


def test_delete_missing_manifest_digest_is_not_an_error_but_missing_tag_is(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    client.delete_manifest("app", "sha256:" + "0" * 64)
    with pytest.raises(ResourceNotFoundError):
        client.delete_manifest("app", "nope")


@pytest.mark.parametrize("architecture", list(ArtifactArchitecture))
def test_every_architecture_reads_back_as_its_enum_member(
    registry: LocalRegistry, client: ContainerRegistryClient, architecture: ArtifactArchitecture
) -> None:
    registry.add_image("app", tags=["v1"], architecture=architecture.value)
    assert client.get_manifest_properties("app", "v1").architecture is architecture


@pytest.mark.parametrize("operating_system", list(ArtifactOperatingSystem))
def test_every_operating_system_reads_back_as_its_enum_member(
    registry: LocalRegistry,
    client: ContainerRegistryClient,
    operating_system: ArtifactOperatingSystem,
) -> None:
    registry.add_image("app", tags=["v1"], os=operating_system.value)
    [manifest] = client.list_manifest_properties("app", order_by=ArtifactManifestOrder.NONE)
    assert manifest.operating_system is operating_system
