"""OCI content against LocalRegistry over a real socket: round trips and request-log facts.

Request counts and byte counts come from the registry's log, so they are facts of the wire:
each upload byte is sent once, small uploads take one POST and one PUT, downloads reuse one
connection, and failures leave no upload session behind.
"""

from __future__ import annotations

import io
import json
import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from azure_containerregistry._content import (
    DOCKER_MANIFEST,
    MAX_MANIFEST_SIZE,
    OCI_IMAGE_INDEX,
    OCI_IMAGE_MANIFEST,
    download_blob,
    get_manifest,
    set_manifest,
    upload_blob,
)
from azure_containerregistry._pipeline import create_rest_client
from azure_containerregistry._rest._client import ContainerRegistryRestClient
from azure_containerregistry.testing import LocalRegistry, RequestRecord

AAD_SCOPE = "https://containerregistry.azure.net/.default"
CHUNK = 64 * 1024
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"


def make_client(registry: LocalRegistry, **kwargs: Any) -> ContainerRegistryRestClient:
    return create_rest_client(
        registry.endpoint, registry.credential(), aad_scope=AAD_SCOPE, **kwargs
    )


@pytest.fixture
def client(registry: LocalRegistry) -> Iterator[ContainerRegistryRestClient]:
    with make_client(registry) as pipeline:
        yield pipeline


def v2(registry: LocalRegistry) -> list[RequestRecord]:
    return [r for r in registry.requests if r.path.startswith("/v2/")]


def push_artifact(
    client: ContainerRegistryRestClient, repository: str, layer: bytes, tag: str | None = "v1"
) -> tuple[str, bytes]:
    config = b'{"architecture":"amd64","os":"linux"}'
    config_digest, config_size = upload_blob(client.blobs, repository, config)
    layer_digest, layer_size = upload_blob(
        client.blobs, repository, io.BytesIO(layer), chunk_size=CHUNK
    )
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_IMAGE_MANIFEST,
        "config": {"mediaType": OCI_CONFIG, "digest": config_digest, "size": config_size},
        "layers": [{"mediaType": OCI_LAYER, "digest": layer_digest, "size": layer_size}],
    }
    data = json.dumps(manifest, indent=3).encode()
    return set_manifest(client.manifest_content, repository, data, tag=tag), data


def test_pushed_artifact_pulls_back_byte_identical(
    registry: LocalRegistry, client: ContainerRegistryRestClient
) -> None:
    layer = os.urandom(3 * CHUNK + 5)
    digest, data = push_artifact(client, "library/hello", layer)

    assert registry.get_manifest_bytes("library/hello", "v1") == data
    for reference in ("v1", digest):
        result = get_manifest(client.manifest_content, "library/hello", reference)
        assert (result.data, result.digest, result.media_type) == (data, digest, OCI_IMAGE_MANIFEST)
    layer_digest = json.loads(data)["layers"][0]["digest"]
    with download_blob(client.blobs, "library/hello", layer_digest, chunk_size=CHUNK) as stream:
        assert b"".join(stream) == layer


def test_manifest_without_tag_is_stored_by_its_digest(
    registry: LocalRegistry, client: ContainerRegistryRestClient
) -> None:
    digest, data = push_artifact(client, "untagged", b"layer", tag=None)
    puts = [r for r in v2(registry) if r.method == "PUT" and "/manifests/" in r.path]
    assert puts[-1].path.endswith("/manifests/" + digest.replace(":", "%3A"))
    assert registry.get_manifest_bytes("untagged", digest) == data
    assert registry.tags("untagged") == []


def test_seeded_multi_arch_index_and_children_are_served_verified(
    registry: LocalRegistry, client: ContainerRegistryRestClient
) -> None:
    digest = registry.add_index("multi", tags=["latest"])
    index = get_manifest(client.manifest_content, "multi", "latest")
    assert index.digest == digest
    assert index.media_type == OCI_IMAGE_INDEX
    assert index.data == registry.get_manifest_bytes("multi", "latest")
    for child in index.manifest["manifests"]:
        assert get_manifest(
            client.manifest_content, "multi", child["digest"]
        ).digest == child["digest"]


def test_index_dict_is_pushed_with_the_index_media_type(
    registry: LocalRegistry, client: ContainerRegistryRestClient
) -> None:
    child, child_data = push_artifact(client, "multi", b"amd64 layer", tag=None)
    index = {
        "schemaVersion": 2,
        "manifests": [{"mediaType": OCI_IMAGE_MANIFEST, "digest": child, "size": len(child_data)}],
    }
    digest = set_manifest(client.manifest_content, "multi", index, tag="latest")

    put = [r for r in v2(registry) if r.method == "PUT"][-1]
    assert put.headers["content-type"] == OCI_IMAGE_INDEX
    result = get_manifest(client.manifest_content, "multi", "latest")
    assert (result.digest, result.media_type, result.manifest) == (digest, OCI_IMAGE_INDEX, index)


def test_dict_manifest_is_serialised_like_the_official_client(
    registry: LocalRegistry, client: ContainerRegistryRestClient
) -> None:
    manifest = {
        "schemaVersion": 2,
        "mediaType": DOCKER_MANIFEST,
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "digest": upload_blob(client.blobs, "docker", b"{}")[0],
            "size": 2,
        },
        "layers": [],
    }
    # media type taken from the document
    set_manifest(client.manifest_content, "docker", manifest, tag="v1")

    assert registry.get_manifest_bytes("docker", "v1") == json.dumps(manifest).encode()
    put = [r for r in v2(registry) if r.method == "PUT" and "/manifests/" in r.path][-1]
    assert put.headers["content-type"] == DOCKER_MANIFEST
    assert get_manifest(client.manifest_content, "docker", "v1").media_type == DOCKER_MANIFEST


def test_manifest_result_set_elsewhere_keeps_its_bytes_and_digest(
    registry: LocalRegistry, client: ContainerRegistryRestClient
) -> None:
    source = registry.add_image("source/image", tags=["v1"])
    result = get_manifest(client.manifest_content, "source/image", "v1")
    for blob in [result.manifest["config"], *result.manifest["layers"]]:
        data = b"".join(download_blob(client.blobs, "source/image", blob["digest"]))
        upload_blob(client.blobs, "copy/image", data)
    assert set_manifest(client.manifest_content, "copy/image", result, tag="v1") == source
    assert registry.get_manifest_bytes("copy/image", "v1") == result.data


def test_manifest_over_4_mib_is_refused_before_any_request(
    registry: LocalRegistry, client: ContainerRegistryRestClient
) -> None:
    huge = {"schemaVersion": 2, "annotations": {"x": "y" * MAX_MANIFEST_SIZE}}
    with pytest.raises(ValueError, match="4 MiB"):
        set_manifest(client.manifest_content, "big", huge)
    with pytest.raises(ValueError, match="4 MiB"):
        set_manifest(client.manifest_content, "big", io.BytesIO(b" " * (MAX_MANIFEST_SIZE + 1)))
    assert registry.requests == []


@pytest.mark.parametrize(
    "call",
    [
        lambda c: set_manifest(c.manifest_content, "Bad/Name", {"schemaVersion": 2}),
        lambda c: set_manifest(c.manifest_content, "ok", {"schemaVersion": 2}, tag="bad tag"),
        lambda c: set_manifest(c.manifest_content, "ok", b"not json"),
        lambda c: get_manifest(c.manifest_content, "ok", "sha256:short"),
        lambda c: get_manifest(c.manifest_content, "../escape", "v1"),
        lambda c: upload_blob(c.blobs, "ok", b"data", chunk_size=1024),
        lambda c: upload_blob(c.blobs, "", b"data"),
        lambda c: download_blob(c.blobs, "ok", "md5:abc"),
        lambda c: download_blob(c.blobs, "ok", "sha256:" + "0" * 64, chunk_size=10),
    ],
)
def test_invalid_arguments_are_refused_before_any_request(
    registry: LocalRegistry, client: ContainerRegistryRestClient, call: Any
) -> None:
    with pytest.raises(ValueError):
        call(client)
    assert registry.requests == []


def test_non_binary_inputs_are_type_errors(client: ContainerRegistryRestClient) -> None:
    with pytest.raises(TypeError):
        upload_blob(client.blobs, "ok", "text")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        upload_blob(client.blobs, "ok", io.StringIO("text"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        # type: ignore[arg-type]
        set_manifest(client.manifest_content, "ok", '{"schemaVersion": 2}')


def test_chunked_upload_sends_each_body_byte_once(
    registry: LocalRegistry, client: ContainerRegistryRestClient
) -> None:
    payload = os.urandom(5 * CHUNK + 7)
    digest, size = upload_blob(client.blobs, "chunked", io.BytesIO(payload), chunk_size=CHUNK)

    assert size == len(payload)
    records = v2(registry)
    assert sum(r.body_bytes for r in records) == len(payload)
    assert [r.method for r in records if r.status != 401] == ["POST"] + ["PATCH"] * 5 + ["PUT"]
    assert all(r.authorized for r in records if r.body_bytes)
    assert registry.has_blob("chunked", digest)
    assert registry.upload_sessions() == []


def test_upload_of_one_chunk_is_one_post_and_one_put(
    registry: LocalRegistry, client: ContainerRegistryRestClient
) -> None:
    upload_blob(client.blobs, "warm", io.BytesIO(b"warm up the token cache"))
    registry.clear_requests()

    digest, _ = upload_blob(client.blobs, "warm", io.BytesIO(b"x" * CHUNK), chunk_size=CHUNK)

    assert [(r.method, r.status, r.body_bytes) for r in registry.requests] == [
        ("POST", 202, 0),
        ("PUT", 201, CHUNK),
    ]
    assert registry.has_blob("warm", digest)


def test_upload_reads_pipes_with_short_reads(
    registry: LocalRegistry, client: ContainerRegistryRestClient
) -> None:
    payload = os.urandom(2 * CHUNK + 99)
    read_end, write_end = os.pipe()

    def feed() -> None:
        with os.fdopen(write_end, "wb", buffering=0) as writer:
            for start in range(0, len(payload), 1000):
                writer.write(payload[start : start + 1000])

    feeder = threading.Thread(target=feed)
    feeder.start()
    with os.fdopen(read_end, "rb", buffering=0) as reader:
        digest, size = upload_blob(client.blobs, "piped", reader, chunk_size=CHUNK)
    feeder.join(timeout=30)
    assert not feeder.is_alive()
    assert size == len(payload)
    assert b"".join(download_blob(client.blobs, "piped", digest)) == payload
    assert [r.body_bytes for r in v2(registry) if r.body_bytes] == [CHUNK, CHUNK, 99]


def test_bytes_upload_skips_a_blob_the_registry_has(
    registry: LocalRegistry, client: ContainerRegistryRestClient
) -> None:
    first = upload_blob(client.blobs, "dedup", b"same bytes")
    registry.clear_requests()

    assert upload_blob(client.blobs, "dedup", b"same bytes") == first
    assert [(r.method, r.status) for r in registry.requests] == [("HEAD", 200)]


def test_empty_blob_round_trips(
    registry: LocalRegistry, client: ContainerRegistryRestClient
) -> None:
    digest, size = upload_blob(client.blobs, "empty", io.BytesIO())
    assert size == 0
    assert b"".join(download_blob(client.blobs, "empty", digest)) == b""


def test_failed_chunk_cancels_the_session_and_raises_the_registry_error(
    registry: LocalRegistry, client: ContainerRegistryRestClient
) -> None:
    upload_blob(client.blobs, "broken", io.BytesIO(b"warm up"))
    registry.fail_next(1, status=400, method="PATCH")

    with pytest.raises(HttpResponseError) as raised:
        upload_blob(client.blobs, "broken", io.BytesIO(os.urandom(3 * CHUNK)), chunk_size=CHUNK)

    assert raised.value.status_code == 400
    assert registry.upload_sessions() == []
    assert [r.method for r in v2(registry)][-2:] == ["PATCH", "DELETE"] or any(
        r.method == "DELETE" and r.status == 204 for r in v2(registry)
    )


def test_failing_input_stream_cancels_the_session_and_raises_its_error(
    registry: LocalRegistry, client: ContainerRegistryRestClient
) -> None:
    class Failing(io.RawIOBase):
        def __init__(self) -> None:
            self.served = 0

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            if self.served >= 2 * CHUNK:
                raise OSError("disk on fire")
            self.served += size
            return b"z" * size

    with pytest.raises(OSError, match="disk on fire"):
        upload_blob(client.blobs, "broken", Failing(), chunk_size=CHUNK)  # type: ignore[arg-type]
    assert registry.upload_sessions() == []
    assert not any(r.method == "PUT" for r in v2(registry))


def test_download_reuses_one_connection(
    registry: LocalRegistry, client: ContainerRegistryRestClient
) -> None:
    payload = os.urandom(4 * CHUNK + 1)
    digest, _ = upload_blob(client.blobs, "conn", payload)
    registry.clear_requests()

    assert b"".join(download_blob(client.blobs, "conn", digest, chunk_size=CHUNK)) == payload

    gets = [r for r in registry.requests if r.method == "GET"]
    assert [r.status for r in gets] == [206] * 5
    assert [r.headers["range"] for r in gets][:2] == [
        f"bytes=0-{CHUNK - 1}",
        f"bytes={CHUNK}-{2 * CHUNK - 1}",
    ]
    assert len({r.connection for r in gets}) == 1


def test_dropped_download_resumes_from_the_last_byte_received(
    registry: LocalRegistry, client: ContainerRegistryRestClient
) -> None:
    payload = os.urandom(4 * CHUNK)
    digest, _ = upload_blob(client.blobs, "drop", payload)
    registry.clear_requests()
    registry.drop_next(1, method="GET", path_prefix="/v2/drop/blobs/", after_bytes=100_000)

    with download_blob(client.blobs, "drop", digest, chunk_size=2 * CHUNK) as stream:
        assert b"".join(stream) == payload

    gets = [r for r in registry.requests if r.method == "GET"]
    assert gets[0].headers["range"] == f"bytes=0-{2 * CHUNK - 1}"
    # the transport hands over whole read blocks: the resume starts at the last one delivered
    resumed_from = int(gets[1].headers["range"].split("=")[1].split("-")[0])
    assert 0 < resumed_from <= 100_000
    assert gets[1].headers["range"] == f"bytes={resumed_from}-{resumed_from + 2 * CHUNK - 1}"
    assert sum(r.response_bytes for r in gets) - 100_000 == len(payload) - resumed_from


def test_storage_redirect_never_carries_the_registry_token(
    registry_factory: Any,
) -> None:
    registry = registry_factory(storage_redirect=True)
    payload = os.urandom(2 * CHUNK + 3)
    with make_client(registry) as client:
        digest, _ = upload_blob(client.blobs, "redirected", payload)
        assert b"".join(
            download_blob(client.blobs, "redirected", digest, chunk_size=CHUNK)
        ) == payload

    storage = [r for r in registry.requests if r.path.startswith("/_storage/")]
    assert [r.status for r in storage] == [206, 206, 206]
    assert not any(r.authorized for r in storage)


def test_redirected_download_asks_the_registry_once_then_storage_directly(
    registry_factory: Any,
) -> None:
    registry = registry_factory(storage_redirect=True)
    payload = os.urandom(3 * CHUNK)
    with make_client(registry) as client:
        digest, _ = upload_blob(client.blobs, "redirected", payload)
        registry.clear_requests()
        assert b"".join(
            download_blob(client.blobs, "redirected", digest, chunk_size=CHUNK)
        ) == payload
    assert [(r.path.split("/")[1], r.status) for r in registry.requests] == [
        ("v2", 307), ("_storage", 206), ("_storage", 206), ("_storage", 206),
    ]  # fmt: skip


def test_an_expired_storage_link_sends_the_download_back_to_the_registry(
    registry_factory: Any,
) -> None:
    registry = registry_factory(storage_redirect=True)
    payload = os.urandom(2 * CHUNK)
    with make_client(registry) as client:
        digest, _ = upload_blob(client.blobs, "redirected", payload)
        registry.clear_requests()
        stream = download_blob(client.blobs, "redirected", digest, chunk_size=CHUNK)
        first = next(stream)
        registry.fail_next(1, status=403, path_prefix="/_storage/")
        assert first + b"".join(stream) == payload
    assert [(r.path.split("/")[1], r.status) for r in registry.requests] == [
        ("v2", 307), ("_storage", 206),
        ("_storage", 403), ("v2", 307), ("_storage", 206),
    ]  # fmt: skip


def test_delete_blob_removes_it_and_a_missing_blob_is_fine(
    registry: LocalRegistry, client: ContainerRegistryRestClient
) -> None:
    digest, _ = upload_blob(client.blobs, "gone", b"bye")
    client.blobs.delete("gone", digest)
    client.blobs.delete("gone", digest)
    assert not registry.has_blob("gone", digest)
    with pytest.raises(ResourceNotFoundError):
        download_blob(client.blobs, "gone", digest)


def test_missing_manifest_is_resource_not_found(client: ContainerRegistryRestClient) -> None:
    with pytest.raises(ResourceNotFoundError):
        get_manifest(client.manifest_content, "nothing", "latest")
