"""azure-core policies with safer defaults for talking to a registry that may not behave.

* :class:`BoundedRetryPolicy` obeys ``Retry-After`` up to ``retry_after_max`` seconds: a server
  saying ``100000`` must not put a CI job to sleep for a day.
* :class:`CheckedRedirectPolicy` follows a redirect only to a URL that parses the same way for
  us and for the transport (:mod:`._urls`), rebuilt from its parsed parts.
* :class:`RedactingHttpLoggingPolicy` and :class:`RedactingNetworkTraceLoggingPolicy` log what
  azure-core's do, with every secret the request carried, and anything shaped like a token,
  replaced by ``REDACTED``; a server echoing a token in a header cannot get it into a log.
"""

from __future__ import annotations

import logging
import types
from typing import Any, Iterable, Literal, Optional, Tuple, Union

from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import (
    HttpLoggingPolicy,
    NetworkTraceLoggingPolicy,
    RedirectPolicy,
    RetryPolicy,
)

from ._errors import protocol_error
from ._redaction import REDACTED, redact_header, redact_text, secrets_of
from ._urls import UnsafeURLError, resolve_location

__all__ = [
    "DEFAULT_RETRY_AFTER_MAX",
    "BoundedRetryPolicy",
    "CheckedRedirectPolicy",
    "RedactingHttpLoggingPolicy",
    "RedactingNetworkTraceLoggingPolicy",
]

DEFAULT_RETRY_AFTER_MAX = 60.0
"""Longest ``Retry-After`` obeyed, in seconds, unless ``retry_after_max`` says otherwise."""

# azure-core's network-trace logger, so existing logging configuration keeps working.
_TRACE_LOGGER = logging.getLogger("azure.core.pipeline.policies._universal")


class BoundedRetryPolicy(RetryPolicy):  # type: ignore[type-arg]
    """azure-core's ``RetryPolicy`` with ``Retry-After`` capped at ``retry_after_max`` seconds."""

    def __init__(self, **kwargs: Any) -> None:
        cap = kwargs.pop("retry_after_max", DEFAULT_RETRY_AFTER_MAX)
        if isinstance(cap, bool) or not isinstance(cap, (int, float)) or not cap >= 0:
            raise ValueError(f"retry_after_max must be a number of seconds >= 0, not {cap!r}")
        self.retry_after_max = float(cap)
        super().__init__(**kwargs)

    def get_retry_after(self, response: PipelineResponse[Any, Any]) -> Optional[float]:
        retry_after = super().get_retry_after(response)
        if retry_after is None:
            return None
        return min(max(retry_after, 0.0), self.retry_after_max)


class CheckedRedirectPolicy(RedirectPolicy):  # type: ignore[type-arg]
    """Follow redirects only to unambiguous http(s) URLs (at most 5 hops by default)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("redirect_max", 5)
        super().__init__(**kwargs)

    def get_redirect_location(
        self, response: PipelineResponse[Any, Any]
    ) -> Union[str, Literal[False], None]:
        location = super().get_redirect_location(response)
        if not location:
            return location
        try:
            return resolve_location(location, response.http_request.url)
        except UnsafeURLError as exc:
            error = protocol_error(f"redirect Location refused: {exc}", response.http_response)
        raise error


def _headers(headers: Iterable[Tuple[str, str]], secrets: Iterable[str]) -> str:
    secrets = list(secrets)
    return "".join(
        f"\n    '{name}': '{redact_header(name, value, secrets)}'" for name, value in headers
    )


class RedactingHttpLoggingPolicy(HttpLoggingPolicy):
    """``HttpLoggingPolicy`` (INFO, allow-listed headers) that also redacts allowed values."""

    def on_response(
        self, request: PipelineRequest[Any], response: PipelineResponse[Any, Any]
    ) -> None:
        options = request.context.options
        logger = request.context.setdefault("logger", options.pop("logger", self.logger))
        level = request.context.setdefault(
            "http_logging_level", options.pop("http_logging_level", self.http_logging_level)
        )
        try:
            if not logger.isEnabledFor(level):
                return
            http_response = response.http_response
            secrets = secrets_of(request.http_request)
            shown = (
                (name, self._redact_header(name, value))
                for name, value in http_response.headers.items()
            )
            logger.log(
                level,
                "Response status: %s\nResponse headers:%s",
                http_response.status_code,
                _headers(shown, secrets),
            )
        except Exception:  # logging must never break a request
            logger.warning("Failed to log response.")


def _describe_body(body: Any, secrets: Iterable[str]) -> str:
    secrets = list(secrets)
    if not body:
        return "This request has no body"
    if isinstance(body, (bytes, bytearray)):
        return redact_text(bytes(body).decode("utf-8", errors="replace"), secrets)
    if isinstance(body, str):
        return redact_text(body, secrets)
    if isinstance(body, dict):  # form fields before encoding
        fields = {key: REDACTED if value in secrets else value for key, value in body.items()}
        return redact_text(repr(fields), secrets)
    if isinstance(body, types.GeneratorType) or hasattr(body, "read") or hasattr(body, "__iter__"):
        return "File upload"
    return redact_text(str(body), secrets)


class RedactingNetworkTraceLoggingPolicy(NetworkTraceLoggingPolicy):
    """``NetworkTraceLoggingPolicy`` (``logging_enable=True``, DEBUG) with secrets redacted.

    azure-core's logs raw headers and bodies: the bearer header, the AAD token in the exchange
    form and the ACR tokens in token responses. This one logs the same trace to the same logger.
    """

    def on_request(self, request: PipelineRequest[Any]) -> None:
        http_request = request.http_request
        options = request.context.options
        logging_enable = options.pop("logging_enable", self.enable_http_logger)
        request.context["logging_enable"] = logging_enable
        if not logging_enable or not _TRACE_LOGGER.isEnabledFor(logging.DEBUG):
            return
        try:
            secrets = secrets_of(http_request)
            _TRACE_LOGGER.debug(
                "Request URL: '%s'\nRequest method: '%s'\nRequest headers:%s\nRequest body:\n%s",
                redact_text(http_request.url, secrets),
                http_request.method,
                _headers(http_request.headers.items(), secrets),
                _describe_body(http_request.body, secrets),
            )
        except Exception as err:  # logging must never break a request
            _TRACE_LOGGER.debug("Failed to log request: %s", type(err).__name__)

    def on_response(
        self, request: PipelineRequest[Any], response: PipelineResponse[Any, Any]
    ) -> None:
        if not response.context.get("logging_enable") or not _TRACE_LOGGER.isEnabledFor(
            logging.DEBUG
        ):
            return
        http_response = response.http_response
        try:
            secrets = secrets_of(request.http_request)
            content_type = http_response.headers.get("content-type", "")
            if content_type.endswith("octet-stream"):
                content = "Body contains binary data."
            elif content_type.startswith("image"):
                content = "Body contains image data."
            elif response.context.options.get("stream", False):
                content = "Body is streamable."
            else:
                content = redact_text(http_response.text(), secrets)
            _TRACE_LOGGER.debug(
                "Response status: '%s'\nResponse headers:%s\nResponse content:\n%s",
                http_response.status_code,
                _headers(http_response.headers.items(), secrets),
                content,
            )
        except Exception as err:  # logging must never break a request
            _TRACE_LOGGER.debug("Failed to log response: %s", type(err).__name__)
