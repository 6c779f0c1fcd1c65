"""Wire-level facts of the ACR protocol shared by the local registry's routes.

Media types, name/tag/digest grammars, the time format and the ``{"errors": [...]}`` error
body all live here so each route module states only its own behaviour.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
INDEX_TYPES = frozenset({OCI_INDEX, DOCKER_LIST})
IMAGE_TYPES = frozenset({OCI_MANIFEST, DOCKER_MANIFEST})
MAX_MANIFEST_BYTES = 4 * 1024 * 1024

# Docker/ACR repository grammar: path components of lowercase alphanumerics joined by
# one of ``.``, ``_``, ``__`` or runs of ``-``; at most 256 characters in total.
_COMPONENT = r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*"
_NAME_RE = re.compile(rf"{_COMPONENT}(?:/{_COMPONENT})*")
_TAG_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_DIGEST_RE = re.compile(r"sha256:[a-f0-9]{64}")
_ANY_DIGEST_RE = re.compile(r"[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+")

UNAUTHORIZED_MESSAGE = (
    "authentication required, visit https://aka.ms/acr/authorization for more information."
)
# ACR refuses writes/deletes on locked repositories, manifests and tags with
# "405 Method Not Allowed" and the DENIED code (the message `az acr` prints for locked
# images). The Docker spec has no lock concept, so this is the one ACR-specific choice here.
LOCKED_STATUS = 405
LOCKED_CODE = "DENIED"
LOCKED_MESSAGE = "The operation is disallowed on this registry, repository or image."


class RegistryError(Exception):
    """An error answer: status, ACR error code, message and optional detail/headers."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        detail: Any = None,
        *,
        headers: dict[str, str] | None = None,
        omit_detail: bool = False,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail
        self.headers = headers or {}
        self.omit_detail = omit_detail

    def body(self) -> bytes:
        """Serialise as ACR's ``{"errors": [{"code", "message", "detail"}]}``."""
        item: dict[str, Any] = {"code": self.code, "message": self.message}
        if not self.omit_detail:
            item["detail"] = self.detail
        return json.dumps({"errors": [item]}).encode()


def recorded_error(status: int, code: str, message: str) -> RegistryError:
    """An error whose body ACR sends without ``detail`` (as in the recordings)."""
    return RegistryError(status, code, message, omit_detail=True)


def is_valid_name(name: str) -> bool:
    """Whether ``name`` is a valid repository name."""
    return len(name) <= 256 and _NAME_RE.fullmatch(name) is not None


def is_valid_tag(tag: str) -> bool:
    """Whether ``tag`` is a valid tag."""
    return _TAG_RE.fullmatch(tag) is not None


def is_digest(ref: str) -> bool:
    """Whether ``ref`` looks like a digest (``algorithm:encoded``) rather than a tag."""
    return ":" in ref


def check_name(name: str) -> None:
    """Raise ``NAME_INVALID`` for a malformed repository name."""
    if not is_valid_name(name):
        raise RegistryError(400, "NAME_INVALID", "invalid repository name", {"name": name})


def check_digest(digest: str) -> None:
    """Raise ``DIGEST_INVALID`` unless ``digest`` is a well formed sha256 digest."""
    if _DIGEST_RE.fullmatch(digest) is None:
        if _ANY_DIGEST_RE.fullmatch(digest) is not None:
            raise RegistryError(
                400, "DIGEST_INVALID", "unsupported digest algorithm", {"digest": digest}
            )
        raise RegistryError(
            400, "DIGEST_INVALID", "provided digest did not match uploaded content",
            {"digest": digest},
        )


def format_time(moment: datetime) -> str:
    """ACR's time format: ISO 8601, UTC, seven fractional digits and ``Z``."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond:06d}0Z"
