"""Finding 4: a server cannot make the client work without end (pages, blob bodies, metadata).

The hostile answers are capped (64 MiB of blob, 100 MB of JSON) so that a client without bounds
fails these tests instead of hanging them; the timeout marks are a guard, not a measurement.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator, Mapping

import pytest
from azure.core.exceptions import HttpResponseError
from hostile import Answer, HostileServer, MiB, repeat_bytes, routes

from azure_containerregistry import ContainerRegistryClient, DigestValidationError


def test_a_link_back_to_the_same_page_stops_after_a_few_requests(
    hostile: HostileServer, hostile_client: ContainerRegistryClient
) -> None:
    link = '</acr/v1/_catalog?last=a&n=100>; rel="next"'
    hostile.handler = routes({("GET", "/acr/v1/_catalog"): Answer.json(
        {"repositories": ["a"]}, headers=[("Link", link)])})
    with pytest.raises(HttpResponseError):
        for _ in itertools.islice(hostile_client.list_repository_names(), 50):
            pass
    assert 1 <= len(hostile.api_requests) < 10


BLOB_DIGEST = "sha256:" + hashlib.sha256(b"the real blob").hexdigest()
ENDLESS_CAP = 64 * MiB


@pytest.mark.timeout(120)
def test_an_endless_206_body_is_not_read_past_its_range(
    hostile: HostileServer, hostile_client: ContainerRegistryClient
) -> None:
    answered: list[str] = []

    def blob(method: str, target: str, headers: Mapping[str, str], body: bytes) -> Answer:
        if answered:  # one endless answer is enough: later asks get nothing to chew on
            return Answer(416, [("Content-Range", "bytes */*")])
        answered.append(headers.get("range", ""))
        return Answer(206, [("Content-Range", "bytes 0-65535/*"),
                            ("Content-Type", "application/octet-stream")],
                      repeat_bytes(ENDLESS_CAP))

    hostile.handler = routes({("GET", f"/v2/app/blobs/{BLOB_DIGEST}"): blob})
    with pytest.raises((DigestValidationError, HttpResponseError)):
        for _ in hostile_client.download_blob("app", BLOB_DIGEST, chunk_size=65536):
            pass
    assert answered, "the endless answer was never asked for"
    hostile.wait_idle(timeout=5)
    assert hostile.body_bytes_sent < 16 * MiB


def _huge_repository_json(size: int) -> Iterator[bytes]:
    """``size`` bytes of valid repository JSON: real fields around a sea of whitespace."""
    head = b'{"registry": "127.0.0.1", "imageName": "app", "manifestCount": 1, '
    tail = b'"tagCount": 1, "createdTime": "2024-01-01T00:00:00Z"}'
    yield head
    yield from repeat_bytes(size - len(head) - len(tail), b" " * 65536)
    yield tail


@pytest.mark.timeout(120)
@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_a_100_mb_metadata_answer_is_refused_without_reading_it(
    hostile: HostileServer, hostile_client: ContainerRegistryClient, framing: str
) -> None:
    size = 100_000_000
    length = [("Content-Length", str(size))] if framing == "content-length" else []
    hostile.handler = lambda *_: Answer(
        200, [("Content-Type", "application/json"), *length], _huge_repository_json(size))
    with pytest.raises(HttpResponseError):
        hostile_client.get_repository_properties("app")
    hostile.wait_idle(timeout=5)
    assert hostile.body_bytes_sent < 64 * MiB


BLOB = b"the real blob" * 10000  # 130,000 bytes: three 64 KiB ranges
BIG_DIGEST = "sha256:" + hashlib.sha256(BLOB).hexdigest()


def _blob_route(get: Answer, head_size: int) -> object:
    head = Answer(200, [("Content-Length", str(head_size))])
    return routes({("GET", f"/v2/app/blobs/{BIG_DIGEST}"): get,
                   ("HEAD", f"/v2/app/blobs/{BIG_DIGEST}"): head})


@pytest.mark.timeout(120)
def test_ranges_without_a_total_are_bounded_by_the_blobs_size(
    hostile: HostileServer, hostile_client: ContainerRegistryClient
) -> None:
    # Every range answered in full, never saying the total: endless without a bound.
    hostile.handler = _blob_route(Answer(206, [("Content-Range", "bytes 0-65535/*")],
                                         BLOB[:65536]), len(BLOB))
    with pytest.raises((DigestValidationError, HttpResponseError)):
        for _ in hostile_client.download_blob("app", BIG_DIGEST, chunk_size=65536):
            pass
    assert len([r for r in hostile.api_requests if r.method == "GET"]) <= 3


@pytest.mark.timeout(120)
def test_a_200_without_length_is_read_no_further_than_the_blobs_size(
    hostile: HostileServer, hostile_client: ContainerRegistryClient
) -> None:
    hostile.handler = _blob_route(Answer(200, [], repeat_bytes(ENDLESS_CAP)), len(BLOB))
    with pytest.raises((DigestValidationError, HttpResponseError)):
        for _ in hostile_client.download_blob("app", BIG_DIGEST):
            pass
    hostile.wait_idle(timeout=5)
    assert hostile.body_bytes_sent < 16 * MiB


def test_a_200_without_length_downloads_when_the_size_is_known(
    hostile: HostileServer, hostile_client: ContainerRegistryClient
) -> None:
    hostile.handler = _blob_route(Answer(200, [], iter([BLOB])), len(BLOB))
    assert b"".join(hostile_client.download_blob("app", BIG_DIGEST)) == BLOB


def test_a_blob_whose_size_nobody_tells_is_refused(
    hostile: HostileServer, hostile_client: ContainerRegistryClient
) -> None:
    hostile.handler = routes({("GET", f"/v2/app/blobs/{BIG_DIGEST}"): Answer(200, [], iter([BLOB])),
                              ("HEAD", f"/v2/app/blobs/{BIG_DIGEST}"): Answer(404, [])})
    with pytest.raises(HttpResponseError, match="how large"):
        hostile_client.download_blob("app", BIG_DIGEST)
