"""List every repository of a registry, with its tag and manifest counts.

Run: ``python samples/list_repositories.py`` (uses ``CONTAINERREGISTRY_ENDPOINT`` when set, else a
local registry).
"""

from __future__ import annotations

from _connect import registry

from azure_containerregistry import ContainerRegistryClient


def main() -> None:
    with registry() as (endpoint, credential), ContainerRegistryClient(
        endpoint, credential
    ) as client:
        for name in client.list_repository_names():
            properties = client.get_repository_properties(name)
            print(f"{name}: {properties.tag_count} tags, {properties.manifest_count} manifests")


if __name__ == "__main__":
    main()
