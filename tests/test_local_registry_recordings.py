"""LocalRegistry answers compared field by field with real ACR traffic (tests/recordings)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import RegistryHTTP

from azure_containerregistry.testing import LocalRegistry

RECORDINGS = Path(__file__).parent / "recordings"
HELLO = "library/hello-world"
CHALLENGE_RE = re.compile(
    r'Bearer realm="(?P<realm>[^"]+)",service="(?P<service>[^"]+)",scope="(?P<scope>[^"]+)"'
    r'(?P<error>,error="insufficient_scope")?'
)


def entries(name: str) -> list[dict[str, Any]]:
    data = json.loads((RECORDINGS / f"{name}.json").read_text())
    return [e for e in data["Entries"] if "microsoftonline" not in e["RequestUri"]]


def recorded(name: str, method: str, path_part: str, status: int) -> dict[str, Any]:
    for entry in entries(name):
        if (entry["RequestMethod"] == method and path_part in entry["RequestUri"]
                and entry["StatusCode"] == status):
            return entry
    raise LookupError((name, method, path_part, status))


def shape(value: Any) -> Any:
    """Key structure and JSON types of a document, ignoring the values."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


def header(entry: dict[str, Any], name: str) -> Any:
    for key, value in entry["ResponseHeaders"].items():
        if key.lower() == name.lower():
            return value
    return None


def assert_same_protocol(entry: dict[str, Any], status: int, headers: dict[str, str],
                         body: bytes) -> None:
    assert status == entry["StatusCode"]
    for name in ("Content-Type", "Docker-Distribution-Api-Version", "X-Content-Type-Options"):
        assert headers.get(name.lower()) == header(entry, name), name
    if entry["ResponseBody"] is not None and header(entry, "Content-Type"):
        assert shape(json.loads(body)) == shape(entry["ResponseBody"])


@pytest.fixture
def hello(registry: LocalRegistry) -> str:
    return registry.add_image(HELLO, tags=["latest", "v1"], architecture=None, os=None)


def test_challenge_matches_recorded_challenge(registry: LocalRegistry, acr_http: RegistryHTTP,
                                              hello: str) -> None:
    entry = recorded("list_tag_properties", "GET", "/_tags", 401)
    answer = acr_http.request("GET", "/acr/v1/library%2Fhello-world/_tags")
    assert_same_protocol(entry, answer.status, answer.headers, answer.body)
    assert answer.json() == entry["ResponseBody"]
    ours = CHALLENGE_RE.fullmatch(answer.headers["www-authenticate"])
    theirs = CHALLENGE_RE.fullmatch(header(entry, "WWW-Authenticate"))
    assert ours and theirs
    assert ours["scope"] == theirs["scope"] == "repository:library/hello-world:metadata_read"
    assert ours["realm"] == f"{registry.endpoint}/oauth2/token"
    assert ours["service"] == registry.service


def test_exchange_and_token_answers_match_recording(registry: LocalRegistry,
                                                    acr_http: RegistryHTTP) -> None:
    exchange = recorded("list_tag_properties", "POST", "/oauth2/exchange", 200)
    token = recorded("list_tag_properties", "POST", "/oauth2/token", 200)
    aad = registry.credential().get_token("https://management.azure.com/.default").token
    first = acr_http.form("/oauth2/exchange?api-version=2021-07-01",
                      {"grant_type": "access_token", "service": registry.service,
                       "access_token": aad})
    assert first.status == 200
    assert first.json().keys() == exchange["ResponseBody"].keys()
    assert first.headers["content-type"] == header(exchange, "Content-Type")
    second = acr_http.form("/oauth2/token?api-version=2021-07-01",
                       {"service": registry.service, "refresh_token": first.json()[
                           "refresh_token"], "scope": f"repository:{HELLO}:metadata_read",
                        "grant_type": "refresh_token"})
    assert second.status == 200
    assert second.json().keys() == token["ResponseBody"].keys()


@pytest.mark.parametrize(("recording", "method", "path", "part", "status"), [
    ("list_tag_properties", "GET", "/acr/v1/library%2Fhello-world/_tags", "/_tags", 200),
    ("list_registry_artifacts", "GET", "/acr/v1/library%2Fhello-world/_manifests",
     "/_manifests", 200),
    ("get_repository_properties", "GET", "/acr/v1/library%2Fhello-world?api-version=2021-07-01",
     "hello-world?", 200),
    ("get_manifest_properties_does_not_exist", "GET",
     "/acr/v1/library%2Fhello-world/_tags/latest?api-version=2021-07-01", "_tags/latest", 200),
    ("get_manifest_properties_does_not_exist", "GET",
     "/acr/v1/library%2Fhello-world/_manifests/sha256%3A" + "a" * 64, "_manifests/", 404),
    ("delete_tag_does_not_exist", "DELETE",
     "/acr/v1/library%2Fhello-world/_tags/does_not_exist?api-version=2021-07-01",
     "hello-world/_tags/does_not_exist", 404),
    ("delete_repository_does_not_exist", "DELETE",
     "/acr/v1/does_not_exist?api-version=2021-07-01", "does_not_exist", 404),
    ("delete_blob_does_not_exist", "DELETE", "/v2/library%2Fhello-world/blobs/sha256%3A"
     + "b" * 64, "/blobs/", 404),
])
def test_metadata_answers_match_recordings(acr_http: RegistryHTTP, hello: str, recording: str,
                                           method: str, path: str, part: str,
                                           status: int) -> None:
    entry = recorded(recording, method, part, status)
    name = "does_not_exist" if path.startswith("/acr/v1/does_not_exist") else HELLO
    action = {"GET": "metadata_read", "DELETE": "delete"}[method]
    answer = acr_http.call(method, path, f"repository:{name}:{action}")
    assert_same_protocol(entry, answer.status, answer.headers, answer.body)
    if status == 404:
        assert answer.json() == entry["ResponseBody"] or (
            answer.json()["errors"][0]["code"] == entry["ResponseBody"]["errors"][0]["code"])


def test_manifest_item_fields_match_recording(acr_http: RegistryHTTP, hello: str) -> None:
    entry = recorded("list_registry_artifacts", "GET", "/_manifests", 200)
    ours = acr_http.call("GET", "/acr/v1/library%2Fhello-world/_manifests",
                     f"repository:{HELLO}:metadata_read").json()["manifests"][0]
    theirs = entry["ResponseBody"]["manifests"][0]
    assert list(ours) == list(theirs)
    assert ours["tags"] == theirs["tags"] == ["latest", "v1"]
    assert ours["mediaType"] == theirs["mediaType"]
    assert ours["configMediaType"] == theirs["configMediaType"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z", ours["createdTime"])


def test_anonymous_write_is_refused_with_insufficient_scope_as_recorded(
        registry_factory: Any) -> None:
    registry = registry_factory(anonymous_pull=True)
    registry.add_image(HELLO, tags=["latest"])
    acr_http = RegistryHTTP(registry)
    entries_ = entries("anon_update_tag_properties")
    refused = [e for e in entries_ if e["RequestMethod"] == "PATCH"][-1]
    token = acr_http.form("/oauth2/token?api-version=2021-07-01",
                      {"service": registry.service, "scope": f"repository:{HELLO}:metadata_write",
                       "grant_type": "password"})
    assert token.status == 200
    body = b'{"deleteEnabled": true, "writeEnabled": true}'
    answer = acr_http.request("PATCH", "/acr/v1/library%2Fhello-world/_tags/latest", body,
                          {"Content-Type": "application/json"}, token=token.json()[
                              "access_token"])
    assert_same_protocol(refused, answer.status, answer.headers, answer.body)
    ours = CHALLENGE_RE.fullmatch(answer.headers["www-authenticate"])
    theirs = CHALLENGE_RE.fullmatch(header(refused, "WWW-Authenticate"))
    assert ours and theirs and ours["error"] and theirs["error"]
    acr_http.close()


def test_catalog_paging_matches_2023_recording(registry: LocalRegistry,
                                               acr_http: RegistryHTTP) -> None:
    for name in ("library/alpine", "library/busybox", "library/hello-world",
                 "repo142616d29b3f2b", "repo143711d29b3f2b"):
        registry.add_image(name, tags=["latest"])
    pages = [e for e in entries("paging_2023_list_repository_names_by_page")
             if e["StatusCode"] == 200 and "_catalog" in e["RequestUri"]]
    assert len(pages) == 3
    for entry in pages:
        path = entry["RequestUri"].split("azurecr.io", 1)[1]
        answer = acr_http.call("GET", path, "registry:catalog:*")
        assert answer.json() == entry["ResponseBody"]
        assert answer.headers.get("link") == header(entry, "Link")
        assert_same_protocol(entry, answer.status, answer.headers, answer.body)


def test_tags_of_repository_without_tags_are_null_as_recorded(registry: LocalRegistry,
                                                              acr_http: RegistryHTTP) -> None:
    registry.add_image("repof1af3a51", tags=["test"])
    entry = [e for e in entries("list_in_empty_repo") if e["StatusCode"] == 200
             and e["RequestUri"].endswith("/_tags")][-1]
    scope = "repository:repof1af3a51:"
    deleted_tag = acr_http.call("DELETE", "/acr/v1/repof1af3a51/_tags/test", scope + "delete")
    assert deleted_tag.status == 202
    answer = acr_http.call("GET", "/acr/v1/repof1af3a51/_tags", scope + "metadata_read")
    assert answer.json()["tags"] is None
    assert answer.json().keys() == entry["ResponseBody"].keys()
    manifests = acr_http.call("GET", "/acr/v1/repof1af3a51/_manifests", scope + "metadata_read")
    assert "tags" not in manifests.json()["manifests"][0]
    deleted = acr_http.call("DELETE", "/acr/v1/repof1af3a51", scope + "delete")
    assert deleted.status == 202
    assert deleted.json()["tagsDeleted"] is None


def test_upload_and_push_flow_matches_recording(registry: LocalRegistry,
                                                acr_http: RegistryHTTP) -> None:
    flow = entries("delete_repository")
    name = "repob5d639ee"
    scope = f"repository:{name}:pull,push"
    start = acr_http.request("POST", f"/v2/{name}/blobs/uploads/")
    first = flow[0]
    assert_same_protocol(first, start.status, start.headers, start.body)
    assert CHALLENGE_RE.fullmatch(start.headers["www-authenticate"])["scope"] == scope  # type: ignore[index]
    assert start.json() == first["ResponseBody"]
    started = acr_http.call("POST", f"/v2/{name}/blobs/uploads/", scope)
    rec_started = next(e for e in flow if e["StatusCode"] == 202
                       and e["RequestMethod"] == "POST")
    assert started.status == 202
    assert started.headers["range"] == header(rec_started, "Range") == "0-0"
    assert re.fullmatch(rf"/v2/{name}/blobs/uploads/[0-9a-f-]{{36}}\?_nouploadcache=false"
                        r"&_state=[A-Za-z0-9_%=-]+", started.headers["location"])
    assert started.headers["docker-upload-uuid"] in started.headers["location"]
    patched = acr_http.call("PATCH", started.headers["location"], scope, b"Sample layer",
                        {"Content-Type": "application/octet-stream"})
    assert patched.status == 202
    assert patched.headers["range"] == "0-11"
    digest = "sha256:828dee73d26c173f8b8a6a266607b10b8e562d7920c6436997dd032461584c4b"
    done = acr_http.call("PUT", f"{patched.headers['location']}&digest={digest}", scope)
    rec_done = next(e for e in flow if e["StatusCode"] == 201 and e["RequestMethod"] == "PUT")
    assert done.status == 201
    assert done.headers["docker-content-digest"] == header(rec_done, "Docker-Content-Digest")
    assert done.headers["location"] == header(rec_done, "Location")
