"""Inventory DataFrames: typed columns, and an error naming the extra when pandas is missing."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from typing import Iterator

import pandas as pd
import pytest

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry.explore import Inventory, inventory
from azure_containerregistry.testing import LocalRegistry

CREATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


@pytest.fixture
def found(registry: LocalRegistry) -> Iterator[Inventory]:
    registry.add_index("multi", tags=["latest"], created_on=CREATED)
    registry.add_image("single", tags=["v1", "v2"], architecture="arm64", created_on=CREATED)
    registry.add_image("single", created_on=CREATED, can_delete=False)
    with ContainerRegistryClient(registry.endpoint, registry.credential()) as client:
        yield inventory(client, layers=True, progress=False)


def is_utc(series: pd.Series) -> bool:
    return isinstance(series.dtype, pd.DatetimeTZDtype) and str(series.dtype.tz) == "UTC"


def test_manifest_frame_has_one_typed_row_per_manifest(found: Inventory) -> None:
    frame = found.to_dataframe()
    assert len(frame) == len(found.manifests) == 5
    assert list(frame.columns) == [
        "repository", "digest", "tags", "media_type", "config_media_type", "size_in_bytes",
        "blob_bytes", "created_on", "last_updated_on", "architecture", "operating_system",
        "parent_index", "is_index", "can_delete", "can_write", "can_read", "can_list"]
    for name in ("repository", "digest", "parent_index"):
        assert pd.api.types.is_string_dtype(frame[name]), name
    for name in ("media_type", "config_media_type", "architecture", "operating_system"):
        assert isinstance(frame[name].dtype, pd.CategoricalDtype), name
    for name in ("size_in_bytes", "blob_bytes"):
        assert pd.api.types.is_integer_dtype(frame[name]), name
    assert is_utc(frame["created_on"]) and is_utc(frame["last_updated_on"])
    assert frame["is_index"].dtype == bool
    for name in ("can_delete", "can_write", "can_read", "can_list"):
        assert pd.api.types.is_bool_dtype(frame[name]), name
    assert (frame["created_on"] == pd.Timestamp(CREATED)).all()


def test_manifest_frame_values_match_the_records(found: Inventory) -> None:
    frame = found.to_dataframe().set_index("digest")
    for m in found.manifests:
        row = frame.loc[m.digest]
        assert row["tags"] == list(m.tags)
        assert row["is_index"] == m.is_index
        assert row["blob_bytes"] == m.blob_bytes and (m.blob_bytes or m.is_index)
        assert (pd.isna(row["parent_index"]) if m.parent_index is None
                else row["parent_index"] == m.parent_index)
    index = frame[frame["is_index"]]
    assert len(index) == 1 and index["tags"].iloc[0] == ["latest"]
    assert (frame["parent_index"] == index.index[0]).sum() == 2
    assert frame["can_delete"].sum() == 4  # the locked one is False
    assert set(frame["architecture"].dropna()) == {"amd64", "arm64"}


def test_tag_frame_has_one_typed_row_per_tag(found: Inventory) -> None:
    frame = found.tags_dataframe()
    assert sorted(frame["tag"]) == ["latest", "v1", "v2"]
    assert list(frame.columns[:3]) == ["repository", "tag", "digest"]
    assert is_utc(frame["created_on"]) and is_utc(frame["last_updated_on"])
    assert pd.api.types.is_bool_dtype(frame["can_write"])


def test_storage_frame_columns_are_integers(found: Inventory) -> None:
    frame = found.storage()
    assert list(frame["repository"]) == ["multi", "single"]
    for name in ("total_bytes", "shared_bytes", "unique_bytes", "untagged_bytes"):
        assert frame[name].dtype == "int64", name
    assert (frame["unique_bytes"] == frame["total_bytes"] - frame["shared_bytes"]).all()


def test_an_empty_inventory_gives_typed_empty_frames() -> None:
    empty = Inventory([], [], [], layers=True)
    frame = empty.to_dataframe()
    assert len(frame) == 0 and is_utc(frame["created_on"])
    assert isinstance(frame["media_type"].dtype, pd.CategoricalDtype)
    assert len(empty.storage()) == 0 and len(empty.tags_dataframe()) == 0


def test_missing_pandas_names_the_extra(found: Inventory,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if not installed
    for method in (found.to_dataframe, found.storage, found.tags_dataframe):
        with pytest.raises(ImportError, match=r'azure-acr-client\[notebook\]'):
            method()
    assert len(found.storage_rows()) == 2  # the plain data needs no pandas
