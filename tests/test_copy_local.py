"""``copy_image`` between LocalRegistry instances and within one, checked on both request logs.

The helpers here build images, indexes and referrers with the public client; the distribution
tests reuse them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any, Callable

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from azure_containerregistry import (
    ContainerRegistryClient,
    CopyEvent,
    DigestValidationError,
    copy_image,
)
from azure_containerregistry._content import (
    DOCKER_MANIFEST,
    DOCKER_MANIFEST_LIST,
    OCI_IMAGE_INDEX,
    OCI_IMAGE_MANIFEST,
)
from azure_containerregistry.testing import LocalRegistry, RequestRecord

OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
OCI_EMPTY = "application/vnd.oci.empty.v1+json"
SIGNATURE = "application/vnd.example.signature.v1"


def push_image(
    client: ContainerRegistryClient,
    repository: str,
    layers: list[bytes],
    *,
    tag: str | None = None,
    platform: str = "linux/amd64",
    docker: bool = False,
) -> dict[str, Any]:
    """Push an image; return its descriptor (with ``platform``) for an index."""
    os_name, architecture = platform.split("/")
    config = json.dumps({"architecture": architecture, "os": os_name, "layers": len(layers)})
    config_digest, config_size = client.upload_blob(repository, config.encode())
    layer_type = "application/vnd.oci.image.layer.v1.tar"
    media_type = OCI_IMAGE_MANIFEST
    if docker:
        layer_type = "application/vnd.docker.image.rootfs.diff.tar.gzip"
        media_type = DOCKER_MANIFEST
    descriptors = []
    for layer in layers:
        digest, size = client.upload_blob(repository, layer)
        descriptors.append({"mediaType": layer_type, "digest": digest, "size": size})
    document = {
        "schemaVersion": 2,
        "mediaType": media_type,
        "config": {
            "mediaType": DOCKER_CONFIG if docker else OCI_CONFIG,
            "digest": config_digest,
            "size": config_size,
        },
        "layers": descriptors,
    }
    data = json.dumps(document, indent=3).encode()  # unusual spacing: a re-serialisation shows
    digest = client.set_manifest(repository, data, tag=tag, media_type=media_type)
    return {
        "mediaType": media_type,
        "digest": digest,
        "size": len(data),
        "platform": {"architecture": architecture, "os": os_name},
    }


def push_index(
    client: ContainerRegistryClient,
    repository: str,
    children: list[dict[str, Any]],
    *,
    tag: str | None = None,
    docker: bool = False,
) -> dict[str, Any]:
    media_type = DOCKER_MANIFEST_LIST if docker else OCI_IMAGE_INDEX
    data = json.dumps({"schemaVersion": 2, "mediaType": media_type, "manifests": children}).encode()
    digest = client.set_manifest(repository, data, tag=tag, media_type=media_type)
    return {"mediaType": media_type, "digest": digest, "size": len(data)}


def push_referrer(
    client: ContainerRegistryClient, repository: str, subject: dict[str, Any], payload: bytes
) -> dict[str, Any]:
    """Push a signature-like artifact whose ``subject`` is ``subject``, and list it in the
    subject's tag-schema index, as a client must on a registry without the referrers API."""
    empty_digest, empty_size = client.upload_blob(repository, b"{}")
    blob_digest, blob_size = client.upload_blob(repository, payload)
    document = {
        "schemaVersion": 2,
        "mediaType": OCI_IMAGE_MANIFEST,
        "artifactType": SIGNATURE,
        "config": {"mediaType": OCI_EMPTY, "digest": empty_digest, "size": empty_size},
        "layers": [{"mediaType": SIGNATURE, "digest": blob_digest, "size": blob_size}],
        "subject": {k: subject[k] for k in ("mediaType", "digest", "size")},
    }
    data = json.dumps(document).encode()
    digest = client.set_manifest(repository, data, media_type=OCI_IMAGE_MANIFEST)
    descriptor = {"mediaType": OCI_IMAGE_MANIFEST, "digest": digest, "size": len(data),
                  "artifactType": SIGNATURE}  # fmt: skip
    tag = subject["digest"].replace(":", "-")
    index = {"schemaVersion": 2, "mediaType": OCI_IMAGE_INDEX, "manifests": [descriptor]}
    client.set_manifest(repository, index, tag=tag, media_type=OCI_IMAGE_INDEX)
    return descriptor


def blob_bytes_moved(records: list[RequestRecord]) -> int:
    """Blob bytes uploaded to a registry plus blob bytes it served."""
    up = sum(r.body_bytes for r in records if "/blobs/uploads/" in r.path)
    down = sum(r.response_bytes for r in records if r.method == "GET" and "/blobs/sha" in r.path)
    return up + down


def client_of(registry: LocalRegistry) -> ContainerRegistryClient:
    return ContainerRegistryClient(registry.endpoint, registry.credential())


Pair = tuple[LocalRegistry, ContainerRegistryClient, LocalRegistry, ContainerRegistryClient]


@pytest.fixture
def pair(registry_factory: Callable[..., LocalRegistry]) -> Iterator[Pair]:
    """A source and a target registry, each with a client."""
    source, target = registry_factory(), registry_factory()
    with client_of(source) as one, client_of(target) as two:
        yield source, one, target, two


def test_copy_between_registries_keeps_the_bytes_the_digest_and_the_tag(pair: Pair) -> None:
    source, one, target, two = pair
    image = push_image(one, "app", [b"layer one", b"layer two"], tag="v1")
    assert copy_image(one, "app", "v1", two, "mirror/app") == image["digest"]
    assert target.get_manifest_bytes("mirror/app", "v1") == source.get_manifest_bytes("app", "v1")
    assert two.get_manifest("mirror/app", "v1").digest == image["digest"]
    assert target.tags("mirror/app") == ["v1"]


def test_copy_by_digest_sets_no_tag_and_keeps_the_repository_name_by_default(pair: Pair) -> None:
    _, one, target, two = pair
    image = push_image(one, "app", [b"layer"], tag="v1")
    assert copy_image(one, "app", image["digest"], two) == image["digest"]
    assert two.get_manifest("app", image["digest"]).digest == image["digest"]
    assert target.tags("app") == []


def test_copy_of_an_index_copies_every_platform(pair: Pair) -> None:
    source, one, target, two = pair
    digest = source.add_index("multi", tags=["latest"])
    assert copy_image(one, "multi", "latest", two, "multi") == digest
    for child in two.get_manifest("multi", digest).manifest["manifests"]:
        pulled = two.get_manifest("multi", child["digest"])
        for blob in [pulled.manifest["config"], *pulled.manifest["layers"]]:
            assert two.blob_exists("multi", blob["digest"])
    assert target.tags("multi") == ["latest"]


def test_a_docker_manifest_list_is_copied_byte_for_byte(pair: Pair) -> None:
    source, one, target, two = pair
    amd = push_image(one, "app", [b"amd"], platform="linux/amd64", docker=True)
    arm = push_image(one, "app", [b"arm"], platform="linux/arm64", docker=True)
    listed = push_index(one, "app", [amd, arm], tag="v2", docker=True)
    assert copy_image(one, "app", "v2", two) == listed["digest"]
    assert target.get_manifest_bytes("app", "v2") == source.get_manifest_bytes("app", "v2")
    assert two.get_manifest("app", "v2").media_type == DOCKER_MANIFEST_LIST


def test_a_second_copy_moves_no_blob_bytes(pair: Pair) -> None:
    source, one, target, two = pair
    source.add_index("multi", tags=["latest"])
    copy_image(one, "multi", "latest", two)
    source.clear_requests()
    target.clear_requests()
    events: list[CopyEvent] = []
    copy_image(one, "multi", "latest", two, progress=events.append)
    assert target.requests and source.requests  # the copy did ask
    assert blob_bytes_moved(source.requests) == blob_bytes_moved(target.requests) == 0
    assert not [r for r in target.requests if r.method in ("POST", "PATCH", "PUT")
                and r.path.startswith("/v2/")]  # fmt: skip
    assert [(e.kind, e.action) for e in events] == [("manifest", "skipped")]


def test_a_copy_within_a_registry_mounts_its_blobs(registry: LocalRegistry) -> None:
    with client_of(registry) as client, client_of(registry) as other:
        image = push_image(client, "app", [b"a" * 70000, b"b" * 1000], tag="v1")
        registry.clear_requests()
        assert copy_image(client, "app", "v1", client, "copy/app") == image["digest"]
        # another client of the same endpoint mounts too
        assert copy_image(client, "app", "v1", other, "other/app") == image["digest"]
    mounts = [r for r in registry.requests if r.query.get("mount")]
    assert len(mounts) == 6 and {r.status for r in mounts} == {201}  # config + 2 layers, twice
    assert blob_bytes_moved(registry.requests) == 0
    assert registry.tags("copy/app") == registry.tags("other/app") == ["v1"]


def test_a_platform_filter_copies_the_matching_image_and_not_the_index(pair: Pair) -> None:
    _source, one, _target, two = pair
    amd = push_image(one, "app", [b"amd"], platform="linux/amd64")
    arm = push_image(one, "app", [b"arm"], platform="linux/arm64")
    index = push_index(one, "app", [amd, arm], tag="v1")
    assert copy_image(one, "app", "v1", two, platforms=["linux/arm64"]) == arm["digest"]
    assert two.get_manifest("app", "v1").digest == arm["digest"]
    for absent in (amd["digest"], index["digest"]):
        with pytest.raises(ResourceNotFoundError):
            two.get_manifest("app", absent)


def test_a_platform_filter_that_matches_nothing_writes_nothing(pair: Pair) -> None:
    source, one, target, two = pair
    source.add_index("multi", tags=["latest"])
    with pytest.raises(LookupError, match="windows/amd64"):
        copy_image(one, "multi", "latest", two, platforms=["windows/amd64"])
    assert not [r for r in target.requests if r.method in ("POST", "PATCH", "PUT")
                and r.path.startswith("/v2/")]  # fmt: skip


def test_referrers_are_copied_with_their_tag_schema_index(pair: Pair) -> None:
    source, one, target, two = pair
    image = push_image(one, "app", [b"layer"], tag="v1")
    signature = push_referrer(one, "app", image, b"signed")
    tag = image["digest"].replace(":", "-")
    copy_image(one, "app", "v1", two, referrers=True)
    assert two.get_manifest("app", signature["digest"]).manifest["subject"]["digest"] == (
        image["digest"]
    )
    assert target.get_manifest_bytes("app", tag) == source.get_manifest_bytes("app", tag)
    without = copy_image(one, "app", "v1", two, "plain")  # referrers are opt-in
    assert without == image["digest"] and target.tags("plain") == ["v1"]


def test_new_referrers_are_merged_into_the_target_tag_schema_index(pair: Pair) -> None:
    _source, one, _target, two = pair
    image = push_image(one, "app", [b"layer"], tag="v1")
    first = push_referrer(one, "app", image, b"first")
    copy_image(one, "app", "v1", two, referrers=True)
    second = push_referrer(one, "app", image, b"second")  # the source index now lists only it
    copy_image(one, "app", "v1", two, referrers=True)
    listed = two.get_manifest("app", image["digest"].replace(":", "-")).manifest["manifests"]
    assert [d["digest"] for d in listed] == [first["digest"], second["digest"]]


def test_progress_reports_every_blob_and_manifest_with_bytes(pair: Pair) -> None:
    _, one, _, two = pair
    image = push_image(one, "app", [b"x" * 150000], tag="v1")
    events: list[CopyEvent] = []
    copy_image(one, "app", "v1", two, progress=events.append)
    copied = {(e.kind, e.action, e.size) for e in events if e.action == "copied"}
    assert ("blob", "copied", 150000) in copied
    assert ("manifest", "copied", image["size"]) in copied
    moving = [e.transferred for e in events if e.action == "copying" and e.size == 150000]
    assert moving == sorted(moving) and moving[-1] == 150000


def test_blobs_move_a_few_at_a_time(pair: Pair) -> None:
    _, one, target, two = pair
    push_image(one, "app", [bytes([n]) * 1000 for n in range(12)], tag="v1")
    target.latency = 0.02
    threads: set[str] = set()

    def note(event: CopyEvent) -> None:
        if event.kind == "blob":
            threads.add(threading.current_thread().name)

    copy_image(one, "app", "v1", two, max_concurrency=3, progress=note)
    assert 2 <= len(threads) <= 3 and threading.current_thread().name not in threads


def test_a_failed_blob_leaves_no_manifest_and_no_session_on_the_target(pair: Pair) -> None:
    _, one, target, two = pair
    image = push_image(one, "app", [b"layer"], tag="v1")
    target.fail_next(50, status=400, method="PUT", path_prefix="/v2/app/blobs/uploads")
    with pytest.raises(HttpResponseError):
        copy_image(one, "app", "v1", two)
    with pytest.raises(ResourceNotFoundError):
        two.get_manifest("app", image["digest"])
    assert target.upload_sessions() == []


@pytest.mark.parametrize(
    ("arguments", "keywords", "error"),
    [
        (("Bad/Name", "v1"), {}, ValueError),
        (("app", "v1", "../up"), {}, ValueError),
        (("app", "bad tag"), {}, ValueError),
        (("app", "sha256:abc"), {}, ValueError),
        (("app", "v1"), {"platforms": ["linux"]}, ValueError),
        (("app", "v1"), {"platforms": ["linux/amd64/v8/extra"]}, ValueError),
        (("app", "v1"), {"platforms": ["linux/amd 64"]}, ValueError),
        (("app", "v1"), {"platforms": []}, ValueError),
        (("app", "v1"), {"platforms": "linux/amd64"}, TypeError),
        (("app", "v1"), {"platforms": [("linux", "amd64")]}, TypeError),
        (("app", "v1"), {"max_concurrency": 0}, ValueError),
        (("app", "v1"), {"progress": "print"}, TypeError),
    ],
)
def test_bad_input_is_refused_before_any_request(
    pair: Pair, arguments: tuple[str, ...], keywords: dict[str, Any], error: type[Exception]
) -> None:
    source, one, target, two = pair
    repository, reference, *rest = arguments
    with pytest.raises(error):
        copy_image(one, repository, reference, two, *rest, **keywords)
    assert source.requests == target.requests == []


def test_the_same_repository_of_one_registry_is_refused_before_any_request(
    registry: LocalRegistry,
) -> None:
    with client_of(registry) as client, client_of(registry) as other:
        with pytest.raises(ValueError, match="nothing to copy"):
            copy_image(client, "app", "v1", client)
        with pytest.raises(ValueError, match="nothing to copy"):
            copy_image(client, "app", "v1", other, "app")
        with pytest.raises(TypeError):
            copy_image("client", "app", "v1", other)  # type: ignore[arg-type]
    assert registry.requests == []


def test_a_corrupted_source_blob_is_not_committed_and_no_manifest_follows(pair: Pair) -> None:
    source, one, target, two = pair
    image = push_image(one, "app", [b"good layer"], tag="v1")
    layer = one.get_manifest("app", "v1").manifest["layers"][0]["digest"]
    with source.store.lock:
        source.store.blobs[layer] = b"evil layer"  # the registry serves other bytes
    with pytest.raises(DigestValidationError):
        copy_image(one, "app", "v1", two)
    assert not two.blob_exists("app", layer)
    assert target.upload_sessions() == []
    with pytest.raises(ResourceNotFoundError):
        two.get_manifest("app", image["digest"])
