"""Wire shapes of the ACR data-plane API (2021-07-01) as msrest models.

These describe the JSON exactly as the REST spec names it, the way generated code does, and
serialise request bodies. Responses are *read* by the public models straight from the decoded
JSON instead: msrest's generic ``Deserializer`` costs about 55 µs per listed item, which is
nearly all of the official client's CPU on a listing.
"""

from __future__ import annotations

from typing import Any, ClassVar, Dict, List, Optional

from msrest.serialization import Model


class ChangeableAttributes(Model):  # type: ignore[misc]
    """The settable flags of a repository, tag or manifest (the PATCH body)."""

    _attribute_map: ClassVar[Dict[str, Dict[str, str]]] = {
        "delete_enabled": {"key": "deleteEnabled", "type": "bool"},
        "write_enabled": {"key": "writeEnabled", "type": "bool"},
        "list_enabled": {"key": "listEnabled", "type": "bool"},
        "read_enabled": {"key": "readEnabled", "type": "bool"},
        "teleport_enabled": {"key": "teleportEnabled", "type": "bool"},
    }

    def __init__(
        self,
        *,
        delete_enabled: Optional[bool] = None,
        write_enabled: Optional[bool] = None,
        list_enabled: Optional[bool] = None,
        read_enabled: Optional[bool] = None,
        teleport_enabled: Optional[bool] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.delete_enabled = delete_enabled
        self.write_enabled = write_enabled
        self.list_enabled = list_enabled
        self.read_enabled = read_enabled
        self.teleport_enabled = teleport_enabled


class RepositoryAttributes(Model):  # type: ignore[misc]
    """``GET /acr/v1/{name}``."""

    _attribute_map: ClassVar[Dict[str, Dict[str, str]]] = {
        "registry_login_server": {"key": "registry", "type": "str"},
        "name": {"key": "imageName", "type": "str"},
        "created_on": {"key": "createdTime", "type": "iso-8601"},
        "last_updated_on": {"key": "lastUpdateTime", "type": "iso-8601"},
        "manifest_count": {"key": "manifestCount", "type": "int"},
        "tag_count": {"key": "tagCount", "type": "int"},
        "changeable_attributes": {"key": "changeableAttributes", "type": "ChangeableAttributes"},
    }


class TagAttributes(Model):  # type: ignore[misc]
    """One tag: an item of ``TagList.tags`` and ``TagAttributesWrapper.tag``."""

    _attribute_map: ClassVar[Dict[str, Dict[str, str]]] = {
        "name": {"key": "name", "type": "str"},
        "digest": {"key": "digest", "type": "str"},
        "created_on": {"key": "createdTime", "type": "iso-8601"},
        "last_updated_on": {"key": "lastUpdateTime", "type": "iso-8601"},
        "signed": {"key": "signed", "type": "bool"},
        "changeable_attributes": {"key": "changeableAttributes", "type": "ChangeableAttributes"},
    }


class ManifestAttributesReference(Model):  # type: ignore[misc]
    """A child of a multi-arch index, as listed under ``references``."""

    _attribute_map: ClassVar[Dict[str, Dict[str, str]]] = {
        "digest": {"key": "digest", "type": "str"},
        "architecture": {"key": "architecture", "type": "str"},
        "operating_system": {"key": "os", "type": "str"},
    }


class ManifestAttributes(Model):  # type: ignore[misc]
    """One manifest: an item of ``AcrManifests.manifests`` and ``ManifestAttributesWrapper.manifest``."""

    _attribute_map: ClassVar[Dict[str, Dict[str, str]]] = {
        "digest": {"key": "digest", "type": "str"},
        "size": {"key": "imageSize", "type": "long"},
        "created_on": {"key": "createdTime", "type": "iso-8601"},
        "last_updated_on": {"key": "lastUpdateTime", "type": "iso-8601"},
        "architecture": {"key": "architecture", "type": "str"},
        "operating_system": {"key": "os", "type": "str"},
        "media_type": {"key": "mediaType", "type": "str"},
        "config_media_type": {"key": "configMediaType", "type": "str"},
        "tags": {"key": "tags", "type": "[str]"},
        "references": {"key": "references", "type": "[ManifestAttributesReference]"},
        "changeable_attributes": {"key": "changeableAttributes", "type": "ChangeableAttributes"},
    }


class AcrErrorInfo(Model):  # type: ignore[misc]
    """One entry of ACR's ``errors`` list."""

    _attribute_map: ClassVar[Dict[str, Dict[str, str]]] = {
        "code": {"key": "code", "type": "str"},
        "message": {"key": "message", "type": "str"},
        "detail": {"key": "detail", "type": "object"},
    }


class AcrErrors(Model):  # type: ignore[misc]
    """ACR's error body: ``{"errors": [...]}``."""

    _attribute_map: ClassVar[Dict[str, Dict[str, str]]] = {
        "errors": {"key": "errors", "type": "[AcrErrorInfo]"},
    }

    errors: List[AcrErrorInfo]
