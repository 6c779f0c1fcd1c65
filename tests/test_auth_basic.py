"""Username and password sign-in (``AzureNamedKeyCredential``) against LocalRegistry.

The client trades the username and password for an access token per scope at
``GET /oauth2/token`` with HTTP Basic auth (no ``/oauth2/exchange``), caches it like an AAD
client's, and never shows the password in a log line or an exception.
"""

from __future__ import annotations

import base64
import json
import logging
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Callable

import pytest
from azure.core.credentials import AzureKeyCredential, AzureNamedKeyCredential
from azure.core.exceptions import ClientAuthenticationError

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry.testing import LocalRegistry

ADMIN = ("registry-admin", "admin-Pa55word-0123456789")
CI = ("ci-token", "ci-Pa55word-9876543210")


def _basic(username: str, password: str) -> str:
    return base64.b64encode(f"{username}:{password}".encode()).decode()


def _secrets(username: str, password: str) -> list[str]:
    """What must never be shown: the password and the Basic value carrying it."""
    return [password, _basic(username, password)]


def _calls(registry: LocalRegistry) -> list[tuple[str, str, int]]:
    return [(r.method, r.path, r.status) for r in registry.requests]


@pytest.fixture
def users(registry: LocalRegistry) -> LocalRegistry:
    registry.add_image("app", tags=["v1"])
    registry.add_image("other", tags=["v1"])
    registry.add_user(*ADMIN)
    registry.add_user(*CI, scopes=["repository:app:pull,metadata_read"])
    registry.clear_requests()
    return registry


@pytest.fixture
def admin(users: LocalRegistry) -> Iterator[ContainerRegistryClient]:
    with ContainerRegistryClient(users.endpoint, AzureNamedKeyCredential(*ADMIN)) as client:
        yield client


def test_an_admin_user_signs_in_and_reaches_every_scope(
    users: LocalRegistry, admin: ContainerRegistryClient
) -> None:
    assert sorted(admin.list_repository_names()) == ["app", "other"]
    assert admin.get_tag_properties("other", "v1").name == "v1"
    digest, _ = admin.upload_blob("app", b"a layer pushed with a password")
    assert users.has_blob("app", digest)
    admin.delete_tag("other", "v1")
    assert users.tags("other") == []
    paths = [r.path for r in users.requests]
    assert "/oauth2/exchange" not in paths
    assert all(r.status != 401 for r in users.requests)  # each token came before its call


def test_first_call_costs_a_token_and_the_call_then_one_request(
    users: LocalRegistry, admin: ContainerRegistryClient
) -> None:
    admin.get_tag_properties("app", "v1")
    assert _calls(users) == [("GET", "/oauth2/token", 200), ("GET", "/acr/v1/app/_tags/v1", 200)]
    token_request = users.requests[0]
    assert token_request.query == {
        "service": users.service, "scope": "repository:app:metadata_read"
    }
    assert token_request.headers["authorization"] == "REDACTED"  # the registry got a header
    users.clear_requests()
    for _ in range(3):
        admin.get_tag_properties("app", "v1")
    assert _calls(users) == [("GET", "/acr/v1/app/_tags/v1", 200)] * 3


def test_a_scoped_token_outside_its_scope_is_refused_naming_the_scope(
    users: LocalRegistry,
) -> None:
    with ContainerRegistryClient(users.endpoint, AzureNamedKeyCredential(*CI)) as client:
        assert client.get_tag_properties("app", "v1").name == "v1"
        with pytest.raises(ClientAuthenticationError) as refused:
            client.get_tag_properties("other", "v1")
        with pytest.raises(ClientAuthenticationError) as refused_write:
            client.delete_tag("app", "v1")
    message = str(refused.value)
    assert "'repository:other:metadata_read'" in message and "denied" in message
    assert "'repository:app:delete'" in str(refused_write.value)
    for error in (refused.value, refused_write.value):
        for secret in _secrets(*CI):
            assert secret not in str(error) and secret not in repr(error)
    assert users.tags("app") == ["v1"]


def test_a_wrong_password_is_a_client_authentication_error_without_the_password(
    users: LocalRegistry,
) -> None:
    wrong = (ADMIN[0], "not-the-Pa55word-at-all")
    credential = AzureNamedKeyCredential(*wrong)
    with ContainerRegistryClient(users.endpoint, credential) as client, pytest.raises(
        ClientAuthenticationError
    ) as refused:
        client.get_tag_properties("app", "v1")
    for secret in _secrets(*wrong):
        assert secret not in str(refused.value)
    assert "Token request for scope 'repository:app:metadata_read' failed" in str(refused.value)


def test_no_secret_reaches_a_debug_log(
    users: LocalRegistry, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    credential = AzureNamedKeyCredential(*ADMIN)
    with ContainerRegistryClient(users.endpoint, credential, logging_enable=True) as client:
        client.get_tag_properties("app", "v1")
        client.upload_blob("app", b"logged upload")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "/oauth2/token" in text and "Authorization" in text  # the requests were logged
    for secret in _secrets(*ADMIN):
        assert secret not in text


def test_a_rotated_password_takes_effect_on_the_next_token_fetch(users: LocalRegistry) -> None:
    credential = AzureNamedKeyCredential(*ADMIN)
    with ContainerRegistryClient(users.endpoint, credential) as client:
        client.get_tag_properties("app", "v1")
        rotated = "rotated-Pa55word-2468013579"
        users.add_user(ADMIN[0], rotated)
        client.get_tag_properties("app", "v1")  # the cached token still serves
        users.expire_tokens()
        with pytest.raises(ClientAuthenticationError):
            client.get_tag_properties("app", "v1")  # the old password is refused now
        credential.update(ADMIN[0], rotated)
        users.clear_requests()
        assert client.get_tag_properties("app", "v1").name == "v1"
    assert _calls(users)[0] == ("GET", "/oauth2/token", 200)


def test_the_password_never_goes_to_the_storage_host(
    registry_factory: Callable[..., LocalRegistry],
) -> None:
    registry = registry_factory(storage_redirect=True)
    registry.add_user(*ADMIN)
    digest = registry.add_image("app", tags=["v1"])
    manifest = json.loads(registry.get_manifest_bytes("app", digest) or b"{}")
    layer = manifest["layers"][0]["digest"]
    with ContainerRegistryClient(registry.endpoint, AzureNamedKeyCredential(*ADMIN)) as client:
        assert b"".join(client.download_blob("app", layer)) != b""
    storage = [r for r in registry.requests if r.path.startswith("/_storage/")]
    assert storage and all("authorization" not in r.headers for r in storage)


def test_a_registry_served_with_user_flags_signs_in_another_process() -> None:
    flag = f"{CI[0]}:{CI[1]}:repository:app:pull,metadata_read"
    proc = subprocess.Popen(
        [sys.executable, "-m", "azure_containerregistry.testing", "serve", "--port", "0",
         "--seed-demo", "--user", f"{ADMIN[0]}:{ADMIN[1]}", "--user", flag],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        endpoint = proc.stdout.readline().strip()
        with ContainerRegistryClient(endpoint, AzureNamedKeyCredential(*ADMIN)) as client:
            assert sorted(client.list_repository_names()) == ["library/hello", "multi"]
        scoped = ContainerRegistryClient(endpoint, AzureNamedKeyCredential(*CI))
        with scoped, pytest.raises(ClientAuthenticationError) as refused:
            scoped.get_tag_properties("library/hello", "latest")
        assert "'repository:library/hello:metadata_read'" in str(refused.value)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.mark.parametrize("credential", [AzureKeyCredential("a-key"), "password", ("u", "p")])
def test_a_credential_of_another_kind_is_refused_before_any_request(
    registry: LocalRegistry, credential: object
) -> None:
    with pytest.raises(TypeError, match="AzureNamedKeyCredential"):
        ContainerRegistryClient(registry.endpoint, credential)  # type: ignore[arg-type]
    assert registry.requests == []


def test_concurrent_first_calls_share_one_token_request(users: LocalRegistry) -> None:
    results: list[str] = []
    with ContainerRegistryClient(users.endpoint, AzureNamedKeyCredential(*ADMIN)) as client:

        def call() -> None:
            results.append(client.get_tag_properties("app", "v1").name)

        threads = [threading.Thread(target=call) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not any(thread.is_alive() for thread in threads)
    assert results == ["v1"] * 8
    assert [r.path for r in users.requests].count("/oauth2/token") == 1
    assert all(r.status == 200 for r in users.requests)
