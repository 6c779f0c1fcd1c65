"""``explore.inventory``: the walk, the joins and the storage figures, on a seeded LocalRegistry.

The seed is pushed through the client with blobs of chosen sizes, so every storage figure is
known exactly (the numbers in the tests are worked out by hand in ``Seed``'s docstring).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import ClassVar, Iterator, List, Sequence, Tuple

import pytest

import azure_containerregistry.explore as explore
from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry.explore import Inventory, StorageRow, StorageTotals, inventory
from azure_containerregistry.testing import LocalRegistry

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"


def config(size: int, architecture: str = "amd64") -> bytes:
    """A config blob of exactly ``size`` bytes."""
    base = json.dumps({"architecture": architecture, "os": "linux", "pad": ""})
    data = json.dumps({"architecture": architecture, "os": "linux",
                       "pad": "x" * (size - len(base))}).encode()
    assert len(data) == size
    return data


def push_image(client: ContainerRegistryClient, repository: str, blobs: Sequence[bytes],
               tag: str | None = None) -> Tuple[str, int]:
    """Upload ``blobs`` (config first) and an image manifest over them; (digest, length)."""
    descriptors = []
    for data in blobs:
        digest, size = client.upload_blob(repository, data)
        descriptors.append({"digest": digest, "size": size})
    document = {"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                "config": {"mediaType": OCI_CONFIG, **descriptors[0]},
                "layers": [{"mediaType": OCI_LAYER, **d} for d in descriptors[1:]]}
    data = json.dumps(document).encode()
    return client.set_manifest(repository, data, tag=tag, media_type=OCI_MANIFEST), len(data)


def push_index(client: ContainerRegistryClient, repository: str,
               children: Sequence[Tuple[str, int]], tag: str) -> str:
    document = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [
        {"mediaType": OCI_MANIFEST, "digest": d, "size": n,
         "platform": {"architecture": "amd64", "os": "linux"}} for d, n in children]}
    return client.set_manifest(repository, json.dumps(document).encode(), tag=tag,
                               media_type=OCI_INDEX)


class Seed:
    """Four repositories whose storage is known to the byte.

    Blobs: B 1000 (base layer), W 300, Wold 700, A 500, X 50; configs Cw1 100, Cw0 110,
    Ca 120, Ca2 130, Ct 140.

    - ``app/web``: ``v1`` = [Cw1, B, W]; untagged w0 = [Cw0, B, Wold].
      total 2210, shared 1700 (B with app/api, Wold with tools/*), unique 510,
      untagged 810 (Cw0 + Wold: B stays with v1).
    - ``app/api``: index ``latest`` over a1 = [Ca, B, A]; untagged a2 = [Ca2, A, X].
      total 1800, shared 1000, unique 800, untagged 180 (Ca2 + X: A stays with a1, which the
      tagged index holds).
    - ``tools/only`` and ``tools/copy``: the same untagged manifest t = [Ct, Wold].
      total 840, shared 840, unique 0, untagged 840 each.

    Registry: 3150 distinct bytes; an untagged cleanup frees Cw0, Wold, Ca2, X, Ct = 1130.
    """

    def __init__(self, client: ContainerRegistryClient) -> None:
        base, w, wold, a, x = b"B" * 1000, b"W" * 300, b"O" * 700, b"A" * 500, b"X" * 50
        self.v1, _ = push_image(client, "app/web", [config(100), base, w], tag="v1")
        self.w0, _ = push_image(client, "app/web", [config(110), base, wold])
        self.a1 = push_image(client, "app/api", [config(120), base, a])
        self.index = push_index(client, "app/api", [self.a1], tag="latest")
        self.a2, _ = push_image(client, "app/api", [config(130), a, x])
        self.t, _ = push_image(client, "tools/only", [config(140), wold])
        assert push_image(client, "tools/copy", [config(140), wold])[0] == self.t

    rows: ClassVar[List[StorageRow]] = [StorageRow("app/api", 1800, 1000, 800, 180),
        StorageRow("app/web", 2210, 1700, 510, 810),
        StorageRow("tools/copy", 840, 840, 0, 840),
        StorageRow("tools/only", 840, 840, 0, 840)]


@pytest.fixture
def client(registry: LocalRegistry) -> Iterator[ContainerRegistryClient]:
    with ContainerRegistryClient(registry.endpoint, registry.credential()) as made:
        yield made


@pytest.fixture
def seed(client: ContainerRegistryClient) -> Seed:
    return Seed(client)


def manifest_gets(registry: LocalRegistry) -> List[str]:
    return [r.path for r in registry.requests
            if r.method == "GET" and r.path.startswith("/v2/") and "/manifests/" in r.path
            and r.status == 200]


def test_public_names_are_pinned() -> None:
    assert explore.__all__ == sorted(explore.__all__)
    assert explore.__all__ == ["Blob", "Inventory", "ManifestRecord", "ProgressEvent",
                               "StorageRow", "StorageTotals", "TagRecord", "WalkError",
                               "inventory"]
    for name in explore.__all__:
        assert hasattr(explore, name)


def test_storage_counts_distinct_blobs_and_splits_shared_from_unique(
        client: ContainerRegistryClient, seed: Seed) -> None:
    found = inventory(client, layers=True, progress=False)
    assert found.errors == ()
    assert found.repositories == ("app/api", "app/web", "tools/copy", "tools/only")
    assert found.storage_rows() == seed.rows


def test_storage_totals_count_a_blob_shared_by_repositories_once(
        client: ContainerRegistryClient, seed: Seed) -> None:
    found = inventory(client, layers=True, progress=False)
    assert found.storage_totals() == StorageTotals(total_bytes=3150, untagged_bytes=1130)


def test_storage_dataframe_holds_the_same_figures(client: ContainerRegistryClient,
                                                  seed: Seed) -> None:
    frame = inventory(client, layers=True, progress=False).storage()
    assert list(frame.columns) == ["repository", "total_bytes", "shared_bytes", "unique_bytes",
                                   "untagged_bytes"]
    assert [StorageRow(*row) for row in frame.itertuples(index=False)] == seed.rows


def test_a_digest_in_two_repositories_is_read_once(registry: LocalRegistry,
                                                   client: ContainerRegistryClient,
                                                   seed: Seed) -> None:
    registry.clear_requests()
    inventory(client, layers=True, progress=False)
    gets = manifest_gets(registry)
    assert len(gets) == 6  # v1, w0, a1, index, a2, t: seven manifests, six digests
    assert sum(path.endswith(seed.t.split(":")[1]) for path in gets) == 1


def test_without_layers_no_body_is_read_and_storage_is_refused(
        registry: LocalRegistry, client: ContainerRegistryClient, seed: Seed) -> None:
    registry.clear_requests()
    found = inventory(client, progress=False)
    assert manifest_gets(registry) == []
    assert all(m.blobs is None for m in found.manifests) and len(found.manifests) == 7
    with pytest.raises(ValueError, match="layers=True"):
        found.storage()
    with pytest.raises(ValueError, match="layers=True"):
        found.storage_totals()


def test_tags_are_joined_to_manifests_and_children_to_their_index(
        registry: LocalRegistry, client: ContainerRegistryClient) -> None:
    index = registry.add_index("multi", tags=["latest", "stable"])
    lone = registry.add_image("multi", tags=["v1"], architecture="arm64")
    untagged = registry.add_image("multi")
    found = inventory(client, progress=False)
    by_digest = {m.digest: m for m in found.manifests}
    assert by_digest[index].tags == ("latest", "stable") and by_digest[index].is_index
    children = by_digest[index].children
    assert len(children) == 2
    assert {by_digest[c].parent_index for c in children} == {index}
    assert {by_digest[c].architecture for c in children} == {"amd64", "arm64"}
    assert by_digest[lone].tags == ("v1",)
    assert by_digest[lone].architecture == "arm64" and by_digest[lone].parent_index is None
    assert by_digest[untagged].tags == () and not by_digest[untagged].is_index
    assert sorted((t.name, t.digest) for t in found.tags) == [
        ("latest", index), ("stable", index), ("v1", lone)]
    assert all(t.last_updated_on is not None and t.last_updated_on.tzinfo for t in found.tags)


def test_given_repositories_limit_the_walk(registry: LocalRegistry,
                                           client: ContainerRegistryClient) -> None:
    registry.add_image("one", tags=["a"])
    registry.add_image("two", tags=["b"])
    assert inventory(client, ["two"], progress=False).repositories == ("two",)
    single = inventory(client, "one", progress=False)
    assert single.repositories == ("one",) and [t.name for t in single.tags] == ["a"]


def test_an_unreadable_repository_is_reported_and_the_rest_is_complete(
        registry: LocalRegistry, client: ContainerRegistryClient) -> None:
    registry.add_image("here", tags=["a"])
    found = inventory(client, ["here", "gone"], progress=False)
    assert {(e.what, e.repository) for e in found.errors} == {("manifests", "gone"),
                                                              ("tags", "gone")}
    assert "NotFound" in found.errors[0].error
    assert [m.repository for m in found.manifests] == ["here"]
    assert repr(found) == ("Inventory(repositories=2, manifests=1, tags=1, errors=2, "
                           "layers=False)")


def test_an_empty_registry_gives_an_empty_inventory(client: ContainerRegistryClient) -> None:
    found = inventory(client, layers=True, progress=False)
    assert isinstance(found, Inventory)
    assert (found.repositories, found.manifests, found.errors) == ((), (), ())
    assert found.storage_rows() == []
    assert found.storage_totals() == StorageTotals(0, 0)


def test_readme_example_runs() -> None:
    readme = Path(__file__).resolve().parent.parent / "README.md"
    text = readme.read_text(encoding="utf-8")
    section = text.split("\n## Exploring a registry in a notebook\n", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    exec(compile(block, str(readme), "exec"), {})
