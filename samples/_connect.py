"""Where the samples connect: your registry when configured, a local one otherwise.

Set ``CONTAINERREGISTRY_ENDPOINT`` (e.g. ``https://myregistry.azurecr.io``) and sign in the way
:class:`azure.identity.DefaultAzureCredential` looks for (``az login``, environment, managed
identity). Without it, the samples start :class:`azure_containerregistry.testing.LocalRegistry`
on loopback and seed it with a few demo images, so every sample runs anywhere.
"""

from __future__ import annotations

import contextlib
import os
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator, Tuple

from azure_containerregistry.testing import LocalRegistry


@contextlib.contextmanager
def registry(*, anonymous: bool = False) -> Iterator[Tuple[str, Any]]:
    """Yield ``(endpoint, credential)``; the credential is None for anonymous access."""
    endpoint = os.environ.get("CONTAINERREGISTRY_ENDPOINT")
    if endpoint:
        from azure.identity import DefaultAzureCredential

        yield endpoint, None if anonymous else DefaultAzureCredential()
        return
    with LocalRegistry(anonymous_pull=anonymous) as local:
        _seed(local)
        yield local.endpoint, None if anonymous else local.credential()


def _seed(local: LocalRegistry) -> None:
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for day, tag in enumerate(["v1", "v2", "v3", "v4", "v5"]):
        local.add_image(
            "library/hello-world", tags=[tag], created_on=start + timedelta(days=day), size=1024
        )
    local.add_image("library/busybox", tags=["latest"], architecture="arm64")
    local.add_index("library/multiarch", tags=["latest"])
