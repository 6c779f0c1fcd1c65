"""Username and password against CNCF distribution with an htpasswd file (plain Basic on ``/v2``).

Debian's ``docker-registry`` answers ``401`` with ``WWW-Authenticate: Basic realm=...`` and has
no token route. The client learns that from the first ``401`` and sends the username and
password on every later request to the registry. The htpasswd line is a bcrypt hash made here
(distribution accepts no other hash). A missing binary fails the suite rather than skipping it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Iterator

import bcrypt
import pytest
from azure.core.credentials import AzureNamedKeyCredential
from azure.core.exceptions import ClientAuthenticationError
from distribution import distribution_config, serve_distribution

from azure_containerregistry import ContainerRegistryClient

USER = ("ci", "htpasswd-Pa55word-13579")
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"



@pytest.fixture(scope="module")
def htpasswd_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Endpoint of a ``docker-registry`` that takes :data:`USER` by HTTP Basic auth."""
    root = tmp_path_factory.mktemp("htpasswd-distribution")
    htpasswd = root / "htpasswd"
    hashed = bcrypt.hashpw(USER[1].encode(), bcrypt.gensalt(rounds=4)).decode()
    htpasswd.write_text(f"{USER[0]}:{hashed}\n")
    yield from serve_distribution(
        root,
        distribution_config(root / "data", htpasswd),
        ready_status=401,
    )


class _Requests(logging.Handler):
    """Counts the requests azure-core's HTTP logging policy reports."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Request URL:"):
            self.lines.append(message.splitlines()[0])


def _push(client: ContainerRegistryClient, repository: str, tag: str) -> str:
    layer = b"pushed with a password over Basic auth"
    config = b"{}"
    layer_digest, _ = client.upload_blob(repository, layer)
    config_digest, _ = client.upload_blob(repository, config)
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": config_digest, "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                    "digest": layer_digest, "size": len(layer)}],
    }
    data = json.dumps(manifest).encode()
    digest = client.set_manifest(repository, data, tag=tag, media_type=OCI_MANIFEST)
    assert digest == "sha256:" + hashlib.sha256(data).hexdigest()
    return digest


def test_basic_auth_on_the_api_pushes_and_pulls(htpasswd_registry: str) -> None:
    with ContainerRegistryClient(htpasswd_registry, AzureNamedKeyCredential(*USER)) as client:
        digest = _push(client, "app", "v1")
        pulled = client.get_manifest("app", "v1")
    assert pulled.digest == digest


def test_after_the_first_challenge_each_call_is_one_request(
    htpasswd_registry: str, caplog: pytest.LogCaptureFixture
) -> None:
    counter = _Requests()
    policy_logger = logging.getLogger("azure.core.pipeline.policies.http_logging_policy")
    policy_logger.addHandler(counter)
    caplog.set_level(logging.DEBUG)
    credential = AzureNamedKeyCredential(*USER)
    try:
        with ContainerRegistryClient(
            htpasswd_registry, credential, logging_enable=True
        ) as client:
            client.upload_blob("steady", b"first")  # learns Basic
            counter.lines.clear()
            assert client.blob_exists("steady", "sha256:" + hashlib.sha256(b"first").hexdigest())
            assert len(counter.lines) == 1
    finally:
        policy_logger.removeHandler(counter)
    text = "\n".join(record.getMessage() for record in caplog.records)
    basic = base64.b64encode(f"{USER[0]}:{USER[1]}".encode()).decode()
    assert "Basic" in text
    assert USER[1] not in text and basic not in text


def test_a_wrong_password_is_refused_without_showing_it(htpasswd_registry: str) -> None:
    wrong = (USER[0], "wrong-Pa55word-000000")
    client = ContainerRegistryClient(htpasswd_registry, AzureNamedKeyCredential(*wrong))
    with client, pytest.raises(ClientAuthenticationError) as refused:
        client.get_manifest("app", "v1")
    basic = base64.b64encode(f"{wrong[0]}:{wrong[1]}".encode()).decode()
    assert wrong[1] not in str(refused.value) and basic not in str(refused.value)


def test_an_anonymous_client_is_refused(htpasswd_registry: str) -> None:
    with ContainerRegistryClient(htpasswd_registry) as client, pytest.raises(
        ClientAuthenticationError
    ):
        client.get_manifest("app", "v1")
