"""Delete all but the newest N tags of a repository, and the images they leave untagged.

A CI cleanup job on the safe planner (:mod:`azure_containerregistry.purge`): it never deletes a
locked item, a child of a kept multi-arch index, or a signature of a kept image. Dry run by
default: it prints the plan. Pass ``--delete`` to run it; each item is checked again first.
The same job from a shell: ``python -m azure_containerregistry purge --filter 'repo:.*' --keep N``.

Run: ``python samples/cleanup_old_tags.py [repository] [--keep N] [--delete]``.
"""

from __future__ import annotations

import argparse
import re

from _connect import registry

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry.purge import plan


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
        reviewed = plan(client, [f"{re.escape(args.repository)}:.*"], keep=args.keep,
                        untagged=True)
        for item in reviewed.items:
            if item.kind == "tag":
                print(f"{item.decision.value:<6} {item.name} ({item.reason.value})")
        print(reviewed.summary())
        if args.delete:
            print(reviewed.execute(client).summary())
        else:
            print("dry run: pass --delete to delete")


if __name__ == "__main__":
    main()
