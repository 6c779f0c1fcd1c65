"""Take secrets out of text before it reaches a log line or an exception.

Two nets: patterns (anything shaped like a JWT, ``Bearer <x>``, ``access_token=<x>`` and JSON
token fields) and exact values (the secrets a request actually carried, from
:func:`secrets_of`), so an opaque token a server echoes back is caught too.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any, Collection, List, Mapping

__all__ = ["REDACTED", "redact_header", "redact_text", "secrets_of"]

REDACTED = "REDACTED"

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


# Exact values shorter than this are not replaced: they would mangle ordinary words.
_MIN_SECRET_LENGTH = 8


def redact_text(text: str, secrets: Collection[str] = ()) -> str:
    """Replace token values in a URL, form, JSON or free text with ``REDACTED``.

    :param secrets: exact values to remove as well (see :func:`secrets_of`).
    """
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= _MIN_SECRET_LENGTH:
            text = text.replace(secret, REDACTED)
    text = _FORM_FIELD.sub(rf"\1={REDACTED}", text)
    text = _JSON_FIELD.sub(rf'\1"{REDACTED}"', text)
    text = _AUTH_VALUE.sub(rf"\1 {REDACTED}", text)
    return _JWT.sub(REDACTED, text)


def redact_header(name: str, value: str, secrets: Collection[str] = ()) -> str:
    """Return ``value`` as safe to log for header ``name``."""
    if name.lower() in _SECRET_HEADERS:
        scheme, _, _ = value.partition(" ")
        return f"{scheme} {REDACTED}" if scheme.lower() in ("bearer", "basic") else REDACTED
    return redact_text(value, secrets)


def secrets_of(request: Any) -> List[str]:
    """The secrets ``request`` carries: its credentials header (and a Basic one's password) and
    secret form fields.

    ``request`` is an azure-core request (either generation); anything unexpected yields nothing.
    """
    found: List[str] = []
    headers: Any = getattr(request, "headers", None) or {}
    for name in ("Authorization", "Proxy-Authorization"):
        value = headers.get(name) if hasattr(headers, "get") else None
        if isinstance(value, str) and value:
            scheme, _, credentials = value.partition(" ")
            found.append(credentials or value)
            if scheme.lower() == "basic":  # a server may echo the password in plain text
                found.append(_basic_password(credentials))
    form: Any = getattr(request, "_data", None)
    if not isinstance(form, Mapping):
        form = _form_fields(getattr(request, "content", None) or getattr(request, "data", None))
    for key, value in form.items():
        if _SECRET_FIELD_NAME.fullmatch(str(key)) and isinstance(value, str) and value:
            found.append(value)
    return found


def _basic_password(credentials: str) -> str:
    """The password in a Basic ``base64(user:password)``, or ``""`` if it is not one."""
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return ""
    return decoded.partition(":")[2]


def _form_fields(body: Any) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        return body
    if isinstance(body, (bytes, bytearray)):
        body = bytes(body).decode("utf-8", errors="replace")
    if not isinstance(body, str):
        return {}
    fields = {}
    for pair in body.split("&"):
        key, _, value = pair.partition("=")
        fields[key] = value
    return fields


