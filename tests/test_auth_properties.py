"""Properties of the parsers that read server-supplied auth text: challenges and JWT expiry.

Both read untrusted input, so beyond examples they must hold for any input: never raise, take
time linear in the length, and give back exactly what a well-formed input says.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any, Dict, List, Optional, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from azure_containerregistry._auth._challenge import (
    MAX_CHALLENGE_LENGTH,
    BearerChallenge,
    parse_challenge,
)
from azure_containerregistry._auth._jwt import jwt_expiry

# --- challenge -------------------------------------------------------------------------------

_NAMES = st.from_regex(r"[A-Za-z0-9_.-]{1,12}", fullmatch=True)
_KNOWN = st.sampled_from(["service", "scope", "realm", "error", "Service", "SCOPE", "Realm"])
_SPACE = st.sampled_from(["", " ", "  ", "\t"])
_BARE = st.from_regex(r'[^\s,"\\]{1,20}', fullmatch=True)
_FIELDS = ("service", "scope", "realm", "error")


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def _challenges(draw: st.DrawFn) -> Tuple[str, Dict[str, str]]:
    """A ``WWW-Authenticate`` value with one Bearer challenge, and the parameters it carries."""
    names = draw(st.lists(st.one_of(_KNOWN, _NAMES), max_size=8, unique_by=str.lower))
    params: Dict[str, str] = {}
    parts: List[str] = []
    for name in names:
        quoted = draw(st.booleans())
        value = draw(st.text(max_size=30)) if quoted else draw(_BARE)
        params[name.lower()] = value
        written = _quote(value) if quoted else value
        parts.append(f"{name}{draw(_SPACE)}={draw(_SPACE)}{written}")
    separator = draw(_SPACE) + "," + draw(_SPACE)
    scheme = draw(st.sampled_from(["Bearer", "bearer", "BEARER"]))
    header = f"{scheme} " + separator.join(parts)
    before = draw(st.sampled_from(["", 'Basic realm="Bearer service=no", ', "Negotiate, ", ", "]))
    after = draw(st.sampled_from(["", ", Basic realm=x", ', Other scope="no"', " ,"]))
    return before + header + after, params


@settings(max_examples=300)
@given(_challenges())
def test_a_well_formed_challenge_gives_back_its_parameters(
    case: Tuple[str, Dict[str, str]],
) -> None:
    header, params = case
    expected = BearerChallenge(*(params.get(field) or None for field in _FIELDS))
    assert parse_challenge(header) == expected


@settings(max_examples=1000)
@given(st.text(max_size=300))
def test_any_text_parses_to_a_challenge_or_none_without_raising(header: str) -> None:
    result = parse_challenge(header)
    assert result is None or all(
        value is None or (isinstance(value, str) and value) for value in result
    )


_PIECES = st.sampled_from(
    [*'aB =",\\\t\n\u00a0.-_:', "Bearer ", "bearer", "service", "scope=", "realm", "Basic"]
)


@settings(max_examples=1000)
@given(st.lists(_PIECES, max_size=50).map("".join))
def test_the_linear_scan_reads_headers_as_the_old_parser_did(header: str) -> None:
    assert parse_challenge(header) == _reference_parse(header)


def test_a_header_over_64_kib_is_ignored() -> None:
    value = 'Bearer service="s",scope="' + "a" * MAX_CHALLENGE_LENGTH + '"'
    assert parse_challenge(value) is None
    assert parse_challenge(value[: MAX_CHALLENGE_LENGTH - 1] + '"') is not None


_ADVERSARIAL = [
    "Bearer " + 'a="' * 350_000,
    "a=" * 500_000,
    ", " * 500_000,
    "Bearer =" + " " * 1_000_000,
    'Bearer a="' + "\\" * 1_000_000,
    "Bearer " + "a " * 500_000,
    "Bearer " + "= " * 500_000,
    "Bearer " + "a=b," * 250_000,
]


@pytest.mark.timeout(10)
@pytest.mark.parametrize("pattern", range(len(_ADVERSARIAL)))
def test_adversarial_headers_parse_in_linear_time(pattern: int) -> None:
    header = _ADVERSARIAL[pattern]
    assert len(header) >= 1_000_000
    assert parse_challenge(header) is None  # over the bound: not read at all
    # just under the bound the scan runs; the old parser took minutes on some of these
    result = parse_challenge(header[:MAX_CHALLENGE_LENGTH])
    assert result is None or isinstance(result, BearerChallenge)


# --- JWT expiry ------------------------------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _jwt(payload: Any) -> str:
    return f"{_b64url(b'{}')}.{_b64url(json.dumps(payload).encode())}.c2ln"


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=10,
)
_EXP = st.integers(min_value=-(2**53), max_value=2**53) | st.floats(
    allow_nan=False, allow_infinity=False
)


@settings(max_examples=1000)
@given(st.text(max_size=300))
def test_any_text_has_an_expiry_or_none_without_raising(token: str) -> None:
    result = jwt_expiry(token)
    assert result is None or isinstance(result, float)


@settings(max_examples=500)
@given(st.binary(max_size=200), st.text(max_size=20), st.text(max_size=20))
def test_any_payload_bytes_have_an_expiry_or_none_without_raising(
    payload: bytes, header: str, signature: str
) -> None:
    result = jwt_expiry(f"{header}.{_b64url(payload)}.{signature}")
    assert result is None or isinstance(result, float)


@settings(max_examples=200)
@given(st.dictionaries(st.text(max_size=8), _JSON, max_size=4), _EXP)
def test_a_jwt_with_exp_returns_it(claims: Dict[str, Any], exp: float) -> None:
    assert jwt_expiry(_jwt({**claims, "exp": exp})) == float(exp)


@settings(max_examples=200)
@given(_JSON)
def test_a_payload_without_a_numeric_exp_has_no_expiry(payload: Any) -> None:
    if isinstance(payload, dict):
        payload.pop("exp", None)
    assert jwt_expiry(_jwt(payload)) is None


@pytest.mark.parametrize(
    "payload",
    [
        b"[" * 200_000,  # nesting deeper than the JSON decoder recurses
        b'{"exp": ' + b"9" * 400 + b"}",  # beyond any float
        b'{"exp": 1e999}',
        b'{"exp": NaN}',
        b'{"exp": ' + b"9" * 5000 + b"}",  # more digits than Python converts
    ],
)
def test_hostile_payloads_have_no_expiry(payload: bytes) -> None:
    assert jwt_expiry(f"h.{_b64url(payload)}.s") is None


@pytest.mark.timeout(10)
def test_a_megabyte_of_token_is_not_read() -> None:
    assert jwt_expiry("a." + "A" * 1_100_000 + ".b") is None


# --- the parser this one replaced, as the oracle for well-formed and odd inputs ---------------

_OLD_PARAM = re.compile(r'\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"?|([^\s,"]*))[\s,]*')
_OLD_TOKEN = re.compile(r"\s*([^\s,=]+)[\s,]*")
_OLD_UNESCAPE = re.compile(r"\\(.)")


def _reference_parse(header: str) -> Optional[BearerChallenge]:
    """The quadratic parser before the linear scan (correct, slow on whitespace runs)."""
    if not header:
        return None
    challenges: List[Tuple[str, Dict[str, str]]] = []
    pos = 0
    while pos < len(header):
        param = _OLD_PARAM.match(header, pos)
        if param and challenges:
            quoted, bare = param.group(2), param.group(3)
            value = _OLD_UNESCAPE.sub(r"\1", quoted) if quoted is not None else bare
            challenges[-1][1].setdefault(param.group(1).lower(), value)
            pos = param.end()
            continue
        token = _OLD_TOKEN.match(header, pos)
        if token is None:
            pos += 1
            continue
        challenges.append((token.group(1).lower(), {}))
        pos = token.end()
    for scheme, params in challenges:
        if scheme == "bearer":
            return BearerChallenge(*(params.get(field) or None for field in _FIELDS))
    return None
