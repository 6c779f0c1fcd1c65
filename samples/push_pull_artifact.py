"""Push a small OCI artifact (config + one layer + manifest), then pull it back and check it.

Run: ``python samples/push_pull_artifact.py [repository]``. Uses ``CONTAINERREGISTRY_ENDPOINT``
with ``DefaultAzureCredential`` when set, else a LocalRegistry started on loopback.
"""

from __future__ import annotations

import io
import json
import sys

from _connect import registry

from azure_containerregistry import ContainerRegistryClient

ARTIFACT_TYPE = "application/vnd.example.greeting.config.v1+json"
LAYER_TYPE = "text/plain"


def main(repository: str = "samples/greeting") -> None:
    layer = b"Hello from azure_containerregistry!\n" * 1000
    config = json.dumps({"greeting": "hello"}).encode()

    with registry() as (endpoint, credential), ContainerRegistryClient(
        endpoint, credential
    ) as client:
        # Blobs first: a manifest may only reference blobs the registry already has.
        config_digest, config_size = client.upload_blob(repository, io.BytesIO(config))
        layer_digest, layer_size = client.upload_blob(repository, io.BytesIO(layer))
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": ARTIFACT_TYPE, "digest": config_digest, "size": config_size},
            "layers": [{
                "mediaType": LAYER_TYPE,
                "digest": layer_digest,
                "size": layer_size,
                "annotations": {"org.opencontainers.image.title": "greeting.txt"},
            }],
        }  # fmt: skip
        digest = client.set_manifest(repository, manifest, tag="v1")
        print(f"pushed {repository}:v1 as {digest}")

        # Pull: the manifest by tag (verified against the digest the registry reports),
        # then each layer, streamed and verified against its digest.
        pulled = client.get_manifest(repository, "v1")
        assert pulled.digest == digest
        for descriptor in pulled.manifest["layers"]:
            stream = client.download_blob(repository, descriptor["digest"])
            data = b"".join(stream)
            assert data == layer
            title = descriptor["annotations"]["org.opencontainers.image.title"]
            print(f"pulled {title}: {len(data)} bytes, {descriptor['digest']}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
