"""Tag operations end to end against LocalRegistry over a real socket."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from azure_containerregistry import (
    ArtifactTagOrder,
    ArtifactTagProperties,
    ContainerRegistryClient,
    TagOrder,
)
from azure_containerregistry.testing import LocalRegistry

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _seed_by_age(registry: LocalRegistry, repository: str = "app") -> list[str]:
    """Tags t0..t4, t0 the oldest."""
    names = [f"t{i}" for i in range(5)]
    for i, name in enumerate(names):
        registry.add_image(repository, tags=[name], created_on=START + timedelta(hours=i))
    return names


def test_list_tag_properties_fills_every_field(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    digest = registry.add_image("library/hello-world", tags=["latest"], created_on=START)
    [tag] = list(client.list_tag_properties("library/hello-world"))
    assert isinstance(tag, ArtifactTagProperties)
    assert tag.name == "latest"
    assert tag.digest == digest
    assert tag.repository_name == "library/hello-world"
    assert tag.registry == registry.service
    assert tag.created_on == START
    assert tag.last_updated_on == START
    assert (tag.can_delete, tag.can_list, tag.can_read, tag.can_write) == (True, True, True, True)


@pytest.mark.parametrize(
    "order",
    [ArtifactTagOrder.LAST_UPDATED_ON_DESCENDING, TagOrder.LAST_UPDATE_TIME_DESCENDING, "timedesc",
     "TimeDesc"],
)
def test_list_tag_properties_newest_first(
    registry: LocalRegistry, client: ContainerRegistryClient, order: object
) -> None:
    names = _seed_by_age(registry)
    listed = [t.name for t in client.list_tag_properties("app", order_by=order)]  # type: ignore[arg-type]
    assert listed == names[::-1]


@pytest.mark.parametrize(
    "order", [ArtifactTagOrder.LAST_UPDATED_ON_ASCENDING, TagOrder.LAST_UPDATE_TIME_ASCENDING]
)
def test_list_tag_properties_oldest_first_across_pages(
    registry: LocalRegistry, client: ContainerRegistryClient, order: object
) -> None:
    names = _seed_by_age(registry)
    pages = client.list_tag_properties("app", order_by=order, results_per_page=2).by_page()  # type: ignore[arg-type]
    assert [[t.name for t in page] for page in pages] == [names[0:2], names[2:4], names[4:5]]


def test_list_tag_properties_order_none_sends_no_orderby(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    _seed_by_age(registry)
    assert len(list(client.list_tag_properties("app", order_by=ArtifactTagOrder.NONE))) == 5
    assert all("orderby" not in r.query for r in registry.requests if "/_tags" in r.path)


def test_list_tag_properties_resumes_from_continuation_token(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    names = _seed_by_age(registry)
    pages = client.list_tag_properties("app", results_per_page=3).by_page()
    first = [t.name for t in next(pages)]
    resumed = client.list_tag_properties("app").by_page(continuation_token=pages.continuation_token)
    assert first + [t.name for page in resumed for t in page] == sorted(names)


def test_list_tag_properties_of_an_empty_repository_is_empty(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_repository("empty")
    assert list(client.list_tag_properties("empty")) == []


def test_get_tag_properties_and_not_found(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    digest = registry.add_image("app", tags=["v1"])
    tag = client.get_tag_properties("app", "v1")
    assert (tag.name, tag.digest, tag.repository_name) == ("v1", digest, "app")
    with pytest.raises(ResourceNotFoundError) as caught:
        client.get_tag_properties("app", "v2")
    assert "TAG_UNKNOWN" in str(caught.value)
    with pytest.raises(ResourceNotFoundError):
        client.get_tag_properties("missing", "v1")


def test_update_tag_properties_by_model_and_keyword(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    tag = client.get_tag_properties("app", "v1")
    tag.can_write = False
    updated = client.update_tag_properties("app", "v1", tag, can_list=False)
    assert (updated.can_write, updated.can_list, updated.can_delete) == (False, False, True)
    assert updated.repository_name == "app"
    again = client.update_tag_properties(repository="app", tag="v1", properties=tag)
    assert again.can_write is False


def test_delete_tag_and_missing_tag_is_not_an_error(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1", "v2"])
    client.delete_tag("app", "v1")
    assert [t.name for t in client.list_tag_properties("app")] == ["v2"]
    client.delete_tag("app", "v1")


def test_delete_locked_tag_is_refused_and_kept(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    client.update_tag_properties("app", "v1", can_delete=False)
    with pytest.raises(HttpResponseError):
        client.delete_tag("app", "v1")
    assert client.get_tag_properties("app", "v1").can_delete is False
