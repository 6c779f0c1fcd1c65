"""The OCI referrers API as the copy reads it: pages followed, 404 meaning "no API", and a
server's answer checked before any of it is used (a hostile registry on loopback)."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlsplit

import pytest
from azure.core.exceptions import HttpResponseError
from hostile import Answer, HostileServer, routes

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry._content._referrers import fallback_tag, list_referrers

SUBJECT = "sha256:" + "a" * 64
PATH = f"/v2/app/referrers/{SUBJECT}"


def descriptor(n: int) -> dict[str, object]:
    return {"mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "sha256:" + f"{n:x}" * 64, "size": 100 + n,
            "artifactType": "application/vnd.example.signature.v1"}  # fmt: skip


def index(*descriptors: dict[str, object]) -> dict[str, object]:
    return {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": list(descriptors)}  # fmt: skip


def paged(method: str, target: str, headers: Mapping[str, str], body: bytes) -> Answer:
    if dict(parse_qsl(urlsplit(target).query)).get("last") == "1":
        return Answer.json(index(descriptor(2)))
    return Answer.json(index(descriptor(1)), headers=[("Link", f'<{PATH}?last=1>; rel="next"')])


def test_referrers_are_read_from_every_page_of_the_api(
    hostile: HostileServer, hostile_client: ContainerRegistryClient
) -> None:
    hostile.handler = routes({("GET", PATH): paged})
    found = list_referrers(hostile_client._rest.manifest_content, "app", SUBJECT)
    assert [d["digest"] for d in found.descriptors] == [descriptor(1)["digest"],
                                                         descriptor(2)["digest"]]  # fmt: skip
    assert found.source_index is None
    asked = [seen for seen in hostile.requests if seen.path.startswith("/v2/")]
    accept = {k.lower(): v for k, v in asked[0].headers.items()}["accept"]
    assert len(asked) == 2 and accept == "application/vnd.oci.image.index.v1+json"


def test_a_registry_without_the_api_is_read_through_the_tag_schema(
    hostile: HostileServer, hostile_client: ContainerRegistryClient
) -> None:
    hostile.handler = routes({})  # 404 everywhere: no referrers API, no tag-schema index
    found = list_referrers(hostile_client._rest.manifest_content, "app", SUBJECT)
    assert found.descriptors == [] and found.source_index is None
    paths = [seen.path for seen in hostile.requests if seen.path.startswith("/v2/")]
    assert paths[0].endswith(SUBJECT.replace(":", "%3A")) and "referrers" in paths[0]
    assert paths[1].endswith("/manifests/" + fallback_tag(SUBJECT))


def test_a_next_page_on_another_host_is_refused(
    hostile: HostileServer, sink: HostileServer, hostile_client: ContainerRegistryClient
) -> None:
    away = f'<http://127.0.0.1:{sink.port}{PATH}?last=1>; rel="next"'
    hostile.handler = routes({("GET", PATH): Answer.json(index(), headers=[("Link", away)])})
    with pytest.raises(HttpResponseError, match="referrers"):
        list_referrers(hostile_client._rest.manifest_content, "app", SUBJECT)
    assert sink.requests == []


@pytest.mark.parametrize(
    "answer",
    [
        index({"digest": "sha256:../../etc", "size": 1}),
        index({"digest": SUBJECT}),
        {"manifests": "none"},
        ["not", "an", "object"],
    ],
)
def test_a_malformed_referrers_answer_is_refused(
    hostile: HostileServer, hostile_client: ContainerRegistryClient, answer: object
) -> None:
    hostile.handler = routes({("GET", PATH): Answer.json(answer)})
    with pytest.raises(HttpResponseError, match="referrers"):
        list_referrers(hostile_client._rest.manifest_content, "app", SUBJECT)


def test_the_tag_schema_tag_replaces_the_colon() -> None:
    assert fallback_tag(SUBJECT) == "sha256-" + "a" * 64
    assert len(fallback_tag("sha512:" + "b" * 128)) == 128
