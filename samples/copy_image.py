"""Copy an image, or a multi-arch index with all its images, to another repository.

Run: ``python samples/copy_image.py [source-repository [tag [target-repository]]]``. Uses
``CONTAINERREGISTRY_ENDPOINT`` with ``DefaultAzureCredential`` when set, else a LocalRegistry.

:func:`azure_containerregistry.copy_image` sends each manifest as the exact bytes served, so
digests are kept; within one registry it mounts blobs instead of moving them, and what the
target already has is skipped, so running this twice moves nothing the second time. To copy
between registries, pass a client of each.
"""

from __future__ import annotations

import sys
from collections import Counter

from _connect import registry

from azure_containerregistry import ContainerRegistryClient, CopyEvent, copy_image


def main(
    source: str = "library/hello-world", tag: str = "v1", target: str = "copies/hello-world"
) -> None:
    with registry() as (endpoint, credential), ContainerRegistryClient(
        endpoint, credential
    ) as client:
        steps: Counter[str] = Counter()

        def count(event: CopyEvent) -> None:
            if event.action != "copying":  # "copying" reports bytes as a blob streams
                steps[f"{event.kind} {event.action}"] += 1

        digest = copy_image(client, source, tag, client, target, progress=count)
        print(f"copied {source}:{tag} to {target}:{tag} ({digest})")
        print("  " + ", ".join(f"{n} {step}" for step, n in sorted(steps.items())))
        steps.clear()
        index = copy_image(client, "library/multiarch", "latest", client, "copies/multiarch",
                           progress=count)  # fmt: skip
        print(f"copied library/multiarch:latest to copies/multiarch:latest ({index})")
        print("  " + ", ".join(f"{n} {step}" for step, n in sorted(steps.items())))
        steps.clear()
        copy_image(client, "library/multiarch", "latest", client, "copies/multiarch",
                   progress=count)  # fmt: skip
        print("copied again: " + ", ".join(f"{n} {step}" for step, n in sorted(steps.items())))


if __name__ == "__main__":
    main(*sys.argv[1:4])
