"""``copy_image`` between Debian's ``docker-registry`` (CNCF distribution 2.x) and LocalRegistry.

Distribution has no referrers API, so referrers travel by the ``sha256-<hex>`` tag schema; its
upload ``Location`` is absolute and it mounts blobs across repositories. LocalRegistry's
request log shows what crossed the wire on its side.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_copy_local import blob_bytes_moved, client_of, push_image, push_index, push_referrer
from test_distribution import distribution  # noqa: F401 - the registry fixture

from azure_containerregistry import ContainerRegistryClient, CopyEvent, copy_image
from azure_containerregistry.testing import LocalRegistry


@pytest.fixture
def remote(distribution: str) -> Iterator[ContainerRegistryClient]:  # noqa: F811
    with ContainerRegistryClient(distribution) as client:
        yield client


@pytest.fixture
def local(registry: LocalRegistry) -> Iterator[ContainerRegistryClient]:
    with client_of(registry) as client:
        yield client


def _signed_index(client: ContainerRegistryClient, repository: str, *, docker: bool) -> str:
    amd = push_image(client, repository, [b"amd layer " * 999], platform="linux/amd64",
                     docker=docker)  # fmt: skip
    arm = push_image(client, repository, [b"arm layer"], platform="linux/arm64", docker=docker)
    index = push_index(client, repository, [amd, arm], tag="v1", docker=docker)
    push_referrer(client, repository, index, b"signature of the index")
    push_referrer(client, repository, amd, b"sbom of the amd64 image")
    digest: str = index["digest"]
    return digest


def _same(one: ContainerRegistryClient, two: ContainerRegistryClient, repo_one: str,
          repo_two: str, reference: str) -> None:  # fmt: skip
    assert one.get_manifest(repo_one, reference).data == two.get_manifest(repo_two, reference).data


@pytest.mark.parametrize("docker", [False, True], ids=["oci-index", "docker-manifest-list"])
def test_an_index_and_its_referrers_go_to_local_registry_and_back(
    remote: ContainerRegistryClient, local: ContainerRegistryClient, docker: bool
) -> None:
    repository = "docker/app" if docker else "oci/app"
    digest = _signed_index(remote, repository, docker=docker)
    assert copy_image(remote, repository, "v1", local, "app", referrers=True) == digest
    assert copy_image(local, "app", "v1", remote, repository + "-back", referrers=True) == digest
    pulled = remote.get_manifest(repository, digest)
    subjects = [digest] + [child["digest"] for child in pulled.manifest["manifests"][:1]]
    for there in ("app", repository + "-back"):
        client = local if there == "app" else remote
        _same(remote, client, repository, there, "v1")
        for child in pulled.manifest["manifests"]:
            _same(remote, client, repository, there, child["digest"])
        for subject in subjects:  # the tag-schema index of each signed manifest, byte for byte
            _same(remote, client, repository, there, subject.replace(":", "-"))


def test_a_second_copy_in_either_direction_moves_no_blob_bytes(
    remote: ContainerRegistryClient, local: ContainerRegistryClient, registry: LocalRegistry
) -> None:
    _signed_index(remote, "again/app", docker=False)
    copy_image(remote, "again/app", "v1", local, "app", referrers=True)
    copy_image(local, "app", "v1", remote, "again/back", referrers=True)
    registry.clear_requests()
    copy_image(remote, "again/app", "v1", local, "app", referrers=True)
    assert registry.requests and blob_bytes_moved(registry.requests) == 0
    registry.clear_requests()
    events: list[CopyEvent] = []
    copy_image(local, "app", "v1", remote, "again/back", referrers=True, progress=events.append)
    assert registry.requests and blob_bytes_moved(registry.requests) == 0  # nothing read here
    assert {e.action for e in events} == {"skipped"}


def test_a_copy_within_distribution_mounts_every_blob(remote: ContainerRegistryClient) -> None:
    image = push_image(remote, "mount/from", [b"x" * 100000, b"y"], tag="v1")
    events: list[CopyEvent] = []
    assert copy_image(remote, "mount/from", "v1", remote, "mount/to", progress=events.append) == (
        image["digest"]
    )
    assert sorted((e.kind, e.action) for e in events) == [
        ("blob", "mounted"), ("blob", "mounted"), ("blob", "mounted"), ("manifest", "copied"),
    ]  # fmt: skip
    assert remote.get_manifest("mount/to", "v1").digest == image["digest"]
