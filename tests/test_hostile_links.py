"""Finding 1: URLs the server (or a user) supplies never take a token, or any request, elsewhere.

Next-page ``Link`` headers and ``by_page(continuation_token=...)`` may only move along the
listing's own route on the registry; upload ``Location`` headers and redirects may lead to another
well-formed origin (blob storage), but never with the registry's token, and a URL that parsers
could read as two different hosts is refused outright.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Iterator, Mapping
from typing import Callable, NamedTuple

import pytest
from azure.core.exceptions import HttpResponseError
from hostile import Answer, HostileServer, Route, client_for, routes

from azure_containerregistry import ContainerRegistryClient

ELSEWHERE = "item-from-elsewhere"
EVIL_PAGE = {"repositories": [ELSEWHERE], "imageName": "app",
             "tags": [{"name": ELSEWHERE, "digest": "sha256:" + "e" * 64}],
             "manifests": [{"digest": "sha256:" + "e" * 64, "tags": [ELSEWHERE]}]}


class Hosts(NamedTuple):
    """The registry, a sink whose port is the registry's plus one digit, and another sink."""

    registry: HostileServer
    neighbour: HostileServer
    sink: HostileServer

    def fill(self, template: str) -> str:
        """``template`` with ``{r}`` (registry port), ``{n}`` (neighbour) and ``{s}`` (sink)."""
        return template.format(r=self.registry.port, n=self.neighbour.port, s=self.sink.port)

    def outsiders(self) -> list[tuple[str, str]]:
        """Every request that reached a host other than the registry."""
        return [(seen.method, seen.target) for host in (self.neighbour, self.sink)
                for seen in host.requests]


@pytest.fixture
def hosts(sink: HostileServer) -> Iterator[Hosts]:
    """A registry on port R (1024..6552) and a neighbour sink on port R*10+d: a next link
    ``http://127.0.0.1:<R><d>/...`` starts with the registry's origin but is another host."""
    rng = random.Random()
    for _ in range(100):
        port, digit = rng.randrange(1024, 6553), rng.randrange(6)  # R*10+d <= 65535
        try:
            registry = HostileServer(port=port)
        except OSError:
            continue
        try:
            neighbour = HostileServer(auth=False, port=port * 10 + digit)
        except OSError:
            registry.stop()
            continue
        with registry, neighbour:
            neighbour.handler = sink.handler = _evil
            yield Hosts(registry, neighbour, sink)
        return
    pytest.fail("no free pair of ports R and R*10+d on 127.0.0.1")


def _evil(method: str, target: str, headers: Mapping[str, str], body: bytes) -> Answer:
    return Answer.json(EVIL_PAGE)


# {r}: registry port, {n}: the neighbour's port (= {r} plus one digit), {s}: an unrelated sink.
FOREIGN_LINKS = {
    "at-sign-in-path": "/acr/v1/_catalog@127.0.0.1:{s}/x",
    "backslash-splice": "http://127.0.0.1:{r}\\@127.0.0.1:{s}/acr/v1/_catalog",
    "userinfo-splice": "http://127.0.0.1:{r}@127.0.0.1:{s}/acr/v1/_catalog",
    "port-digit-splice": "http://127.0.0.1:{n}/acr/v1/_catalog",
    "absolute-on-sink": "http://127.0.0.1:{s}/acr/v1/_catalog",
    "scheme-relative": "//127.0.0.1:{s}/acr/v1/_catalog",
    "another-route": "/acr/v1/otherrepo/_tags",
}


def _first_page_then_evil(route: str, first: Mapping[str, object], link: str) -> Route:
    """``route`` without a ``last`` query answers ``first`` and ``link``; the rest is evil."""

    def handle(method: str, target: str, headers: Mapping[str, str], body: bytes) -> Answer:
        if target.split("?")[0] == route and "last=" not in target:
            return Answer.json(first, headers=[("Link", f'<{link}>; rel="next"')])
        return Answer.json(EVIL_PAGE)

    return handle


def _tag_names(item: object) -> str:
    return str(getattr(item, "name", "") or getattr(item, "tags", ""))


@pytest.mark.parametrize("template", list(FOREIGN_LINKS.values()), ids=list(FOREIGN_LINKS))
def test_catalog_next_link_leaving_the_route_raises_and_reaches_no_other_host(
    hosts: Hosts, template: str
) -> None:
    link = hosts.fill(template)
    hosts.registry.handler = _first_page_then_evil(
        "/acr/v1/_catalog", {"repositories": ["good"]}, link
    )
    seen: list[str] = []
    with client_for(hosts.registry) as client, pytest.raises(HttpResponseError):
        seen.extend(client.list_repository_names())
    assert hosts.outsiders() == []
    assert ELSEWHERE not in seen
    asked = [(s.path, "last=" in s.target) for s in hosts.registry.api_requests]
    assert asked == [("/acr/v1/_catalog", False)]  # the first page, and nothing after it


LISTINGS: dict[str, tuple[str, Callable[[ContainerRegistryClient], Iterable[object]]]] = {
    "tags": ("/acr/v1/app/_tags", lambda c: c.list_tag_properties("app")),
    "manifests": ("/acr/v1/app/_manifests", lambda c: c.list_manifest_properties("app")),
}


@pytest.mark.parametrize("kind", list(LISTINGS))
@pytest.mark.parametrize("template", ["http://127.0.0.1:{s}{route}", "/acr/v1/_catalog"],
                         ids=["absolute-on-sink", "another-route"])
def test_tag_and_manifest_next_links_leaving_the_route_are_refused(
    hosts: Hosts, kind: str, template: str
) -> None:
    route, listing = LISTINGS[kind]
    link = template.format(s=hosts.sink.port, route=route)
    first = {"registry": hosts.registry.service, "imageName": "app", "tags": [], "manifests": []}
    hosts.registry.handler = _first_page_then_evil(route, first, link)
    seen: list[str] = []
    with client_for(hosts.registry) as client, pytest.raises(HttpResponseError):
        seen.extend(_tag_names(item) for item in listing(client))
    assert hosts.outsiders() == []
    assert not any(ELSEWHERE in name for name in seen)
    assert [s.path for s in hosts.registry.api_requests] == [route]


def test_a_next_link_along_the_listing_route_is_followed(hosts: Hosts) -> None:
    def catalog(method: str, target: str, headers: Mapping[str, str], body: bytes) -> Answer:
        if "last=good" in target:
            return Answer.json({"repositories": ["second"]})
        link = '</acr/v1/_catalog?last=good&n=1>; rel="next"'
        return Answer.json({"repositories": ["good"]}, headers=[("Link", link)])

    hosts.registry.handler = routes({("GET", "/acr/v1/_catalog"): catalog})
    with client_for(hosts.registry) as client:
        assert list(client.list_repository_names(results_per_page=1)) == ["good", "second"]
    assert hosts.outsiders() == []


@pytest.mark.parametrize("template", list(FOREIGN_LINKS.values()), ids=list(FOREIGN_LINKS))
def test_a_foreign_continuation_token_raises_value_error_before_any_request(
    hosts: Hosts, template: str
) -> None:
    token = hosts.fill(template)
    with client_for(hosts.registry) as client, pytest.raises(ValueError):
        next(iter(client.list_repository_names().by_page(continuation_token=token)))
    assert hosts.registry.requests == []
    assert hosts.outsiders() == []


def test_a_continuation_token_on_the_listing_route_resumes_there(hosts: Hosts) -> None:
    hosts.registry.handler = routes({("GET", "/acr/v1/_catalog"): Answer.json(
        {"repositories": ["resumed"]})})
    with client_for(hosts.registry) as client:
        pages = client.list_repository_names().by_page(
            continuation_token="/acr/v1/_catalog?last=a&n=2")
        assert [list(page) for page in pages] == [["resumed"]]
    (seen,) = hosts.registry.api_requests
    assert seen.query.get("last") == "a"


# -- upload Location and blob redirects --------------------------------------------------------

BLOB = b"hostile blob content"
DIGEST = "sha256:" + hashlib.sha256(BLOB).hexdigest()


def _registry_opening_uploads_at(location: str) -> Route:
    return routes({
        ("HEAD", f"/v2/app/blobs/{DIGEST}"): Answer(404),
        ("POST", "/v2/app/blobs/uploads/"): Answer(
            202, [("Location", location), ("Range", "0-0"), ("Docker-Upload-UUID", "u1")]),
    }, fallback=lambda m, t, h, b: Answer(202 if m in ("PUT", "PATCH", "DELETE") else 404))


def _committing_store(method: str, target: str, headers: Mapping[str, str], body: bytes) -> Answer:
    """An upload front end that commits whatever the PUT carries."""
    if method == "PUT":
        digest = "sha256:" + hashlib.sha256(body).hexdigest()
        return Answer(201, [("Docker-Content-Digest", digest), ("Location", "/v2/app/blobs/x")])
    return Answer(202, [("Location", target), ("Range", "0-0")])


def test_an_upload_location_on_another_origin_is_followed_without_the_token(
    hostile: HostileServer, sink: HostileServer, hostile_client: ContainerRegistryClient
) -> None:
    hostile.handler = _registry_opening_uploads_at(
        f"http://127.0.0.1:{sink.port}/upload/u1?_state=abc")
    sink.handler = _committing_store
    assert hostile_client.upload_blob("app", BLOB) == (DIGEST, len(BLOB))
    assert [(s.method, s.path, s.body) for s in sink.requests] == [("PUT", "/upload/u1", BLOB)]
    assert [s.authorization for s in sink.requests] == [None]


@pytest.mark.parametrize("template", [
    "http://127.0.0.1:{r}\\@127.0.0.1:{s}/upload/u1",
    "http://127.0.0.1:{r}@127.0.0.1:{s}/upload/u1",
    "http://127.0.0.1:{s}\\@127.0.0.1:{r}/upload/u1",
], ids=["backslash-splice", "userinfo-splice", "reverse-backslash-splice"])
def test_an_upload_location_splice_raises_and_reaches_no_other_host(
    hosts: Hosts, template: str
) -> None:
    hosts.registry.handler = _registry_opening_uploads_at(hosts.fill(template))
    hosts.sink.handler = _committing_store
    with client_for(hosts.registry) as client, pytest.raises(HttpResponseError):
        client.upload_blob("app", BLOB)
    assert hosts.outsiders() == []


def test_a_blob_redirect_to_another_origin_is_followed_without_the_token(
    hostile: HostileServer, sink: HostileServer, hostile_client: ContainerRegistryClient
) -> None:
    storage = f"http://127.0.0.1:{sink.port}/storage/blob?sig=s3cr3t-sas"
    hostile.handler = routes(
        {("GET", f"/v2/app/blobs/{DIGEST}"): Answer(307, [("Location", storage)])})
    sink.handler = routes({("GET", "/storage/blob"): Answer(
        206, [("Content-Range", f"bytes 0-{len(BLOB) - 1}/{len(BLOB)}"),
              ("Content-Type", "application/octet-stream")], BLOB)})
    assert b"".join(hostile_client.download_blob("app", DIGEST)) == BLOB
    assert sink.requests, "the redirect was not followed"
    assert [s.authorization for s in sink.requests] == [None] * len(sink.requests)


@pytest.mark.parametrize("template", [
    "http://127.0.0.1:{r}\\@127.0.0.1:{s}/storage/blob",
    "http://127.0.0.1:{s}\\@127.0.0.1:{r}/storage/blob",
    "http://127.0.0.1:{r}@127.0.0.1:{s}/storage/blob",
    "//127.0.0.1:{s}/storage/blob",
], ids=["backslash-splice", "reverse-backslash-splice", "userinfo-splice", "scheme-relative"])
def test_a_blob_redirect_splice_raises_and_reaches_no_other_host(
    hosts: Hosts, template: str
) -> None:
    hosts.registry.handler = routes(
        {("GET", f"/v2/app/blobs/{DIGEST}"): Answer(307, [("Location", hosts.fill(template))])})
    with client_for(hosts.registry) as client, pytest.raises(HttpResponseError, match="redirect"):
        client.download_blob("app", DIGEST)
    assert hosts.outsiders() == []
