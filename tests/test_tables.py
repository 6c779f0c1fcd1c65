"""Listings as typed DataFrames (``to_dataframe``) and page callbacks (``on_page``)."""

from __future__ import annotations

import re
import sys
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest
from azure.core.paging import ItemPaged

from azure_containerregistry import (
    ArtifactManifestProperties,
    ArtifactTagProperties,
    ContainerRegistryClient,
)
from azure_containerregistry.testing import LocalRegistry

WHEN = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=timezone.utc)
FLAGS = ["can_delete", "can_list", "can_read", "can_write"]


def dtypes(frame: object) -> dict[str, str]:
    return {name: str(dtype) for name, dtype in frame.dtypes.items()}  # type: ignore[attr-defined]


def test_manifest_frame_has_a_typed_column_per_attribute(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1", "v2"], size=5000, created_on=WHEN)
    registry.add_image("app", architecture="loong64", os="haiku", can_delete=False)
    registry.add_index("app", tags=["multi"])
    frame = client.list_manifest_properties("app").to_dataframe()
    types = dtypes(frame)
    assert list(frame.columns) == list(ArtifactManifestProperties._fields)
    assert types["created_on"] == types["last_updated_on"] == "datetime64[ns, UTC]"
    assert types["size_in_bytes"] == "Int64"
    assert {types[name] for name in FLAGS} == {"boolean"}
    for name in ("architecture", "operating_system", "media_type", "config_media_type"):
        assert types[name] == "category", name
    assert types["tags"] == types["references"] == "object"
    assert len(frame) == 5  # two images, an index and its two children
    tagged = frame[frame.tags.map(lambda tags: "v1" in tags)].iloc[0]
    assert tagged.tags == ["v1", "v2"] and tagged.size_in_bytes == 5000
    assert tagged.created_on == pd.Timestamp(WHEN)
    assert set(frame.architecture.dropna()) == {"amd64", "arm64", "loong64"}
    assert frame.can_delete.sum() == 4 and not frame.can_delete.isna().any()
    index = frame[frame.references.map(len) == 2].iloc[0]
    assert {child["architecture"] for child in index.references} == {"amd64", "arm64"}
    assert all(type(child["architecture"]) is str for child in index.references)
    assert frame[frame.architecture == "loong64"].tags.iloc[0] == []  # untagged: empty list


def test_tag_frame_is_typed_and_names_its_repository(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1", "v2", "v3"], created_on=WHEN)
    frame = client.list_tag_properties("app").to_dataframe()
    assert list(frame.columns) == list(ArtifactTagProperties._fields)
    types = dtypes(frame)
    assert types["created_on"] == "datetime64[ns, UTC]"
    assert {types[name] for name in FLAGS} == {"boolean"}
    assert sorted(frame.name) == ["v1", "v2", "v3"]
    assert set(frame.repository_name) == {"app"} and frame.digest.nunique() == 1


def test_repository_names_give_a_one_column_frame(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    for name in ("b", "a/c", "a"):
        registry.add_image(name, tags=["v1"])
    frame = client.list_repository_names(results_per_page=2).to_dataframe()
    assert list(frame.columns) == ["name"] and list(frame.name) == ["a", "a/c", "b"]


def test_an_empty_listing_gives_an_empty_frame_with_the_same_typed_columns(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_repository("empty")
    frame = client.list_manifest_properties("empty").to_dataframe()
    assert frame.empty
    assert dtypes(frame)["created_on"] == "datetime64[ns, UTC]"
    assert dtypes(frame)["size_in_bytes"] == "Int64"
    assert dtypes(frame)["architecture"] == "category"


def test_to_dataframe_reads_the_whole_listing_again_on_each_call(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=[f"t{i}" for i in range(5)])
    pager = client.list_tag_properties("app", results_per_page=2)
    next(pager)  # a partly consumed iterator
    assert len(pager.to_dataframe()) == 5 and len(pager.to_dataframe()) == 5
    assert len(list(pager)) == 4  # the iteration itself goes on where it was


def test_a_missing_pandas_names_the_extra_before_any_request(
    registry: LocalRegistry, client: ContainerRegistryClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry.add_image("app", tags=["v1"])
    monkeypatch.setitem(sys.modules, "pandas", None)
    registry.clear_requests()
    pager = client.list_tag_properties("app")
    with pytest.raises(ImportError, match=r'pip install "azure-acr-client\[notebook\]"'):
        pager.to_dataframe()
    assert registry.requests == []


def test_listings_are_still_item_paged_and_resume_from_a_token(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=[f"t{i}" for i in range(5)])
    pager = client.list_tag_properties("app", results_per_page=2)
    assert isinstance(pager, ItemPaged)
    pages = pager.by_page()
    first = [tag.name for tag in next(pages)]
    token = pages.continuation_token  # type: ignore[attr-defined]
    rest = [tag.name for page in pager.by_page(continuation_token=token) for tag in page]
    assert sorted(first + rest) == [f"t{i}" for i in range(5)]
    assert "to_dataframe" in repr(pager)


def test_page_callbacks_count_pages_and_items_as_they_arrive(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=[f"t{i}" for i in range(5)])
    seen: list[tuple[int, int]] = []
    also: list[int] = []
    pager = client.list_tag_properties("app", results_per_page=2)
    assert pager.on_page(lambda pages, items: seen.append((pages, items))) is pager
    pager.on_page(lambda pages, _items: also.append(pages))
    iterator = iter(pager)
    next(iterator)
    assert seen == [(1, 2)]  # reported when the page arrives, before its items are used
    assert len(list(iterator)) == 4
    assert seen == [(1, 2), (2, 4), (3, 5)] and also == [1, 2, 3]
    seen.clear()
    assert len(pager.to_dataframe()) == 5  # a new walk counts from one
    assert seen == [(1, 2), (2, 4), (3, 5)]


def test_page_callbacks_work_for_names_and_manifests_and_can_stop_a_listing(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    for i in range(3):
        registry.add_image(f"repo{i}", tags=["v1"], architecture=f"arch{i}")
    names: list[tuple[int, int]] = []
    listed = list(client.list_repository_names(results_per_page=1).on_page(
        lambda pages, items: names.append((pages, items))))
    assert len(listed) == 3 and names == [(1, 1), (2, 2), (3, 3)]

    def stop(pages: int, items: int) -> None:
        raise KeyboardInterrupt

    pager = client.list_manifest_properties("repo0").on_page(stop)
    with pytest.raises(KeyboardInterrupt):
        list(pager)
    with pytest.raises(TypeError, match="callable"):
        pager.on_page("not a function")  # type: ignore[arg-type]


def test_readme_notebook_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    readme = Path(__file__).resolve().parent.parent / "README.md"
    text = readme.read_text(encoding="utf-8")
    section = text.split("\n### Models in notebooks and logs\n", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    exec(compile(block, str(readme), "exec"), {})
    printed = capsys.readouterr().out
    assert "page 1: 2 manifests" in printed and "page 2: 4 manifests" in printed
    assert "amd64" in printed and "sha256:" in printed
