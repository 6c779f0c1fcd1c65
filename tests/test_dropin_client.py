"""The client next to azure-containerregistry 1.2.0: keywords, docstrings, deliberate strictness.

Each test runs 1.2.0 and ours against the same LocalRegistry (https: 1.2.0 refuses plain http)
and reads the registry's request log to tell "refused before any request" from "sent".
"""

from __future__ import annotations

import contextlib
import inspect
from pathlib import Path
from typing import Any, Callable

import azure.containerregistry as official
import pytest
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError

import azure_containerregistry as ours
from azure_containerregistry.testing import LocalRegistry

TLS = Path(__file__).parent / "recordings" / "tls"
CERT = str(TLS / "localhost-cert.pem")


@pytest.fixture
def registry(registry_factory: Any) -> LocalRegistry:
    made: LocalRegistry = registry_factory(certfile=CERT, keyfile=str(TLS / "localhost-key.pem"))
    return made


def _official(registry: LocalRegistry, **kwargs: Any) -> official.ContainerRegistryClient:
    return official.ContainerRegistryClient(
        registry.endpoint, kwargs.pop("credential", None),
        audience="https://containerregistry.azure.net", connection_verify=CERT, **kwargs,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("keywords", "advice"),
    [
        ({"username": "ci", "password": "s3cret-value"}, "AzureNamedKeyCredential"),
        ({"password": "s3cret-value"}, "AzureNamedKeyCredential"),
        ({"token": "eyJhbGciOi"}, "TokenCredential"),
        ({"access_token": "eyJhbGciOi"}, "TokenCredential"),
        ({"refresh_token": "eyJhbGciOi"}, "TokenCredential"),
        ({"client_secret": "s3cret-value"}, "ClientSecretCredential"),
        ({"api_key": "s3cret-value"}, "AzureNamedKeyCredential"),
        ({"credentials": object()}, "credential (singular)"),
    ],
)
def test_credential_keywords_are_refused_before_any_request_where_1_2_0_ignores_them(
    registry: LocalRegistry, keywords: dict[str, Any], advice: str
) -> None:
    with _official(registry, **keywords) as theirs, pytest.raises(ClientAuthenticationError):
        list(theirs.list_repository_names())  # signed in as nobody: a 401 that says nothing
    registry.clear_requests()
    with pytest.raises(TypeError) as caught:
        ours.ContainerRegistryClient(registry.endpoint, **keywords)
    message = str(caught.value)
    assert advice in message and sorted(keywords)[0] in message
    assert "s3cret-value" not in message and "eyJhbGciOi" not in message
    assert registry.requests == []


def test_azure_core_keywords_still_pass_through(registry: LocalRegistry) -> None:
    with ours.ContainerRegistryClient(
        registry.endpoint, registry.credential(), connection_verify=CERT,
        retry_total=0, user_agent="dropin-test", logging_enable=False,
    ) as client:  # fmt: skip
        assert list(client.list_repository_names()) == []


_STRICTER: dict[str, Callable[[Any], Any]] = {
    "malformed repository name": lambda c: c.get_repository_properties("Bad Name"),
    "malformed digest": lambda c: c.get_manifest_properties("app", "sha256:short"),
    "unknown order_by": lambda c: list(c.list_tag_properties("app", order_by="sideways")),
}


@pytest.mark.parametrize("call", list(_STRICTER.values()), ids=list(_STRICTER))
def test_malformed_input_is_a_value_error_before_any_request_where_1_2_0_sends_it(
    registry: LocalRegistry, call: Callable[[Any], Any]
) -> None:
    """The deliberate differences README lists under "Differences from azure-containerregistry"."""
    registry.add_image("app", tags=["v1"])
    with _official(registry, credential=registry.credential()) as theirs:
        registry.clear_requests()
        with contextlib.suppress(HttpResponseError):  # an error answer, or none at all
            call(theirs)
        assert registry.requests  # 1.2.0 asked the registry
    with ours.ContainerRegistryClient(
        registry.endpoint, registry.credential(), connection_verify=CERT
    ) as mine:
        registry.clear_requests()
        with pytest.raises(ValueError):
            call(mine)
        assert registry.requests == []


def _documented_methods() -> list[tuple[str, Any]]:
    """Public methods defined on the metadata client itself, and the models' properties."""
    found = [
        (f"ContainerRegistryClient.{name}", member)
        for name, member in vars(ours.ContainerRegistryClient).items()
        if not name.startswith("_") and callable(member)
    ]
    for model in (ours.RepositoryProperties, ours.ArtifactTagProperties,
                  ours.ArtifactManifestProperties, ours.ArtifactManifestPlatform):
        for name, member in inspect.getmembers(model):
            if isinstance(member, property) and not name.startswith("_"):
                found.append((f"{model.__name__}.{name}", member))
    return found


def test_every_public_method_and_property_documents_its_return_type() -> None:
    documented = _documented_methods()
    assert len(documented) > 30
    missing = [name for name, member in documented if ":rtype:" not in (member.__doc__ or "")]
    assert missing == []


def test_every_keyword_of_the_metadata_methods_is_documented() -> None:
    checked = 0
    for name, member in _documented_methods():
        if isinstance(member, property):
            continue
        for parameter in inspect.signature(member).parameters.values():
            if parameter.kind is inspect.Parameter.KEYWORD_ONLY:
                assert f":keyword {parameter.name}:" in member.__doc__ or (
                    f" {parameter.name}:" in member.__doc__
                ), f"{name} does not document {parameter.name}"
                checked += 1
    assert checked >= 15  # results_per_page, order_by and every can_*
