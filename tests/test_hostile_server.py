"""The hostile registry itself: it signs our client in, records what it saw, counts what it sent,
and stops at once. The hostile tests are only as good as these guarantees."""

from __future__ import annotations

import http.client
import socket

import pytest
from hostile import Answer, HostileServer, MiB, repeat_bytes, routes

from azure_containerregistry import ContainerRegistryClient


def test_client_signs_in_and_sends_the_issued_access_token(
    hostile: HostileServer, hostile_client: ContainerRegistryClient
) -> None:
    hostile.handler = routes(
        {("GET", "/acr/v1/_catalog"): Answer.json({"repositories": ["a", "b"]})}
    )
    assert list(hostile_client.list_repository_names()) == ["a", "b"]
    kinds = [seen.kind for seen in hostile.requests]
    assert kinds.count("exchange") >= 1 and kinds.count("token") >= 1
    (api,) = hostile.api_requests
    assert api.authorization == f"Bearer {hostile.access_token}"
    exchange = next(seen for seen in hostile.requests if seen.kind == "exchange")
    assert exchange.form["access_token"] == hostile.aad_token


def test_secrets_are_opaque_distinct_and_not_jwts(hostile: HostileServer) -> None:
    aad, refresh, access = hostile.secrets
    assert len({aad, refresh, access}) == 3
    assert all(s.startswith("SECRET-") and "." not in s for s in hostile.secrets)


def test_requests_without_the_access_token_are_challenged(hostile: HostileServer) -> None:
    hostile.handler = routes({("GET", "/acr/v1/app"): Answer.json({})})
    conn = http.client.HTTPConnection("127.0.0.1", hostile.port, timeout=10)
    conn.request("GET", "/acr/v1/app", headers={"Authorization": "Bearer wrong"})
    answer = conn.getresponse()
    answer.read()
    conn.close()
    assert answer.status == 401
    assert answer.getheader("WWW-Authenticate") == hostile.challenge(
        "repository:app:metadata_read"
    )
    assert [(s.kind, s.authorization) for s in hostile.requests] == [("challenge", "Bearer wrong")]
    assert hostile.api_requests == []


def test_sink_records_every_request_with_its_headers_and_body(sink: HostileServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", sink.port, timeout=10)
    conn.request("PUT", "/x?a=1", body=b"payload", headers={"Authorization": "Bearer t"})
    answer = conn.getresponse()
    answer.read()
    conn.close()
    assert answer.status == 404
    (seen,) = sink.requests
    assert (seen.method, seen.path, seen.query, seen.body) == ("PUT", "/x", {"a": "1"}, b"payload")
    assert seen.authorization == "Bearer t"


@pytest.mark.timeout(30)
def test_an_endless_answer_counts_only_what_a_client_that_hung_up_took(
    sink: HostileServer,
) -> None:
    sink.handler = routes({("GET", "/endless"): Answer(200, [], repeat_bytes(256 * MiB))})
    with socket.create_connection(("127.0.0.1", sink.port), timeout=10) as conn:
        conn.sendall(b"GET /endless HTTP/1.1\r\nHost: sink\r\n\r\n")
        received = 0
        while received < 64 * 1024:
            data = conn.recv(65536)
            assert data, "the server hung up first"
            received += len(data)
    assert sink.wait_idle(timeout=10)
    assert 64 * 1024 <= sink.body_bytes_sent < 16 * MiB
    (seen,) = sink.requests
    assert seen.finished and seen.sent == sink.body_bytes_sent


def test_a_dropped_answer_closes_the_connection_without_a_status(sink: HostileServer) -> None:
    sink.handler = routes({("GET", "/drop"): Answer.dropped()})
    with socket.create_connection(("127.0.0.1", sink.port), timeout=10) as conn:
        conn.sendall(b"GET /drop HTTP/1.1\r\nHost: sink\r\n\r\n")
        assert conn.recv(100) == b""


@pytest.mark.timeout(10)
def test_stop_cuts_idle_and_streaming_connections_and_closes_the_port() -> None:
    server = HostileServer(auth=False).start()
    server.handler = routes({("GET", "/endless"): Answer(200, [], repeat_bytes(1024 * MiB))})
    idle = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    streaming = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    try:
        streaming.sendall(b"GET /endless HTTP/1.1\r\nHost: sink\r\n\r\n")
        assert streaming.recv(12) == b"HTTP/1.1 200"
        server.stop()
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", server.port), timeout=10).close()
        assert idle.recv(1) == b""
        assert server.wait_idle(timeout=5)
    finally:
        idle.close()
        streaming.close()
