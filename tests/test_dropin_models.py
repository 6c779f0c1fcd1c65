"""Models behave like azure-containerregistry 1.2.0's, checked side by side in the same test.

Both clients read one LocalRegistry (over https: 1.2.0 refuses plain http). Where we differ on
purpose (equality by value, where 1.2.0 compares identity) the test says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import azure.containerregistry as official
import pytest

import azure_containerregistry as ours
from azure_containerregistry.testing import LocalRegistry

TLS = Path(__file__).parent / "recordings" / "tls"
CERT = str(TLS / "localhost-cert.pem")
DIGEST = "sha256:" + "ab" * 32
WHEN = datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)


@pytest.fixture
def registry(registry_factory: Any) -> LocalRegistry:
    made: LocalRegistry = registry_factory(certfile=CERT, keyfile=str(TLS / "localhost-key.pem"))
    return made


@pytest.fixture
def clients(
    registry: LocalRegistry,
) -> Iterator[tuple[official.ContainerRegistryClient, ours.ContainerRegistryClient]]:
    with official.ContainerRegistryClient(
        registry.endpoint, registry.credential(),
        audience="https://containerregistry.azure.net", connection_verify=CERT,
    ) as theirs, ours.ContainerRegistryClient(
        registry.endpoint, registry.credential(), connection_verify=CERT
    ) as mine:  # fmt: skip
        yield theirs, mine


def test_listed_tags_go_into_sets_and_dict_keys_like_1_2_0(
    registry: LocalRegistry, clients: tuple[Any, ours.ContainerRegistryClient]
) -> None:
    registry.add_image("app", tags=["v1", "v2", "v3"])
    theirs, mine = clients
    for client in (theirs, mine):
        tags = list(client.list_tag_properties("app"))
        assert len(set(tags)) == 3
        by_tag = {tag: tag.name for tag in tags}
        assert [by_tag[tag] for tag in tags] == ["v1", "v2", "v3"]
        manifests = list(client.list_manifest_properties("app"))
        assert {manifest: manifest.digest for manifest in manifests}[manifests[0]]
        repository = client.get_repository_properties("app")
        assert repository in {repository}


def test_an_item_read_twice_is_one_set_member_here_where_1_2_0_keeps_two(
    registry: LocalRegistry, clients: tuple[Any, ours.ContainerRegistryClient]
) -> None:
    """The documented difference: 1.2.0 compares identity, we compare values."""
    registry.add_image("app", tags=["v1"])
    theirs, mine = clients
    their_reads = [theirs.get_tag_properties("app", "v1") for _ in range(2)]
    my_reads = [mine.get_tag_properties("app", "v1") for _ in range(2)]
    assert len(set(their_reads)) == 2 and their_reads[0] == their_reads[0]
    assert len(set(my_reads)) == 1 and my_reads[0] == my_reads[1]


def test_untagged_manifest_has_tags_none_like_1_2_0(
    registry: LocalRegistry, clients: tuple[Any, ours.ContainerRegistryClient]
) -> None:
    digest = registry.add_image("app")  # no tag
    tagged = registry.add_image("app", tags=["v1"], architecture="arm64")
    theirs, mine = clients
    for client in clients:
        assert client.get_manifest_properties("app", digest).tags is None
        assert client.get_manifest_properties("app", tagged).tags == ["v1"]
    their_listing = {m.digest: m.tags for m in theirs.list_manifest_properties("app")}
    my_listing = {m.digest: m.tags for m in mine.list_manifest_properties("app")}
    assert my_listing == their_listing == {digest: None, tagged: ["v1"]}


_TAG_KEYWORDS: dict[str, Any] = dict(
    name="v1", digest=DIGEST, repository_name="app", created_on=WHEN, last_updated_on=WHEN,
    can_delete=False, can_list=True, can_read=True, can_write=None,
)  # fmt: skip
_MANIFEST_KEYWORDS: dict[str, Any] = dict(
    digest=DIGEST, repository_name="app", registry="r.azurecr.io", size_in_bytes=1234,
    tags=["v1", "latest"], created_on=WHEN, last_updated_on=WHEN, cpu_architecture="arm64",
    operating_system="linux", can_delete=True, can_list=False, can_read=None, can_write=True,
)  # fmt: skip
_REPOSITORY_KEYWORDS: dict[str, Any] = dict(
    name="library/app", created_on=WHEN, last_updated_on=WHEN, manifest_count=3, tag_count=5,
    can_delete=True, can_list=True, can_read=False, can_write=False,
)  # fmt: skip
_CASES = {
    "ArtifactTagProperties": _TAG_KEYWORDS,
    "ArtifactManifestProperties": _MANIFEST_KEYWORDS,
    "RepositoryProperties": _REPOSITORY_KEYWORDS,
}


# 1.2.0's fully_qualified_reference drops "sha256:" (and raises without a digest): not a
# reference docker accepts, so ours differs on purpose (README, "Differences").
_NOT_COMPARED = {"last_udpated_on", "fully_qualified_reference"}


def _public_properties(model: Any) -> dict[str, Any]:
    names = [n for n in dir(type(model)) if not n.startswith("_") and n not in _NOT_COMPARED]
    return {n: getattr(model, n) for n in names if not callable(getattr(model, n))}


@pytest.mark.parametrize("class_name", list(_CASES))
def test_keyword_construction_reads_back_like_1_2_0(class_name: str) -> None:
    keywords = _CASES[class_name]
    theirs = getattr(official, class_name)(**keywords)
    mine = getattr(ours, class_name)(**keywords)
    their_values = _public_properties(theirs)
    assert their_values  # the comparison below checks something
    my_values = _public_properties(mine)
    assert {name: my_values[name] for name in their_values} == their_values
    for name, given in keywords.items():
        read = "architecture" if name == "cpu_architecture" else name
        assert getattr(mine, read) == given


def test_our_fully_qualified_reference_is_pullable_where_1_2_0_drops_the_algorithm() -> None:
    keywords = dict(digest=DIGEST, repository_name="app", registry="r.azurecr.io")
    theirs = official.ArtifactManifestProperties(**{**keywords, "registry": "https://r.azurecr.io"})
    assert theirs.fully_qualified_reference == "r.azurecr.io/app@" + DIGEST.split(":")[1]
    mine = ours.ArtifactManifestProperties(**keywords)
    assert mine.fully_qualified_reference == "r.azurecr.io/app@" + DIGEST


def test_keyword_built_manifest_reads_its_architecture_under_either_keyword() -> None:
    for keyword in ("architecture", "cpu_architecture"):
        built = ours.ArtifactManifestProperties(**{keyword: "arm64"})
        assert built.architecture is ours.ArtifactArchitecture.ARM64
    assert official.ArtifactManifestProperties(cpu_architecture="arm64").architecture == "arm64"


def test_keyword_built_models_have_nones_for_what_was_not_given_like_1_2_0() -> None:
    for class_name in _CASES:
        theirs = _public_properties(getattr(official, class_name)())
        mine = _public_properties(getattr(ours, class_name)())
        assert theirs and theirs == {name: None for name in theirs}
        assert {name: mine[name] for name in theirs} == theirs


def test_keyword_built_models_are_what_update_sends(
    registry: LocalRegistry, clients: tuple[Any, ours.ContainerRegistryClient]
) -> None:
    registry.add_image("app", tags=["v1"])
    for client in clients:
        wanted = type(client.get_tag_properties("app", "v1"))(
            name="v1", repository_name="app", can_delete=False, can_write=True
        )
        updated = client.update_tag_properties("app", "v1", wanted)
        assert (updated.can_delete, updated.can_write) == (False, True)
        updated = client.update_tag_properties("app", "v1", can_delete=True)
        assert updated.can_delete is True


def test_unknown_model_keywords_are_refused_where_1_2_0_drops_them() -> None:
    """1.2.0 silently ignores a misspelt keyword; we say which one."""
    assert official.ArtifactTagProperties(nmae="v1").name is None
    with pytest.raises(TypeError, match="nmae"):
        ours.ArtifactTagProperties(nmae="v1")  # type: ignore[call-arg]
