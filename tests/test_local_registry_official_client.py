"""Microsoft's azure-containerregistry 1.2.0 works against LocalRegistry (list, read, update,
delete), which shows the registry speaks ACR's protocol the way the official client expects.

The official client refuses plain http (its tag lookups drop ``enforce_https=False``), so the
registry serves https with the self-signed test certificate in ``tests/recordings/tls``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from azure.containerregistry import ContainerRegistryClient
from azure.core.exceptions import ClientAuthenticationError, ResourceNotFoundError

from azure_containerregistry.testing import LocalRegistry

TLS = Path(__file__).parent / "recordings" / "tls"


@pytest.fixture
def registry(registry_factory: Any) -> LocalRegistry:
    reg: LocalRegistry = registry_factory(certfile=str(TLS / "localhost-cert.pem"),
                                          keyfile=str(TLS / "localhost-key.pem"))
    return reg


@pytest.fixture
def client(registry: LocalRegistry) -> Iterator[ContainerRegistryClient]:
    with ContainerRegistryClient(registry.endpoint, registry.credential(),
                                 audience="https://containerregistry.azure.net",
                                 connection_verify=str(TLS / "localhost-cert.pem")) as official:
        yield official


def test_official_client_lists_and_reads(registry: LocalRegistry,
                                         client: ContainerRegistryClient) -> None:
    digest = registry.add_image("library/hello", tags=["latest", "v1"])
    registry.add_image("other", tags=["x"])
    assert list(client.list_repository_names()) == ["library/hello", "other"]
    pages = list(client.list_repository_names(results_per_page=1).by_page())
    assert [list(p) for p in pages] == [["library/hello"], ["other"]]
    props = client.get_repository_properties("library/hello")
    assert (props.tag_count, props.manifest_count) == (2, 1)
    tags = [t.name for t in client.list_tag_properties("library/hello")]
    assert tags == ["latest", "v1"]
    manifests = list(client.list_manifest_properties("library/hello"))
    assert [m.digest for m in manifests] == [digest]
    assert manifests[0].architecture == "amd64"
    tag = client.get_tag_properties("library/hello", "latest")
    assert tag.digest == digest
    manifest = client.get_manifest_properties("library/hello", "latest")
    assert manifest.tags == ["latest", "v1"]
    got = client.get_manifest("library/hello", digest)
    assert got.digest == digest


def test_official_client_updates_and_deletes(registry: LocalRegistry,
                                             client: ContainerRegistryClient) -> None:
    digest = registry.add_image("app", tags=["a", "b"])
    updated = client.update_manifest_properties("app", digest, can_delete=False)
    assert updated.can_delete is False
    tag = client.update_tag_properties("app", "a", can_write=False)
    assert tag.can_write is False
    repo = client.update_repository_properties("app", can_list=True)
    assert repo.can_list is True
    client.update_manifest_properties("app", digest, can_delete=True)
    client.delete_tag("app", "b")
    assert registry.tags("app") == ["a"]
    client.delete_manifest("app", digest)
    client.delete_repository("app")  # already gone with its last manifest: silent
    with pytest.raises(ResourceNotFoundError):
        client.get_repository_properties("app")


def test_official_client_uploads_and_downloads_blobs(registry: LocalRegistry,
                                                     client: ContainerRegistryClient) -> None:
    digest, size = client.upload_blob("app", io.BytesIO(b"hello world"))
    assert size == 11 and registry.has_blob("app", digest)
    stream = client.download_blob("app", digest)
    assert b"".join(stream) == b"hello world"
    client.delete_blob("app", digest)
    assert not registry.has_blob("app", digest)


def test_official_client_anonymous_reads_and_refused_writes(registry_factory: Any) -> None:
    registry = registry_factory(anonymous_pull=True, certfile=str(TLS / "localhost-cert.pem"),
                                keyfile=str(TLS / "localhost-key.pem"))
    registry.add_image("app", tags=["a"])
    with ContainerRegistryClient(registry.endpoint, audience="https://x",
                                 connection_verify=str(TLS / "localhost-cert.pem")) as anonymous:
        assert list(anonymous.list_repository_names()) == ["app"]
        with pytest.raises(ClientAuthenticationError):
            anonymous.delete_tag("app", "a")
    # 401 challenge, anonymous token, retry: 3 requests per call as in PROTOCOL.md 1.6
    assert [r.status for r in registry.requests[:3]] == [401, 200, 200]
