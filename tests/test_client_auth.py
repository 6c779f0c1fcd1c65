"""Authentication as the public client exposes it: audiences, seed-era scopes, anonymous access."""

from __future__ import annotations

from typing import Callable

import pytest
from azure.core.exceptions import ClientAuthenticationError

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry.testing import LocalRegistry


def test_default_audience_is_containerregistry_azure_net(registry: LocalRegistry) -> None:
    registry.add_image("app", tags=["v1"])
    credential = registry.credential()
    with ContainerRegistryClient(registry.endpoint, credential) as client:
        client.get_tag_properties("app", "v1")
    assert credential.scopes_requested == [("https://containerregistry.azure.net/.default",)]


def test_audience_sets_the_aad_scope(registry: LocalRegistry) -> None:
    registry.add_image("app", tags=["v1"])
    credential = registry.credential()
    with ContainerRegistryClient(
        registry.endpoint, credential, audience="https://management.azure.com/"
    ) as client:
        client.get_tag_properties("app", "v1")
    assert credential.scopes_requested == [("https://management.azure.com/.default",)]


def test_seed_era_credential_scopes_win_over_audience(registry: LocalRegistry) -> None:
    registry.add_image("app", tags=["v1"])
    credential = registry.credential()
    with ContainerRegistryClient(
        registry.endpoint,
        credential,
        audience="https://containerregistry.azure.net",
        credential_scopes=["https://management.azure.com/.default"],
    ) as client:
        client.get_tag_properties("app", "v1")
    assert credential.scopes_requested == [("https://management.azure.com/.default",)]


def test_an_audience_the_registry_does_not_accept_fails_with_authentication_error(
    registry: LocalRegistry,
) -> None:
    registry.add_image("app", tags=["v1"])
    with ContainerRegistryClient(
        registry.endpoint, registry.credential(), audience="https://vault.azure.net"
    ) as client, pytest.raises(ClientAuthenticationError) as caught:
        client.get_tag_properties("app", "v1")
    assert "eyJ" not in str(caught.value)  # no JWT text in the message


def test_anonymous_client_reads_a_registry_with_anonymous_pull(
    registry_factory: Callable[..., LocalRegistry],
) -> None:
    registry = registry_factory(anonymous_pull=True)
    digest = registry.add_image("library/hello-world", tags=["latest"])
    with ContainerRegistryClient(registry.endpoint) as client:
        assert list(client.list_repository_names()) == ["library/hello-world"]
        assert client.get_manifest_properties("library/hello-world", "latest").digest == digest
        registry.clear_requests()
        client.get_repository_properties("library/hello-world")
    assert len(registry.requests) == 1
    assert not any(r.path == "/oauth2/exchange" for r in registry.requests)


@pytest.mark.parametrize(
    "write",
    [
        lambda c: c.update_tag_properties("library/hello-world", "latest", can_write=False),
        lambda c: c.delete_tag("library/hello-world", "latest"),
        lambda c: c.delete_repository("library/hello-world"),
        lambda c: c.delete_manifest("library/hello-world", "latest"),
    ],
)
def test_anonymous_writes_raise_authentication_error_and_change_nothing(
    registry_factory: Callable[..., LocalRegistry], write: object
) -> None:
    registry = registry_factory(anonymous_pull=True)
    registry.add_image("library/hello-world", tags=["latest"])
    with ContainerRegistryClient(registry.endpoint) as client, pytest.raises(
        ClientAuthenticationError
    ):
        write(client)  # type: ignore[operator]
    assert registry.tags("library/hello-world") == ["latest"]


def test_anonymous_client_without_anonymous_pull_is_refused(registry: LocalRegistry) -> None:
    registry.add_image("app", tags=["v1"])
    with ContainerRegistryClient(registry.endpoint) as client, pytest.raises(
        ClientAuthenticationError
    ):
        list(client.list_repository_names())
