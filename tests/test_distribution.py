"""OCI content against the real CNCF distribution registry (Debian's ``docker-registry``).

The registry runs on a free loopback port with filesystem storage in a temp directory, no auth
and deletes enabled. Its upload ``Location`` is absolute and its ranges come from Go's
``http.ServeContent``, so this checks our protocol code against an implementation we did not
write. CI installs the package; a missing binary fails the suite rather than skipping it.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from azure.core.exceptions import ResourceNotFoundError
from distribution import distribution_config, serve_distribution

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry._content import (
    DOCKER_MANIFEST,
    DOCKER_MANIFEST_LIST,
    OCI_IMAGE_INDEX,
    OCI_IMAGE_MANIFEST,
    download_blob,
    get_manifest,
    mount_blob,
    set_manifest,
    upload_blob,
)
from azure_containerregistry._pipeline import create_rest_client
from azure_containerregistry._rest._client import ContainerRegistryRestClient

AAD_SCOPE = "https://containerregistry.azure.net/.default"
CHUNK = 64 * 1024



@pytest.fixture(scope="module")
def distribution(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Endpoint of a running ``docker-registry``; fails (never skips) when it is not installed."""
    root = tmp_path_factory.mktemp("distribution")
    yield from serve_distribution(root, distribution_config(root / "data"))


@pytest.fixture
def client(distribution: str) -> Iterator[ContainerRegistryRestClient]:
    with create_rest_client(distribution, None, aad_scope=AAD_SCOPE) as pipeline:
        yield pipeline


def _push_image(
    client: ContainerRegistryRestClient,
    repository: str,
    layer: bytes,
    *,
    tag: str | None = None,
    docker: bool = False,
    platform: str = "amd64",
) -> tuple[str, bytes]:
    config = json.dumps({"architecture": platform, "os": "linux", "rootfs": {}}).encode()
    config_digest, config_size = upload_blob(client.blobs, repository, config)
    layer_digest, layer_size = upload_blob(
        client.blobs, repository, io.BytesIO(layer), chunk_size=CHUNK
    )
    if docker:
        types = (
            DOCKER_MANIFEST,
            "application/vnd.docker.container.image.v1+json",
            "application/vnd.docker.image.rootfs.diff.tar.gzip",
        )
    else:
        types = (
            OCI_IMAGE_MANIFEST,
            "application/vnd.oci.image.config.v1+json",
            "application/vnd.oci.image.layer.v1.tar",
        )
    manifest = {
        "schemaVersion": 2,
        "mediaType": types[0],
        "config": {"mediaType": types[1], "digest": config_digest, "size": config_size},
        "layers": [{"mediaType": types[2], "digest": layer_digest, "size": layer_size}],
    }
    data = json.dumps(manifest, indent=2).encode()  # not our serialisation: bytes must survive
    digest = set_manifest(client.manifest_content, repository, data, tag=tag)
    return digest, data


def test_image_pushed_to_distribution_pulls_back_byte_identical(
    client: ContainerRegistryRestClient,
) -> None:
    layer = os.urandom(5 * CHUNK + 123)
    digest, data = _push_image(client, "library/hello", layer, tag="v1")

    by_tag = get_manifest(client.manifest_content, "library/hello", "v1")
    by_digest = get_manifest(client.manifest_content, "library/hello", digest)
    assert by_tag.data == by_digest.data == data
    assert by_tag.digest == by_digest.digest == digest
    assert by_tag.media_type == OCI_IMAGE_MANIFEST
    layer_digest = by_tag.manifest["layers"][0]["digest"]
    with download_blob(client.blobs, "library/hello", layer_digest, chunk_size=CHUNK) as stream:
        assert stream.size == len(layer)
        assert b"".join(stream) == layer


def test_docker_v2_manifest_round_trips_with_its_media_type(
    client: ContainerRegistryRestClient,
) -> None:
    digest, data = _push_image(client, "docker/image", b"layer bytes", tag="latest", docker=True)
    result = get_manifest(client.manifest_content, "docker/image", "latest")
    assert (result.media_type, result.digest, result.data) == (DOCKER_MANIFEST, digest, data)


@pytest.mark.parametrize("index_type", [OCI_IMAGE_INDEX, DOCKER_MANIFEST_LIST])
def test_multi_arch_index_round_trips(client: ContainerRegistryRestClient, index_type: str) -> None:
    docker = index_type == DOCKER_MANIFEST_LIST
    children = []
    for platform in ("amd64", "arm64"):
        digest, data = _push_image(
            client, "multi/arch", platform.encode() * 100, docker=docker, platform=platform
        )
        children.append(
            {
                "mediaType": DOCKER_MANIFEST if docker else OCI_IMAGE_MANIFEST,
                "digest": digest,
                "size": len(data),
                "platform": {"architecture": platform, "os": "linux"},
            }
        )
    index = {"schemaVersion": 2, "mediaType": index_type, "manifests": children}
    # type from the document
    digest = set_manifest(client.manifest_content, "multi/arch", index, tag="latest")

    result = get_manifest(client.manifest_content, "multi/arch", "latest")
    assert result.media_type == index_type
    assert result.digest == digest
    assert result.manifest == index
    assert result.data == json.dumps(index).encode()
    for child in children:
        assert get_manifest(
            client.manifest_content, "multi/arch", child["digest"]
        ).digest == child["digest"]


def test_deleted_image_is_gone_and_deleting_again_is_not_an_error(
    client: ContainerRegistryRestClient, distribution: str
) -> None:
    digest, _ = _push_image(client, "to/delete", b"short-lived", tag="v1")
    layer_digest = get_manifest(
        client.manifest_content, "to/delete", digest
    ).manifest["layers"][0]["digest"]

    assert client.manifests.delete("to/delete", digest) is True
    client.blobs.delete("to/delete", layer_digest)
    client.blobs.delete("to/delete", layer_digest)  # already gone: fine

    with pytest.raises(ResourceNotFoundError):
        get_manifest(client.manifest_content, "to/delete", digest)
    with pytest.raises(ResourceNotFoundError):
        download_blob(client.blobs, "to/delete", layer_digest)


def test_blob_mounts_across_repositories_without_upload(
    client: ContainerRegistryRestClient,
) -> None:
    data = os.urandom(1000)
    digest, _ = upload_blob(client.blobs, "mount/source", data)
    assert mount_blob(client.blobs, "mount/target", digest, "mount/source") is True
    assert b"".join(download_blob(client.blobs, "mount/target", digest)) == data


def test_empty_blob_uploads_and_downloads(client: ContainerRegistryRestClient) -> None:
    digest, size = upload_blob(client.blobs, "empty/blob", io.BytesIO(b""))
    assert (digest, size) == (
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        0,
    )
    assert b"".join(download_blob(client.blobs, "empty/blob", digest)) == b""


def test_download_to_file_is_atomic_and_complete(
    client: ContainerRegistryRestClient, tmp_path: Path
) -> None:
    data = os.urandom(3 * CHUNK)
    digest, _ = upload_blob(client.blobs, "to/file", data, chunk_size=CHUNK)
    target = tmp_path / "blob.bin"
    stream = download_blob(client.blobs, "to/file", digest, chunk_size=CHUNK)
    assert stream.readinto_file(target) == len(data)
    assert target.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["blob.bin"]


def test_public_client_pushes_pulls_and_deletes_on_distribution(distribution: str) -> None:
    """The five content methods and delete_manifest, through ContainerRegistryClient itself."""
    layer = os.urandom(3 * CHUNK + 7)
    with ContainerRegistryClient(distribution) as registry_client:
        config_digest, config_size = registry_client.upload_blob("public/app", b"{}")
        layer_digest, layer_size = registry_client.upload_blob(
            "public/app", io.BytesIO(layer), chunk_size=CHUNK
        )
        manifest = {
            "schemaVersion": 2,
            "mediaType": OCI_IMAGE_MANIFEST,
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                       "digest": config_digest, "size": config_size},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                        "digest": layer_digest, "size": layer_size}],
        }  # fmt: skip
        digest = registry_client.set_manifest("public/app", manifest, tag="v1")
        pulled = registry_client.get_manifest("public/app", "v1")
        assert (pulled.digest, pulled.manifest) == (digest, manifest)
        with registry_client.download_blob("public/app", layer_digest, chunk_size=CHUNK) as blob:
            assert b"".join(blob) == layer
        registry_client.delete_manifest("public/app", digest)
        registry_client.delete_blob("public/app", layer_digest)
        with pytest.raises(ResourceNotFoundError):
            registry_client.get_manifest("public/app", digest)
        with pytest.raises(ResourceNotFoundError):
            registry_client.download_blob("public/app", layer_digest)
