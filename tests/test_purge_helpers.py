"""Seeding helpers shared by the purge tests (referrers, nested indexes, ages, the request log),
and tests that the helpers build what the purge tests rely on."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from fake_time import FakeTime

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry.testing import LocalRegistry

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
NOW = datetime.now(timezone.utc)


def days_ago(days: float) -> datetime:
    """A moment ``days`` before the tests started."""
    return NOW - timedelta(days=days)


def add_referrer(client: ContainerRegistryClient, repository: str, subject: str,
                 kind: str = "signature") -> str:
    """Push an untagged OCI manifest whose ``subject`` is ``subject``; return its digest.

    It reuses the blobs of the subject (or, for an index subject, of its first child), so the
    registry accepts it without uploads.
    """
    image = client.get_manifest(repository, subject).manifest
    if "manifests" in image:
        image = client.get_manifest(repository, image["manifests"][0]["digest"]).manifest
    size = len(client.get_manifest(repository, subject).data)
    doc: dict[str, Any] = {
        "schemaVersion": 2, "mediaType": OCI_MANIFEST, "artifactType": f"example/{kind}",
        "config": image["config"], "layers": image["layers"],
        "subject": {"mediaType": OCI_MANIFEST, "digest": subject, "size": size},
        "annotations": {"kind": kind},
    }
    return client.set_manifest(repository, doc)


def add_nested_index(client: ContainerRegistryClient, repository: str, inner: list[str],
                     tag: str | None = None) -> str:
    """Push an index listing the indexes or images ``inner``; return its digest."""
    listed = [{"mediaType": client.get_manifest(repository, d).media_type, "digest": d,
               "size": len(client.get_manifest(repository, d).data)} for d in inner]
    doc = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": listed}
    return client.set_manifest(repository, doc, tag=tag, media_type=OCI_INDEX)


def children(registry: LocalRegistry, repository: str, index: str) -> list[str]:
    """The digests an index in the registry lists."""
    import json

    data = registry.get_manifest_bytes(repository, index)
    assert data is not None
    return [m["digest"] for m in json.loads(data)["manifests"]]


def manifests(registry: LocalRegistry, repository: str) -> set[str]:
    """Digests of the manifests stored in ``repository``."""
    with registry.store.lock:
        repo = registry.store.repositories.get(repository)
        return set(repo.manifests) if repo else set()


def writes(registry: LocalRegistry) -> list[str]:
    """Logged registry requests that are not reads (token exchanges excluded)."""
    return [f"{r.method} {r.path}" for r in registry.requests
            if r.method not in ("GET", "HEAD") and not r.path.startswith("/oauth2/")]


def test_referrer_names_its_subject(registry: LocalRegistry,
                                    client: ContainerRegistryClient) -> None:
    image = registry.add_image("app", ["v1"])
    referrer = add_referrer(client, "app", image)
    assert client.get_manifest("app", referrer).manifest["subject"]["digest"] == image
    assert not client.get_manifest_properties("app", referrer).tags


def test_nested_index_lists_an_index(registry: LocalRegistry,
                                     client: ContainerRegistryClient) -> None:
    inner = registry.add_index("app")
    outer = add_nested_index(client, "app", [inner], tag="multi")
    assert children(registry, "app", outer) == [inner]
    assert [r.digest for r in client.get_manifest_properties("app", outer).references] == [inner]


def decided(plan: Any, kind: str = "tag") -> dict[str, str]:
    """``{"repo:name": "decision reason"}`` for the plan's items of ``kind``."""
    return {f"{i.repository}:{i.name}": f"{i.decision.value} {i.reason.value}"
            for i in plan.items if i.kind == kind}



def test_fake_time_advances_only_when_slept() -> None:
    fake = FakeTime()
    fake.sleep(2.5)
    assert (fake.clock(), fake.slept) == (2.5, [2.5])
