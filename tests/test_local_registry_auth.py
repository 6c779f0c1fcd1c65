"""LocalRegistry token protocol: exchange, token, scopes, expiry and anonymous pull."""

from __future__ import annotations

import base64
import json
from typing import Any

from conftest import RegistryHTTP

from azure_containerregistry.testing import LocalRegistry


def claims(jwt: str) -> dict[str, Any]:
    payload = jwt.split(".")[1]
    padded = payload + "=" * (-len(payload) % 4)
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(padded))
    return decoded


def test_tokens_are_jwts_with_expiry_audience_and_granted_access(
        registry: LocalRegistry, acr_http: RegistryHTTP) -> None:
    access = acr_http.token("repository:a/b:pull,push")
    payload = claims(access)
    assert payload["aud"] == registry.service
    assert payload["exp"] - payload["iat"] == 3600
    assert payload["access"] == [{"type": "repository", "name": "a/b",
                                  "actions": ["pull", "push"]}]


def test_token_granted_pull_push_satisfies_pull_and_push_routes(
        registry: LocalRegistry, acr_http: RegistryHTTP) -> None:
    registry.add_image("repo", tags=["t"])
    token = acr_http.token("repository:repo:pull,push")
    assert acr_http.request("GET", "/v2/repo/manifests/t", token=token).status == 200
    assert acr_http.request("POST", "/v2/repo/blobs/uploads/", token=token).status == 202


def test_wrong_scope_token_gets_insufficient_scope_challenge(
        registry: LocalRegistry, acr_http: RegistryHTTP) -> None:
    registry.add_image("repo", tags=["t"])
    token = acr_http.token("repository:repo:metadata_read")
    answer = acr_http.request("DELETE", "/acr/v1/repo", token=token)
    assert answer.status == 401
    assert answer.headers["www-authenticate"].endswith(
        'scope="repository:repo:delete",error="insufficient_scope"')
    other = acr_http.token("repository:other:delete")
    assert acr_http.request("DELETE", "/acr/v1/repo", token=other).status == 401


def test_expired_tokens_are_refused_and_new_ones_work(registry: LocalRegistry,
                                                      acr_http: RegistryHTTP) -> None:
    token = acr_http.token("registry:catalog:*")
    refresh = acr_http.refresh_token()
    registry.expire_tokens()
    answer = acr_http.request("GET", "/acr/v1/_catalog", token=token)
    assert answer.status == 401
    assert "error=" not in answer.headers["www-authenticate"]
    stale = acr_http.form("/oauth2/token", {"service": registry.service,
                                            "scope": "registry:catalog:*",
                                            "refresh_token": refresh,
                                            "grant_type": "refresh_token"})
    assert stale.status == 401
    assert stale.json()["errors"][0]["code"] == "UNAUTHORIZED"
    fresh = RegistryHTTP(registry)
    assert acr_http.request("GET", "/acr/v1/_catalog",
                            token=fresh.token("registry:catalog:*")).status == 200
    fresh.close()


def test_short_access_token_lifetime_is_reflected_in_exp(registry_factory: Any) -> None:
    registry = registry_factory(access_token_lifetime=-1.0)
    driver = RegistryHTTP(registry)
    token = driver.token("registry:catalog:*")
    assert driver.request("GET", "/acr/v1/_catalog", token=token).status == 401
    driver.close()


def test_exchange_rejects_unknown_token_and_wrong_audience(registry: LocalRegistry,
                                                           acr_http: RegistryHTTP) -> None:
    form = {"grant_type": "access_token", "service": registry.service, "access_token": "x.y.z"}
    bad = acr_http.form("/oauth2/exchange", form)
    assert bad.status == 401
    assert bad.json()["errors"][0]["code"] == "UNAUTHORIZED"
    wrong = registry.credential().get_token("https://vault.azure.net/.default").token
    assert acr_http.form("/oauth2/exchange", {**form, "access_token": wrong}).status == 401
    other = LocalRegistry()
    foreign = other.credential().get_token("https://containerregistry.azure.net/.default")
    other.stop()
    assert acr_http.form("/oauth2/exchange", {**form, "access_token": foreign.token}).status == 401
    good = registry.credential().get_token("https://management.azure.com/.default").token
    assert acr_http.form("/oauth2/exchange", {**form, "access_token": good,
                                              "tenant": "t"}).status == 200


def test_exchange_requires_matching_service(registry: LocalRegistry,
                                            acr_http: RegistryHTTP) -> None:
    aad = registry.credential().get_token("https://containerregistry.azure.net/.default").token
    answer = acr_http.form("/oauth2/exchange", {"grant_type": "access_token",
                                                "service": "elsewhere", "access_token": aad})
    assert answer.status == 401


def test_anonymous_token_refused_unless_anonymous_pull(registry: LocalRegistry,
                                                       acr_http: RegistryHTTP) -> None:
    answer = acr_http.form("/oauth2/token", {"service": registry.service,
                                             "scope": "registry:catalog:*",
                                             "grant_type": "password"})
    assert answer.status == 401


def test_anonymous_pull_grants_reads_only(registry_factory: Any) -> None:
    registry = registry_factory(anonymous_pull=True)
    registry.add_image("repo", tags=["t"])
    driver = RegistryHTTP(registry)
    answer = driver.form("/oauth2/token", {"service": registry.service,
                                           "scope": "repository:repo:pull,push,delete",
                                           "grant_type": "password"})
    token = answer.json()["access_token"]
    assert claims(token)["access"] == [{"type": "repository", "name": "repo",
                                        "actions": ["pull"]}]
    assert driver.request("GET", "/v2/repo/manifests/t", token=token).status == 200
    assert driver.request("POST", "/v2/repo/blobs/uploads/", token=token).status == 401
    driver.close()


def test_credential_counts_calls_and_repr_hides_tokens(registry: LocalRegistry) -> None:
    credential = registry.credential()
    token = credential.get_token("https://containerregistry.azure.net/.default")
    assert credential.calls == 1
    assert token.token not in repr(credential)
    assert token.expires_on > 0


def test_request_log_never_contains_tokens(registry: LocalRegistry,
                                           acr_http: RegistryHTTP) -> None:
    token = acr_http.token("registry:catalog:*")
    acr_http.request("GET", "/acr/v1/_catalog", token=token)
    assert token not in repr(registry.requests)
    record = registry.requests[-1]
    assert record.authorized and record.scope == "registry:catalog:*"
