"""Wire shapes of the ACR data-plane API (2021-07-01) as msrest models.

These describe the JSON exactly as the REST spec names it, the way generated code does:
:class:`ChangeableAttributes` serialises every PATCH body, and ``tests/test_wire_models.py``
checks that every field real ACR sent (the recordings) and LocalRegistry sends is declared here.
Responses are *read* by the public models straight from the decoded JSON instead: msrest's
generic ``Deserializer`` costs about 55 µs per listed item, which is nearly all of the official
client's CPU on a listing.
"""

from __future__ import annotations

from typing import Any, List

from msrest.serialization import Model


class ChangeableAttributes(Model):
    """The settable flags of a repository, tag or manifest (the PATCH body)."""

    _attribute_map = {
        "delete_enabled": {"key": "deleteEnabled", "type": "bool"},
        "write_enabled": {"key": "writeEnabled", "type": "bool"},
        "list_enabled": {"key": "listEnabled", "type": "bool"},
        "read_enabled": {"key": "readEnabled", "type": "bool"},
        "teleport_enabled": {"key": "teleportEnabled", "type": "bool"},
    }

    def __init__(
        self,
        *,
        delete_enabled: bool | None = None,
        write_enabled: bool | None = None,
        list_enabled: bool | None = None,
        read_enabled: bool | None = None,
        teleport_enabled: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]
        self.delete_enabled = delete_enabled
        self.write_enabled = write_enabled
        self.list_enabled = list_enabled
        self.read_enabled = read_enabled
        self.teleport_enabled = teleport_enabled


class RepositoryAttributes(Model):
    """``GET /acr/v1/{name}``."""

    _attribute_map = {
        "registry_login_server": {"key": "registry", "type": "str"},
        "name": {"key": "imageName", "type": "str"},
        "created_on": {"key": "createdTime", "type": "iso-8601"},
        "last_updated_on": {"key": "lastUpdateTime", "type": "iso-8601"},
        "manifest_count": {"key": "manifestCount", "type": "int"},
        "tag_count": {"key": "tagCount", "type": "int"},
        "changeable_attributes": {"key": "changeableAttributes", "type": "ChangeableAttributes"},
    }


class TagAttributes(Model):
    """One tag: an item of ``TagList.tags`` and ``TagAttributesWrapper.tag``."""

    _attribute_map = {
        "name": {"key": "name", "type": "str"},
        "digest": {"key": "digest", "type": "str"},
        "created_on": {"key": "createdTime", "type": "iso-8601"},
        "last_updated_on": {"key": "lastUpdateTime", "type": "iso-8601"},
        "signed": {"key": "signed", "type": "bool"},
        "changeable_attributes": {"key": "changeableAttributes", "type": "ChangeableAttributes"},
    }


class ManifestAttributesReference(Model):
    """A child of a multi-arch index, as listed under ``references``."""

    _attribute_map = {
        "digest": {"key": "digest", "type": "str"},
        "architecture": {"key": "architecture", "type": "str"},
        "operating_system": {"key": "os", "type": "str"},
    }


class ManifestAttributes(Model):
    """One manifest: an item of ``AcrManifests.manifests``, or a wrapper's ``manifest``."""

    _attribute_map = {
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


class AcrErrorInfo(Model):
    """One entry of ACR's ``errors`` list."""

    _attribute_map = {
        "code": {"key": "code", "type": "str"},
        "message": {"key": "message", "type": "str"},
        "detail": {"key": "detail", "type": "object"},
    }


class AcrErrors(Model):
    """ACR's error body: ``{"errors": [...]}``."""

    _attribute_map = {
        "errors": {"key": "errors", "type": "[AcrErrorInfo]"},
    }

    errors: List[AcrErrorInfo]
