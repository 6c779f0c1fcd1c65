"""The REST layer's msrest models describe the wire: real ACR's and LocalRegistry's JSON alike.

Every key that real ACR sent in the recordings, and every key LocalRegistry sends, must be one
the models declare; so a renamed or misspelt field fails here, not in a user's notebook.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest
from conftest import RegistryHTTP
from msrest.serialization import Model

from azure_containerregistry._rest.models import (
    ChangeableAttributes,
    ManifestAttributes,
    ManifestAttributesReference,
    RepositoryAttributes,
    TagAttributes,
    serialize_body,
)
from azure_containerregistry.testing import LocalRegistry

RECORDINGS = Path(__file__).resolve().parent / "recordings"
# How many repository, tag, manifest and reference objects each recording's successful /acr/v1
# answers hold: every one is checked, and a recording that yields fewer fails.
OBJECTS_PER_RECORDING = {
    "anon_update_tag_properties": 1,
    "get_manifest_properties_does_not_exist": 2,
    "get_repository_properties": 1,
    "list_in_empty_repo": 2,
    "list_registry_artifacts": 1,
    "list_tag_properties": 2,
}


def _keys(model: type[Model]) -> set[str]:
    return {entry["key"] for entry in model._attribute_map.values()}


def _objects(body: Any) -> Iterator[tuple[type[Model], dict[str, Any]]]:
    """Each repository, tag, manifest and reference object inside an ACR response body."""
    if not isinstance(body, dict):
        return
    if "imageName" in body and "manifestCount" in body:
        yield RepositoryAttributes, body
    for tag in ([body["tag"]] if "tag" in body else []) + list(body.get("tags") or []):
        if isinstance(tag, dict):
            yield TagAttributes, tag
    for item in ([body["manifest"]] if "manifest" in body else []) + list(
        body.get("manifests") or []
    ):
        yield ManifestAttributes, item
        for child in item.get("references") or []:
            yield ManifestAttributesReference, child


def _check(body: Any) -> int:
    checked = 0
    for model, document in _objects(body):
        assert set(document) <= _keys(model), (model.__name__, set(document) - _keys(model))
        changeable = document.get("changeableAttributes")
        if changeable is not None:
            assert set(changeable) <= _keys(ChangeableAttributes)
        checked += 1
    return checked


def _acr_bodies(recording: Path) -> list[Any]:
    entries = json.loads(recording.read_text(encoding="utf-8"))["Entries"]
    return [entry["ResponseBody"] for entry in entries
            if "/acr/v1/" in entry["RequestUri"] and entry["StatusCode"] == 200]


@pytest.mark.parametrize("name", sorted(OBJECTS_PER_RECORDING))
def test_every_field_real_acr_sent_is_declared(name: str) -> None:
    checked = sum(_check(body) for body in _acr_bodies(RECORDINGS / f"{name}.json"))
    assert checked == OBJECTS_PER_RECORDING[name] > 0


def test_every_recording_with_model_objects_is_checked() -> None:
    for recording in sorted(RECORDINGS.glob("*.json")):
        found = sum(1 for body in _acr_bodies(recording) for _ in _objects(body))
        assert found == OBJECTS_PER_RECORDING.get(recording.stem, 0), recording.stem


def test_every_field_local_registry_sends_is_declared(
    registry: LocalRegistry, acr_http: RegistryHTTP
) -> None:
    registry.add_image("app", tags=["v1"])
    registry.add_index("app", tags=["multi"])
    read = "repository:app:metadata_read"
    paths = ["/acr/v1/app", "/acr/v1/app/_tags", "/acr/v1/app/_tags/v1", "/acr/v1/app/_manifests"]
    bodies = [acr_http.call("GET", path, read).json() for path in paths]
    # the repository; 2 tags; 1 tag; 4 manifests (the image, the index, its 2 platform images)
    # and the index's 2 references
    assert [_check(body) for body in bodies] == [1, 2, 1, 6]


def test_patch_bodies_send_only_the_flags_that_are_set() -> None:
    assert serialize_body(ChangeableAttributes(delete_enabled=False)) == {"deleteEnabled": False}
    assert serialize_body(ChangeableAttributes()) == {}
