"""Read a registry that allows anonymous pull, without any credential.

Anonymous clients can list and read; writes raise ``ClientAuthenticationError``.
Run: ``python samples/anonymous_access.py``.
"""

from __future__ import annotations

from _connect import registry
from azure.core.exceptions import ClientAuthenticationError

from azure_containerregistry import ContainerRegistryClient


def main() -> None:
    with registry(anonymous=True) as (endpoint, _), ContainerRegistryClient(endpoint) as client:
        for name in client.list_repository_names():
            tags = [tag.name for tag in client.list_tag_properties(name)]
            print(f"{name}: {', '.join(tags)}")
        try:
            client.delete_repository("library/hello-world")
        except ClientAuthenticationError:
            print("anonymous delete refused, as expected")


if __name__ == "__main__":
    main()
