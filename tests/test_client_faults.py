"""Faults: retried when safe, reported in azure-core's vocabulary, never half-applied."""

from __future__ import annotations

import socket

import pytest
from azure.core.exceptions import HttpResponseError, ServiceRequestError
from hostile import RecordingTransport

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry.testing import LocalRegistry


def _warm(client: ContainerRegistryClient) -> None:
    client.get_tag_properties("app", "v1")


def test_a_503_is_retried_with_the_token_kept(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    _warm(client)
    registry.clear_requests()
    registry.fail_next(1, status=503, retry_after=0)
    assert client.get_tag_properties("app", "v1").name == "v1"
    assert [(r.status, r.authorized) for r in registry.requests] == [(503, True), (200, True)]


def test_a_429_is_retried_after_waiting_the_retry_after_it_gave(registry: LocalRegistry) -> None:
    registry.add_image("app", tags=["v1"])
    transport = RecordingTransport()  # records the waits instead of taking them
    with ContainerRegistryClient(
        registry.endpoint, registry.credential(), transport=transport
    ) as client:
        _warm(client)
        registry.clear_requests()
        registry.fail_next(2, status=429, retry_after=2, path_prefix="/acr/v1/_catalog")
        assert list(client.list_repository_names()) == ["app"]
    catalog = [r.status for r in registry.requests if r.path.startswith("/acr/v1/_catalog")]
    assert catalog == [429, 429, 200]
    assert transport.slept == [2, 2]


def test_a_dropped_connection_is_retried(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    _warm(client)
    registry.clear_requests()
    registry.drop_next(1, method="GET")
    assert client.get_repository_properties("app").name == "app"
    assert [r.status for r in registry.requests] == [0, 200]


def test_a_persistent_server_error_raises_with_the_registry_code_and_changes_nothing(
    registry: LocalRegistry,
) -> None:
    registry.add_image("app", tags=["v1"])
    with ContainerRegistryClient(registry.endpoint, registry.credential(), retry_total=0) as client:
        _warm(client)
        registry.fail_next(1, status=500, method="PATCH")
        with pytest.raises(HttpResponseError) as caught:
            client.update_tag_properties("app", "v1", can_delete=False)
        assert caught.value.status_code == 500
        assert "(500)" in str(caught.value)
        assert client.get_tag_properties("app", "v1").can_delete is True


def test_an_unreachable_registry_raises_service_request_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with ContainerRegistryClient(
        f"http://127.0.0.1:{port}", retry_total=0
    ) as client, pytest.raises(ServiceRequestError):
        client.get_repository_properties("app")
