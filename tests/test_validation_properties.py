"""Validators over arbitrary input: only the documented errors, and what passes is safe to send.

Pure functions, tested directly. Each property runs on text near the grammar it guards (so the
interesting corners are reached) and on arbitrary text and objects. Where a property is about
accepted values, a grammar-generated strategy asserts acceptance too, so it cannot pass by
refusing everything.
"""

from __future__ import annotations

from typing import Any, Callable
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from azure_containerregistry._content._media_types import (
    OCI_IMAGE_INDEX,
    OCI_IMAGE_MANIFEST,
    infer_media_type,
)
from azure_containerregistry._urls import parse_strict
from azure_containerregistry._validation import (
    is_loopback_host,
    validate_digest,
    validate_endpoint,
    validate_media_type,
    validate_reference,
    validate_repository,
    validate_tag,
)

VALIDATORS: dict[str, Callable[[object], str]] = {
    "repository": validate_repository,
    "tag": validate_tag,
    "digest": validate_digest,
    "reference": validate_reference,
    "endpoint": validate_endpoint,
    "media_type": validate_media_type,
}
PATH_VALIDATORS = {name: VALIDATORS[name] for name in ("repository", "tag", "digest", "reference")}

NOT_STRINGS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.binary(), st.builds(bytearray),
    st.lists(st.text(max_size=3), max_size=3), st.dictionaries(st.text(max_size=3), st.integers()),
    st.tuples(st.text(max_size=3)), st.builds(object),
)  # fmt: skip

# Text near each grammar: its own characters plus the ones that would break a URL or a header.
_NOISE = [*"/:@\\?#[]%.-_+;=\"' \t\r\n\x00\x7f", "..", "é", "\u0665", "\uff0e", "\u2028"]
_WORDS = ["a", "Z", "0", "9", "sha256", "sha512", "localhost", "127.0.0.1", "[::1]", "xn--"]
NEAR_GRAMMAR = st.lists(st.sampled_from(_NOISE + _WORDS), max_size=20).map("".join)
ANY_TEXT = st.one_of(st.text(), NEAR_GRAMMAR)

# Values the grammar allows, to show acceptance (and so that properties are not vacuous).
_RUN = st.text("abcxyz0189", min_size=1, max_size=6)
_COMPONENT = st.builds(
    lambda first, rest: first + "".join(separator + run for separator, run in rest),
    _RUN,
    st.lists(st.tuples(st.sampled_from([".", "_", "__", "-", "---"]), _RUN), max_size=3),
)
REPOSITORIES = st.lists(_COMPONENT, min_size=1, max_size=4).map("/".join)
TAGS = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}", fullmatch=True)
DIGESTS = st.one_of(
    st.from_regex(r"sha256:[a-f0-9]{64}", fullmatch=True),
    st.from_regex(r"sha512:[a-f0-9]{128}", fullmatch=True),
    st.from_regex(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+", fullmatch=True).filter(
        lambda digest: digest.partition(":")[0] not in ("sha256", "sha384", "sha512")
    ),
)
_RESTRICTED_NAME = r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,20}"
_PARAMETER = r' ?; ?[a-z]+=(?:[a-z0-9.-]+|"(?:[ a-z]|\\[a-z\\"])*")'
MEDIA_TYPES = st.from_regex(
    rf"{_RESTRICTED_NAME}/{_RESTRICTED_NAME}(?:{_PARAMETER}){{0,2}}", fullmatch=True
)

_LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
DNS_NAMES = st.builds(
    lambda labels, top: ".".join([*labels, top]),
    st.lists(_LABEL, min_size=1, max_size=4),
    st.from_regex(r"[a-z]{2,6}", fullmatch=True),
)
PORTS = st.one_of(st.just(""), st.integers(1, 65535).map(lambda port: f":{port}"))
# (endpoint, what it normalises to): https to any name or IPv4 address, default port dropped.
HTTPS_CASES = st.builds(
    lambda scheme, host, port, slash: (
        f"{scheme}{host}{port}{slash}",
        f"https://{host}{'' if port == ':443' else port}",
    ),
    st.sampled_from(["", "https://", "HTTPS://"]),
    st.one_of(DNS_NAMES, st.ip_addresses(v=4).map(str)),
    PORTS,
    st.sampled_from(["", "/"]),
)
HTTPS_ENDPOINTS = HTTPS_CASES.map(lambda case: case[0])
LOOPBACK_ENDPOINTS = st.builds(
    lambda host, port: f"http://{host}{port}",
    st.one_of(
        st.just("localhost"),
        st.ip_addresses(network="127.0.0.0/8").map(str),
        st.just("[::1]"),
    ),
    # No port, or one other than 80 (which would be dropped).
    st.one_of(
        st.just(""),
        st.integers(1, 65535).filter(lambda port: port != 80).map(lambda port: f":{port}"),
    ),
)
ENDPOINT_TEXT = st.one_of(
    ANY_TEXT,
    HTTPS_ENDPOINTS,
    st.builds(
        lambda valid, noise, where: valid[:where] + noise + valid[where:],
        st.one_of(HTTPS_ENDPOINTS, LOOPBACK_ENDPOINTS),
        NEAR_GRAMMAR,
        st.integers(0, 40),
    ),
)

JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10)),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
MANIFEST_KEYS = st.sampled_from(["mediaType", "manifests", "layers", "schemaVersion", "config"])
JSON_DICTS = st.dictionaries(st.one_of(MANIFEST_KEYS, st.text(max_size=10)), JSON, max_size=6)


def _outcome(validate: Callable[[object], str], value: object) -> str | None:
    """The validated value, or None when refused with a ValueError (anything else propagates)."""
    try:
        return validate(value)
    except ValueError:
        return None


def _is_safe_path_segment(value: str) -> bool:
    encoded = quote(value, safe="")
    return (
        encoded not in (".", "..")
        and not any(char in encoded for char in "/?#\\")
        and not any(char.isspace() for char in encoded)
    )


@pytest.mark.parametrize("name", VALIDATORS)
@given(value=ANY_TEXT)
@example(value="")
def test_validators_raise_only_value_error_on_any_text(name: str, value: str) -> None:
    result = _outcome(VALIDATORS[name], value)
    assert result is None or isinstance(result, str)


@pytest.mark.parametrize("name", VALIDATORS)
@given(value=NOT_STRINGS)
def test_validators_raise_type_error_on_anything_but_text(name: str, value: object) -> None:
    with pytest.raises(TypeError, match=name.replace("reference", "tag_or_digest")):
        VALIDATORS[name](value)


@pytest.mark.parametrize("name", PATH_VALIDATORS)
@given(value=st.one_of(ANY_TEXT, REPOSITORIES, TAGS, DIGESTS))
def test_accepted_path_values_encode_to_one_safe_segment(name: str, value: str) -> None:
    result = _outcome(PATH_VALIDATORS[name], value)
    if result is not None:
        assert result == value
        assert _is_safe_path_segment(result)
        assert "%" not in result and result.isascii()


@given(name=REPOSITORIES)
def test_grammar_repositories_are_accepted_with_no_dot_or_empty_segments(name: str) -> None:
    assert validate_repository(name) == name
    assert _is_safe_path_segment(name)
    assert all(segment not in ("", ".", "..") for segment in name.split("/"))


@given(tag=TAGS)
def test_grammar_tags_are_accepted_as_tags_and_references(tag: str) -> None:
    assert validate_tag(tag) == validate_reference(tag) == tag
    assert _is_safe_path_segment(tag)


@given(digest=DIGESTS)
def test_grammar_digests_are_accepted_as_digests_and_references(digest: str) -> None:
    assert validate_digest(digest) == validate_reference(digest) == digest
    assert _is_safe_path_segment(digest)


def _origin_as_written(normalised: str) -> tuple[str, str, int]:
    parts = urlsplit(normalised)
    host = parts.netloc.rpartition(":")[0] if parts.port else parts.netloc
    return parts.scheme, host, parts.port or {"http": 80, "https": 443}[parts.scheme]


@given(value=ENDPOINT_TEXT)
@example(value="https://a.io:")
@example(value="http://[0:0::1]:80")
@settings(max_examples=300)
def test_accepted_endpoints_round_trip_and_parse_strictly_to_the_same_origin(value: str) -> None:
    normalised = _outcome(validate_endpoint, value)
    if normalised is None:
        return
    assert validate_endpoint(normalised) == normalised
    parsed = parse_strict(normalised)
    assert parsed.url.rstrip("/") == normalised
    assert parsed.origin == _origin_as_written(normalised)
    if "://" in value and parse_strict_or_none(value) is not None:
        # Where the URL layer reads the original too, it goes where the normalised one goes.
        assert parse_strict(value).origin == parsed.origin
    if parsed.scheme == "http":
        assert is_loopback_host(parsed.host)


def parse_strict_or_none(url: str) -> Any:
    try:
        return parse_strict(url)
    except ValueError:
        return None


@given(case=HTTPS_CASES)
def test_grammar_https_endpoints_are_accepted(case: tuple[str, str]) -> None:
    endpoint, normalised = case
    assert validate_endpoint(endpoint) == normalised


@given(value=LOOPBACK_ENDPOINTS)
def test_loopback_endpoints_may_use_http(value: str) -> None:
    assert validate_endpoint(value) == value


NOT_LOOPBACK = st.one_of(
    DNS_NAMES,
    DNS_NAMES.map(lambda name: name + ".localhost"),
    st.ip_addresses(v=4).filter(lambda address: not address.is_loopback).map(str),
    st.ip_addresses(v=6).filter(lambda address: str(address) != "::1").map(lambda a: f"[{a}]"),
)


@given(host=NOT_LOOPBACK)
@example(host="[::ffff:127.0.0.1]")
def test_plain_http_is_refused_for_every_host_that_is_not_loopback(host: str) -> None:
    assert validate_endpoint(f"https://{host}:1") == f"https://{host}:1"
    with pytest.raises(ValueError, match="plain http"):
        validate_endpoint(f"http://{host}:1")


@given(value=st.one_of(ANY_TEXT, MEDIA_TYPES))
def test_accepted_media_types_are_single_ascii_header_values(value: str) -> None:
    result = _outcome(validate_media_type, value)
    if result is not None:
        assert result == value and result.isascii() and "/" in result
        assert all(" " <= char <= "~" for char in result)


@given(value=MEDIA_TYPES)
def test_grammar_media_types_are_accepted(value: str) -> None:
    assert validate_media_type(value) == value


@given(document=JSON_DICTS)
@example(document={"mediaType": 5, "manifests": None})
@example(document={"manifests": [], "layers": []})
def test_infer_media_type_returns_a_str_for_any_json_object(document: dict[str, Any]) -> None:
    inferred = infer_media_type(document)
    assert isinstance(inferred, str) and inferred
    declared = document.get("mediaType")
    if isinstance(declared, str) and declared:
        assert inferred == declared
    elif "manifests" in document and "layers" not in document:
        assert inferred == OCI_IMAGE_INDEX
    else:
        assert inferred == OCI_IMAGE_MANIFEST


@given(document=JSON)
def test_infer_media_type_gives_the_default_for_json_that_is_not_an_object(document: Any) -> None:
    expected = infer_media_type(document) if isinstance(document, dict) else OCI_IMAGE_MANIFEST
    assert infer_media_type(document) == expected


MEGABYTE = 1024 * 1024
LARGE_INPUTS = {
    "letters": "a" * MEGABYTE,
    "separators": "a-" * (MEGABYTE // 2),
    "dots": "a." * (MEGABYTE // 2),
    "underscores": "a__" * (MEGABYTE // 3),
    "path components": "a/" * (MEGABYTE // 2),
    "digest body": "sha256:" + "a" * MEGABYTE,
    "digest algorithm": "a+" * (MEGABYTE // 2) + ":",
    "url host": "https://" + "a." * (MEGABYTE // 2),
    "url port": "https://a.io:" + "1" * MEGABYTE,
    "ipv6": "http://[" + "1:" * (MEGABYTE // 2) + "]",
    "media type parameters": "a/b" + ";c=d" * (MEGABYTE // 4),
    "quoted parameter": 'a/b;c="' + "\\a" * (MEGABYTE // 2),
    "spaces": "a/b" + " " * MEGABYTE + ";",
}


@pytest.mark.timeout(5)
@pytest.mark.parametrize("name", VALIDATORS)
def test_validators_run_in_linear_time_on_megabyte_inputs(name: str) -> None:
    for value in LARGE_INPUTS.values():
        result = _outcome(VALIDATORS[name], value)
        assert result is None or result == value
