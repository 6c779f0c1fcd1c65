"""The REST layer's msrest models describe the wire: real ACR's and LocalRegistry's JSON alike.

Every key that real ACR sent in the recordings, and every key LocalRegistry sends, must be one
the models declare; so a renamed or misspelt field fails here, not in a user's notebook.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest
from azure.core.rest import HttpRequest
from msrest.serialization import Model

from azure_containerregistry._rest._pipeline import create_pipeline_client
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
AAD_SCOPE = "https://containerregistry.azure.net/.default"


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


@pytest.mark.parametrize("recording", sorted(RECORDINGS.glob("*.json")), ids=lambda p: p.stem)
def test_every_field_real_acr_sent_is_declared(recording: Path) -> None:
    entries = json.loads(recording.read_text(encoding="utf-8"))["Entries"]
    for entry in entries:
        if "/acr/v1/" in entry["RequestUri"] and entry["StatusCode"] == 200:
            _check(entry["ResponseBody"])


def test_every_field_local_registry_sends_is_declared(registry: LocalRegistry) -> None:
    registry.add_image("app", tags=["v1"])
    registry.add_index("app", tags=["multi"])
    paths = ["/acr/v1/app", "/acr/v1/app/_tags", "/acr/v1/app/_tags/v1", "/acr/v1/app/_manifests"]
    with create_pipeline_client(
        registry.endpoint, registry.credential(), aad_scope=AAD_SCOPE
    ) as pipeline:
        bodies = [pipeline.send_request(HttpRequest("GET", path)).json() for path in paths]
    assert sum(_check(body) for body in bodies) >= 6


def test_patch_bodies_send_only_the_flags_that_are_set() -> None:
    assert serialize_body(ChangeableAttributes(delete_enabled=False)) == {"deleteEnabled": False}
    assert serialize_body(ChangeableAttributes()) == {}
