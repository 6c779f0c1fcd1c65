"""LocalRegistry /v2: manifests (media types, validation, Accept), blobs, uploads, storage."""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import RegistryHTTP

from azure_containerregistry.testing import LocalRegistry

OCI = "application/vnd.oci.image.manifest.v1+json"
DOCKER = "application/vnd.docker.distribution.manifest.v2+json"
INDEX = "application/vnd.oci.image.index.v1+json"
PUSH = "repository:app:pull,push"


def digest_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def upload(http: RegistryHTTP, data: bytes, name: str = "app") -> str:
    digest = digest_of(data)
    answer = http.call("POST", f"/v2/{name}/blobs/uploads/?digest={digest}",
                       f"repository:{name}:pull,push", data)
    assert answer.status == 201
    return digest


def image(http: RegistryHTTP, media_type: str = OCI) -> bytes:
    config = json.dumps({"architecture": "arm64", "os": "linux"}).encode()
    layer = b"layer bytes"
    doc = {"schemaVersion": 2, "mediaType": media_type,
           "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                      "digest": upload(http, config), "size": len(config)},
           "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                       "digest": upload(http, layer), "size": len(layer)}]}
    return json.dumps(doc).encode()


def test_v2_base_challenges_without_scope_then_answers_empty_json(
    registry: LocalRegistry, acr_http: RegistryHTTP
) -> None:
    refused = acr_http.request("GET", "/v2/")
    assert refused.status == 401
    assert refused.headers["www-authenticate"] == (
        f'Bearer realm="{registry.endpoint}/oauth2/token",service="{registry.service}"'
    )
    answer = acr_http.call("GET", "/v2/", "repository:app:pull")
    assert (answer.status, answer.json()) == (200, {})
    assert answer.headers["docker-distribution-api-version"] == "registry/2.0"


@pytest.mark.parametrize("media_type", [OCI, DOCKER])
def test_put_then_get_manifest_by_tag_and_digest(registry: LocalRegistry,
                                                 acr_http: RegistryHTTP, media_type: str) -> None:
    body = image(acr_http, media_type)
    put = acr_http.call("PUT", "/v2/app/manifests/v1", PUSH, body, {"Content-Type": media_type})
    assert put.status == 201
    digest = digest_of(body)
    assert put.headers["docker-content-digest"] == digest
    assert put.headers["location"] == f"/v2/app/manifests/{digest}"
    for ref in ("v1", digest):
        got = acr_http.call("GET", f"/v2/app/manifests/{ref}", "repository:app:pull")
        assert got.body == body
        assert got.headers["content-type"] == media_type
        assert got.headers["docker-content-digest"] == digest
        assert int(got.headers["content-length"]) == len(body)
    head = acr_http.call("HEAD", "/v2/app/manifests/v1", "repository:app:pull")
    assert (head.status, head.body, head.headers["content-length"]) == (200, b"", str(len(body)))
    props = acr_http.call("GET", f"/acr/v1/app/_manifests/{digest}",
                          "repository:app:metadata_read").json()["manifest"]
    assert (props["architecture"], props["os"], props["tags"]) == ("arm64", "linux", ["v1"])


def test_manifest_put_validation(acr_http: RegistryHTTP) -> None:
    body = image(acr_http)
    def put(ref: str, data: bytes, ctype: str = OCI) -> Any:
        answer = acr_http.call("PUT", f"/v2/app/manifests/{ref}", PUSH, data,
                               {"Content-Type": ctype})
        return answer.status, answer.json()["errors"][0]["code"]
    assert put("v1", body, DOCKER) == (400, "MANIFEST_INVALID")
    assert put("v1", b"{nope") == (400, "MANIFEST_INVALID")
    assert put(digest_of(b"other"), body) == (400, "DIGEST_INVALID")
    missing = json.loads(body)
    missing["layers"][0]["digest"] = digest_of(b"absent")
    assert put("v1", json.dumps(missing).encode()) == (400, "MANIFEST_BLOB_UNKNOWN")
    index = {"schemaVersion": 2, "mediaType": INDEX,
             "manifests": [{"mediaType": OCI, "digest": digest_of(b"x"), "size": 1}]}
    assert put("i", json.dumps(index).encode(), INDEX) == (400, "MANIFEST_BLOB_UNKNOWN")
    big = b'{"schemaVersion": 2, "pad": "' + b"x" * (4 * 1024 * 1024) + b'"}'
    assert put("big", big) == (400, "MANIFEST_INVALID")


def test_index_needs_accept_header(registry: LocalRegistry, acr_http: RegistryHTTP) -> None:
    registry.add_index("multi", tags=["latest"])
    refused = acr_http.call("GET", "/v2/multi/manifests/latest", "repository:multi:pull",
                            headers={"Accept": OCI})
    assert refused.status == 404
    assert refused.json()["errors"][0]["message"] == (
        "OCI index found, but accept header does not support OCI indexes")
    ok = acr_http.call("GET", "/v2/multi/manifests/latest", "repository:multi:pull",
                       headers={"Accept": f"{OCI}, {INDEX}"})
    assert (ok.status, ok.headers["content-type"]) == (200, INDEX)


def test_delete_manifest_removes_tags(registry: LocalRegistry, acr_http: RegistryHTTP) -> None:
    keep = registry.add_image("app", tags=["keep"])
    digest = registry.add_image("app", tags=["a", "b"])
    assert acr_http.call("DELETE", f"/v2/app/manifests/{digest}",
                         "repository:app:delete").status == 202
    assert registry.tags("app") == ["keep"]
    assert registry.get_manifest_bytes("app", digest) is None
    assert registry.get_manifest_bytes("app", "keep") is not None
    again = acr_http.call("DELETE", f"/v2/app/manifests/{digest}", "repository:app:delete")
    assert again.status == 404 and again.json()["errors"][0]["code"] == "MANIFEST_UNKNOWN"
    assert keep


def test_write_lock_refuses_tag_overwrite(registry: LocalRegistry,
                                          acr_http: RegistryHTTP) -> None:
    registry.add_image("app", tags=["v1"], can_write=False)
    answer = acr_http.call("PUT", "/v2/app/manifests/v1", PUSH, image(acr_http),
                           {"Content-Type": OCI})
    assert answer.status == 405 and answer.json()["errors"][0]["code"] == "DENIED"


def test_chunked_upload_with_status_and_content_range(registry: LocalRegistry,
                                                      acr_http: RegistryHTTP) -> None:
    start = acr_http.call("POST", "/v2/app/blobs/uploads/", PUSH)
    location = start.headers["location"]
    assert registry.upload_sessions() == [start.headers["docker-upload-uuid"]]
    first = acr_http.call("PATCH", location, PUSH, b"hello ", {"Content-Range": "0-5"})
    assert first.headers["range"] == "0-5"
    gap = acr_http.call("PATCH", first.headers["location"], PUSH, b"x", {"Content-Range": "9-9"})
    assert gap.status == 416
    status = acr_http.call("GET", first.headers["location"], PUSH)
    assert (status.status, status.headers["range"]) == (204, "0-5")
    second = acr_http.call("PATCH", first.headers["location"], PUSH, b"world")
    assert second.headers["range"] == "0-10"
    digest = digest_of(b"hello world!")
    done = acr_http.call("PUT", f"{second.headers['location']}&digest={digest}", PUSH, b"!")
    assert done.status == 201
    assert registry.has_blob("app", digest)
    assert registry.upload_sessions() == []


def test_digest_mismatch_ends_the_session(registry: LocalRegistry,
                                          acr_http: RegistryHTTP) -> None:
    location = acr_http.call("POST", "/v2/app/blobs/uploads/", PUSH).headers["location"]
    bad = acr_http.call("PUT", f"{location}&digest={digest_of(b'other')}", PUSH, b"data")
    assert bad.status == 400 and bad.json()["errors"][0]["code"] == "DIGEST_INVALID"
    assert registry.upload_sessions() == []
    gone = acr_http.call("PATCH", location, PUSH, b"more")
    assert gone.status == 404 and gone.json()["errors"][0]["code"] == "BLOB_UPLOAD_UNKNOWN"


def test_cancel_upload(registry: LocalRegistry, acr_http: RegistryHTTP) -> None:
    location = acr_http.call("POST", "/v2/app/blobs/uploads/", PUSH).headers["location"]
    assert acr_http.call("DELETE", location, PUSH).status == 204
    assert registry.upload_sessions() == []


def test_cross_repository_mount(registry: LocalRegistry, acr_http: RegistryHTTP) -> None:
    digest = upload(acr_http, b"shared", "source")
    mounted = acr_http.call("POST", f"/v2/app/blobs/uploads/?mount={digest}&from=source", PUSH)
    assert mounted.status == 201 and registry.has_blob("app", digest)
    missing = acr_http.call("POST", f"/v2/app/blobs/uploads/?mount={digest_of(b'n')}&from=source",
                            PUSH)
    assert missing.status == 202


def test_blob_get_range_head_and_delete(acr_http: RegistryHTTP) -> None:
    data = bytes(range(256)) * 4
    digest = upload(acr_http, data)
    pull = "repository:app:pull"
    whole = acr_http.call("GET", f"/v2/app/blobs/{digest}", pull)
    assert (whole.status, whole.body) == (200, data)
    part = acr_http.call("GET", f"/v2/app/blobs/{digest}", pull, headers={"Range": "bytes=10-19"})
    assert (part.status, part.body) == (206, data[10:20])
    assert part.headers["content-range"] == f"bytes 10-19/{len(data)}"
    assert part.headers["content-length"] == "10"
    head = acr_http.call("HEAD", f"/v2/app/blobs/{digest}", pull)
    assert head.headers["content-length"] == str(len(data))
    assert head.headers["docker-content-digest"] == digest
    deleted = acr_http.call("DELETE", f"/v2/app/blobs/{digest}", "repository:app:delete")
    assert deleted.status == 202
    missing = acr_http.call("GET", f"/v2/app/blobs/{digest}", pull)
    assert missing.json() == {"errors": [{"code": "BLOB_UNKNOWN",
                                          "message": "blob unknown to registry"}]}


def test_storage_redirect_serves_ranges_and_refuses_authorization(
        registry_factory: Any) -> None:
    registry = registry_factory(storage_redirect=True)
    http = RegistryHTTP(registry)
    digest = upload(http, b"0123456789")
    redirect = http.call("GET", f"/v2/app/blobs/{digest}", "repository:app:pull")
    assert redirect.status == 307
    target = urlsplit(redirect.headers["location"])
    assert target.hostname == "localhost" and target.port == registry.port
    path = f"{target.path}?{target.query}"
    ranged = http.request("GET", path, headers={"Range": "bytes=2-4"})
    assert (ranged.status, ranged.body) == (206, b"234")
    refused = http.request("GET", path, headers={"Authorization": "Bearer leaked"})
    assert refused.status == 403
    assert [r.status for r in registry.requests[-3:]] == [307, 206, 403]
    assert http.request("GET", path.replace("sig=", "sig=x")).status == 403
    http.close()
