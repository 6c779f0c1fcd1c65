"""Finding 6: a malformed answer is an azure-core error, never a raw ``KeyError`` and friends.

Callers catch ``HttpResponseError``; a ``json.JSONDecodeError``, ``AttributeError``, ``KeyError``
or ``TypeError`` escaping from a listing or a lookup would bypass every such handler (pytest then
reports it as an error of the test, which counts as a failure here).
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import pytest
from azure.core.exceptions import HttpResponseError
from hostile import Answer, HostileServer, routes

from azure_containerregistry import ContainerRegistryClient

DIGEST = "sha256:" + "d" * 64


class Case(NamedTuple):
    path: str
    answer: Answer
    call: Callable[[ContainerRegistryClient], object]


def _json_bytes(text: bytes, content_type: str = "application/json") -> Answer:
    return Answer(200, [("Content-Type", content_type)], text)


def _properties(c: ContainerRegistryClient) -> object:
    return c.get_repository_properties("app")


def _catalog(c: ContainerRegistryClient) -> object:
    return list(c.list_repository_names())


def _tags(c: ContainerRegistryClient) -> object:
    return list(c.list_tag_properties("app"))


def _manifests(c: ContainerRegistryClient) -> object:
    return list(c.list_manifest_properties("app"))


REPO, CATALOG = "/acr/v1/app", "/acr/v1/_catalog"
TAGS, MANIFESTS = "/acr/v1/app/_tags", "/acr/v1/app/_manifests"
CASES = {
    "properties-invalid-json": Case(REPO, _json_bytes(b'{"imageName": "app", '), _properties),
    "properties-invalid-json-as-text": Case(
        REPO, _json_bytes(b'{"imageName": "app", ', "text/plain"), _properties),
    "properties-array": Case(REPO, Answer.json([1, 2]), _properties),
    "properties-string": Case(REPO, Answer.json("app"), _properties),
    "tag-array": Case(f"{TAGS}/v1", Answer.json([]),
                      lambda c: c.get_tag_properties("app", "v1")),
    "catalog-invalid-json": Case(CATALOG, _json_bytes(b'{"repositories": ['), _catalog),
    "catalog-invalid-json-as-text": Case(
        CATALOG, _json_bytes(b'{"repositories": [', "text/plain"), _catalog),
    "catalog-array": Case(CATALOG, Answer.json(["app"]), _catalog),
    "catalog-string": Case(CATALOG, Answer.json("app"), _catalog),
    "catalog-of-objects": Case(CATALOG, Answer.json({"repositories": [{"x": 1}]}), _catalog),
    "tags-not-a-list": Case(TAGS, Answer.json({"imageName": "app", "tags": "notalist"}), _tags),
    "tags-of-ints": Case(TAGS, Answer.json({"imageName": "app", "tags": [1, 2]}), _tags),
    "manifests-not-a-list": Case(MANIFESTS, Answer.json({"manifests": "x"}), _manifests),
    "lookup-without-digest": Case(
        f"{TAGS}/v1", Answer.json({"registry": "r", "imageName": "app", "tag": {"name": "v1"}}),
        lambda c: c.get_manifest_properties("app", "v1")),
}


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_a_malformed_answer_raises_an_azure_core_error(
    hostile: HostileServer, hostile_client: ContainerRegistryClient, case: Case
) -> None:
    hostile.handler = routes({("GET", case.path): case.answer})
    with pytest.raises(HttpResponseError):
        case.call(hostile_client)
    assert [s.path for s in hostile.api_requests][:1] == [case.path]


GARBAGE = {"createdTime": "garbage", "lastUpdateTime": "garbage", "imageSize": "big",
           "changeableAttributes": {"deleteEnabled": True}}
LISTED: dict[str, tuple[str, dict[str, Any], Callable[[ContainerRegistryClient], list[Any]]]] = {
    "tag": (TAGS, {"imageName": "app", "tags": [{"name": "v1", "digest": DIGEST, **GARBAGE}]},
            lambda c: list(c.list_tag_properties("app"))),
    "manifest": (MANIFESTS, {"imageName": "app", "manifests": [
        {"digest": DIGEST, "tags": ["v1"], "architecture": "amd64", "os": "linux", **GARBAGE}]},
        lambda c: list(c.list_manifest_properties("app"))),
}


@pytest.mark.parametrize("kind", list(LISTED))
def test_a_listed_item_with_garbage_time_and_size_still_lists(
    hostile: HostileServer, hostile_client: ContainerRegistryClient, kind: str
) -> None:
    path, page, listing = LISTED[kind]
    hostile.handler = routes({("GET", path): Answer.json(page)})
    (item,) = listing(hostile_client)
    assert DIGEST in repr(item)
    assert item.created_on is None
    assert item.last_updated_on is None
    assert item.can_delete is True
