"""msrest models for the wire JSON of the ACR data-plane API."""

from ._models import (
    AcrErrorInfo,
    AcrErrors,
    ChangeableAttributes,
    ManifestAttributes,
    ManifestAttributesReference,
    RepositoryAttributes,
    TagAttributes,
)

__all__ = [
    "AcrErrorInfo",
    "AcrErrors",
    "ChangeableAttributes",
    "ManifestAttributes",
    "ManifestAttributesReference",
    "RepositoryAttributes",
    "TagAttributes",
]
