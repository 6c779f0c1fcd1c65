"""Digest and truncation checks, against a tiny stdlib registry that lies on purpose.

Each test gives the server one behaviour (a wrong ``Docker-Content-Digest``, altered or cut
bodies, a short upload acknowledgement...) and checks that our content code notices before
reporting success, and leaves nothing half-done behind.
"""

from __future__ import annotations

import hashlib
import io
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

import pytest
from azure.core.exceptions import HttpResponseError

from azure_containerregistry import DigestValidationError
from azure_containerregistry._content import (
    MAX_MANIFEST_SIZE,
    OCI_IMAGE_MANIFEST,
    GetManifestResult,
    download_blob,
    get_manifest,
    set_manifest,
    upload_blob,
)
from azure_containerregistry._pipeline import create_rest_client
from azure_containerregistry._rest._client import ContainerRegistryRestClient

CHUNK = 64 * 1024
MANIFEST = b'{"schemaVersion":2,"mediaType":"' + OCI_IMAGE_MANIFEST.encode() + b'","layers":[]}'


def sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: LyingRegistry

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.log.append((self.command, self.path, dict(self.headers), len(body)))
        self.server.behave(self, body)

    do_GET = do_PUT = do_POST = do_PATCH = do_DELETE = do_HEAD = _handle

    def reply(
        self,
        status: int,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        *,
        cut: int | None = None,
        length: int | None = None,
    ) -> None:
        """Answer; with ``cut``, send only that many body bytes and close the connection."""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if length != -1:
            self.send_header("Content-Length", str(len(body) if length is None else length))
        if cut is not None or length == -1:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body if cut is None else body[:cut])
        self.wfile.flush()
        if cut is not None or length == -1:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_WR)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


Behaviour = Callable[[Handler, bytes], None]


class LyingRegistry(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.log: list[tuple[str, str, dict[str, str], int]] = []
        self.behave: Behaviour = lambda handler, body: handler.reply(404)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def liar() -> Iterator[LyingRegistry]:
    server = LyingRegistry()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def client(liar: LyingRegistry) -> Iterator[ContainerRegistryRestClient]:
    scope = "https://containerregistry.azure.net/.default"
    with create_rest_client(liar.endpoint, None, aad_scope=scope, retry_total=0) as pipeline:
        yield pipeline


# -- manifests -------------------------------------------------------------------------------


def test_manifest_with_a_different_reported_digest_is_rejected(
    liar: LyingRegistry, client: ContainerRegistryRestClient
) -> None:
    liar.behave = lambda h, _: h.reply(200, MANIFEST, {"Docker-Content-Digest": sha(b"other")})
    with pytest.raises(DigestValidationError, match="expected"):
        get_manifest(client.manifest_content, "repo", "v1")


def test_manifest_not_matching_the_requested_digest_is_rejected(
    liar: LyingRegistry, client: ContainerRegistryRestClient
) -> None:
    altered = MANIFEST.replace(b"[]", b"[ ]")
    liar.behave = lambda h, _: h.reply(200, altered, {"Content-Type": OCI_IMAGE_MANIFEST})
    with pytest.raises(DigestValidationError):
        get_manifest(client.manifest_content, "repo", sha(MANIFEST))


def test_truncated_manifest_is_rejected(
    liar: LyingRegistry, client: ContainerRegistryRestClient
) -> None:
    liar.behave = lambda h, _: h.reply(200, MANIFEST, cut=20)
    with pytest.raises((DigestValidationError, HttpResponseError)):
        get_manifest(client.manifest_content, "repo", "v1")


def test_manifest_body_over_4_mib_is_refused_while_reading(
    liar: LyingRegistry, client: ContainerRegistryRestClient
) -> None:
    liar.behave = lambda h, _: h.reply(200, b" " * (MAX_MANIFEST_SIZE + 10), length=-1)
    with pytest.raises(HttpResponseError, match="4 MiB"):
        get_manifest(client.manifest_content, "repo", "v1")


def test_manifest_announced_over_4_mib_is_refused_before_reading(
    liar: LyingRegistry, client: ContainerRegistryRestClient
) -> None:
    liar.behave = lambda h, _: h.reply(200, MANIFEST, length=MAX_MANIFEST_SIZE + 1, cut=0)
    with pytest.raises(HttpResponseError, match="4 MiB"):
        get_manifest(client.manifest_content, "repo", "v1")


def test_manifest_stored_under_another_digest_is_reported(
    liar: LyingRegistry, client: ContainerRegistryRestClient
) -> None:
    liar.behave = lambda h, _: h.reply(201, headers={"Docker-Content-Digest": sha(b"x")})
    with pytest.raises(DigestValidationError, match="registry stored manifest"):
        set_manifest(client.manifest_content, "repo", MANIFEST, tag="v1")


def test_manifest_result_model_is_comparable_and_plain() -> None:
    result = GetManifestResult(
        manifest={"schemaVersion": 2},
        media_type=OCI_IMAGE_MANIFEST,
        digest=sha(MANIFEST),
        data=MANIFEST,
    )
    same = GetManifestResult(
        manifest={"schemaVersion": 2},
        media_type=OCI_IMAGE_MANIFEST,
        digest=sha(MANIFEST),
        data=MANIFEST,
    )
    assert result == same
    assert result != GetManifestResult(
        manifest={}, media_type=OCI_IMAGE_MANIFEST, digest=sha(b"{}")
    )
    assert repr(result) == (
        f"GetManifestResult(media_type={OCI_IMAGE_MANIFEST!r}, digest={sha(MANIFEST)!r}, "
        f"size={len(MANIFEST)})"
    )
    assert result.to_dict() == {
        "manifest": {"schemaVersion": 2},
        "media_type": OCI_IMAGE_MANIFEST,
        "digest": sha(MANIFEST),
        "size": len(MANIFEST),
    }


# -- uploads ---------------------------------------------------------------------------------


def _upload_server(
    liar: LyingRegistry, complete: Behaviour, patch: Behaviour | None = None
) -> None:
    received = bytearray()

    def behave(h: Handler, body: bytes) -> None:
        if h.command == "POST":
            h.reply(202, headers={"Location": "/v2/repo/blobs/uploads/s1?_state=abc"})
        elif h.command == "PATCH":
            received.extend(body)
            if patch is not None:
                patch(h, body)
            else:
                h.reply(
                    202,
                    headers={
                        "Location": "/v2/repo/blobs/uploads/s1?_state=def",
                        "Range": f"0-{len(received) - 1}",
                    },
                )
        elif h.command == "PUT":
            complete(h, body)
        elif h.command == "DELETE":
            h.reply(204)
        else:
            h.reply(404)

    liar.behave = behave


def test_blob_stored_under_another_digest_is_reported(
    liar: LyingRegistry, client: ContainerRegistryRestClient
) -> None:
    _upload_server(liar, lambda h, _: h.reply(201, headers={"Docker-Content-Digest": sha(b"x")}))
    with pytest.raises(DigestValidationError, match="registry stored blob"):
        upload_blob(client.blobs, "repo", io.BytesIO(b"payload"))
    put = next(entry for entry in liar.log if entry[0] == "PUT")
    assert put[1].startswith(
        "/v2/repo/blobs/uploads/s1?digest=" + sha(b"payload").replace(":", "%3A")
    )
    assert put[1].endswith("&_state=abc")


def test_upload_acknowledged_short_is_cancelled_and_raised(
    liar: LyingRegistry, client: ContainerRegistryRestClient
) -> None:
    _upload_server(
        liar,
        complete=lambda h, _: h.reply(201),
        patch=lambda h, body: h.reply(
            202, headers={"Location": "/v2/repo/blobs/uploads/s1", "Range": f"0-{len(body) - 2}"}
        ),
    )
    with pytest.raises(HttpResponseError, match="acknowledged"):
        upload_blob(client.blobs, "repo", io.BytesIO(b"a" * (2 * CHUNK + 1)), chunk_size=CHUNK)
    assert [entry[0] for entry in liar.log] == ["POST", "PATCH", "DELETE"]


def test_rejected_commit_is_cancelled_and_the_registry_error_raised(
    liar: LyingRegistry, client: ContainerRegistryRestClient
) -> None:
    error = b'{"errors":[{"code":"DIGEST_INVALID","message":"provided digest did not match"}]}'
    _upload_server(liar, lambda h, _: h.reply(400, error, {"Content-Type": "application/json"}))
    with pytest.raises(HttpResponseError, match="DIGEST_INVALID"):
        upload_blob(client.blobs, "repo", io.BytesIO(b"payload"))
    assert [entry[0] for entry in liar.log] == ["POST", "PUT", "DELETE"]


# -- downloads -------------------------------------------------------------------------------


def _blob_server(liar: LyingRegistry, blob: bytes, **reply: Any) -> None:
    def behave(h: Handler, _: bytes) -> None:
        start, _, end = h.headers["Range"].removeprefix("bytes=").partition("-")
        first, last = int(start), min(int(end), len(blob) - 1)
        headers = {"Content-Range": f"bytes {first}-{last}/{len(blob)}"}
        h.reply(206, blob[first : last + 1], headers, **reply)

    liar.behave = behave


def test_altered_blob_raises_at_the_end_and_never_completes(
    liar: LyingRegistry, client: ContainerRegistryRestClient, tmp_path: Path
) -> None:
    blob = b"b" * (CHUNK + 10)
    _blob_server(liar, blob)
    stream = download_blob(client.blobs, "repo", sha(b"a" * (CHUNK + 10)), chunk_size=CHUNK)
    chunks = []
    with pytest.raises(DigestValidationError):
        for chunk in stream:
            chunks.append(chunk)
    assert b"".join(chunks) == blob  # every byte was delivered, but success never reported
    with pytest.raises(DigestValidationError):
        next(stream)
    assert "failed" in repr(stream)

    target = tmp_path / "blob.bin"
    with pytest.raises(DigestValidationError):
        download_blob(client.blobs, "repo", sha(b"a" * (CHUNK + 10))).readinto_file(target)
    assert list(tmp_path.iterdir()) == []


def test_body_that_keeps_breaking_is_given_up_after_bounded_resumes(
    liar: LyingRegistry, client: ContainerRegistryRestClient
) -> None:
    blob = b"c" * 1000
    _blob_server(liar, blob, cut=0)
    stream = download_blob(client.blobs, "repo", sha(blob))
    with pytest.raises(HttpResponseError):
        b"".join(stream)
    assert len([entry for entry in liar.log if entry[0] == "GET"]) == 4


def test_registry_ignoring_range_still_yields_the_verified_blob(
    liar: LyingRegistry, client: ContainerRegistryRestClient
) -> None:
    blob = bytes(range(256)) * 1000
    liar.behave = lambda h, _: h.reply(200, blob)
    assert b"".join(download_blob(client.blobs, "repo", sha(blob), chunk_size=CHUNK)) == blob
    assert len(liar.log) == 1


def test_short_total_is_caught_by_the_digest(
    liar: LyingRegistry, client: ContainerRegistryRestClient
) -> None:
    blob = b"d" * 500
    _blob_server(liar, blob[:300])  # claims the blob is 300 bytes
    with pytest.raises(DigestValidationError):
        b"".join(download_blob(client.blobs, "repo", sha(blob)))
