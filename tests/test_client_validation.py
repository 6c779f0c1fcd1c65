"""Bad arguments raise ValueError naming the argument, before any request is sent."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry.testing import LocalRegistry

BAD_REPOSITORIES = ["", "..", "a/../b", "a%2Fb", "a?b", "a#b", "Upper", "/lead", "trail/", "a//b"]
BAD_TAGS = ["", "..", ".hidden", "-dash", "a/b", "a?b", "a#b", "%2F", "x" * 129]
BAD_DIGESTS = ["sha256:", "sha256:xyz", "sha256:" + "A" * 64, "sha256:" + "a" * 63, "sha256:../x"]
DIGEST = "sha256:" + "a" * 64

CALLS_WITH_REPOSITORY: list[Callable[[ContainerRegistryClient, str], Any]] = [
    lambda c, r: c.get_repository_properties(r),
    lambda c, r: c.update_repository_properties(r, can_delete=False),
    lambda c, r: c.delete_repository(r),
    lambda c, r: c.list_tag_properties(r),
    lambda c, r: c.get_tag_properties(r, "v1"),
    lambda c, r: c.update_tag_properties(r, "v1", can_write=False),
    lambda c, r: c.delete_tag(r, "v1"),
    lambda c, r: c.list_manifest_properties(r),
    lambda c, r: c.get_manifest_properties(r, DIGEST),
    lambda c, r: c.update_manifest_properties(r, DIGEST, can_write=False),
    lambda c, r: c.delete_manifest(r, DIGEST),
]

CALLS_WITH_TAG: list[Callable[[ContainerRegistryClient, str], Any]] = [
    lambda c, t: c.get_tag_properties("app", t),
    lambda c, t: c.update_tag_properties("app", t, can_write=False),
    lambda c, t: c.delete_tag("app", t),
]

CALLS_WITH_REFERENCE: list[Callable[[ContainerRegistryClient, str], Any]] = [
    lambda c, d: c.get_manifest_properties("app", d),
    lambda c, d: c.update_manifest_properties("app", d, can_write=False),
    lambda c, d: c.delete_manifest("app", d),
]


@pytest.mark.parametrize("call", CALLS_WITH_REPOSITORY)
@pytest.mark.parametrize("bad", BAD_REPOSITORIES)
def test_bad_repository_is_refused_before_any_request(
    registry: LocalRegistry, client: ContainerRegistryClient, call: Any, bad: str
) -> None:
    with pytest.raises(ValueError, match="repository"):
        call(client, bad)
    assert registry.requests == []


@pytest.mark.parametrize("call", CALLS_WITH_TAG)
@pytest.mark.parametrize("bad", BAD_TAGS)
def test_bad_tag_is_refused_before_any_request(
    registry: LocalRegistry, client: ContainerRegistryClient, call: Any, bad: str
) -> None:
    with pytest.raises(ValueError, match="tag"):
        call(client, bad)
    assert registry.requests == []


@pytest.mark.parametrize("call", CALLS_WITH_REFERENCE)
@pytest.mark.parametrize("bad", BAD_DIGESTS + BAD_TAGS)
def test_bad_tag_or_digest_is_refused_before_any_request(
    registry: LocalRegistry, client: ContainerRegistryClient, call: Any, bad: str
) -> None:
    with pytest.raises(ValueError, match="tag_or_digest"):
        call(client, bad)
    assert registry.requests == []


def test_non_string_repository_is_a_type_error(client: ContainerRegistryClient) -> None:
    with pytest.raises(TypeError, match="repository"):
        client.get_repository_properties(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [0, -1, "10", True])
def test_bad_results_per_page_is_refused(client: ContainerRegistryClient, bad: Any) -> None:
    with pytest.raises(ValueError, match="results_per_page"):
        client.list_repository_names(results_per_page=bad)


@pytest.mark.parametrize("bad", ["newest", "time_desc"])
def test_bad_order_by_is_refused(client: ContainerRegistryClient, bad: str) -> None:
    with pytest.raises(ValueError, match="order_by"):
        client.list_tag_properties("app", order_by=bad)


def test_flags_must_be_bools(client: ContainerRegistryClient) -> None:
    with pytest.raises(TypeError, match="can_delete"):
        client.update_tag_properties("app", "v1", can_delete="no")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "endpoint",
    ["http://myregistry.azurecr.io", "ftp://x", "https://myregistry.azurecr.io/path", "", "https://"],
)
def test_bad_endpoint_is_refused_at_construction(endpoint: str) -> None:
    with pytest.raises(ValueError, match="endpoint"):
        ContainerRegistryClient(endpoint)


# Each is the test registry's own address made bad one way, so accepting it would reach the
# registry; "{port}" is its port.
BAD_ENDPOINTS = {
    "port not a number": "http://127.0.0.1:{port}x",
    "port zero": "http://127.0.0.1:0",
    "port above 65535": "http://127.0.0.1:65536",
    "port with a sign": "http://127.0.0.1:+{port}",
    "two ports": "http://127.0.0.1:{port}:{port}",
    "space inside": "http://127.0.0.1 :{port}",
    "leading space": " http://127.0.0.1:{port}",
    "trailing newline": "http://127.0.0.1:{port}\n",
    "tab": "http://127.0.0.1:{port}\t",
    "NUL": "http://127.0.0.1\x00:{port}",
    "DEL": "http://127.0.0.1:{port}\x7f",
    "empty userinfo": "http://@127.0.0.1:{port}",
    "user and password": "http://u:p@127.0.0.1:{port}",
    "empty user and password": "http://:@127.0.0.1:{port}",
    "backslash": "http://127.0.0.1:{port}\\",
    "backslash before a host": "http://evil.io\\@127.0.0.1:{port}",
    "fragment": "http://127.0.0.1:{port}#frag",
    "empty fragment": "http://127.0.0.1:{port}#",
    "query": "http://127.0.0.1:{port}?a=1",
    "empty query": "http://127.0.0.1:{port}?",
    "path": "http://127.0.0.1:{port}/v2",
    "non-ASCII host": "http://lócalhost:{port}",
    "non-ASCII digit in port": "http://127.0.0.1:\u0665000",
    "full-width dot": "http://127.0.0.1\uff0e:{port}",
    "subdomain of localhost over http": "http://evil.localhost:{port}",
    "localhost with a trailing dot": "http://localhost.:{port}",
    "short IPv4 form": "http://127.1:{port}",
    "IPv4 as one number": "http://2130706433:{port}",
    "hex IPv4": "http://0x7f.0.0.1:{port}",
    "octal-looking IPv4": "http://0127.0.0.1:{port}",
    "IPv4-mapped IPv6 over http": "http://[::ffff:127.0.0.1]:{port}",
    "IPv6 zone": "http://[::1%25lo]:{port}",
    "unbracketed IPv6": "http://::1:{port}",
    "label starting with a dash": "https://-r.azurecr.io",
    "empty label": "https://r..azurecr.io",
    "label over 63 characters": "https://" + "r" * 64 + ".azurecr.io",
    "no host": "https://:443",
    "no scheme separator": "https:r.azurecr.io",
    "other scheme": "ftp://127.0.0.1:{port}",
}


@pytest.mark.parametrize("template", list(BAD_ENDPOINTS.values()), ids=list(BAD_ENDPOINTS))
def test_bad_endpoint_is_refused_before_any_request(registry: LocalRegistry, template: str) -> None:
    with pytest.raises(ValueError, match="endpoint"):
        ContainerRegistryClient(template.format(port=registry.port), None)
    assert registry.requests == []


def test_non_ascii_host_asks_for_its_punycode_form() -> None:
    with pytest.raises(ValueError, match=r"IDNA.*punycode"):
        ContainerRegistryClient("https://régistry.azurecr.io", None)


def test_non_string_endpoint_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="endpoint"):
        ContainerRegistryClient(b"https://r.azurecr.io", None)  # type: ignore[arg-type]


def test_the_registry_is_reached_through_its_own_endpoint(
    registry: LocalRegistry,
) -> None:
    # The control for the refusals above: the good address does reach the registry.
    with ContainerRegistryClient(registry.endpoint, registry.credential()) as client:
        list(client.list_repository_names())
    assert registry.requests


@pytest.mark.parametrize(
    ("endpoint", "host"),
    [
        ("myregistry.azurecr.io", "myregistry.azurecr.io"),
        ("http://localhost:5000", "localhost:5000"),
        ("http://127.0.0.2:1", "127.0.0.2:1"),
        ("http://[::1]:8080", "[::1]:8080"),
        ("http://[::1]", "[::1]"),
    ],
)
def test_bare_hosts_get_https_and_loopback_may_use_http(endpoint: str, host: str) -> None:
    with ContainerRegistryClient(endpoint) as client:
        assert host in repr(client)


@pytest.mark.parametrize(
    ("endpoint", "normalised"),
    [
        ("HTTPS://MyRegistry.AzureCR.io/", "https://myregistry.azurecr.io"),
        ("https://myregistry.azurecr.io:", "https://myregistry.azurecr.io"),
        ("https://myregistry.azurecr.io:443", "https://myregistry.azurecr.io"),
        ("myregistry.azurecr.io:8443", "https://myregistry.azurecr.io:8443"),
        ("https://xn--rgistry-bya.azurecr.io", "https://xn--rgistry-bya.azurecr.io"),
        ("http://[0:0:0:0:0:0:0:1]:8080", "http://[0:0:0:0:0:0:0:1]:8080"),
        ("https://[2001:DB8::1]:8443", "https://[2001:db8::1]:8443"),
    ],
)
def test_endpoints_are_normalised_to_scheme_host_and_port(endpoint: str, normalised: str) -> None:
    with ContainerRegistryClient(endpoint, None) as client:
        assert repr(client) == f"ContainerRegistryClient(endpoint={normalised!r})"


def test_unknown_api_version_is_refused() -> None:
    with pytest.raises(ValueError, match="api_version"):
        ContainerRegistryClient("myregistry.azurecr.io", api_version="2020-01-01")
