"""Registry URLs: the one place that turns paths and server-supplied links into request URLs.

A URL reaches the transport only after it was parsed here, with the rules the transport itself
uses (urllib3's ``parse_url``, which ``requests`` calls) *and* the standard library's
``urlsplit``, which azure-core uses for redirects. A URL the two would read differently (``\\``,
``@``, control characters, whitespace, a bad port) is refused, and what goes out is rebuilt from
the parsed parts, so the host we check is the host we connect to.

* :meth:`RegistryUrls.url` builds a URL from a registry-relative path (``/acr/v1/...``).
* :meth:`RegistryUrls.link` accepts a ``Link`` next link or a continuation token only when it stays
  on the registry's origin and on the listing's own route.
* :func:`resolve_location` resolves an upload ``Location`` or a redirect, which may lead to
  another origin (blob storage, an upload front end): the auth policy then sends no token there.
"""

from __future__ import annotations

import ipaddress
import re
from typing import NamedTuple, Optional, Tuple
from urllib.parse import unquote, urljoin, urlsplit

from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

__all__ = [
    "Origin",
    "ParsedURL",
    "RegistryUrls",
    "UnsafeURLError",
    "origin_of",
    "parse_strict",
    "resolve_location",
]

Origin = Tuple[str, str, int]
"""``(scheme, host, port)``, lower-cased, with the default port filled in."""

_DEFAULT_PORTS = {"http": 80, "https": 443}
# RFC 3986 characters a path or query may carry as they are; anything else (space, "\", quotes,
# "<", ">", controls, non-ASCII) makes the URL ambiguous between parsers, so it is refused.
_SAFE = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@%/?\[\]]*")
_LABEL = r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})*\.?")
_MAX_URL_LENGTH = 8192


class UnsafeURLError(ValueError):
    """A URL that is malformed, ambiguous, or leaves where it may go."""


class ParsedURL(NamedTuple):
    """A URL as both parsers agree on it; :attr:`url` is the canonical text to send."""

    scheme: str
    host: str
    port: int
    path: str
    query: str

    @property
    def origin(self) -> Origin:
        return self.scheme, self.host, self.port

    @property
    def url(self) -> str:
        default = _DEFAULT_PORTS[self.scheme] == self.port
        netloc = self.host if default else f"{self.host}:{self.port}"
        query = f"?{self.query}" if self.query else ""
        return f"{self.scheme}://{netloc}{self.path or '/'}{query}"


def _check_host(host: str) -> str:
    """``host`` lower-cased if it is a DNS name or an IP literal, else raise."""
    if host.startswith("["):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise UnsafeURLError("URL has an invalid IPv6 host") from None
        return host.lower()
    if not _HOST.fullmatch(host):
        raise UnsafeURLError("URL has no valid host")
    return host.lower()


def parse_strict(url: str) -> ParsedURL:
    """Parse an absolute http(s) URL, refusing anything two parsers could read differently.

    :raises UnsafeURLError: not a plain ``http(s)://host[:port]/path?query`` URL.
    """
    if not isinstance(url, str) or not url or len(url) > _MAX_URL_LENGTH:
        raise UnsafeURLError("not a URL of sensible length")
    url = url.split("#", 1)[0]
    if not url.isascii() or not _SAFE.fullmatch(url):
        raise UnsafeURLError("URL has characters that are not allowed unencoded")
    try:
        ours = urlsplit(url)
        theirs = parse_url(url)
        our_port = ours.port
    except (ValueError, LocationParseError):
        raise UnsafeURLError("URL does not parse") from None
    if any(bracket in ours.path + ours.query for bracket in "[]"):
        raise UnsafeURLError("URL has brackets outside its host")
    scheme = ours.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise UnsafeURLError("URL is not http or https")
    if "@" in ours.netloc or theirs.auth:
        raise UnsafeURLError("URL carries user information")
    netloc_host, _, port_text = ours.netloc.rpartition(":")
    if not netloc_host or ours.netloc.endswith("]"):  # no port (an IPv6 literal has colons)
        netloc_host, port_text = ours.netloc, ""
    if port_text and not port_text.isdigit():
        raise UnsafeURLError("URL has an invalid port")
    host = _check_host(netloc_host)
    port = our_port if our_port is not None else _DEFAULT_PORTS[scheme]
    their_port = theirs.port if theirs.port is not None else _DEFAULT_PORTS.get(theirs.scheme or "")
    if (
        (theirs.scheme or "").lower() != scheme
        or (theirs.host or "").lower() != host
        or their_port != port
    ):
        raise UnsafeURLError("URL is ambiguous: parsers disagree on its host")
    return ParsedURL(scheme, host, port, ours.path, ours.query)


def resolve_location(location: str, base_url: str) -> str:
    """Resolve an upload ``Location`` or a redirect against the URL that answered it.

    It may lead to another origin; the auth policy, reading the same parse, sends no token there.

    :raises UnsafeURLError: malformed or ambiguous.
    """
    if not isinstance(location, str) or not location:
        raise UnsafeURLError("empty location")
    location = location.split("#", 1)[0]
    if not location.isascii() or not _SAFE.fullmatch(location):
        raise UnsafeURLError("location has characters that are not allowed unencoded")
    if location.startswith("//"):
        raise UnsafeURLError("scheme-relative location")
    try:
        joined = urljoin(base_url, location)
    except ValueError:
        raise UnsafeURLError("location does not parse") from None
    return parse_strict(joined).url


def origin_of(url: str) -> Optional[Origin]:
    """The origin ``url`` would connect to, or None when it is malformed or ambiguous."""
    try:
        return parse_strict(url).origin
    except UnsafeURLError:
        return None


class RegistryUrls:
    """Build and check the URLs of one registry.

    :param endpoint: the normalised registry URL, ``https://<name>.azurecr.io``.
    """

    def __init__(self, endpoint: str) -> None:
        parsed = parse_strict(endpoint)
        self._base = parsed.url.rstrip("/")
        self.origin: Origin = parsed.origin

    @property
    def base(self) -> str:
        """``scheme://host[:port]`` of the registry."""
        return self._base

    @property
    def host(self) -> str:
        """``host[:port]`` of the registry, as ACR names itself (its login server)."""
        return self._base.split("://", 1)[1]

    def url(self, path: str, query: str = "") -> str:
        """The absolute URL of registry-relative ``path`` (already percent-encoded).

        :raises UnsafeURLError: ``path`` is not a single-origin relative path.
        """
        if not path.startswith("/") or path.startswith("//"):
            raise UnsafeURLError(f"not a registry-relative path: {path[:100]!r}")
        return parse_strict(f"{self._base}{path}{'?' + query if query else ''}").url

    def is_registry(self, url: str) -> bool:
        """Whether ``url`` goes to the registry's own origin (by the transport's reading)."""
        return origin_of(url) == self.origin

    def link(self, link: str, route: str) -> str:
        """The URL of a next link or continuation token that stays on ``route`` of this registry.

        ``route`` is the listing's path (``/acr/v1/_catalog``); the link may only change the
        query. Relative links (as ACR sends) and absolute ones on the registry's origin pass.

        :raises UnsafeURLError: the link goes elsewhere or does not parse.
        """
        if not isinstance(link, str) or not link.startswith("/") or link.startswith("//"):
            if not isinstance(link, str) or not link.lower().startswith(("http://", "https://")):
                raise UnsafeURLError("link is neither a registry path nor a URL")
            parsed = parse_strict(link)
        else:
            parsed = parse_strict(self._base + link)
        if parsed.origin != self.origin:
            raise UnsafeURLError("link leads to another host")
        if unquote(parsed.path).rstrip("/") != unquote(route).rstrip("/"):
            raise UnsafeURLError("link leads to another route")
        return parsed.url
