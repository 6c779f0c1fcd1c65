"""Delete all but the newest N tags of a repository: a CI cleanup job.

Dry run by default: it prints what it would delete. Pass ``--delete`` to delete.
Locked tags (``can_delete=False``) are kept and reported.

Run: ``python samples/cleanup_old_tags.py [repository] [--keep N] [--delete]``.
"""

from __future__ import annotations

import argparse

from _connect import registry

from azure_containerregistry import ArtifactTagOrder, ContainerRegistryClient


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repository", nargs="?", default="library/hello-world")
    parser.add_argument("--keep", type=int, default=3, help="how many newest tags to keep")
    parser.add_argument("--delete", action="store_true", help="really delete (default: dry run)")
    args = parser.parse_args(argv)
    if args.keep < 0:
        parser.error("--keep must be >= 0")

    with registry() as (endpoint, credential), ContainerRegistryClient(
        endpoint, credential
    ) as client:
        newest_first = client.list_tag_properties(
            args.repository, order_by=ArtifactTagOrder.LAST_UPDATED_ON_DESCENDING
        )
        for position, tag in enumerate(newest_first):
            if position < args.keep:
                print(f"keep    {tag.name}")
            elif tag.can_delete is False:
                print(f"locked  {tag.name} (can_delete=False), kept")
            elif args.delete:
                client.delete_tag(args.repository, tag.name)
                print(f"deleted {tag.name}")
            else:
                print(f"would delete {tag.name} (dry run; pass --delete)")


if __name__ == "__main__":
    main()
