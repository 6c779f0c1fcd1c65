"""The one place where a registry response becomes an exception.

Every error raised for a response is an azure-core exception (401 ``ClientAuthenticationError``,
404 ``ResourceNotFoundError``, 409 ``ResourceExistsError``, else ``HttpResponseError``) whose
text is built here and redacted here:

* only ACR's ``errors[].code`` and ``.message`` are quoted, shortened; other bodies never are;
* any secret the request carried (its bearer token, token-form fields) and anything shaped like
  a token is replaced by ``REDACTED``;
* the error's ``error`` is set to the parsed code and message, which also stops azure-core from
  appending the raw body to ``str(error)``.

A 404 means "no such item" only when the registry says so with an item-unknown error code
(:data:`UNKNOWN_ITEM_CODES`). A 404 on an ``/acr/`` route without one means the route itself is
missing: the registry does not offer ACR's metadata API (a CNCF distribution registry, say), and
that is raised as :class:`MetadataApiUnavailableError`, never taken for "already gone".

The body of an error response is read to at most 64 KiB.
"""

from __future__ import annotations

import json
from typing import Any, Collection, List, NoReturn, Optional
from urllib.parse import urlsplit

from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ODataV4Format,
    ResourceExistsError,
    ResourceNotFoundError,
    ResponseNotReadError,
)
from azure.core.rest import HttpResponse

from ._redaction import redact_text, secrets_of

__all__ = [
    "UNKNOWN_ITEM_CODES",
    "DigestValidationError",
    "MetadataApiUnavailableError",
    "protocol_error",
    "raise_for_status",
    "raise_response_error",
    "response_error",
]

_EXCEPTIONS: dict[int, type[HttpResponseError]] = {
    401: ClientAuthenticationError,
    404: ResourceNotFoundError,
    409: ResourceExistsError,
}
_MAX_ERROR_BODY = 64 * 1024
_MAX_QUOTED = 300  # characters of one quoted server message
_MAX_ERRORS = 5

UNKNOWN_ITEM_CODES = frozenset({
    "NAME_UNKNOWN", "TAG_UNKNOWN", "MANIFEST_UNKNOWN", "BLOB_UNKNOWN", "BLOB_UPLOAD_UNKNOWN",
})  # fmt: skip
"""Error codes (ACR's and the OCI spec's) by which a registry says an item is unknown."""

METADATA_API_UNAVAILABLE = "METADATA_API_UNAVAILABLE"
"""The ``error.code`` of :class:`MetadataApiUnavailableError`."""


class DigestValidationError(ValueError):
    """Content does not match its digest: a manifest or blob was altered or truncated."""


class MetadataApiUnavailableError(HttpResponseError):
    """The registry has no ACR metadata API (``/acr/v1``): it is not an Azure Container Registry.

    Listing, reading, updating and deleting repositories and tags need that API; OCI content
    (blobs and manifests by digest, on ``/v2``) still works. It is deliberately not a
    :class:`~azure.core.exceptions.ResourceNotFoundError`, so code that takes "not found" for
    "already gone" cannot swallow it. ``status_code`` is the registry's (404) and
    ``error.code`` is ``"METADATA_API_UNAVAILABLE"``.
    """


def _read_prefix(response: HttpResponse) -> bytes:
    """Up to 64 KiB of the body; a streamed body is not read further, and is closed."""
    try:
        return response.content[:_MAX_ERROR_BODY]
    except ResponseNotReadError:
        pass
    parts: List[bytes] = []
    received = 0
    try:
        for part in response.iter_bytes():
            parts.append(part)
            received += len(part)
            if received >= _MAX_ERROR_BODY:
                break
    except Exception:  # a broken stream must not hide the status
        pass
    finally:
        response.close()
    return b"".join(parts)[:_MAX_ERROR_BODY]


def _access(detail: Any) -> str:
    """`` (needs repository:app:pull)`` from a 401's ``detail``: the access that was refused."""
    if not isinstance(detail, list):
        return ""
    needed = []
    for entry in detail[:_MAX_ERRORS]:
        if isinstance(entry, dict):
            parts = [entry.get(key, entry.get(key.lower())) for key in ("Type", "Name", "Action")]
            if all(isinstance(part, str) and part for part in parts):
                needed.append(":".join(str(part) for part in parts)[:_MAX_QUOTED])
    return f" (needs {', '.join(needed)})" if needed else ""


def _acr_errors(body: bytes) -> List[tuple[str, str]]:
    """``(code, message)`` of ACR's ``{"errors": [...]}``; nothing for any other body.

    A refused access's ``detail`` (type, name, action) is named after the message, so a scoped
    token used outside its scope says which scope was missing.
    """
    try:
        document: Any = json.loads(body)
    except (ValueError, RecursionError):
        return []
    errors = document.get("errors") if isinstance(document, dict) else None
    if not isinstance(errors, list):
        return []
    found = []
    for error in errors[:_MAX_ERRORS]:
        if isinstance(error, dict):
            code, message = error.get("code"), error.get("message")
            found.append((
                code[:_MAX_QUOTED] if isinstance(code, str) else "UNKNOWN",
                (message[:_MAX_QUOTED] if isinstance(message, str) else "")
                + _access(error.get("detail")),
            ))  # fmt: skip
    return found


def _build(
    kind: type[HttpResponseError], message: str, code: str, response: Optional[HttpResponse]
) -> HttpResponseError:
    secrets = secrets_of(response.request) if response is not None else []
    message = redact_text(message, secrets)
    error = kind(message=message)  # no response here: azure-core would parse and echo the body
    if response is not None:
        error.response = response
        error.status_code = response.status_code
        error.reason = response.reason
    error.error = ODataV4Format({"error": {"code": redact_text(code, secrets), "message": message}})
    return error


def _is_acr_route(response: HttpResponse) -> bool:
    try:
        return urlsplit(response.request.url).path.startswith("/acr/")
    except (AttributeError, ValueError):
        return False


def _error_from(
    response: HttpResponse, errors: List[tuple[str, str]], what: str
) -> HttpResponseError:
    status = response.status_code
    detail = "; ".join(f"{code}: {message}".rstrip(": ") for code, message in errors)
    message = f"({status}) {detail or response.reason or ''}".rstrip()
    prefix = f"{what} failed: " if what else ""
    if status == 404 and _is_acr_route(response) and not _says_unknown(errors):
        message = (
            f"{prefix}({status}) this registry does not offer ACR's metadata API (/acr/v1): it is"
            " probably not an Azure Container Registry. Listing, reading, updating and deleting"
            " repositories and tags need that API; blobs and manifests (/v2) still work."
        )
        return _build(MetadataApiUnavailableError, message, METADATA_API_UNAVAILABLE, response)
    code = errors[0][0] if errors else str(response.reason or status)
    return _build(_EXCEPTIONS.get(status, HttpResponseError), prefix + message, code, response)


def _says_unknown(errors: List[tuple[str, str]]) -> bool:
    return any(code in UNKNOWN_ITEM_CODES for code, _ in errors)


def response_error(response: HttpResponse, what: str = "") -> HttpResponseError:
    """The azure-core exception for a failed ``response``, with redacted text.

    A 404 from an ``/acr/`` route without an item-unknown code gives
    :class:`MetadataApiUnavailableError`.

    :param what: names the operation, e.g. ``"Token request"``, to start the message with.
    """
    return _error_from(response, _acr_errors(_read_prefix(response)), what)


def protocol_error(message: str, response: Optional[HttpResponse] = None) -> HttpResponseError:
    """An ``HttpResponseError`` for an answer that breaks the protocol (malformed, unsafe, loops).

    The response, when given, is closed: nothing more will be read from it.
    """
    if response is not None:
        response.close()
    return _build(HttpResponseError, f"registry answer refused: {message}", "PROTOCOL", response)


def raise_for_status(
    response: HttpResponse,
    *,
    ok: Collection[int] = (200,),
    missing_ok: bool = False,
    missing_if_unknown: bool = False,
    what: str = "",
) -> bool:
    """Check ``response``: return True on an ``ok`` status, False on a tolerated 404.

    :param ok: statuses that mean success.
    :param missing_ok: treat any 404 as "already gone" (a HEAD answer has no body to say more).
    :param missing_if_unknown: treat a 404 as "already gone" only when the registry says the item
        is unknown (:data:`UNKNOWN_ITEM_CODES`): a 404 for a route the registry lacks must not
        pass for a successful delete.
    :returns: whether the resource existed.
    :raises ~azure.core.exceptions.HttpResponseError: for any other status.
    """
    if response.status_code in ok:
        return True
    if response.status_code == 404:
        if missing_ok:
            response.close()
            return False
        if missing_if_unknown:
            errors = _acr_errors(_read_prefix(response))
            if _says_unknown(errors):
                return False
            raise _error_from(response, errors, what)
    raise_response_error(response, what)


def raise_response_error(response: HttpResponse, what: str = "") -> NoReturn:
    """Raise :func:`response_error` for ``response``."""
    raise response_error(response, what)
