"""A hostile registry on loopback: it signs clients in like ACR, then answers whatever a test says.

:class:`HostileServer` is a small threaded HTTP/1.1 server (standard library only) that

* speaks just enough of ACR's token protocol for our client to sign in: API requests without
  ``Authorization: Bearer <access token>`` get a ``401`` challenge, ``POST /oauth2/exchange``
  trades :meth:`HostileServer.credential`'s AAD token for a refresh token and ``POST /oauth2/token``
  trades that for the access token. All three are distinctive secrets (opaque by default, so
  redaction cannot lean on them looking like JWTs);
* hands every other authorized request to ``handler(method, target, headers, body)``, which returns
  an :class:`Answer`: a status, headers and a body of bytes or an iterator of bytes (streamed,
  possibly endless), or a dropped connection. The token routes can be scripted the same way;
* records every request (:class:`Seen`: method, target, headers with ``Authorization``, body,
  status, and how many body bytes went out before the client hung up);
* stops at once, idle keep-alive connections and endless answers included.

A second instance with ``auth=False`` serves as the attacker's sink: anything that reaches it is
on record::

    with HostileServer() as registry, HostileServer(auth=False) as sink:
        link = f'<http://127.0.0.1:{sink.port}/acr/v1/_catalog>; rel="next"'
        registry.handler = routes({("GET", "/acr/v1/_catalog"): Answer.json(
            {"repositories": ["a"]}, headers=[("Link", link)])})
        with client_for(registry) as client, pytest.raises(HttpResponseError):
            list(client.list_repository_names())
        assert sink.requests == []

``tests/conftest.py`` has them as fixtures: ``hostile``, ``sink`` and ``hostile_client``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import secrets
import socket
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from types import TracebackType
from typing import Any, Callable, Union
from urllib.parse import parse_qsl, unquote, urlsplit

from azure.core.credentials import AccessToken, AccessTokenInfo
from azure.core.pipeline.transport import RequestsTransport

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry.testing._http import StoppableHTTPServer

__all__ = [
    "Answer",
    "HostileServer",
    "MiB",
    "RecordingTransport",
    "Route",
    "SecretCredential",
    "Seen",
    "acr_error",
    "client_for",
    "jwt_secret",
    "opaque_secret",
    "repeat_bytes",
    "routes",
    "scope_for",
]

MiB = 1024 * 1024
_MAX_REQUEST_BODY = 64 * MiB
_JOIN_TIMEOUT = 2.0

Headers = Union[Mapping[str, str], Sequence[tuple[str, str]]]
Body = Union[bytes, Iterable[bytes]]
Route = Callable[[str, str, Mapping[str, str], bytes], "Answer"]
"""``(method, target, headers, body) -> Answer``; ``target`` is the path with its query,
``headers`` have lower-case names."""


def opaque_secret(kind: str) -> str:
    """A distinctive token that is not a JWT, e.g. ``SECRET-ACCESS-<32 hex>``."""
    return f"SECRET-{kind.upper()}-{secrets.token_hex(16)}"


def jwt_secret(kind: str, lifetime: float = 3600.0) -> str:
    """A JWT-shaped token with an ``exp`` (so clients cache it) and a random, distinctive id."""

    def b64(data: dict[str, Any]) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    payload = {"exp": int(time.time() + lifetime), "jti": opaque_secret(kind)}
    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(payload)}.{secrets.token_hex(16)}"


def repeat_bytes(total: int, block: bytes = b"\0" * 65536) -> Iterator[bytes]:
    """``total`` bytes of ``block`` repeated, lazily: an 'endless' body that still ends."""
    sent = 0
    while sent < total:
        piece = block[: total - sent]
        sent += len(piece)
        yield piece


@dataclass
class Answer:
    """What the server answers.

    ``body`` is bytes (sent with ``Content-Length`` unless ``headers`` set framing) or an iterable
    of bytes, streamed with ``Transfer-Encoding: chunked`` unless ``headers`` give a
    ``Content-Length`` (which may lie). ``drop`` closes the connection without answering.
    """

    status: int = 200
    headers: Headers = ()
    body: Body = b""
    drop: bool = False

    @classmethod
    def json(cls, payload: Any, status: int = 200, headers: Headers = ()) -> Answer:
        """``payload`` as ``application/json``."""
        return cls(status, [("Content-Type", "application/json"), *_pairs(headers)],
                   json.dumps(payload).encode())

    @classmethod
    def text(cls, text: str, status: int = 200, headers: Headers = (),
             content_type: str = "text/plain") -> Answer:
        """``text`` as UTF-8 with ``content_type``."""
        return cls(status, [("Content-Type", content_type), *_pairs(headers)], text.encode())

    @classmethod
    def dropped(cls) -> Answer:
        """Close the connection without a word."""
        return cls(0, drop=True)

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (any case), or None."""
        return next((v for k, v in _pairs(self.headers) if k.lower() == name.lower()), None)


def _pairs(headers: Headers) -> list[tuple[str, str]]:
    return list(headers.items()) if isinstance(headers, Mapping) else list(headers)


def routes(table: Mapping[tuple[str, str], Answer | Route], fallback: Route | None = None) -> Route:
    """A handler answering ``(method, path)`` (query ignored) from ``table``; else ``fallback``,
    else ACR's 404. A table value is an :class:`Answer` or a handler of its own. Paths match as
    sent or percent-decoded (``/v2/app/blobs/sha256:...`` matches ``sha256%3A...``)."""

    def handle(method: str, target: str, headers: Mapping[str, str], body: bytes) -> Answer:
        path = urlsplit(target).path
        entry = table.get((method, path)) or table.get((method, unquote(path)))
        if isinstance(entry, Answer):
            return entry
        if entry is not None:
            return entry(method, target, headers, body)
        if fallback is not None:
            return fallback(method, target, headers, body)
        return acr_error(404, "NAME_UNKNOWN", "no such route on the hostile registry")

    return handle


def acr_error(status: int, code: str, message: str, headers: Headers = ()) -> Answer:
    """ACR's error body: ``{"errors": [{"code": ..., "message": ...}]}``."""
    return Answer.json({"errors": [{"code": code, "message": message}]}, status, headers)


@dataclass
class Seen:
    """One request as the server saw it, and what became of the answer.

    ``kind`` is ``"api"`` (given to the handler), ``"challenge"`` (refused for want of the access
    token), ``"probe"`` (an authorized ``GET /v2/``), ``"exchange"`` or ``"token"``. ``sent`` counts
    the answer's body bytes the client accepted before the answer ended or the connection broke.
    """

    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    kind: str = "api"
    status: int = 0
    sent: int = 0
    finished: bool = False

    @property
    def path(self) -> str:
        """The target without its query (still percent-encoded)."""
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, str]:
        """The query parameters (last value wins)."""
        return dict(parse_qsl(urlsplit(self.target).query, keep_blank_values=True))

    @property
    def authorization(self) -> str | None:
        """The ``Authorization`` header sent, if any."""
        return self.headers.get("authorization")

    @property
    def form(self) -> dict[str, str]:
        """The body read as an urlencoded form."""
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))


class SecretCredential:
    """A ``TokenCredential`` whose AAD token is a fixed, distinctive secret."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.calls = 0

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        """The secret, valid for an hour."""
        self.calls += 1
        return AccessToken(self.token, int(time.time()) + 3600)

    def get_token_info(self, *scopes: str, options: Any = None) -> AccessTokenInfo:
        """The secret, valid for an hour (the ``SupportsTokenInfo`` protocol)."""
        self.calls += 1
        return AccessTokenInfo(self.token, int(time.time()) + 3600)

    def close(self) -> None:
        """Nothing to release."""

    def __repr__(self) -> str:
        return f"SecretCredential(calls={self.calls})"


class RecordingTransport(RequestsTransport):  # type: ignore[misc]
    """azure-core's ``RequestsTransport`` that records each ``send``'s keyword arguments and each
    ``sleep`` (retry back-off, ``Retry-After``) instead of sleeping."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sends: list[tuple[str, dict[str, Any]]] = []
        self.slept: list[float] = []

    def send(self, request: Any, **kwargs: Any) -> Any:
        """Record ``(url, kwargs)``, then send for real."""
        self.sends.append((request.url, dict(kwargs)))
        return super().send(request, **kwargs)

    def sleep(self, duration: float) -> None:
        """Record the pause; do not take it."""
        self.slept.append(duration)


_V2_KINDS = ("blobs", "manifests", "tags")


def scope_for(method: str, path: str) -> str:
    """The scope ACR would challenge ``method path`` with (see PROTOCOL.md section 1.1)."""
    parts = path.split("/")
    if path.startswith("/acr/v1/") and len(parts) > 3 and parts[3] != "_catalog":
        action = {"GET": "metadata_read", "HEAD": "metadata_read", "PATCH": "metadata_write",
                  "DELETE": "delete"}.get(method, "metadata_write")
        return f"repository:{unquote(parts[3])}:{action}"
    if path.startswith("/v2/") and len(parts) > 3:
        segments = parts[2:]
        cut = max(i for i, s in enumerate(segments) if s in _V2_KINDS or i == 0)
        name = "/".join(segments[:cut] or segments[:1])
        action = {"GET": "pull", "HEAD": "pull", "DELETE": "delete"}.get(method, "pull,push")
        return f"repository:{unquote(name)}:{action}"
    return "registry:catalog:*"


class HostileServer:
    """The scripted registry (see the module docstring). Start with ``with`` or :meth:`start`.

    :param handler: answers authorized API requests; None answers ACR's 404 to everything.
    :param auth: challenge API requests that lack the access token (False for a sink).
    :param access_token: the ``/oauth2/token`` answer (``opaque_secret("access")`` by default).
    :param refresh_token: the ``/oauth2/exchange`` answer.
    :param aad_token: the AAD token of :meth:`credential`, which ``/oauth2/exchange`` requires.
    :param port: TCP port on 127.0.0.1 (0: any free one).
    :param send_buffer: the server socket's send buffer, kept small so :attr:`Seen.sent` is close
        to what the client actually read.
    """

    def __init__(
        self,
        handler: Route | None = None,
        *,
        auth: bool = True,
        access_token: str | None = None,
        refresh_token: str | None = None,
        aad_token: str | None = None,
        port: int = 0,
        send_buffer: int = 128 * 1024,
    ) -> None:
        self.handler = handler
        self.exchange_handler: Route | None = None
        self.token_handler: Route | None = None
        self.auth = auth
        self.access_token = access_token or opaque_secret("access")
        self.refresh_token = refresh_token or opaque_secret("refresh")
        self.aad_token = aad_token or opaque_secret("aad")
        self.send_buffer = send_buffer
        self._log: list[Seen] = []
        self._lock = threading.Condition()
        self._active = 0
        self._server = _Server(("127.0.0.1", port), self)
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> HostileServer:
        """Serve in a daemon thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._server.serve, daemon=True,
                                            name=f"HostileServer:{self.port}")
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, cut every connection (endless answers too) and close the port."""
        self._server.stop()
        if self._thread is not None:
            self._thread.join(_JOIN_TIMEOUT)
            self._thread = None
        self._server.close()

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self._server.server_address[1])

    @property
    def endpoint(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def service(self) -> str:
        """The service name its challenges carry, ``127.0.0.1:<port>`` (ACR: its host)."""
        return f"127.0.0.1:{self.port}"

    @property
    def secrets(self) -> tuple[str, str, str]:
        """``(aad_token, refresh_token, access_token)``: what must never leak."""
        return self.aad_token, self.refresh_token, self.access_token

    def credential(self) -> SecretCredential:
        """A credential whose AAD token :attr:`aad_token` this server's exchange accepts."""
        return SecretCredential(self.aad_token)

    def challenge(self, scope: str | None = None, **extra: str) -> str:
        """A ``WWW-Authenticate`` value as ACR sends it, plus ``extra`` parameters."""
        value = f'Bearer realm="{self.endpoint}/oauth2/token",service="{self.service}"'
        if scope is not None:
            value += f',scope="{scope}"'
        return value + "".join(f',{key}="{text}"' for key, text in extra.items())

    # -- inspection ---------------------------------------------------------------------------
    @property
    def requests(self) -> list[Seen]:
        """Every request so far, in arrival order (a copy of the list)."""
        with self._lock:
            return list(self._log)

    @property
    def api_requests(self) -> list[Seen]:
        """The requests that reached :attr:`handler`."""
        return [seen for seen in self.requests if seen.kind == "api"]

    @property
    def body_bytes_sent(self) -> int:
        """Answer body bytes the server got out, over every request."""
        return sum(seen.sent for seen in self.requests)

    def clear(self) -> None:
        """Forget the requests seen so far."""
        with self._lock:
            self._log.clear()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until no answer is being written; False if some still was after ``timeout``."""
        with self._lock:
            return self._lock.wait_for(lambda: self._active == 0, timeout)

    # -- serving (called from the connection threads) -----------------------------------------
    def _record(self, seen: Seen) -> None:
        with self._lock:
            self._log.append(seen)
            self._active += 1

    def _finish(self, seen: Seen) -> None:
        with self._lock:
            seen.finished = True
            self._active -= 1
            self._lock.notify_all()

    def _answer(self, seen: Seen) -> Answer:
        path = seen.path
        if path == "/oauth2/exchange":
            seen.kind = "exchange"
            return (self.exchange_handler or self._exchange)(
                seen.method, seen.target, seen.headers, seen.body)
        if path == "/oauth2/token":
            seen.kind = "token"
            return (self.token_handler or self._token)(
                seen.method, seen.target, seen.headers, seen.body)
        if self.auth and seen.authorization != f"Bearer {self.access_token}":
            seen.kind = "challenge"
            scope = None if path in ("/v2", "/v2/") else scope_for(seen.method, path)
            return acr_error(401, "UNAUTHORIZED", "authentication required",
                             [("WWW-Authenticate", self.challenge(scope))])
        if path in ("/v2", "/v2/") and self.auth:
            seen.kind = "probe"
            return Answer.json({})
        if self.handler is None:
            return acr_error(404, "NAME_UNKNOWN", "no such route on the hostile registry")
        return self.handler(seen.method, seen.target, seen.headers, seen.body)

    def _exchange(self, method: str, target: str, headers: Mapping[str, str],
                  body: bytes) -> Answer:
        form = dict(parse_qsl(body.decode("utf-8", "replace")))
        if form.get("grant_type") != "access_token" or form.get("access_token") != self.aad_token:
            return acr_error(401, "UNAUTHORIZED", "invalid AAD access token")
        return Answer.json({"refresh_token": self.refresh_token})

    def _token(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Answer:
        form = dict(parse_qsl(body.decode("utf-8", "replace")))
        if form.get("refresh_token") != self.refresh_token:
            return acr_error(401, "UNAUTHORIZED", "invalid refresh token")
        return Answer.json({"access_token": self.access_token})


def client_for(server: HostileServer, **kwargs: Any) -> ContainerRegistryClient:
    """Our client signed in to ``server`` with its secret credential; retries off unless given."""
    kwargs.setdefault("retry_total", 0)
    return ContainerRegistryClient(server.endpoint, server.credential(), **kwargs)


class _Server(StoppableHTTPServer):
    """LocalRegistry's stoppable server, with small send buffers so byte counts stay honest."""

    def __init__(self, address: tuple[str, int], owner: HostileServer) -> None:
        super().__init__(address, _Handler)
        self.owner = owner

    def configure_connection(self, connection: socket.socket) -> None:
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, self.owner.send_buffer)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up on a hostile server is the normal case: stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """No access log on stderr."""

    def _serve(self) -> None:
        owner = self.server.owner
        try:
            body = self._read_body()
        except ValueError:
            self.send_error(400, "unreadable body")
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        seen = Seen(self.command, self.path, headers, body)
        owner._record(seen)
        try:
            try:
                answer = owner._answer(seen)
            except Exception as exc:  # a test's handler bug: say so instead of hanging up
                answer = Answer.text(f"handler raised {type(exc).__name__}: {exc}", 500)
            seen.status = answer.status
            self._write(answer, seen)
        finally:
            owner._finish(seen)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts: list[bytes] = []
            while True:
                size = int(self.rfile.readline(1024).split(b";")[0].strip() or b"x", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                if size + sum(map(len, parts)) > _MAX_REQUEST_BODY:
                    raise ValueError("body too large")
                parts.append(self.rfile.read(size))
                self.rfile.readline(8)
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 <= length <= _MAX_REQUEST_BODY:
            raise ValueError("bad Content-Length")
        return self.rfile.read(length)

    def _write(self, answer: Answer, seen: Seen) -> None:
        if answer.drop:
            self._hang_up()
            return
        headers = _pairs(answer.headers)
        names = {name.lower() for name, _ in headers}
        framed = bool(names & {"content-length", "transfer-encoding"})
        body = answer.body
        pieces: Iterable[bytes] = [bytes(body)] if isinstance(body, (bytes, bytearray)) else body
        chunked = not isinstance(body, (bytes, bytearray)) and not framed
        if chunked:
            headers.append(("Transfer-Encoding", "chunked"))
        elif isinstance(body, (bytes, bytearray)) and not framed:
            headers.append(("Content-Length", str(len(body))))
        if any(n.lower() == "connection" and v.lower() == "close" for n, v in headers):
            self.close_connection = True
        status = f"HTTP/1.1 {answer.status} {_phrase(answer.status)}\r\n"
        head = status + "".join(f"{name}: {value}\r\n" for name, value in headers) + "\r\n"
        if self.command == "HEAD":
            pieces = []
        try:
            self.wfile.write(head.encode("latin-1"))
            for piece in pieces:
                if self.server.stopping.is_set():
                    raise ConnectionAbortedError("server stopping")
                if not piece:
                    continue
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
                seen.sent += len(piece)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except OSError:
            self._hang_up()
        finally:
            close = getattr(pieces, "close", None)
            if callable(close):
                close()

    def _hang_up(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
