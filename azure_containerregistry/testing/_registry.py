"""``LocalRegistry``: an ACR-compatible registry on loopback for tests, samples and users.

It speaks ACR's token protocol and the ``/acr/v1`` and ``/v2`` APIs with the same status codes,
headers and JSON shapes as the recordings in ``tests/recordings``, logs every request
(:class:`RequestRecord`) and can inject latency, failures and dropped connections::

    with LocalRegistry() as registry:
        digest = registry.add_image("library/hello", tags=["latest"])
        credential = registry.credential()
        ...  # point a client at registry.endpoint with credential
        assert registry.requests[0].status == 401
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Callable

from . import _admin, _auth, _routes_acr, _routes_blobs, _routes_v2, _seed
from ._faults import FaultRule, Faults
from ._http import (
    JSON_TYPE,
    STOP_JOIN_TIMEOUT,
    RegistryHTTPServer,
    Request,
    RequestRecord,
    Response,
)
from ._protocol import RegistryError
from ._store import Store, attributes_from_kwargs
from ._throttle import Throttle
from ._tokens import LocalCredential, TokenIssuer

_COMMON_HEADERS = {
    "Access-Control-Expose-Headers":
        "Docker-Content-Digest, WWW-Authenticate, Link, X-Ms-Correlation-Request-Id",
    "Docker-Distribution-Api-Version": "registry/2.0",
    "X-Content-Type-Options": "nosniff",
}
_FAULT_CODES = {429: "TOOMANYREQUESTS", 500: "INTERNAL_SERVER_ERROR", 502: "BAD_GATEWAY",
                503: "SERVICE_UNAVAILABLE", 504: "GATEWAY_TIMEOUT"}


class LocalRegistry:
    """A threaded HTTP/1.1 (keep-alive) registry bound to ``host:port`` (0 = any free port)."""

    def __init__(
        self,
        *,
        anonymous_pull: bool = False,
        certfile: str | None = None,
        keyfile: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        access_token_lifetime: float = 3600.0,
        refresh_token_lifetime: float = 10800.0,
        page_size: int = 100,
        max_page_size: int = 1000,
        storage_redirect: bool = False,
        audiences: Sequence[str] = ("https://containerregistry.azure.net",
                                    "https://management.azure.com"),
        throttle: Throttle | None = None,
    ) -> None:
        self.anonymous_pull = anonymous_pull
        self.access_token_lifetime = access_token_lifetime
        self.refresh_token_lifetime = refresh_token_lifetime
        self.page_size = page_size
        self.max_page_size = max_page_size
        self.storage_redirect = storage_redirect
        self.audiences = tuple(a.rstrip("/") for a in audiences)
        self.latency = 0.0
        self.throttle = throttle  # read/write budgets per minute, answered 429 when spent
        self.store = Store()
        self.issuer = TokenIssuer()
        self.users = _auth.Users()
        self._faults = Faults()
        self._log: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._ssl: ssl.SSLContext | None = None
        if certfile:
            self._ssl = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._ssl.load_cert_chain(certfile, keyfile)
        self._host = host
        self._server = RegistryHTTPServer((host, port), self._dispatch, self._ssl)
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def port(self) -> int:
        """The TCP port the registry listens on."""
        return int(self._server.server_address[1])

    @property
    def endpoint(self) -> str:
        """``http://host:port`` (``https://`` when a certificate is configured)."""
        scheme = "https" if self._ssl else "http"
        return f"{scheme}://{self._host}:{self.port}"

    @property
    def service(self) -> str:
        """Service name used in challenges and tokens, e.g. ``127.0.0.1:5000``."""
        return f"{self._host}:{self.port}"

    @property
    def storage_endpoint(self) -> str:
        """Where blob GETs redirect with ``storage_redirect``: same port, host ``localhost``."""
        scheme = "https" if self._ssl else "http"
        return f"{scheme}://localhost:{self.port}"

    def start(self) -> LocalRegistry:
        """Start serving in a daemon thread (idempotent)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._server.serve,
                                            name=f"LocalRegistry:{self.port}", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving: cut every connection (idle keep-alive ones too) and close the port.

        Returns at once; requests still being answered (e.g. waiting out :attr:`latency`) are
        abandoned, their connections closed.
        """
        self._server.stop()
        if self._thread is not None:
            self._thread.join(timeout=STOP_JOIN_TIMEOUT)
            self._thread = None
        self._server.close()

    def __enter__(self) -> LocalRegistry:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None,
                 exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"LocalRegistry(endpoint={self.endpoint!r})"

    def credential(self) -> LocalCredential:
        """A credential whose AAD-like tokens this registry's ``/oauth2/exchange`` accepts."""
        return LocalCredential(self.issuer)

    def add_user(self, name: str, password: str, scopes: Sequence[str] | None = None) -> None:
        """Let ``name`` sign in with ``password`` (HTTP Basic on ``GET /oauth2/token``).

        :param scopes: what the login may use, e.g. ``["repository:app:pull,push"]`` or
            ``["repository:*:*"]`` (a scope-map token); ``None`` (default) is every scope, as
            for an admin user. Other scopes are refused with ``401 DENIED``.
        :raises ValueError: an empty name or password, or a malformed scope.
        """
        self.users.add(name, password, scopes)

    # -- seeding ---------------------------------------------------------------------------
    def add_image(self, repository: str, tags: Sequence[str] = (), *,
                  architecture: str | None = "amd64", os: str | None = "linux",
                  created_on: datetime | None = None, size: int | None = None,
                  can_delete: bool = True, can_write: bool = True, can_read: bool = True,
                  can_list: bool = True) -> str:
        """Add an OCI image (real config and layer blobs) tagged ``tags``; return its digest."""
        attributes = attributes_from_kwargs(can_delete=can_delete, can_write=can_write,
                                            can_read=can_read, can_list=can_list)
        return _seed.add_image(self.store, repository, list(tags), architecture, os,
                               created_on, size, attributes)

    def add_index(self, repository: str, tags: Sequence[str] = (), *,
                  platforms: Sequence[tuple[str, str]] = (("amd64", "linux"),
                                                          ("arm64", "linux")),
                  created_on: datetime | None = None) -> str:
        """Add one image per platform and an OCI index over them; return the index digest."""
        return _seed.add_index(self.store, repository, list(tags), list(platforms), created_on)

    def add_repository(self, repository: str) -> None:
        """Add a repository with no manifests or tags."""
        _seed.add_repository(self.store, repository)

    def set_attributes(self, repository: str, tag: str | None = None,
                       digest: str | None = None, *, can_delete: bool | None = None,
                       can_write: bool | None = None, can_read: bool | None = None,
                       can_list: bool | None = None) -> None:
        """Set locks on a tag, a manifest or (neither given) the repository."""
        attributes = attributes_from_kwargs(can_delete=can_delete, can_write=can_write,
                                            can_read=can_read, can_list=can_list)
        _seed.set_attributes(self.store, repository, tag, digest, attributes)

    # -- inspection ------------------------------------------------------------------------
    @property
    def requests(self) -> list[RequestRecord]:
        """Logged requests in arrival order (admin routes excluded); a copy."""
        with self._log_lock:
            return list(self._log)

    def clear_requests(self) -> None:
        """Empty the request log."""
        with self._log_lock:
            self._log.clear()

    def upload_sessions(self) -> list[str]:
        """Ids of open blob upload sessions."""
        with self.store.lock:
            return list(self.store.uploads)

    def has_blob(self, repository: str, digest: str) -> bool:
        """Whether ``digest`` is linked to ``repository``."""
        with self.store.lock:
            repo = self.store.repositories.get(repository)
            return repo is not None and digest in repo.blobs

    def get_manifest_bytes(self, repository: str, reference: str) -> bytes | None:
        """The stored bytes of a manifest by tag or digest, or ``None``."""
        with self.store.lock:
            repo = self.store.visible(repository)
            if repo is None:
                return None
            tag = repo.tags.get(reference)
            manifest = repo.manifests.get(tag.digest if tag else reference)
            return manifest.data if manifest else None

    def tags(self, repository: str) -> list[str]:
        """Sorted tag names of ``repository`` (empty if unknown)."""
        with self.store.lock:
            repo = self.store.repositories.get(repository)
            return sorted(repo.tags) if repo else []

    # -- faults ----------------------------------------------------------------------------
    def fail_next(self, count: int = 1, *, status: int = 503,
                  retry_after: float | None = None, method: str | None = None,
                  path_prefix: str | None = None) -> None:
        """Answer the next ``count`` matching requests with ``status`` (and ``Retry-After``)."""
        self._faults.add(FaultRule("fail", count, method, path_prefix, status=status,
                                   retry_after=retry_after))

    def drop_next(self, count: int = 1, *, method: str | None = None,
                  path_prefix: str | None = None, after_bytes: int | None = None) -> None:
        """Close the connection of the next ``count`` matching requests: without answering,
        or after ``after_bytes`` bytes of the response body."""
        self._faults.add(FaultRule("drop", count, method, path_prefix, after_bytes=after_bytes))

    def expire_tokens(self, *, include_aad: bool = False) -> None:
        """Expire every refresh and access token issued so far (and AAD ones if asked)."""
        self.issuer.expire_all(include_aad=include_aad)

    # -- dispatch --------------------------------------------------------------------------
    def _dispatch(self, request: Request) -> Response:
        if request.path.startswith("/_local/"):
            return self._answer(lambda r: _admin.handle(self, r), request)
        if self.latency > 0 and self._server.stopping.wait(self.latency):
            return Response(0, drop_after=-1)  # stopped meanwhile: abandon the request
        rule = self._faults.take(request.method, request.path)
        if rule is not None and rule.kind == "drop" and rule.after_bytes is None:
            response = Response(0, drop_after=-1)
        elif rule is not None and rule.kind == "fail":
            headers = {} if rule.retry_after is None else {"Retry-After": f"{rule.retry_after:g}"}
            code = _FAULT_CODES.get(rule.status, "INJECTED_FAULT")
            response = self._error(RegistryError(rule.status, code, "injected failure", None,
                                                 headers=headers))
        elif self.throttle is not None and (
                refused := self.throttle.refuse(request.method, request.path)):
            response = self._error(refused)
        else:
            response = self._answer(self._route, request)
            if rule is not None:
                response.drop_after = rule.after_bytes
        if request.method == "HEAD":
            response.head = True
        record = RequestRecord(
            method=request.method, path=request.path,
            query=request.query, headers=_redacted(request.headers),
            status=response.status, body_bytes=len(request.body),
            response_bytes=response.sent_body_bytes(), connection=request.connection,
            authorized=request.headers.get("authorization", "")[:7].lower() == "bearer ",
            scope=request.scope,
        )
        with self._log_lock:
            self._log.append(record)
        return response

    def _route(self, request: Request) -> Response:
        path = request.path
        if path.startswith("/acr/v1/"):
            response = _routes_acr.handle(self, request)
        elif path == "/v2" or path.startswith("/v2/"):
            response = _routes_v2.handle(self, request)
        elif path == "/oauth2/exchange":
            return _auth.exchange(self, request)
        elif path == "/oauth2/token":
            return _auth.token(self, request)
        elif path.startswith("/_storage/"):
            return _routes_blobs.storage(self, request, path[len("/_storage/"):])
        else:
            raise RegistryError(404, "NOT_FOUND", "the requested route does not exist", None)
        response.headers.update(_COMMON_HEADERS)
        return response

    def _answer(self, route: Callable[[Request], Response], request: Request) -> Response:
        try:
            return route(request)
        except RegistryError as error:
            return self._error(error)
        except Exception as exc:  # never let a handler bug kill the connection silently
            return self._error(RegistryError(500, "INTERNAL_SERVER_ERROR",
                                             f"local registry bug: {type(exc).__name__}", None))

    @staticmethod
    def _error(error: RegistryError) -> Response:
        headers = {"Content-Type": JSON_TYPE, **_COMMON_HEADERS, **error.headers}
        return Response(error.status, headers, error.body())


def _redacted(headers: dict[str, str]) -> dict[str, str]:
    """Request headers for the log, with credentials replaced (secrets never get logged)."""
    return {k: ("REDACTED" if k in ("authorization", "cookie") else v)
            for k, v in headers.items()}
