"""Network-trace logging that never shows a token.

azure-core's ``NetworkTraceLoggingPolicy`` (``logging_enable=True``) logs raw headers and bodies
at DEBUG: the bearer header, the AAD token in the exchange form and the ACR tokens in the token
responses. :class:`RedactingNetworkTraceLoggingPolicy` logs the same trace to the same logger with
those values replaced by ``REDACTED``.
"""

from __future__ import annotations

import logging
import re
import types
from typing import Any, Iterable, Tuple

from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import NetworkTraceLoggingPolicy

__all__ = ["REDACTED", "RedactingNetworkTraceLoggingPolicy", "redact_header", "redact_text"]

REDACTED = "REDACTED"

# azure-core's network-trace logger, so existing logging configuration keeps working.
_LOGGER = logging.getLogger("azure.core.pipeline.policies._universal")

_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
_SECRET_FIELDS = r"access_token|refresh_token|password|client_secret|assertion|id_token"
_SECRET_FIELD_NAME = re.compile(rf"(?i){_SECRET_FIELDS}")
# name=value in a form body or query string.
_FORM_FIELD = re.compile(rf"(?i)(?<![\w%])({_SECRET_FIELDS})=[^&\s'\"]*")
# "name": "value" in a JSON body.
_JSON_FIELD = re.compile(rf'(?i)("(?:{_SECRET_FIELDS})"\s*:\s*)"(?:[^"\\]|\\.)*"')
# Anything shaped like a JWT, wherever it appears.
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
# Bearer/Basic credentials written out in free text.
_AUTH_VALUE = re.compile(r"(?i)\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+")


def redact_text(text: str) -> str:
    """Replace token values in a URL, form, JSON or free text with ``REDACTED``."""
    text = _FORM_FIELD.sub(rf"\1={REDACTED}", text)
    text = _JSON_FIELD.sub(rf'\1"{REDACTED}"', text)
    text = _AUTH_VALUE.sub(rf"\1 {REDACTED}", text)
    return _JWT.sub(REDACTED, text)


def redact_header(name: str, value: str) -> str:
    """Return ``value`` as safe to log for header ``name``."""
    if name.lower() in _SECRET_HEADERS:
        scheme, _, _ = value.partition(" ")
        return f"{scheme} {REDACTED}" if scheme.lower() in ("bearer", "basic") else REDACTED
    return redact_text(value)


def _format_headers(headers: Iterable[Tuple[str, str]]) -> str:
    return "".join(f"\n    '{name}': '{redact_header(name, value)}'" for name, value in headers)


def _describe_body(body: Any) -> str:
    if not body:
        return "This request has no body"
    if isinstance(body, (bytes, bytearray)):
        return redact_text(bytes(body).decode("utf-8", errors="replace"))
    if isinstance(body, str):
        return redact_text(body)
    if isinstance(body, dict):  # form fields before encoding
        fields = {
            key: REDACTED if _SECRET_FIELD_NAME.fullmatch(str(key)) else value
            for key, value in body.items()
        }
        return redact_text(repr(fields))
    if isinstance(body, types.GeneratorType) or hasattr(body, "read") or hasattr(body, "__iter__"):
        return "File upload"
    return redact_text(str(body))


class RedactingNetworkTraceLoggingPolicy(NetworkTraceLoggingPolicy):
    """``NetworkTraceLoggingPolicy`` with secrets redacted from headers, URLs and bodies.

    Enabled like the original, per client or per call, with ``logging_enable=True``.
    """

    def on_request(self, request: PipelineRequest[Any]) -> None:
        http_request = request.http_request
        options = request.context.options
        logging_enable = options.pop("logging_enable", self.enable_http_logger)
        request.context["logging_enable"] = logging_enable
        if not logging_enable or not _LOGGER.isEnabledFor(logging.DEBUG):
            return
        try:
            _LOGGER.debug(
                "Request URL: '%s'\nRequest method: '%s'\nRequest headers:%s\nRequest body:\n%s",
                redact_text(http_request.url),
                http_request.method,
                _format_headers(http_request.headers.items()),
                _describe_body(http_request.body),
            )
        except Exception as err:  # logging must never break a request
            _LOGGER.debug("Failed to log request: %s", type(err).__name__)

    def on_response(
        self, request: PipelineRequest[Any], response: PipelineResponse[Any, Any]
    ) -> None:
        if not response.context.get("logging_enable") or not _LOGGER.isEnabledFor(logging.DEBUG):
            return
        http_response = response.http_response
        try:
            content_type = http_response.headers.get("content-type", "")
            if content_type.endswith("octet-stream"):
                content = "Body contains binary data."
            elif content_type.startswith("image"):
                content = "Body contains image data."
            elif response.context.options.get("stream", False):
                content = "Body is streamable."
            else:
                content = redact_text(http_response.text())
            _LOGGER.debug(
                "Response status: '%s'\nResponse headers:%s\nResponse content:\n%s",
                http_response.status_code,
                _format_headers(http_response.headers.items()),
                content,
            )
        except Exception as err:  # logging must never break a request
            _LOGGER.debug("Failed to log response: %s", type(err).__name__)
