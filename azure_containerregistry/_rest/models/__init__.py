"""msrest models for the wire JSON of the ACR data-plane API."""

from typing import Any, Dict

from msrest import Serializer

from ._models import (
    AcrErrorInfo,
    AcrErrors,
    ChangeableAttributes,
    ManifestAttributes,
    ManifestAttributesReference,
    RepositoryAttributes,
    TagAttributes,
)

_SERIALIZER = Serializer({"ChangeableAttributes": ChangeableAttributes})  # type: ignore[no-untyped-call]


def serialize_body(value: ChangeableAttributes) -> Dict[str, Any]:
    """The JSON body for ``value``, with unset (None) fields left out, as the service expects."""
    body: Dict[str, Any] = _SERIALIZER.body(value, "ChangeableAttributes")  # type: ignore[no-untyped-call]
    return body

__all__ = [
    "AcrErrorInfo",
    "AcrErrors",
    "ChangeableAttributes",
    "ManifestAttributes",
    "ManifestAttributesReference",
    "RepositoryAttributes",
    "TagAttributes",
    "serialize_body",
]
