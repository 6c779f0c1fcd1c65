"""List the tags of a repository, newest first.

Run: ``python samples/list_tags.py [repository]``.
"""

from __future__ import annotations

import sys

from _connect import registry

from azure_containerregistry import ArtifactTagOrder, ContainerRegistryClient


def main(repository: str = "library/hello-world") -> None:
    with registry() as (endpoint, credential), ContainerRegistryClient(
        endpoint, credential
    ) as client:
        tags = client.list_tag_properties(
            repository, order_by=ArtifactTagOrder.LAST_UPDATED_ON_DESCENDING
        )
        for tag in tags:
            print(f"{tag.name}\t{tag.digest}\t{tag.last_updated_on:%Y-%m-%d %H:%M}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
