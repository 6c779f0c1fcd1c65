"""Check user input before any request goes out.

Names, tags and digests end up in URL paths; a value like ``../x`` or ``a%2Fb`` would address
something other than what the caller meant, so anything outside the OCI distribution grammar is
refused here with a ``ValueError`` that names the argument.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

__all__ = [
    "is_digest",
    "is_loopback_host",
    "validate_digest",
    "validate_endpoint",
    "validate_reference",
    "validate_repository",
    "validate_tag",
]

# The OCI distribution spec's grammar, which ACR enforces too.
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*"
_REPOSITORY = re.compile(rf"{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_DIGEST = re.compile(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+")
_HEX_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
_MAX_REPOSITORY_LENGTH = 256


def _require_str(value: object, argument: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be a str, not {type(value).__name__}")
    if not value:
        raise ValueError(f"{argument} must not be empty")
    return value


def validate_repository(value: object, argument: str = "repository") -> str:
    """Return ``value`` if it is a valid repository name such as ``library/hello-world``."""
    name = _require_str(value, argument)
    if len(name) > _MAX_REPOSITORY_LENGTH or not _REPOSITORY.fullmatch(name):
        raise ValueError(
            f"{argument} {name!r} is not a valid repository name: lower-case letters, digits "
            "and '.', '_', '-' separators in '/'-separated components"
        )
    return name


def validate_tag(value: object, argument: str = "tag") -> str:
    """Return ``value`` if it is a valid tag: up to 128 word characters, dots and dashes."""
    tag = _require_str(value, argument)
    if not _TAG.fullmatch(tag):
        raise ValueError(
            f"{argument} {tag!r} is not a valid tag: up to 128 letters, digits, '_', '.' or '-', "
            "not starting with '.' or '-'"
        )
    return tag


def is_digest(value: str) -> bool:
    """Tell a digest (``algorithm:encoded``) from a tag: tags cannot contain ``:``."""
    return ":" in value


def validate_digest(value: object, argument: str = "digest") -> str:
    """Return ``value`` if it is a well-formed digest such as ``sha256:<64 hex>``."""
    digest = _require_str(value, argument)
    if not _DIGEST.fullmatch(digest):
        raise ValueError(f"{argument} {digest!r} is not a valid digest ('sha256:<hex>')")
    algorithm, _, encoded = digest.partition(":")
    expected = _HEX_LENGTHS.get(algorithm)
    if expected is not None and not (
        len(encoded) == expected and re.fullmatch(r"[a-f0-9]+", encoded)
    ):
        raise ValueError(
            f"{argument} {digest!r} is not a valid {algorithm} digest: "
            f"expected {expected} lower-case hex characters"
        )
    return digest


def validate_reference(value: object, argument: str = "tag_or_digest") -> str:
    """Return ``value`` if it is a valid tag or digest."""
    reference = _require_str(value, argument)
    if is_digest(reference):
        return validate_digest(reference, argument)
    return validate_tag(reference, argument)


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` is this machine: ``localhost``, 127.0.0.0/8 or ``::1``."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_endpoint(value: object, argument: str = "endpoint") -> str:
    """Normalise an endpoint to ``scheme://host[:port]``.

    A bare host gets ``https://``. Plain ``http://`` is allowed only for loopback hosts, as
    Docker allows for local registries, because tokens would otherwise cross the network in
    clear text.
    """
    endpoint = _require_str(value, argument).strip()
    if "://" not in endpoint:
        endpoint = "https://" + endpoint
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{argument} {value!r} is not a registry URL like https://<name>.azurecr.io")
    if parts.path.strip("/") or parts.query or parts.fragment or parts.username:
        raise ValueError(
            f"{argument} {value!r} must be just the registry's URL, without path, query or user"
        )
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ValueError(
            f"{argument} {value!r} uses plain http: only loopback registries may; use https"
        )
    return f"{parts.scheme}://{parts.netloc}"
