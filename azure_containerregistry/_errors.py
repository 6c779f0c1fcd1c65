"""Turn a registry response into azure-core's exception vocabulary.

ACR answers errors with ``{"errors": [{"code": ..., "message": ..., "detail": ...}]}``; the
codes and messages go into the exception text so a log line says what the registry refused.
Token text never reaches an exception: only the error body's ``code`` and ``message`` are used.
"""

from __future__ import annotations

import json
from typing import Any, Collection, NoReturn

from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ResourceExistsError,
    ResourceNotFoundError,
)
from azure.core.pipeline.transport import HttpResponse as LegacyHttpResponse
from azure.core.rest import HttpResponse

__all__ = ["DigestValidationError", "raise_for_status", "raise_response_error"]

_EXCEPTIONS: dict[int, type[HttpResponseError]] = {
    401: ClientAuthenticationError,
    404: ResourceNotFoundError,
    409: ResourceExistsError,
}


class DigestValidationError(ValueError):
    """Content does not match its digest: a manifest or blob was altered or truncated."""


def _error_text(body: bytes) -> str:
    """Render ACR's ``errors[]`` as ``CODE: message`` lines; other bodies are not echoed."""
    try:
        document: Any = json.loads(body)
    except ValueError:
        return ""
    if not isinstance(document, dict):
        return ""
    errors = document.get("errors")
    if not isinstance(errors, list):
        return ""
    parts = []
    for error in errors:
        if isinstance(error, dict):
            parts.append(f"{error.get('code', 'UNKNOWN')}: {error.get('message', '')}".strip())
    return "; ".join(parts)


def raise_response_error(response: HttpResponse | LegacyHttpResponse) -> NoReturn:
    """Raise the azure-core exception for a failed ``response``.

    :raises ~azure.core.exceptions.HttpResponseError: or its 401/404/409 subclasses.
    """
    status = response.status_code
    try:
        body = response.read() if isinstance(response, HttpResponse) else response.body()
    except Exception:  # a broken stream must not hide the status
        body = b""
    detail = _error_text(body)
    reason = response.reason or ""
    message = f"({status}) {detail or reason}".rstrip()
    exception_type = _EXCEPTIONS.get(status, HttpResponseError)
    raise exception_type(message=message, response=response)


def raise_for_status(
    response: HttpResponse | LegacyHttpResponse,
    *,
    ok: Collection[int] = (200,),
    missing_ok: bool = False,
) -> bool:
    """Check ``response``: return True on an ``ok`` status, False on a tolerated 404.

    :param ok: statuses that mean success.
    :param missing_ok: treat 404 as "already gone" (deletes are idempotent).
    :returns: whether the resource existed.
    :raises ~azure.core.exceptions.HttpResponseError: for any other status.
    """
    if response.status_code in ok:
        return True
    if missing_ok and response.status_code == 404:
        return False
    raise_response_error(response)
