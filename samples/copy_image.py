"""Copy an image (or a multi-arch index and its images) from one repository to another.

Run: ``python samples/copy_image.py [source-repository [tag [target-repository]]]``. Uses
``CONTAINERREGISTRY_ENDPOINT`` with ``DefaultAzureCredential`` when set, else a LocalRegistry.

Blobs are streamed from one repository to the other in chunks, so memory stays small whatever
the layer size, and the manifest is copied as the exact bytes served, so its digest is kept.
"""

from __future__ import annotations

import io
import sys
from typing import Iterator

from _connect import registry

from azure_containerregistry import ContainerRegistryClient


class IteratorReader(io.RawIOBase):
    """A readable stream over an iterator of byte chunks (e.g. a ``DownloadBlobStream``)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def copy(client: ContainerRegistryClient, source: str, reference: str, target: str) -> str:
    """Copy manifest ``reference`` of ``source`` (and all it references) into ``target``."""
    pulled = client.get_manifest(source, reference)
    for child in pulled.manifest.get("manifests", []):  # an index: copy each platform first
        copy(client, source, child["digest"], target)
    blobs = (
        [pulled.manifest["config"], *pulled.manifest["layers"]]
        if "config" in pulled.manifest
        else []
    )
    for blob in blobs:
        with client.download_blob(source, blob["digest"]) as stream:
            digest, size = client.upload_blob(target, IteratorReader(stream))
        assert (digest, size) == (blob["digest"], blob["size"])
    tag = None if reference.startswith("sha256:") else reference
    return client.set_manifest(
        target, io.BytesIO(pulled.data), tag=tag, media_type=pulled.media_type
    )


def main(
    source: str = "library/hello-world", tag: str = "v1", target: str = "copies/hello-world"
) -> None:
    with registry() as (endpoint, credential), ContainerRegistryClient(
        endpoint, credential
    ) as client:
        digest = copy(client, source, tag, target)
        print(f"copied {source}:{tag} to {target}:{tag} ({digest})")
        index = copy(client, "library/multiarch", "latest", "copies/multiarch")
        print(f"copied library/multiarch:latest to copies/multiarch:latest ({index})")


if __name__ == "__main__":
    main(*sys.argv[1:4])
