"""LocalRegistry /acr/v1 behaviour: paging, ordering, filters, locks, updates and bad input."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from conftest import RegistryHTTP

from azure_containerregistry.testing import LocalRegistry

LINK_RE = re.compile(r'<(?P<url>/acr/v1/[^>]*)>; rel="next"')
T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)


def walk(http: RegistryHTTP, path: str, scope: str, key: str) -> tuple[list[Any], int]:
    items: list[Any] = []
    pages = 0
    next_path: str | None = path
    while next_path:
        answer = http.call("GET", next_path, scope)
        assert answer.status == 200
        pages += 1
        items.extend(answer.json()[key] or [])
        link = answer.headers.get("link")
        next_path = LINK_RE.fullmatch(link)["url"] if link else None  # type: ignore[index]
    return items, pages


def test_tags_page_with_acr_link_and_default_name_order(registry: LocalRegistry,
                                                        acr_http: RegistryHTTP) -> None:
    registry.add_image("lib/app", tags=[f"t{i:02d}" for i in range(25)])
    scope = "repository:lib/app:metadata_read"
    first = acr_http.call("GET", "/acr/v1/lib%2Fapp/_tags?n=10", scope)
    assert first.headers["link"] == '</acr/v1/lib%2Fapp/_tags?last=t09&n=10&orderby=>; rel="next"'
    items, pages = walk(acr_http, "/acr/v1/lib%2Fapp/_tags?n=10", scope, "tags")
    assert [t["name"] for t in items] == [f"t{i:02d}" for i in range(25)]
    assert pages == 3


def test_manifests_order_by_time(registry: LocalRegistry, acr_http: RegistryHTTP) -> None:
    digests = [registry.add_image("app", tags=[f"v{i}"], created_on=T0 + timedelta(days=i))
               for i in range(5)]
    scope = "repository:app:metadata_read"
    desc, _ = walk(acr_http, "/acr/v1/app/_manifests?n=2&orderby=timedesc", scope, "manifests")
    asc, pages = walk(acr_http, "/acr/v1/app/_manifests?n=2&orderby=timeasc", scope, "manifests")
    assert [m["digest"] for m in desc] == digests[::-1]
    assert [m["digest"] for m in asc] == digests
    assert pages == 3
    tags, _ = walk(acr_http, "/acr/v1/app/_tags?orderby=timedesc", scope, "tags")
    assert [t["name"] for t in tags] == ["v4", "v3", "v2", "v1", "v0"]
    default, _ = walk(acr_http, "/acr/v1/app/_manifests", scope, "manifests")
    assert [m["digest"] for m in default] == sorted(digests)


def test_page_size_default_and_clamp(registry_factory: Any) -> None:
    registry = registry_factory(page_size=3, max_page_size=5)
    registry.add_image("app", tags=[f"t{i}" for i in range(8)])
    http = RegistryHTTP(registry)
    scope = "repository:app:metadata_read"
    assert len(http.call("GET", "/acr/v1/app/_tags", scope).json()["tags"]) == 3
    clamped = http.call("GET", "/acr/v1/app/_tags?n=5000", scope)
    assert len(clamped.json()["tags"]) == 5
    assert "n=5&" in clamped.headers["link"]
    bad = http.call("GET", "/acr/v1/app/_tags?n=abc", scope)
    assert bad.status == 400
    assert bad.json()["errors"][0]["code"] == "PAGINATION_NUMBER_INVALID"
    http.close()


def test_digest_filter_on_tags(registry: LocalRegistry, acr_http: RegistryHTTP) -> None:
    first = registry.add_image("app", tags=["a", "b"])
    registry.add_image("app", tags=["c"])
    answer = acr_http.call("GET", f"/acr/v1/app/_tags?digest={first}",
                           "repository:app:metadata_read")
    assert [t["name"] for t in answer.json()["tags"]] == ["a", "b"]


def test_repository_properties_and_update(registry: LocalRegistry,
                                          acr_http: RegistryHTTP) -> None:
    registry.add_image("app", tags=["a", "b"], created_on=T0)
    body = acr_http.call("GET", "/acr/v1/app", "repository:app:metadata_read").json()
    assert body["manifestCount"] == 1 and body["tagCount"] == 2
    assert body["createdTime"] == "2024-01-01T00:00:00.0000000Z"
    patch = json.dumps({"writeEnabled": False, "readEnabled": True}).encode()
    updated = acr_http.call("PATCH", "/acr/v1/app?api-version=2021-07-01",
                            "repository:app:metadata_write", patch,
                            {"Content-Type": "application/json"})
    assert updated.status == 200
    assert updated.json()["changeableAttributes"] == {
        "deleteEnabled": True, "writeEnabled": False, "readEnabled": True, "listEnabled": True}


def test_manifest_properties_need_a_digest(registry: LocalRegistry,
                                           acr_http: RegistryHTTP) -> None:
    digest = registry.add_image("app", tags=["a"])
    scope = "repository:app:metadata_read"
    by_tag = acr_http.call("GET", "/acr/v1/app/_manifests/a", scope)
    assert by_tag.status == 404
    assert by_tag.json()["errors"][0]["code"] == "MANIFEST_UNKNOWN"
    by_digest = acr_http.call("GET", f"/acr/v1/app/_manifests/{digest.replace(':', '%3A')}",
                              scope)
    assert by_digest.json()["manifest"]["architecture"] == "amd64"


def test_index_lists_its_children_as_references(registry: LocalRegistry,
                                                acr_http: RegistryHTTP) -> None:
    digest = registry.add_index("multi", tags=["latest"])
    answer = acr_http.call("GET", f"/acr/v1/multi/_manifests/{digest}",
                           "repository:multi:metadata_read").json()["manifest"]
    assert answer["mediaType"] == "application/vnd.oci.image.index.v1+json"
    assert [(r["architecture"], r["os"]) for r in answer["references"]] == [
        ("amd64", "linux"), ("arm64", "linux")]


def test_delete_repository_reports_deleted_content(registry: LocalRegistry,
                                                   acr_http: RegistryHTTP) -> None:
    digest = registry.add_image("app", tags=["b", "a"])
    answer = acr_http.call("DELETE", "/acr/v1/app", "repository:app:delete")
    assert answer.status == 202
    assert answer.json() == {"manifestsDeleted": [digest], "tagsDeleted": ["a", "b"]}
    gone = acr_http.call("GET", "/acr/v1/app", "repository:app:metadata_read")
    assert gone.json() == {"errors": [{"code": "NAME_UNKNOWN",
                                       "message": 'repository "app" is not found'}]}


def test_empty_repository_lists_without_items(registry: LocalRegistry,
                                              acr_http: RegistryHTTP) -> None:
    registry.add_repository("empty-repo")
    scope = "repository:empty-repo:metadata_read"
    assert acr_http.call("GET", "/acr/v1/empty-repo/_manifests", scope).json() == {
        "registry": registry.service, "imageName": "empty-repo", "manifests": None}
    assert acr_http.call("GET", "/acr/v1/_catalog", "registry:catalog:*").json() == {
        "repositories": ["empty-repo"]}


@pytest.mark.parametrize("target", ["repository", "tag", "manifest"])
def test_delete_locks_refuse_deletes_until_unlocked(registry: LocalRegistry,
                                                    acr_http: RegistryHTTP, target: str) -> None:
    digest = registry.add_image("app", tags=["a"])
    kwargs: dict[str, Any] = {"tag": "a"} if target == "tag" else (
        {"digest": digest} if target == "manifest" else {})
    registry.set_attributes("app", can_delete=False, **kwargs)
    path = {"repository": "/acr/v1/app", "tag": "/acr/v1/app/_tags/a",
            "manifest": f"/v2/app/manifests/{digest}"}[target]
    refused = acr_http.call("DELETE", path, "repository:app:delete")
    assert refused.status == 405
    assert refused.json()["errors"][0]["code"] == "DENIED"
    unlock_path = {"repository": "/acr/v1/app", "tag": "/acr/v1/app/_tags/a",
                   "manifest": f"/acr/v1/app/_manifests/{digest}"}[target]
    unlocked = acr_http.call("PATCH", unlock_path, "repository:app:metadata_write",
                             b'{"deleteEnabled": true}', {"Content-Type": "application/json"})
    assert unlocked.status == 200
    assert acr_http.call("DELETE", path, "repository:app:delete").status == 202


def test_list_disabled_items_are_hidden_from_listings(registry: LocalRegistry,
                                                      acr_http: RegistryHTTP) -> None:
    registry.add_image("app", tags=["shown"])
    registry.add_image("app", tags=["hidden"], can_list=False)
    answer = acr_http.call("GET", "/acr/v1/app/_tags", "repository:app:metadata_read")
    assert [t["name"] for t in answer.json()["tags"]] == ["shown"]


@pytest.mark.parametrize(("path", "status", "code"), [
    ("/acr/v1/UPPER/_tags", 400, "NAME_INVALID"),
    ("/acr/v1/a..b", 400, "NAME_INVALID"),
    ("/acr/v1/" + "a" * 257, 400, "NAME_INVALID"),
    ("/acr/v1/", 404, "NOT_FOUND"),
    ("/nowhere", 404, "NOT_FOUND"),
    ("/v2/app/manifests/sha256:xyz", 400, "DIGEST_INVALID"),
    ("/v2/app/blobs/md5:abc", 400, "DIGEST_INVALID"),
])
def test_malformed_requests_get_json_errors(acr_http: RegistryHTTP, path: str, status: int,
                                            code: str) -> None:
    answer = acr_http.call("GET", path, "repository:app:pull")
    assert answer.status == status
    assert answer.json()["errors"][0]["code"] == code
    assert set(answer.json()["errors"][0]) == {"code", "message", "detail"}


@pytest.mark.parametrize("body", [b"{not json", b"[1]", b'{"writeEnabled": "no"}'])
def test_bad_patch_bodies_get_400(registry: LocalRegistry, acr_http: RegistryHTTP,
                                  body: bytes) -> None:
    registry.add_image("app", tags=["a"])
    answer = acr_http.call("PATCH", "/acr/v1/app/_tags/a", "repository:app:metadata_write",
                           body, {"Content-Type": "application/json"})
    assert answer.status == 400
    assert set(answer.json()["errors"][0]) == {"code", "message", "detail"}


def test_unsupported_methods_get_405(registry: LocalRegistry, acr_http: RegistryHTTP) -> None:
    registry.add_image("app", tags=["a"])
    assert acr_http.call("PUT", "/acr/v1/app", "repository:app:metadata_write").status == 405
    assert acr_http.call("POST", "/acr/v1/_catalog", "registry:catalog:*").status == 405
    answer = acr_http.request("OPTIONS", "/acr/v1/app")
    assert answer.status == 405
    assert answer.json()["errors"][0]["code"] == "UNSUPPORTED"
