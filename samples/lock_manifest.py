"""Show a manifest's properties, then lock it so it can be neither deleted nor overwritten.

Run: ``python samples/lock_manifest.py [repository] [tag]``.
"""

from __future__ import annotations

import sys

from _connect import registry

from azure_containerregistry import ContainerRegistryClient


def main(repository: str = "library/hello-world", tag: str = "v5") -> None:
    with registry() as (endpoint, credential), ContainerRegistryClient(
        endpoint, credential
    ) as client:
        manifest = client.get_manifest_properties(repository, tag)
        print(f"{manifest.fully_qualified_reference}")
        print(f"  {manifest.architecture}/{manifest.operating_system}, "
              f"{manifest.size_in_bytes} bytes, tags {manifest.tags}")
        locked = client.update_manifest_properties(
            repository, manifest.digest, can_delete=False, can_write=False
        )
        print(f"  locked: can_delete={locked.can_delete}, can_write={locked.can_write}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
