"""Registry URLs: links, continuation tokens and locations are parsed as the transport parses them.

Pure functions, tested directly: examples of the splices that used to send tokens elsewhere, and
properties over arbitrary text (only ``UnsafeURLError`` ever, and an accepted URL always reads the
same to urllib3, which the transport uses, and to ``urllib.parse``).
"""

from __future__ import annotations

import contextlib
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from urllib3.util import parse_url

from azure_containerregistry._urls import (
    RegistryUrls,
    UnsafeURLError,
    origin_of,
    parse_strict,
    resolve_location,
)

REGISTRY = "https://myregistry.azurecr.io"
ROUTE = "/acr/v1/_catalog"
URLS = RegistryUrls(REGISTRY)

# Text near URL syntax, so the properties reach the interesting corners.
_PIECES = [*"/:@\\?#[]%.-_~ \t\r\nAaZz09<>\"'", "myregistry.azurecr.io", "evil", "https://"]
URL_TEXT = st.lists(st.sampled_from(_PIECES), max_size=25).map("".join)
# Links that start like the real thing and are spliced before or after the route.
LINKS = st.one_of(
    URL_TEXT,
    st.builds(
        lambda prefix, middle, suffix: prefix + middle + ROUTE + suffix,
        st.sampled_from(["", REGISTRY, REGISTRY + ":443", "https://evil"]),
        URL_TEXT,
        URL_TEXT,
    ),
)


def _same_origin_for_both_parsers(url: str) -> tuple[str, str, int]:
    ours, theirs = urlsplit(url), parse_url(url)
    assert ours.scheme == theirs.scheme
    assert (ours.hostname or "") == (theirs.host or "").strip("[]").lower()
    default = 443 if ours.scheme == "https" else 80
    assert (ours.port or default) == (theirs.port or default)
    return ours.scheme, (ours.hostname or ""), ours.port or default


@pytest.mark.parametrize(
    "link",
    [
        "/acr/v1/_catalog@evil.com/x",
        "/acr/v1/_catalog\\@evil.com/",
        "https://myregistry.azurecr.io\\@evil.com/acr/v1/_catalog",
        "https://myregistry.azurecr.io:443@evil.com/acr/v1/_catalog",
        "https://myregistry.azurecr.io1/acr/v1/_catalog",
        "https://myregistry.azurecr.io:4431/acr/v1/_catalog",
        "https://evil.com/acr/v1/_catalog?last=a",
        "//evil.com/acr/v1/_catalog",
        "http://myregistry.azurecr.io/acr/v1/_catalog",
        "/acr/v1/other/_tags?last=a",
        "/acr/v1/_catalog/../other",
        "/acr/v1/_catalog/%2e%2e/other",
        "/acr/v1/_catalog?last=a b",
        "/acr/v1/_catalog?last=a\r\nHost: evil.com",
        "acr/v1/_catalog",
        "",
    ],
)
def test_link_leaving_the_registry_or_the_route_is_refused(link: str) -> None:
    with pytest.raises(UnsafeURLError):
        URLS.link(link, ROUTE)


@pytest.mark.parametrize(
    "link",
    [
        "/acr/v1/_catalog?last=library%2Fbusybox&n=2&orderby=",
        "https://myregistry.azurecr.io/acr/v1/_catalog?last=b",
        "https://MyRegistry.azurecr.io:443/acr/v1/_catalog?last=b",
    ],
)
def test_link_on_the_registry_and_route_is_followed(link: str) -> None:
    url = URLS.link(link, ROUTE)
    assert url.startswith(REGISTRY + ROUTE + "?")


def test_link_may_spell_the_repository_quoted_or_not() -> None:
    route = "/acr/v1/library%2Fhello/_tags"
    assert URLS.link("/acr/v1/library/hello/_tags?last=v1", route).endswith("?last=v1")
    assert URLS.link("/acr/v1/library%2Fhello/_tags?last=v1", route).endswith("?last=v1")


@pytest.mark.parametrize(
    "location",
    [
        "https://myregistry.azurecr.io\\@evil.com/upload",
        "https://a@evil.com/upload",
        "//evil.com/upload",
        "/v2/app/blobs/uploads/\r\nX: y",
        "ftp://evil.com/upload",
        "https://evil.com:99999/upload",
        "https://evil.com:8o/upload",
        "https://exämple.com/upload",
    ],
)
def test_ambiguous_location_is_refused(location: str) -> None:
    with pytest.raises(UnsafeURLError):
        resolve_location(location, REGISTRY + "/v2/app/blobs/uploads/")


def test_location_elsewhere_is_allowed_and_its_origin_is_what_the_transport_uses() -> None:
    url = resolve_location("https://storage.example.net/upload?sig=x", REGISTRY + "/v2/")
    assert origin_of(url) == ("https", "storage.example.net", 443)
    assert not URLS.is_registry(url)
    relative = resolve_location("/v2/app/blobs/uploads/1?_state=s", REGISTRY + "/v2/app/")
    assert relative == REGISTRY + "/v2/app/blobs/uploads/1?_state=s"
    assert URLS.is_registry(relative)


def test_registry_paths_must_be_relative_to_the_registry() -> None:
    assert URLS.url("/acr/v1/app", "api-version=2021-07-01") == (
        REGISTRY + "/acr/v1/app?api-version=2021-07-01"
    )
    for path in ("//evil.com/x", "acr/v1", "https://evil.com/"):
        with pytest.raises(UnsafeURLError):
            URLS.url(path)


@given(LINKS)
@example("/acr/v1/_catalog\\@evil")
@example("https://myregistry.azurecr.io\\@evil/acr/v1/_catalog")
def test_an_accepted_link_goes_to_the_registry_route_for_both_parsers(link: str) -> None:
    try:
        url = URLS.link(link, ROUTE)
    except UnsafeURLError:
        return
    assert _same_origin_for_both_parsers(url) == ("https", "myregistry.azurecr.io", 443)
    assert unquote(urlsplit(url).path).rstrip("/") == ROUTE


@given(URL_TEXT)
def test_an_accepted_location_reads_the_same_to_both_parsers(location: str) -> None:
    try:
        url = resolve_location(location, REGISTRY + "/v2/app/blobs/uploads/")
    except UnsafeURLError:
        return
    assert origin_of(url) == _same_origin_for_both_parsers(url)
    assert parse_strict(url).url == url  # canonical: parsing again changes nothing


@given(st.text(max_size=80))
def test_arbitrary_text_only_ever_raises_unsafe_url_error(text: str) -> None:
    for call in (
        lambda: parse_strict(text),
        lambda: URLS.link(text, ROUTE),
        lambda: resolve_location(text, REGISTRY + "/"),
        lambda: origin_of(text),
    ):
        with contextlib.suppress(UnsafeURLError):
            call()


@pytest.mark.timeout(10)
def test_megabyte_links_are_refused_quickly() -> None:
    for text in ("/" + "a" * 1_000_000, "/acr/v1/_catalog?" + "@\\" * 500_000, "[" * 1_000_000):
        with pytest.raises(UnsafeURLError):
            URLS.link(text, ROUTE)
