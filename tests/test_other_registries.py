"""Honest errors on a registry without ACR's metadata API (Debian's CNCF ``docker-registry``).

Such a registry answers every ``/acr/v1`` route with a bare ``404 page not found``. That must
not pass for "already gone" (a delete that deleted nothing) nor for "no such item": every
metadata call raises :class:`MetadataApiUnavailableError`, which says what is missing. A 404
whose body says the item is unknown (``MANIFEST_UNKNOWN``...) still means "already gone".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Callable

import pytest
from azure.core.exceptions import ResourceNotFoundError
from hostile import Answer, HostileServer, acr_error, routes
from test_distribution import distribution  # noqa: F401 - the module-scoped registry fixture

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry._errors import MetadataApiUnavailableError
from azure_containerregistry.testing import LocalRegistry

REPOSITORY = "honest/errors"
CONFIG = b'{"architecture": "amd64", "os": "linux"}'


@pytest.fixture
def client(distribution: str) -> Iterator[ContainerRegistryClient]:  # noqa: F811
    with ContainerRegistryClient(distribution) as registry_client:
        yield registry_client


def _push(client: ContainerRegistryClient, repository: str, tag: str) -> str:
    config_digest, config_size = client.upload_blob(repository, CONFIG)
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": config_digest, "size": config_size},
        "layers": [],
    }  # fmt: skip
    return client.set_manifest(repository, manifest, tag=tag)


def _assert_says_no_metadata_api(error: MetadataApiUnavailableError) -> None:
    assert not isinstance(error, ResourceNotFoundError)
    assert error.status_code == 404
    assert error.error is not None and error.error.code == "METADATA_API_UNAVAILABLE"
    assert "does not offer ACR's metadata API" in str(error)


def test_delete_tag_raises_instead_of_reporting_success(client: ContainerRegistryClient) -> None:
    digest = _push(client, REPOSITORY, "keep")
    with pytest.raises(MetadataApiUnavailableError) as caught:
        client.delete_tag(REPOSITORY, "keep")
    _assert_says_no_metadata_api(caught.value)
    assert "tag delete failed" in str(caught.value)
    assert client.get_manifest(REPOSITORY, "keep").digest == digest  # nothing was deleted


def test_delete_repository_raises_instead_of_reporting_success(
    client: ContainerRegistryClient,
) -> None:
    digest = _push(client, REPOSITORY, "still-here")
    with pytest.raises(MetadataApiUnavailableError) as caught:
        client.delete_repository(REPOSITORY)
    _assert_says_no_metadata_api(caught.value)
    assert client.get_manifest(REPOSITORY, digest).digest == digest


_METADATA_CALLS: dict[str, Callable[[ContainerRegistryClient], Any]] = {
    "list_repository_names": lambda c: list(c.list_repository_names()),
    "list_tag_properties": lambda c: list(c.list_tag_properties(REPOSITORY)),
    "list_manifest_properties": lambda c: list(c.list_manifest_properties(REPOSITORY)),
    "get_repository_properties": lambda c: c.get_repository_properties(REPOSITORY),
    "get_tag_properties": lambda c: c.get_tag_properties(REPOSITORY, "listed"),
    "get_manifest_properties by tag": lambda c: c.get_manifest_properties(REPOSITORY, "listed"),
    "get_manifest_properties by digest": lambda c: c.get_manifest_properties(
        REPOSITORY, c.get_manifest(REPOSITORY, "listed").digest
    ),
    "update_repository_properties": lambda c: c.update_repository_properties(
        REPOSITORY, can_delete=False
    ),
    "update_tag_properties": lambda c: c.update_tag_properties(
        REPOSITORY, "listed", can_write=False
    ),
    "delete_manifest by tag": lambda c: c.delete_manifest(REPOSITORY, "listed"),
}


@pytest.mark.parametrize("call", list(_METADATA_CALLS.values()), ids=list(_METADATA_CALLS))
def test_metadata_calls_raise_the_clear_error_not_a_bare_404(
    client: ContainerRegistryClient, call: Callable[[ContainerRegistryClient], Any]
) -> None:
    _push(client, REPOSITORY, "listed")
    with pytest.raises(MetadataApiUnavailableError) as caught:
        call(client)
    _assert_says_no_metadata_api(caught.value)


def test_delete_manifest_by_digest_works_and_a_second_delete_is_already_gone(
    client: ContainerRegistryClient,
) -> None:
    """``/v2`` deletes exist on distribution; its MANIFEST_UNKNOWN 404 means "already gone"."""
    digest = _push(client, "honest/manifest", "v1")
    client.delete_manifest("honest/manifest", digest)
    with pytest.raises(ResourceNotFoundError):
        client.get_manifest("honest/manifest", digest)
    client.delete_manifest("honest/manifest", digest)  # MANIFEST_UNKNOWN: no error


def test_acr_registry_still_treats_unknown_items_as_already_gone() -> None:
    """LocalRegistry, like ACR, says NAME_UNKNOWN / TAG_UNKNOWN: deletes stay idempotent."""
    with LocalRegistry() as registry, ContainerRegistryClient(
        registry.endpoint, registry.credential()
    ) as acr:
        acr.delete_repository("never/was")
        acr.delete_tag("never/was", "latest")
        with pytest.raises(ResourceNotFoundError) as caught:
            acr.get_tag_properties("never/was", "latest")
        assert not isinstance(caught.value, MetadataApiUnavailableError)


_TAG_PATH = "/acr/v1/app/_tags/v1"
_GONE_BODIES = {
    "TAG_UNKNOWN": acr_error(404, "TAG_UNKNOWN", "the specified tag does not exist"),
    "NAME_UNKNOWN": acr_error(404, "NAME_UNKNOWN", "repository name not known to registry"),
    "one of several codes": Answer.json(
        {"errors": [{"code": "DENIED"}, {"code": "MANIFEST_UNKNOWN", "message": "gone"}]}, 404
    ),
}
_MISSING_ROUTE_BODIES = {
    "plain text": Answer.text("404 page not found", 404),
    "empty": Answer(404),
    "other code": acr_error(404, "NOT_FOUND", "the requested route does not exist"),
    "not ACR's shape": Answer.json({"error": "not found"}, 404),
}


@pytest.mark.parametrize("answer", list(_GONE_BODIES.values()), ids=list(_GONE_BODIES))
def test_a_404_that_says_the_item_is_unknown_is_already_gone(
    hostile: HostileServer, hostile_client: ContainerRegistryClient, answer: Answer
) -> None:
    hostile.handler = routes({("DELETE", _TAG_PATH): answer})
    hostile_client.delete_tag("app", "v1")
    assert [seen.path for seen in hostile.api_requests] == [_TAG_PATH]


@pytest.mark.parametrize(
    "answer", list(_MISSING_ROUTE_BODIES.values()), ids=list(_MISSING_ROUTE_BODIES)
)
def test_any_other_404_on_an_acr_route_is_the_clear_error(
    hostile: HostileServer, hostile_client: ContainerRegistryClient, answer: Answer
) -> None:
    hostile.handler = routes({("DELETE", _TAG_PATH): answer, ("GET", _TAG_PATH): answer})
    with pytest.raises(MetadataApiUnavailableError) as caught:
        hostile_client.delete_tag("app", "v1")
    _assert_says_no_metadata_api(caught.value)
    with pytest.raises(MetadataApiUnavailableError):
        hostile_client.get_tag_properties("app", "v1")


def test_a_bare_404_on_a_v2_manifest_delete_is_not_found_not_already_gone(
    hostile: HostileServer, hostile_client: ContainerRegistryClient
) -> None:
    digest = "sha256:" + "c" * 64
    hostile.handler = routes({("DELETE", f"/v2/app/manifests/{digest}"): Answer(404)})
    with pytest.raises(ResourceNotFoundError) as caught:
        hostile_client.delete_manifest("app", digest)
    assert not isinstance(caught.value, MetadataApiUnavailableError)
