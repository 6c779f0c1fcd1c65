"""Repository operations end to end against LocalRegistry over a real socket."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from azure_containerregistry import ContainerRegistryClient, RepositoryProperties
from azure_containerregistry.testing import LocalRegistry


def test_list_repository_names_returns_every_repository_sorted(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    for name in ["library/busybox", "app", "library/hello-world"]:
        registry.add_image(name, tags=["v1"])
    assert list(client.list_repository_names()) == ["app", "library/busybox", "library/hello-world"]


def test_list_repository_names_follows_link_pages(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    names = [f"repo{i:03}" for i in range(7)]
    for name in names:
        registry.add_repository(name)
    registry.clear_requests()
    pages = list(client.list_repository_names(results_per_page=3).by_page())
    assert [list(page) for page in pages] == [names[0:3], names[3:6], names[6:7]]
    catalog = [r for r in registry.requests if r.path.startswith("/acr/v1/_catalog")]
    assert [r.query.get("n") for r in catalog if r.status == 200] == ["3", "3", "3"]


def test_list_repository_names_resumes_from_continuation_token(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    for i in range(5):
        registry.add_repository(f"repo{i}")
    pages = client.list_repository_names(results_per_page=2).by_page()
    assert list(next(pages)) == ["repo0", "repo1"]
    token = pages.continuation_token
    assert token is not None and "last=repo1" in token
    resumed = client.list_repository_names().by_page(continuation_token=token)
    assert [name for page in resumed for name in page] == ["repo2", "repo3", "repo4"]


def test_list_repository_names_of_an_empty_registry_is_empty(
    client: ContainerRegistryClient,
) -> None:
    assert list(client.list_repository_names()) == []


def test_get_repository_properties_reads_every_field(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("library/hello-world", tags=["latest", "v1"])
    registry.add_image("library/hello-world", tags=["v2"], architecture="arm64")
    properties = client.get_repository_properties("library/hello-world")
    assert isinstance(properties, RepositoryProperties)
    assert properties.name == "library/hello-world"
    assert properties.registry == registry.service
    assert properties.manifest_count == 2
    assert properties.tag_count == 3
    assert properties.created_on is not None and properties.created_on.tzinfo is not None
    assert properties.last_updated_on is not None
    assert properties.last_updated_on >= properties.created_on
    flags = (properties.can_delete, properties.can_list, properties.can_read, properties.can_write)
    assert flags == (True, True, True, True)
    assert properties.teleport_enabled is None


def test_get_repository_properties_of_missing_repository_raises_not_found(
    client: ContainerRegistryClient,
) -> None:
    with pytest.raises(ResourceNotFoundError) as caught:
        client.get_repository_properties("does-not-exist")
    assert "NAME_UNKNOWN" in str(caught.value)


def test_update_repository_properties_sends_only_given_fields(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    updated = client.update_repository_properties("app", can_delete=False)
    assert (updated.can_delete, updated.can_write) == (False, True)
    patches = [r for r in registry.requests if r.method == "PATCH" and r.status == 200]
    assert len(patches) == 1
    assert patches[0].body_bytes == len(b'{"deleteEnabled": false}')


def test_update_repository_properties_keywords_override_properties(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    properties = client.get_repository_properties("app")
    properties.can_write = False
    properties.can_delete = False
    updated = client.update_repository_properties(
        repository="app", properties=properties, can_delete=True
    )
    assert (updated.can_write, updated.can_delete) == (False, True)
    assert client.get_repository_properties("app").can_write is False


def test_delete_repository_removes_it_and_a_missing_one_is_not_an_error(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    client.delete_repository("app")
    assert list(client.list_repository_names()) == []
    client.delete_repository("app")


def test_delete_locked_repository_raises_and_keeps_it(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    client.update_repository_properties("app", can_delete=False)
    with pytest.raises(HttpResponseError):
        client.delete_repository("app")
    assert client.get_repository_properties("app").tag_count == 1
