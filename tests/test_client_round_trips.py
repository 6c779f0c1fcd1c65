"""Round trips per call, read from the registry's request log: the facts we beat Microsoft on.

Microsoft's client pays 4 requests per call (401, exchange, token, retry), 8 for anything
addressed by tag, and 4 per listing page. Ours pays the 401 dance once per scope.
"""

from __future__ import annotations

import threading
from typing import Callable

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry.testing import LocalRegistry


def _api_calls(registry: LocalRegistry) -> list[str]:
    """Method and path of every request that is not a token call."""
    return [f"{r.method} {r.path}" for r in registry.requests if not r.path.startswith("/oauth2/")]


def _token_calls(registry: LocalRegistry, path: str) -> int:
    return sum(1 for r in registry.requests if r.path == path)


def test_first_call_costs_three_requests_then_each_call_costs_one(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    client.get_tag_properties("app", "v1")
    assert [(r.method, r.path.split("?")[0], r.status) for r in registry.requests] == [
        ("POST", "/oauth2/exchange", 200),  # no challenge: ACR's service is its host name
        ("POST", "/oauth2/token", 200),
        ("GET", "/acr/v1/app/_tags/v1", 200),
    ]
    registry.clear_requests()
    for _ in range(10):
        client.get_tag_properties("app", "v1")
        client.get_repository_properties("app")
    assert len(registry.requests) == 20
    assert all(r.status == 200 and r.authorized for r in registry.requests)


def test_a_new_scope_costs_one_token_call_not_a_new_challenge(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1", "v2"])
    client.get_tag_properties("app", "v1")  # learns the service, caches the refresh token
    registry.clear_requests()
    client.delete_tag("app", "v2")  # scope repository:app:delete is new
    assert [(r.path.split("?")[0], r.status) for r in registry.requests] == [
        ("/oauth2/token", 200),
        ("/acr/v1/app/_tags/v2", 202),
    ]


def test_manifest_calls_by_tag_cost_two_requests(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    registry.add_image("app", tags=["v2"])
    client.get_manifest_properties("app", "v1")
    client.update_manifest_properties("app", "v1", can_list=True)
    client.delete_manifest("app", "v2")  # warms the delete scope
    registry.add_image("app", tags=["v3"])
    registry.clear_requests()
    client.get_manifest_properties("app", "v1")
    assert len(registry.requests) == 2
    registry.clear_requests()
    client.update_manifest_properties("app", "v1", can_list=True)
    assert len(registry.requests) == 2
    registry.clear_requests()
    client.delete_manifest("app", "v3")
    assert len(registry.requests) == 2


def test_manifest_calls_by_digest_cost_one_request(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    digest = registry.add_image("app", tags=["v1"])
    client.get_manifest_properties("app", digest)
    registry.clear_requests()
    client.get_manifest_properties("app", digest)
    assert len(registry.requests) == 1


def test_each_listing_page_costs_one_request(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    for i in range(10):
        registry.add_image("app", tags=[f"v{i}"])
    list(client.list_tag_properties("app"))
    registry.clear_requests()
    assert len(list(client.list_tag_properties("app", results_per_page=3))) == 10
    assert len(list(client.list_manifest_properties("app", results_per_page=3))) == 10
    assert len(_api_calls(registry)) == 8
    assert len(registry.requests) == 8  # manifests share the metadata_read scope


def test_one_refresh_token_exchange_serves_every_scope(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    for name in ("a", "b", "c"):
        registry.add_image(name, tags=["v1"])
    list(client.list_repository_names())
    for name in ("a", "b", "c"):
        client.get_repository_properties(name)
        client.update_tag_properties(name, "v1", can_list=True)
        client.delete_tag(name, "v1")
    assert _token_calls(registry, "/oauth2/exchange") == 1
    assert _token_calls(registry, "/oauth2/token") == 1 + 3 * 3


def test_eight_threads_share_one_client_without_extra_exchanges(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    for name in ("a", "b"):
        registry.add_image(name, tags=["v1"])
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def work(repository: str) -> Callable[[], None]:
        def run() -> None:
            try:
                barrier.wait()
                for _ in range(10):
                    assert client.get_tag_properties(repository, "v1").name == "v1"
                    assert client.get_repository_properties(repository).name == repository
            except BaseException as error:
                errors.append(error)

        return run

    threads = [threading.Thread(target=work("a" if i % 2 else "b")) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert _token_calls(registry, "/oauth2/exchange") == 1
    assert _token_calls(registry, "/oauth2/token") == 2  # one per repository scope
    assert all(r.status in (200, 401) for r in registry.requests)


def test_a_client_whose_tokens_are_revoked_recovers_with_one_retry(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    client.get_tag_properties("app", "v1")
    registry.expire_tokens()
    registry.clear_requests()
    assert client.get_tag_properties("app", "v1").name == "v1"
    # The cached access token is refused; the cached refresh token is tried, refused too, and
    # only then is the AAD token exchanged again: one retry of the call itself.
    assert [(r.path.split("?")[0], r.status) for r in registry.requests] == [
        ("/acr/v1/app/_tags/v1", 401),
        ("/oauth2/token", 401),
        ("/oauth2/exchange", 200),
        ("/oauth2/token", 200),
        ("/acr/v1/app/_tags/v1", 200),
    ]


def test_token_calls_share_the_api_connection(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    client.get_tag_properties("app", "v1")
    client.delete_tag("app", "v1")
    assert len(registry.requests) == 5
    assert len({r.connection for r in registry.requests}) == 1


def test_a_first_call_with_a_body_sends_it_once(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    client.update_tag_properties("app", "v1", can_write=False)
    assert [(r.method, r.path.split("?")[0], r.status) for r in registry.requests] == [
        ("POST", "/oauth2/exchange", 200),
        ("POST", "/oauth2/token", 200),
        ("PATCH", "/acr/v1/app/_tags/v1", 200),  # the only request that carries the body
    ]


def test_a_manifest_pushed_first_is_sent_once(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    config = b"{}"
    source = ContainerRegistryClient(registry.endpoint, registry.credential())
    with source:
        config_digest, _ = source.upload_blob("app", config)
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": config_digest, "size": len(config)},
        "layers": [],
    }
    registry.clear_requests()
    client.set_manifest("app", manifest, tag="v1")
    puts = [r for r in registry.requests if r.method == "PUT"]
    assert [(r.status, r.authorized) for r in puts] == [(201, True)]
