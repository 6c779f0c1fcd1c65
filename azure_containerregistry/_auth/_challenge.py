"""Parse the ``WWW-Authenticate: Bearer`` challenge the registry sends with a ``401``.

Only ``service`` and ``scope`` matter to the client; ``realm`` is kept for completeness but is
never used to send tokens anywhere: tokens always go to ``{endpoint}/oauth2/...``.

The header comes from the server, so it is parsed as untrusted text: one left-to-right scan in
which every step consumes what it looked at (time linear in the length, no regex that can
backtrack across the input), a bound on the length, and no exception for any input.
"""

from __future__ import annotations

import re
from typing import Dict, NamedTuple, Optional, Pattern, Tuple

__all__ = ["MAX_CHALLENGE_LENGTH", "BearerChallenge", "offers_basic", "parse_challenge"]

MAX_CHALLENGE_LENGTH = 64 * 1024
"""Longer ``WWW-Authenticate`` values are ignored: a real challenge is a few hundred characters."""

# The lexical pieces of RFC 9110 section 11 (auth-scheme, auth-param, quoted-string), each
# matched at a position and never re-scanned: none can match in more than one way.
_SPACE = re.compile(r"\s*")
_SEPARATORS = re.compile(r"[\s,]*")
_NAME = re.compile(r"[A-Za-z0-9_.-]+")
_QUOTED = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*')  # the inside of "...", escapes kept
_BARE = re.compile(r'[^\s,"]*')
_SCHEME = re.compile(r"[^\s,=]+")
_UNESCAPE = re.compile(r"\\(.)")


class BearerChallenge(NamedTuple):
    """The parameters of a Bearer challenge; absent parameters are ``None``."""

    service: Optional[str]
    scope: Optional[str]
    realm: Optional[str] = None
    error: Optional[str] = None


def _take(pattern: Pattern[str], text: str, pos: int) -> Tuple[str, int]:
    """What ``pattern`` matches at ``pos`` and where it ends (``""`` and ``pos`` if nothing)."""
    match = pattern.match(text, pos)
    return ("", pos) if match is None else (match.group(), match.end())


def _skip(pattern: Pattern[str], text: str, pos: int) -> int:
    """Where ``pattern`` stops matching from ``pos``."""
    return _take(pattern, text, pos)[1]


def _param(header: str, pos: int) -> Optional[Tuple[str, str, int]]:
    """Read ``name = value`` at ``pos``: ``(lower-case name, value, end)``, or None if absent.

    The value is a quoted string (unescaped; an unterminated one runs to the end) or a bare
    token, possibly empty. Separators after it are consumed.
    """
    name, pos = _take(_NAME, header, _skip(_SPACE, header, pos))
    if not name:
        return None
    equals = _skip(_SPACE, header, pos)
    if not header.startswith("=", equals):
        return None
    start = _skip(_SPACE, header, equals + 1)
    if header.startswith('"', start):
        quoted, end = _take(_QUOTED, header, start + 1)
        value = _UNESCAPE.sub(r"\1", quoted)
        if header.startswith('"', end):  # the closing quote; an unterminated value has none
            end += 1
    else:
        value, end = _take(_BARE, header, start)
    return name.lower(), value, _skip(_SEPARATORS, header, end)


def parse_challenge(header: Optional[str]) -> Optional[BearerChallenge]:
    """Return the Bearer challenge in a ``WWW-Authenticate`` value, or ``None`` if there is none.

    Scheme and parameter names are case-insensitive; values keep their case; the first of a
    repeated parameter wins. A header may hold several challenges (``Basic realm="x", Bearer
    service="y"``): only the first Bearer one is read. Values longer than
    :data:`MAX_CHALLENGE_LENGTH`, and anything that is not text, give ``None``.

    >>> parse_challenge('Bearer realm="https://r/token",service="r.io",scope="registry:catalog:*"')
    BearerChallenge(service='r.io', scope='registry:catalog:*', realm='https://r/token', error=None)
    """
    bearer = _find_challenge(header, "bearer")
    if bearer is None:
        return None
    return BearerChallenge(
        service=bearer.get("service") or None,
        scope=bearer.get("scope") or None,
        realm=bearer.get("realm") or None,
        error=bearer.get("error") or None,
    )


def offers_basic(header: Optional[str]) -> bool:
    """Whether a ``WWW-Authenticate`` value holds a ``Basic`` challenge (plain HTTP Basic auth).

    Registries that check an htpasswd file (CNCF distribution) answer ``401`` with one instead of
    ACR's Bearer challenge. Same bounds as :func:`parse_challenge`.

    >>> offers_basic('Basic realm="Registry Realm"')
    True
    """
    return _find_challenge(header, "basic") is not None


def _find_challenge(header: Optional[str], wanted: str) -> Optional[Dict[str, str]]:
    """The parameters of the first challenge whose scheme is ``wanted`` (lower case), or None."""
    if not isinstance(header, str) or not header or len(header) > MAX_CHALLENGE_LENGTH:
        return None
    found: Optional[Dict[str, str]] = None  # the wanted challenge's parameters, once it starts
    in_challenge = False
    pos = 0
    while pos < len(header):
        if in_challenge:
            param = _param(header, pos)
            if param is not None:
                name, value, pos = param
                if found is not None:
                    found.setdefault(name, value)
                continue
        start = _skip(_SPACE, header, pos)
        scheme, end = _take(_SCHEME, header, start)
        if not scheme:  # a stray "=" or ",": skip it with the space before it
            pos = start + 1
            continue
        if found is not None:  # the wanted challenge ended where the next one starts
            break
        in_challenge = True
        if scheme.lower() == wanted:
            found = {}
        pos = _skip(_SEPARATORS, header, end)
    return found
