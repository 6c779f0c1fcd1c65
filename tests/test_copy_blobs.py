"""Blob building blocks of a copy, over the public client and LocalRegistry's request log:
``upload_blob`` with iterables and ``DownloadBlobStream``, ``expected_digest``, ``blob_exists``
and ``mount_blob``."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from typing import Callable

import pytest

from azure_containerregistry import ContainerRegistryClient, DigestValidationError
from azure_containerregistry.testing import LocalRegistry

CHUNK = 64 * 1024
CONTENT = bytes(range(256)) * 800  # 204,800 bytes: four chunks of 64 KiB, the last short
DIGEST = "sha256:" + hashlib.sha256(CONTENT).hexdigest()


def client_of(registry: LocalRegistry) -> ContainerRegistryClient:
    return ContainerRegistryClient(registry.endpoint, registry.credential())


@pytest.fixture
def client(registry: LocalRegistry) -> Iterator[ContainerRegistryClient]:
    with client_of(registry) as made:
        yield made


def uploaded_bytes(registry: LocalRegistry) -> int:
    return sum(r.body_bytes for r in registry.requests if "/blobs/uploads/" in r.path)


def uploads_started(registry: LocalRegistry) -> int:
    return sum(r.method == "POST" and r.path.endswith("/blobs/uploads/") for r in registry.requests)


def test_upload_blob_takes_a_download_stream_from_another_registry(
    registry_factory: Callable[..., LocalRegistry],
) -> None:
    source, target = registry_factory(), registry_factory()
    with client_of(source) as one, client_of(target) as two:
        one.upload_blob("src", CONTENT, chunk_size=CHUNK)
        with one.download_blob("src", DIGEST, chunk_size=CHUNK) as stream:
            assert two.upload_blob("dst", stream, chunk_size=CHUNK) == (DIGEST, len(CONTENT))
        assert b"".join(two.download_blob("dst", DIGEST)) == CONTENT
    assert uploaded_bytes(target) == len(CONTENT)  # each byte sent once


def test_upload_blob_takes_any_iterable_of_bytes(
    client: ContainerRegistryClient, registry: LocalRegistry
) -> None:
    pieces = (CONTENT[i : i + 1000] for i in range(0, len(CONTENT), 1000))
    assert client.upload_blob("repo", pieces, chunk_size=CHUNK) == (DIGEST, len(CONTENT))
    assert b"".join(client.download_blob("repo", DIGEST)) == CONTENT
    assert uploaded_bytes(registry) == len(CONTENT)


def test_an_empty_iterable_uploads_the_empty_blob(client: ContainerRegistryClient) -> None:
    digest, size = client.upload_blob("repo", iter([]))
    assert (digest, size) == ("sha256:" + hashlib.sha256(b"").hexdigest(), 0)
    assert client.blob_exists("repo", digest)


def test_an_iterable_of_text_is_refused_before_a_session_opens(
    client: ContainerRegistryClient, registry: LocalRegistry
) -> None:
    with pytest.raises(TypeError, match="bytes"):
        client.upload_blob("repo", iter(["text"]))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client.upload_blob("repo", "text")  # type: ignore[arg-type]
    assert uploads_started(registry) == 0


def test_a_stream_with_expected_digest_is_not_sent_when_the_target_has_it(
    client: ContainerRegistryClient, registry: LocalRegistry
) -> None:
    client.upload_blob("repo", CONTENT)
    registry.clear_requests()
    stream = io.BytesIO(CONTENT)
    assert client.upload_blob("repo", stream, expected_digest=DIGEST) == (DIGEST, len(CONTENT))
    assert stream.tell() == 0  # not read at all
    assert [r.method for r in registry.requests if r.path.startswith("/v2/")] == ["HEAD"]


def test_a_download_stream_is_not_sent_when_the_target_has_it_and_is_closed(
    client: ContainerRegistryClient, registry: LocalRegistry
) -> None:
    client.upload_blob("a", CONTENT)
    client.upload_blob("b", CONTENT)
    registry.clear_requests()
    stream = client.download_blob("a", DIGEST, chunk_size=CHUNK)
    assert client.upload_blob("b", stream) == (DIGEST, len(CONTENT))
    assert uploads_started(registry) == 0
    assert list(stream) == []  # closed unread: its connection went back to the pool


def test_a_stream_that_misses_its_expected_digest_raises_and_cancels_the_session(
    client: ContainerRegistryClient, registry: LocalRegistry
) -> None:
    with pytest.raises(DigestValidationError, match="expected"):
        client.upload_blob("repo", iter([CONTENT, b"x"]), expected_digest=DIGEST, chunk_size=CHUNK)
    assert registry.upload_sessions() == []
    assert not registry.has_blob("repo", DIGEST)
    assert not [r for r in registry.requests if r.method == "PUT"]  # never committed


def test_bytes_with_another_expected_digest_are_refused_before_any_request(
    client: ContainerRegistryClient, registry: LocalRegistry
) -> None:
    with pytest.raises(DigestValidationError):
        client.upload_blob("repo", CONTENT + b"x", expected_digest=DIGEST)
    with pytest.raises(ValueError, match="expected_digest"):
        client.upload_blob("repo", CONTENT, expected_digest="sha256:short")
    assert registry.requests == []


def test_blob_exists_tells_present_from_absent(client: ContainerRegistryClient) -> None:
    assert not client.blob_exists("repo", DIGEST)
    client.upload_blob("repo", CONTENT)
    assert client.blob_exists("repo", DIGEST)
    assert not client.blob_exists("other", DIGEST)


def test_blob_exists_and_mount_blob_refuse_bad_names_before_any_request(
    client: ContainerRegistryClient, registry: LocalRegistry
) -> None:
    with pytest.raises(ValueError):
        client.blob_exists("Bad Name", DIGEST)
    with pytest.raises(ValueError):
        client.blob_exists("repo", "sha256:nothex")
    with pytest.raises(ValueError):
        client.mount_blob("repo", DIGEST, "../etc")
    assert registry.requests == []


def test_mount_blob_shares_a_blob_within_the_registry_without_moving_bytes(
    client: ContainerRegistryClient, registry: LocalRegistry
) -> None:
    client.upload_blob("a", CONTENT)
    registry.clear_requests()
    assert client.mount_blob("b", DIGEST, "a") is True
    assert registry.has_blob("b", DIGEST)
    assert uploaded_bytes(registry) == 0
    assert not [r for r in registry.requests if r.method == "GET" and "/blobs/" in r.path]


def test_mount_blob_copies_through_the_client_when_the_registry_declines(
    client: ContainerRegistryClient, registry: LocalRegistry
) -> None:
    client.upload_blob("a", CONTENT)
    registry.clear_requests()
    registry.fail_next(1, status=403, method="POST", path_prefix="/v2/b/blobs/uploads")
    assert client.mount_blob("b", DIGEST, "a") is False
    assert b"".join(client.download_blob("b", DIGEST)) == CONTENT
    assert uploaded_bytes(registry) == len(CONTENT)
    assert registry.upload_sessions() == []
