"""Bad input to the content methods is refused before any request reaches the registry."""

from __future__ import annotations

import io
import math

import pytest

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry.testing import LocalRegistry


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_manifest_dict_holding_nan_or_infinity_is_refused_before_sending(
    registry: LocalRegistry, client: ContainerRegistryClient, value: float
) -> None:
    with pytest.raises(ValueError, match="not valid JSON"):
        client.set_manifest("app", {"schemaVersion": 2, "annotations": {"x": value}})
    assert registry.requests == []


@pytest.mark.parametrize(
    "media_type",
    [
        "application/vnd.oci.image.manifest.v1+json\r\nX-Injected: 1",
        "application/json\n",
        "application/json\x00",
        "",
    ],
)
def test_media_type_with_control_characters_is_refused_before_sending(
    registry: LocalRegistry, client: ContainerRegistryClient, media_type: str
) -> None:
    with pytest.raises(ValueError, match="media_type"):
        client.set_manifest("app", {"schemaVersion": 2}, media_type=media_type)
    assert registry.requests == []


def test_text_stream_is_refused_before_an_upload_session_opens(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    with pytest.raises(TypeError, match="binary"):
        client.upload_blob("app", io.StringIO("text, not bytes"))  # type: ignore[arg-type]
    assert registry.requests == []
    assert registry.upload_sessions() == []


def test_a_manifest_declaring_a_media_type_with_crlf_is_refused_before_sending(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    media_type = "application/vnd.oci.image.manifest.v1+json\r\nX: 1"
    manifest = {"schemaVersion": 2, "mediaType": media_type}
    with pytest.raises(ValueError, match="mediaType"):
        client.set_manifest("app", manifest)
    assert registry.requests == []
