"""Finding 5: server data never becomes part of a request path unchecked.

A tag lookup's ``digest`` is what ``get/update_manifest_properties`` and ``delete_manifest`` put in
their next URL: a digest such as ``..`` or ``a/b`` would aim a PATCH or DELETE at another resource.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Callable
from urllib.parse import unquote

import pytest
from azure.core.exceptions import HttpResponseError
from hostile import Answer, HostileServer

from azure_containerregistry import ContainerRegistryClient

LOOKUP = "/acr/v1/app/_tags/v1"
GOOD_DIGEST = "sha256:" + "a" * 64

OPERATIONS: dict[str, Callable[[ContainerRegistryClient], object]] = {
    "update_manifest_properties":
        lambda c: c.update_manifest_properties("app", "v1", can_write=False),
    "get_manifest_properties": lambda c: c.get_manifest_properties("app", "v1"),
    "delete_manifest": lambda c: c.delete_manifest("app", "v1"),
}


def _registry_whose_tag_points_at(server: HostileServer, digest: str) -> None:
    """The tag lookup answers ``digest``; any other request would succeed, if it came."""

    def handle(method: str, target: str, headers: Mapping[str, str], body: bytes) -> Answer:
        if target.split("?")[0] == LOOKUP:
            return Answer.json({"registry": server.service, "imageName": "app",
                                "tag": {"name": "v1", "digest": digest}})
        if method == "DELETE":
            return Answer(202)
        return Answer.json({"registry": server.service, "imageName": "app",
                            "manifest": {"digest": GOOD_DIGEST, "tags": ["v1"]}})

    server.handler = handle


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("digest", ["..", "sha256:../../x", "a/b"])
def test_a_tag_pointing_at_a_path_like_digest_stops_after_the_lookup(
    hostile: HostileServer, hostile_client: ContainerRegistryClient, digest: str, operation: str
) -> None:
    _registry_whose_tag_points_at(hostile, digest)
    with pytest.raises(HttpResponseError):
        OPERATIONS[operation](hostile_client)
    assert [(s.method, s.path) for s in hostile.api_requests] == [("GET", LOOKUP)]
    after = [(s.method, s.target) for s in hostile.requests
             if s.kind not in ("exchange", "token") and s.path != LOOKUP]
    assert after == []


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_a_tag_pointing_at_a_real_digest_is_followed(
    hostile: HostileServer, hostile_client: ContainerRegistryClient, operation: str
) -> None:
    _registry_whose_tag_points_at(hostile, GOOD_DIGEST)
    OPERATIONS[operation](hostile_client)
    followed = [unquote(s.path) for s in hostile.api_requests if s.path != LOOKUP]
    assert len(followed) == 1 and followed[0].endswith(f"/{GOOD_DIGEST}")
