"""Check user input before any request goes out.

Names, tags and digests end up in URL paths; a value like ``../x`` or ``a%2Fb`` would address
something other than what the caller meant, so anything outside the OCI distribution grammar is
refused here with a ``ValueError`` that names the argument. The endpoint decides where tokens
go, so it is held to a stricter grammar than browsers use: one spelling per registry, nothing two
URL parsers could read differently. Media types become a ``Content-Type`` header, so nothing that
could split or smuggle a header passes.
"""

from __future__ import annotations

import ipaddress
import re

from ._urls import UnsafeURLError, parse_strict

__all__ = [
    "is_digest",
    "is_loopback_host",
    "validate_digest",
    "validate_endpoint",
    "validate_media_type",
    "validate_page_size",
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

# Endpoints: a DNS name (labels of letters, digits, '-' and, as the URL layer allows, '_'), an
# IPv4 dotted quad, or a bracketed IPv6 literal; then an optional port and a bare '/'.
_MAX_ENDPOINT_LENGTH = 2048
_MAX_HOST_LENGTH = 253
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
_NUMERIC_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*")
_AUTHORITY = re.compile(r"(?P<host>\[[^\]/]*\]|[^:/\[\]]*)(?::(?P<port>[^/]*))?(?P<path>/*)")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_IPV6_LOOPBACK = ipaddress.IPv6Address("::1")
_IPV4_LOOPBACK = ipaddress.IPv4Network("127.0.0.0/8")

# RFC 6838 names, RFC 9110 parameters; no HTAB (a control character) and no obs-text.
_RESTRICTED_NAME = r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
_TOKEN = r"[A-Za-z0-9!#$%&'*+.^_`|~-]+"
_QUOTED_STRING = r'"(?:[ !#-\[\]-~]|\\[ -~])*"'
_MEDIA_TYPE = re.compile(
    rf"{_RESTRICTED_NAME}/{_RESTRICTED_NAME}"
    rf"(?: *; *{_TOKEN}=(?:{_TOKEN}|{_QUOTED_STRING}))*"
)


def _shown(value: str) -> str:
    """``repr`` of ``value``, cut short: error messages must stay readable for huge inputs."""
    return repr(value) if len(value) <= 100 else repr(value[:100]) + "..."


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
            f"{argument} {_shown(name)} is not a valid repository name: lower-case letters, "
            "digits and '.', '_', '-' separators in '/'-separated components"
        )
    return name


def validate_tag(value: object, argument: str = "tag") -> str:
    """Return ``value`` if it is a valid tag: up to 128 word characters, dots and dashes."""
    tag = _require_str(value, argument)
    if not _TAG.fullmatch(tag):
        raise ValueError(
            f"{argument} {_shown(tag)} is not a valid tag: up to 128 letters, digits, '_', '.' "
            "or '-', not starting with '.' or '-'"
        )
    return tag


def validate_page_size(value: object, argument: str = "results_per_page") -> int | None:
    """Return ``value`` if it is None or a positive int (a listing's page size)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{argument} must be a positive int, not {value!r}")
    return value


def is_digest(value: str) -> bool:
    """Tell a digest (``algorithm:encoded``) from a tag: tags cannot contain ``:``."""
    return ":" in value


def validate_digest(value: object, argument: str = "digest") -> str:
    """Return ``value`` if it is a well-formed digest such as ``sha256:<64 hex>``."""
    digest = _require_str(value, argument)
    if not _DIGEST.fullmatch(digest):
        raise ValueError(f"{argument} {_shown(digest)} is not a valid digest ('sha256:<hex>')")
    algorithm, _, encoded = digest.partition(":")
    expected = _HEX_LENGTHS.get(algorithm)
    if expected is not None and not (
        len(encoded) == expected and re.fullmatch(r"[a-f0-9]+", encoded)
    ):
        raise ValueError(
            f"{argument} {_shown(digest)} is not a valid {algorithm} digest: "
            f"expected {expected} lower-case hex characters"
        )
    return digest


def validate_reference(value: object, argument: str = "tag_or_digest") -> str:
    """Return ``value`` if it is a valid tag or digest."""
    reference = _require_str(value, argument)
    if is_digest(reference):
        return validate_digest(reference, argument)
    return validate_tag(reference, argument)


def validate_media_type(value: object, argument: str = "media_type") -> str:
    """Return ``value`` if it is a media type fit for a ``Content-Type`` header.

    ``type/subtype`` as RFC 6838 names them, optionally followed by ``; name=value`` parameters
    (RFC 9110). CR, LF, other control characters and non-ASCII are refused, because the value is
    sent as a header and could otherwise add headers of its own.

    :raises TypeError: ``value`` is not a str.
    :raises ValueError: ``value`` is not a media type.
    """
    media_type = _require_str(value, argument)
    if not _MEDIA_TYPE.fullmatch(media_type):
        raise ValueError(
            f"{argument} {_shown(media_type)} is not a media type like "
            "'application/vnd.oci.image.manifest.v1+json' (ASCII, no control characters)"
        )
    return media_type


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` is this machine: exactly ``localhost``, 127.0.0.0/8 or ``::1``.

    ``*.localhost`` names do not count: nothing guarantees a resolver keeps them on this machine.
    ``host`` may carry IPv6 brackets.
    """
    host = host.lower()
    if host == "localhost":
        return True
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        return address == _IPV6_LOOPBACK
    return address in _IPV4_LOOPBACK


def _endpoint_host(host: str) -> str | None:
    """``host`` lower-cased, or None if it is not a valid host name or IP address.

    IPv6 literals keep their spelling: origins are compared as text, so the host we check must be
    the host every later URL is built with.

    A name whose last label is numeric must be a dotted quad: resolvers read ``127.1``,
    ``2130706433`` or ``0x7f.0.0.1`` as addresses, which would slip past the loopback rule.
    """
    host = host.lower()
    if host.startswith("["):
        if "%" in host:  # zone IDs: parsers disagree on their encoding, registries need none
            return None
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return None
        return host
    if not host or len(host) > _MAX_HOST_LENGTH:
        return None
    labels = host.split(".")
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        try:
            return str(ipaddress.IPv4Address(host))
        except ValueError:
            return None
    if not all(_LABEL.fullmatch(label) for label in labels):
        return None
    return host


def _endpoint_port(port: str | None, scheme: str) -> str | None:
    """``":<port>"`` for a port in 1-65535 other than the scheme's default, else ``""``.

    An empty port (``https://a.io:``) means the default, as RFC 3986 says. Returns None if the
    port is not a number in range.
    """
    if not port:
        return ""
    digits = port.lstrip("0")
    if not port.isascii() or not port.isdigit() or not digits or len(digits) > 5:
        return None
    number = int(digits)
    if number > 65535:
        return None
    return "" if number == _DEFAULT_PORTS[scheme] else f":{number}"


def _endpoint_problem(endpoint: str) -> str | None:
    """Why ``endpoint`` cannot be a registry URL, from the characters alone; None if it may."""
    if not endpoint.isascii():
        return "has non-ASCII characters; give the host's IDNA (punycode, 'xn--...') form"
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in endpoint):
        return "contains whitespace or control characters"
    if "\\" in endpoint:
        return "contains a backslash"
    if "@" in endpoint:
        return "carries user information ('user:password@'); use a credential instead"
    if "?" in endpoint or "#" in endpoint:
        return "has a query or fragment; give just the registry's URL"
    return None


def validate_endpoint(value: object, argument: str = "endpoint") -> str:
    """Normalise an endpoint to ``scheme://host[:port]``.

    A bare host gets ``https://``; the scheme and host are lower-cased, a default or empty port is
    dropped and a trailing ``/`` removed. Plain ``http://`` is allowed only for loopback hosts
    (:func:`is_loopback_host`), as Docker allows for local registries, because tokens would
    otherwise cross the network in clear text. Anything else beyond host and port (path,
    query, fragment, user information, whitespace, ``\\``) is refused rather than dropped, so the
    registry used is the one the caller wrote.

    :raises TypeError: ``value`` is not a str.
    :raises ValueError: ``value`` is not such a URL; the message names ``argument``.
    """
    endpoint = _require_str(value, argument)
    shown = _shown(endpoint)
    if len(endpoint) > _MAX_ENDPOINT_LENGTH:
        raise ValueError(f"{argument} {shown} is too long to be a registry URL")
    problem = _endpoint_problem(endpoint)
    if problem:
        raise ValueError(f"{argument} {shown} {problem}")
    scheme_match = _SCHEME.match(endpoint)
    if "://" not in endpoint:
        scheme, rest = "https", endpoint
    elif scheme_match:
        scheme, rest = scheme_match.group(1).lower(), endpoint[scheme_match.end() :]
    else:
        scheme, rest = "", endpoint
    authority = _AUTHORITY.fullmatch(rest)
    if scheme not in _DEFAULT_PORTS or not authority:
        raise ValueError(
            f"{argument} {shown} is not a registry URL like https://<name>.azurecr.io "
            "(no path, query or user information)"
        )
    host = _endpoint_host(authority.group("host"))
    if host is None:
        raise ValueError(f"{argument} {shown} has no valid host name or IP address")
    port = _endpoint_port(authority.group("port"), scheme)
    if port is None:
        raise ValueError(f"{argument} {shown} has an invalid port: use a number in 1-65535")
    if scheme == "http" and not is_loopback_host(host):
        raise ValueError(
            f"{argument} {shown} uses plain http: only loopback registries (localhost, "
            "127.0.0.0/8, [::1]) may; use https"
        )
    normalised = f"{scheme}://{host}{port}"
    try:
        parse_strict(normalised)
    except UnsafeURLError as error:  # the URL layer must read it as we do; see _urls
        raise ValueError(f"{argument} {shown} is not a registry URL: {error}") from None
    return normalised
