"""The one send path: every request of every operation group goes through :class:`Sender`.

It turns the request's URL into a checked absolute one (:mod:`.._urls`), applies the default
timeouts, runs the azure-core pipeline with a streamed response, maps error statuses through
:mod:`.._errors`, and reads bodies only up to a bound, so a server cannot make the client read,
hold or parse more than it asked for.
"""

from __future__ import annotations

import json
from typing import Any, Collection, List, NamedTuple, Optional

from azure.core import PipelineClient
from azure.core.rest import HttpRequest, HttpResponse

from .._errors import protocol_error, raise_for_status
from .._urls import RegistryUrls, UnsafeURLError, parse_strict

__all__ = [
    "DEFAULT_CONNECTION_TIMEOUT",
    "DEFAULT_READ_TIMEOUT",
    "MAX_JSON_BYTES",
    "MAX_SMALL_BODY",
    "Answer",
    "Sender",
    "read_bounded",
]

DEFAULT_CONNECTION_TIMEOUT = 10.0
"""Seconds to wait for a connection, unless ``connection_timeout`` says otherwise."""
DEFAULT_READ_TIMEOUT = 60.0
"""Seconds to wait between bytes of an answer, unless ``read_timeout`` says otherwise."""
MAX_JSON_BYTES = 16 * 1024 * 1024
"""Largest metadata answer read: a page of 1,000 manifests is well under 4 MiB."""
MAX_SMALL_BODY = 64 * 1024
"""Largest body read from an answer that should carry none (upload steps, deletes)."""


class Answer(NamedTuple):
    """A response whose body was read (to its bound) and released."""

    response: HttpResponse
    body: bytes


def _size(limit: int) -> str:
    return f"{limit // 1048576} MiB" if limit % 1048576 == 0 else f"{limit // 1024} KiB"


def read_bounded(response: HttpResponse, limit: int, what: str) -> bytes:
    """Read ``response``'s streamed body, refusing more than ``limit`` bytes; always closes it.

    :raises ~azure.core.exceptions.HttpResponseError: the body is (or says it is) larger.
    """
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise protocol_error(f"{what} is {declared} bytes, over {_size(limit)}", response)
    parts: List[bytes] = []
    received = 0
    try:
        for part in response.iter_bytes():
            received += len(part)
            if received > limit:
                raise protocol_error(f"{what} is over {_size(limit)}", response)
            parts.append(part)
    finally:
        response.close()
    return b"".join(parts)


class Sender:
    """Sends requests for one registry through ``client``'s pipeline.

    :param client: an azure-core pipeline client; request URLs given to it are always absolute.
    :param urls: the registry's URL builder; relative request URLs are resolved with it.
    :keyword connection_timeout: default seconds to connect (a call's own keyword wins).
    :keyword read_timeout: default seconds between bytes (a call's own keyword wins).
    """

    def __init__(
        self,
        client: PipelineClient[Any, Any],
        urls: RegistryUrls,
        *,
        connection_timeout: float = DEFAULT_CONNECTION_TIMEOUT,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
    ) -> None:
        self._client = client
        self.urls = urls
        self._timeouts = {"connection_timeout": connection_timeout, "read_timeout": read_timeout}

    def send(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """Send ``request`` and return the response with its body unread (streamed).

        A registry-relative URL (``/acr/v1/...``) is resolved against the registry; an absolute
        one (an upload ``Location``, a storage URL) must parse unambiguously.
        """
        try:
            if request.url.startswith("/"):
                path, _, query = request.url.partition("?")
                request.url = self.urls.url(path, query)
            else:
                request.url = parse_strict(request.url).url
        except UnsafeURLError as exc:
            raise ValueError(f"refusing to send a request to an unsafe URL: {exc}") from None
        for name, value in self._timeouts.items():
            if kwargs.get(name) is None:
                kwargs[name] = value
        response: HttpResponse = self._client.send_request(request, stream=True, **kwargs)
        return response

    def call(
        self,
        request: HttpRequest,
        *,
        ok: Collection[int] = (200,),
        limit: int = MAX_SMALL_BODY,
        what: str = "",
        **kwargs: Any,
    ) -> Answer:
        """Send ``request``, check the status, read the body up to ``limit`` bytes.

        :raises ~azure.core.exceptions.HttpResponseError: another status, or a larger body.
        """
        response = self.send(request, **kwargs)
        raise_for_status(response, ok=ok, what=what)
        return Answer(response, read_bounded(response, limit, what or "answer"))

    def call_if_exists(
        self, request: HttpRequest, *, ok: Collection[int] = (200,), what: str = "", **kwargs: Any
    ) -> Optional[Answer]:
        """Like :meth:`call`, but a 404 (the resource is already gone) gives None."""
        response = self.send(request, **kwargs)
        if not raise_for_status(response, ok=ok, missing_ok=True, what=what):
            return None
        return Answer(response, read_bounded(response, MAX_SMALL_BODY, what or "answer"))

    def json(
        self,
        request: HttpRequest,
        *,
        ok: Collection[int] = (200,),
        what: str = "answer",
        **kwargs: Any,
    ) -> tuple[Any, HttpResponse]:
        """Like :meth:`call` (up to 16 MiB), and parse the body as JSON (empty is ``{}``).

        :raises ~azure.core.exceptions.HttpResponseError: also when the body is not JSON.
        """
        response = self.send(request, **kwargs)
        raise_for_status(response, ok=ok, what=what)
        body = read_bounded(response, MAX_JSON_BYTES, what)
        if not body.strip():
            return {}, response
        try:
            return json.loads(body), response
        except (ValueError, RecursionError):
            error = protocol_error(f"{what} is not valid JSON", response)
        raise error

    def close(self) -> None:
        """Close the pipeline's transport (every pooled connection)."""
        self._client.close()
