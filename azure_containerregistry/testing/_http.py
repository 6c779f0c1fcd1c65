"""HTTP plumbing of the local registry: request/response values, the request log record
and a keep-alive HTTP/1.1 handler on :class:`http.server.ThreadingHTTPServer`.

The handler only parses and writes bytes; every decision (routing, auth, faults, logging)
is taken by the registry through ``server.dispatch``. Responses are written with a single
``send`` (headers and body together) and ``TCP_NODELAY`` so keep-alive clients never wait on
Nagle's algorithm.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import selectors
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit

MAX_BODY = 1 << 30
STOP_JOIN_TIMEOUT = 1.0
"""At most this many seconds are spent waiting for connection threads when stopping."""
JSON_TYPE = "application/json; charset=utf-8"


@dataclass
class RequestRecord:
    """One request as the registry saw it (tokens are never stored, only ``authorized``)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    status: int
    body_bytes: int
    response_bytes: int
    connection: int
    authorized: bool
    scope: str | None

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict of this record."""
        return dict(self.__dict__)


@dataclass
class Request:
    """A parsed request. ``path`` is the raw (percent-encoded) path without the query."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    target: str
    connection: int
    client_host: str
    scope: str | None = None


@dataclass
class Response:
    """An answer. ``drop_after`` -1 closes without answering; n >= 0 cuts the body at n."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    head: bool = False
    drop_after: int | None = None

    @classmethod
    def json(cls, status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
        """A JSON response with ACR's ``Content-Type``."""
        out = {"Content-Type": JSON_TYPE}
        out.update(headers or {})
        return cls(status, out, json.dumps(payload).encode())

    def sent_body_bytes(self) -> int:
        """How many body bytes will actually go on the wire."""
        if self.head or self.drop_after == -1:
            return 0
        if self.drop_after is not None:
            return min(self.drop_after, len(self.body))
        return len(self.body)


class _BadBody(Exception):
    pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: RegistryHTTPServer
    connection_id = 0

    timeout = 300.0  # idle keep-alive connections are closed after this many seconds

    def setup(self) -> None:
        super().setup()
        self.connection_id = self.server.next_connection_id()
        with contextlib.suppress(OSError):  # e.g. non-TCP sockets
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log."""

    def send_error(
        self, code: int, message: str | None = None, explain: str | None = None
    ) -> None:
        """Protocol-level errors (bad request line, unknown method) as ACR error JSON."""
        self.close_connection = True
        reason = message or HTTPStatus(code).phrase
        body = json.dumps({"errors": [{"code": "UNSUPPORTED" if code in (405, 501) else
                                       "BAD_REQUEST", "message": reason, "detail": explain}]})
        resp = Response(405 if code == 501 else code, {"Content-Type": JSON_TYPE},
                        body.encode())
        self._write(resp, getattr(self, "command", "GET") == "HEAD")

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length_text = self.headers.get("Content-Length")
        if not length_text:
            return b""
        try:
            length = int(length_text)
        except ValueError:
            raise _BadBody("invalid Content-Length") from None
        if length < 0 or length > MAX_BODY:
            raise _BadBody("invalid Content-Length")
        data = self.rfile.read(length)
        if len(data) != length:
            raise _BadBody("truncated body")
        return data

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                raise _BadBody("invalid chunk size") from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(parts)
            total += size
            if total > MAX_BODY:
                raise _BadBody("body too large")
            parts.append(self.rfile.read(size))
            self.rfile.readline(8)

    def _serve(self) -> None:
        try:
            body = self._read_body()
        except _BadBody as exc:
            self.send_error(400, str(exc))
            return
        split = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=split.path,
            query=dict(parse_qsl(split.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            target=self.path,
            connection=self.connection_id,
            client_host=self.client_address[0] if self.client_address else "",
        )
        response = self.server.dispatch(request)
        self._write(response, self.command == "HEAD" or response.head)

    def _write(self, response: Response, head: bool) -> None:
        if response.drop_after == -1:
            self._drop()
            return
        lines = [f"HTTP/1.1 {response.status} {_phrase(response.status)}"]
        headers = dict(response.headers)
        headers.setdefault("Content-Length", str(len(response.body)))
        if self.close_connection:
            headers["Connection"] = "close"
        lines.extend(f"{k}: {v}" for k, v in headers.items())
        payload = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if not head:
            body = response.body
            if response.drop_after is not None:
                body = body[: response.drop_after]
            payload += body
        try:
            self.wfile.write(payload)
            self.wfile.flush()
        except OSError:
            self.close_connection = True
            return
        if response.drop_after is not None:
            self._drop()

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = _serve
    do_OPTIONS = do_TRACE = do_CONNECT = _serve


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class StoppableHTTPServer(ThreadingHTTPServer):
    """Threaded HTTP server that stops at once, idle keep-alive connections included.

    :meth:`serve` accepts in a selector loop that :meth:`stop` wakes at once (``serve_forever``
    would finish its poll interval first), and every accepted connection is tracked from the
    moment it is accepted, so :meth:`stop` can cut idle keep-alive connections too. Subclasses
    may tune accepted sockets in :meth:`configure_connection`.
    """

    daemon_threads = True
    block_on_close = False  # close() joins the connection threads itself, with a deadline
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]
    ) -> None:
        super().__init__(address, handler)
        self.stopping = threading.Event()
        self._guard = threading.Lock()
        self._open: set[Any] = set()
        self._workers: list[threading.Thread] = []
        self._wake_r, self._wake_w = socket.socketpair()

    def configure_connection(self, connection: socket.socket) -> None:
        """Called with every accepted socket before its handler thread starts."""

    def serve(self) -> None:
        """Accept connections until :meth:`stop` (run it in a thread)."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            while not self.stopping.is_set():
                for key, _ in selector.select():
                    if key.fileobj is self.socket and not self.stopping.is_set():
                        self._accept()

    def _accept(self) -> None:
        try:
            connection, address = self.get_request()
        except OSError:
            return
        self.configure_connection(connection)
        worker = threading.Thread(target=self.process_request_thread,
                                  args=(connection, address), daemon=True)
        with self._guard:
            self._open.add(connection)
            self._workers = [w for w in self._workers if w.is_alive()]
            self._workers.append(worker)
        worker.start()

    def shutdown_request(self, request: Any) -> None:
        """Forget a finished connection, then close it."""
        with self._guard:
            self._open.discard(request)
        super().shutdown_request(request)

    def stop(self) -> None:
        """Wake :meth:`serve` so it returns, and cut every open connection."""
        self.stopping.set()
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")
        self.close_connections()

    def close_connections(self) -> None:
        """Shut down every open client connection (their handler threads then exit)."""
        with self._guard:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        """Close the listening socket; wait (briefly) for connection threads to finish."""
        self.server_close()
        self._wake_r.close()
        self._wake_w.close()
        deadline = time.monotonic() + STOP_JOIN_TIMEOUT
        with self._guard:
            workers = list(self._workers)
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))


class RegistryHTTPServer(StoppableHTTPServer):
    """Stoppable threaded server that hands every parsed request to ``dispatch``."""

    def __init__(
        self,
        address: tuple[str, int],
        dispatch: Callable[[Request], Response],
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(address, _Handler)
        self.dispatch = dispatch
        self._ids = itertools.count(1)
        if ssl_context is not None:
            self.socket = ssl_context.wrap_socket(self.socket, server_side=True,
                                                  do_handshake_on_connect=False)

    def next_connection_id(self) -> int:
        """A fresh id for a newly accepted TCP connection."""
        with self._guard:
            return next(self._ids)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Client disconnects and TLS failures are normal in fault tests: stay quiet."""
