"""Parse the ``WWW-Authenticate: Bearer`` challenge the registry sends with a ``401``.

Only ``service`` and ``scope`` matter to the client; ``realm`` is kept for completeness but is
never used to send tokens anywhere: tokens always go to ``{endpoint}/oauth2/...``.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

__all__ = ["BearerChallenge", "parse_challenge"]

# One auth-param, name=token or name="quoted string" (RFC 9110 section 11.2), or else a bare
# token, which starts a new challenge (its auth-scheme). Scanned left to right so that commas
# and scheme names inside quoted values are never mistaken for structure.
_PARAM = re.compile(r'\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"?|([^\s,"]*))[\s,]*')
_TOKEN = re.compile(r"\s*([^\s,=]+)[\s,]*")
_UNESCAPE = re.compile(r"\\(.)")


class BearerChallenge(NamedTuple):
    """The parameters of a Bearer challenge; absent parameters are ``None``."""

    service: Optional[str]
    scope: Optional[str]
    realm: Optional[str] = None
    error: Optional[str] = None


def parse_challenge(header: Optional[str]) -> Optional[BearerChallenge]:
    """Return the Bearer challenge in a ``WWW-Authenticate`` value, or ``None`` if there is none.

    Scheme and parameter names are case-insensitive; values keep their case. A header may hold
    several challenges (``Basic realm="x", Bearer service="y"``): only the Bearer one is read.

    >>> parse_challenge('Bearer realm="https://r/token",service="r.io",scope="registry:catalog:*"')
    BearerChallenge(service='r.io', scope='registry:catalog:*', realm='https://r/token', error=None)
    """
    if not header:
        return None
    challenges: list[tuple[str, dict[str, str]]] = []
    pos = 0
    while pos < len(header):
        param = _PARAM.match(header, pos)
        if param and challenges:
            quoted, bare = param.group(2), param.group(3)
            value = _UNESCAPE.sub(r"\1", quoted) if quoted is not None else bare
            challenges[-1][1].setdefault(param.group(1).lower(), value)
            pos = param.end()
            continue
        token = _TOKEN.match(header, pos)
        if token is None:  # a stray "=" or separator: skip it
            pos += 1
            continue
        challenges.append((token.group(1).lower(), {}))
        pos = token.end()
    for scheme, params in challenges:
        if scheme == "bearer":
            return BearerChallenge(
                service=params.get("service") or None,
                scope=params.get("scope") or None,
                realm=params.get("realm") or None,
                error=params.get("error") or None,
            )
    return None
