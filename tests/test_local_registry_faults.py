"""LocalRegistry request log, fault injection, admin HTTP API and CLI."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from typing import Any

import pytest
from conftest import RegistryHTTP

from azure_containerregistry.testing import LocalRegistry


def test_log_counts_connections_and_bodies(registry: LocalRegistry,
                                           acr_http: RegistryHTTP) -> None:
    acr_http.request("GET", "/v2/")
    acr_http.request("POST", "/v2/app/blobs/uploads/", b"abc")
    other = RegistryHTTP(registry)
    other.request("GET", "/v2/")
    other.close()
    records = registry.requests
    assert next(r.connection for r in records) == records[1].connection != records[2].connection
    assert (records[1].status, records[1].body_bytes, records[1].authorized) == (401, 3, False)
    assert records[1].scope == "repository:app:pull,push"
    assert records[0].status == 401 and records[0].response_bytes > 0
    registry.clear_requests()
    assert registry.requests == []


def test_fail_next_with_retry_after_and_filters(registry: LocalRegistry,
                                                acr_http: RegistryHTTP) -> None:
    registry.fail_next(2, status=429, retry_after=1, method="GET", path_prefix="/v2/")
    assert acr_http.request("POST", "/oauth2/token").status == 400
    first = acr_http.request("GET", "/v2/")
    assert (first.status, first.headers["retry-after"]) == (429, "1")
    assert first.json()["errors"][0]["code"] == "TOOMANYREQUESTS"
    assert acr_http.request("GET", "/v2/").status == 429
    assert acr_http.request("GET", "/v2/").status == 401  # the challenge: faults are used up


def test_drop_next_closes_without_answer(registry: LocalRegistry) -> None:
    registry.drop_next(1, path_prefix="/v2/")
    conn = http.client.HTTPConnection("127.0.0.1", registry.port, timeout=30)
    conn.request("GET", "/v2/")
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        conn.getresponse()
    conn.close()
    assert registry.requests[-1].status == 0
    driver = RegistryHTTP(registry)
    assert driver.request("GET", "/v2/").status == 401  # answered: the challenge
    driver.close()


def test_drop_mid_body_after_bytes(registry: LocalRegistry) -> None:
    driver = RegistryHTTP(registry)
    digest_scope = "repository:app:pull,push"
    data = b"x" * 1000
    import hashlib
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    assert driver.call("POST", f"/v2/app/blobs/uploads/?digest={digest}", digest_scope,
                       data).status == 201
    token = driver.token("repository:app:pull")
    driver.close()
    registry.drop_next(after_bytes=100)
    conn = http.client.HTTPConnection("127.0.0.1", registry.port, timeout=30)
    conn.request("GET", f"/v2/app/blobs/{digest}", headers={"Authorization": f"Bearer {token}"})
    resp = conn.getresponse()
    assert resp.status == 200
    with pytest.raises(http.client.IncompleteRead):
        resp.read()
    conn.close()
    assert registry.requests[-1].response_bytes == 100


def test_latency_setting_is_applied(registry: LocalRegistry, acr_http: RegistryHTTP) -> None:
    registry.latency = 0.001
    assert acr_http.request("GET", "/v2/").status == 401  # answered: the challenge


def test_server_survives_garbage(registry: LocalRegistry) -> None:
    with socket.create_connection(("127.0.0.1", registry.port), timeout=30) as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 400")
    with socket.create_connection(("127.0.0.1", registry.port), timeout=30) as sock:
        sock.sendall(b"PUT /v2/ HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 400")
    driver = RegistryHTTP(registry)
    assert driver.request("GET", "/v2/").status == 401  # answered: the challenge
    driver.close()


def test_chunked_request_bodies_are_read(registry: LocalRegistry) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", registry.port, timeout=30)
    conn.request("POST", "/v2/app/blobs/uploads/", body=iter([b"ab", b"cd"]),
                 encode_chunked=True)
    assert conn.getresponse().read()
    conn.close()
    assert registry.requests[-1].body_bytes == 4


def _cut(sock: socket.socket) -> bool:
    """Whether the peer closed ``sock`` without answering."""
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


@pytest.mark.timeout(10)
def test_stop_cuts_idle_silent_and_slow_connections_and_closes_the_port() -> None:
    registry = LocalRegistry().start()
    keep_alive = RegistryHTTP(registry)
    keep_alive.request("GET", "/v2/")  # answered; the connection now idles
    silent = socket.create_connection(("127.0.0.1", registry.port), timeout=30)
    slow = socket.create_connection(("127.0.0.1", registry.port), timeout=30)
    registry.latency = 60.0
    slow.sendall(b"GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n")
    try:
        registry.stop()
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", registry.port), timeout=5).close()
        assert _cut(silent)
        assert _cut(slow)
    finally:
        keep_alive.close()
        silent.close()
        slow.close()


def _admin(registry: LocalRegistry, method: str, path: str, payload: Any = None) -> Any:
    data = json.dumps(payload).encode() if payload is not None else None
    req = urllib.request.Request(registry.endpoint + path, data=data, method=method)
    with urllib.request.urlopen(req) as resp:
        return json.loads(resp.read())


def test_admin_api_seeds_configures_and_reads_the_log(registry: LocalRegistry) -> None:
    digest = _admin(registry, "POST", "/_local/seed",
                    {"op": "add_image", "repository": "app", "tags": ["v1"],
                     "created_on": "2024-01-01T00:00:00Z"})["result"]
    assert registry.get_manifest_bytes("app", "v1") is not None and digest.startswith("sha256:")
    assert _admin(registry, "POST", "/_local/config", {"latency": 0})["latency"] == 0
    driver = RegistryHTTP(registry)
    driver.request("GET", "/v2/")
    driver.close()
    log = _admin(registry, "GET", "/_local/requests")
    assert [r["path"] for r in log] == ["/v2/"]
    _admin(registry, "POST", "/_local/clear", {})
    assert registry.requests == []


def test_cli_serves_until_interrupted(tmp_path: Any) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "azure_containerregistry.testing", "serve",
                             "--port", "0", "--seed-demo"], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        endpoint = proc.stdout.readline().strip()
        assert endpoint.startswith("http://127.0.0.1:")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(endpoint + "/v2/")
        assert refused.value.code == 401  # served: the anonymous challenge
        refused.value.close()
        with urllib.request.urlopen(endpoint + "/_local/requests") as resp:
            log = json.loads(resp.read())
        assert len(log) == 1
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()
