"""Public models: what the registry says about repositories, tags and manifests.

Server data is read-only; ``can_delete``, ``can_list``, ``can_read`` and ``can_write`` are
settable and are what ``update_*`` sends. Models are built straight from the wire JSON and parse
timestamps only when read, so listing thousands of items stays cheap.

Like azure-containerregistry 1.2.0, every model can also be built from keywords (a test double,
say): ``ArtifactTagProperties(name="v1", digest=..., repository_name="app")``; the read-only
properties then return what was given. Unlike 1.2.0, an unknown keyword is a ``TypeError``.

Equality and hashing: two models are equal when all their fields are (so an item read twice
compares equal; 1.2.0 compares identity, and identical objects are equal here too). The hash is
taken over what identifies the item only (registry, repository, and tag name or manifest digest;
a repository: registry and name), so equal models hash equal, ``set(tags)`` and dict keys work,
and setting a ``can_*`` flag never changes a model's hash.

A registry is not ours to trust: a field of the wrong type or an unreadable timestamp reads as
``None`` (``[]`` for ``references``) instead of raising, so one odd item cannot break a listing,
a ``repr`` or a comparison.
"""

from __future__ import annotations

import warnings
from datetime import datetime
from typing import Hashable, List, Sequence, Union

from ._enums import ArtifactArchitecture, ArtifactOperatingSystem, enum_or_str
from ._model_base import (
    Wire,
    _Artifact,
    _count,
    _flag,
    _given,
    _list_of,
    _mapping,
    _Model,
    _text,
)
from ._model_base import _Changeable as _Changeable  # the base update bodies are built from
from ._rest._wire import Item
from ._rest.models import ChangeableAttributes

__all__ = [
    "ArtifactManifestPlatform",
    "ArtifactManifestProperties",
    "ArtifactTagProperties",
    "RepositoryProperties",
]


class RepositoryProperties(_Changeable):
    """Properties of a repository.

    Built by the client; build one yourself (as with 1.2.0) for ``update_repository_properties``
    or a test double. Every keyword is optional.

    :keyword str name: repository name, e.g. ``library/hello-world``.
    :keyword str registry: login server of the registry.
    :keyword created_on: creation time (a ``datetime`` or an ISO 8601 string).
    :keyword last_updated_on: time of the last change (a ``datetime`` or an ISO 8601 string).
    :keyword int manifest_count: number of manifests.
    :keyword int tag_count: number of tags.
    :keyword bool can_delete: whether the repository may be deleted.
    :keyword bool can_list: whether it is listed.
    :keyword bool can_read: whether it may be pulled.
    :keyword bool can_write: whether it may be pushed to.
    :keyword bool teleport_enabled: seed-era flag, sent only on the preview API version.
    """

    _fields = (
        "name", "registry", "created_on", "last_updated_on", "manifest_count", "tag_count",
        "can_delete", "can_list", "can_read", "can_write", "teleport_enabled",
    )  # fmt: skip

    def __init__(
        self,
        *,
        name: str | None = None,
        registry: str | None = None,
        created_on: datetime | str | None = None,
        last_updated_on: datetime | str | None = None,
        manifest_count: int | None = None,
        tag_count: int | None = None,
        can_delete: bool | None = None,
        can_list: bool | None = None,
        can_read: bool | None = None,
        can_write: bool | None = None,
        teleport_enabled: bool | None = None,
    ) -> None:
        wire = _given(
            imageName=name, registry=registry, createdTime=created_on,
            lastUpdateTime=last_updated_on, manifestCount=manifest_count, tagCount=tag_count,
        )  # fmt: skip
        self._init(wire, can_delete, can_list, can_read, can_write)
        #: Seed-era flag: read from the wire when present; sent only on the preview API version.
        self.teleport_enabled = teleport_enabled

    def _identity(self) -> tuple[Hashable, ...]:
        return (self.registry, self.name)

    @classmethod
    def _from_item(cls, item: Item) -> RepositoryProperties:
        """From the REST layer's checked item."""
        return cls._from_wire(item.wire)

    @classmethod
    def _from_wire(cls, wire: Wire) -> RepositoryProperties:
        self = cls.__new__(cls)
        self._set_wire(wire)
        changeable = _mapping(self._wire.get("changeableAttributes"))
        teleport = changeable.get("teleportEnabled", self._wire.get("teleportEnabled"))
        self.teleport_enabled = _flag(teleport)
        return self

    @property
    def name(self) -> str | None:
        """Repository name, e.g. ``library/hello-world``.

        :rtype: str or None
        """
        return _text(self._wire.get("imageName"))

    @property
    def registry(self) -> str | None:
        """Login server of the registry.

        :rtype: str or None
        """
        return _text(self._wire.get("registry"))

    @property
    def last_udpated_on(self) -> datetime | None:
        """Seed-era (and 1.2.0) misspelling of :attr:`last_updated_on`; deprecated.

        :rtype: ~datetime.datetime or None
        """
        warnings.warn(
            "last_udpated_on is deprecated; use last_updated_on", DeprecationWarning, stacklevel=2
        )
        return self.last_updated_on

    @property
    def manifest_count(self) -> int | None:
        """Number of manifests in the repository.

        :rtype: int or None
        """
        return _count(self._wire.get("manifestCount"))

    @property
    def tag_count(self) -> int | None:
        """Number of tags in the repository.

        :rtype: int or None
        """
        return _count(self._wire.get("tagCount"))

    def _changeable_attributes(self) -> ChangeableAttributes:
        attributes = super()._changeable_attributes()
        attributes.teleport_enabled = self.teleport_enabled
        return attributes


class ArtifactTagProperties(_Artifact):
    """Properties of a tag.

    Built by the client; build one yourself (as with 1.2.0) for ``update_tag_properties`` or a
    test double. Every keyword is optional.

    :keyword str name: the tag, e.g. ``v1``.
    :keyword str digest: digest of the manifest the tag points to.
    :keyword str repository_name: repository the tag is in.
    :keyword str registry: login server of the registry.
    :keyword created_on: creation time (a ``datetime`` or an ISO 8601 string).
    :keyword last_updated_on: time of the last change (a ``datetime`` or an ISO 8601 string).
    :keyword bool can_delete: whether the tag may be deleted.
    :keyword bool can_list: whether it is listed.
    :keyword bool can_read: whether it may be pulled.
    :keyword bool can_write: whether it may be moved or overwritten.
    """

    _fields = (
        "name", "digest", "repository_name", "registry", "created_on", "last_updated_on",
        "can_delete", "can_list", "can_read", "can_write",
    )  # fmt: skip

    def __init__(
        self,
        *,
        name: str | None = None,
        digest: str | None = None,
        repository_name: str | None = None,
        registry: str | None = None,
        created_on: datetime | str | None = None,
        last_updated_on: datetime | str | None = None,
        can_delete: bool | None = None,
        can_list: bool | None = None,
        can_read: bool | None = None,
        can_write: bool | None = None,
    ) -> None:
        wire = _given(
            name=name, digest=digest, createdTime=created_on, lastUpdateTime=last_updated_on
        )
        flags = (can_delete, can_list, can_read, can_write)
        self._init_artifact(wire, repository_name, registry, flags)

    def _identity(self) -> tuple[Hashable, ...]:
        return (self.registry, self.repository_name, self.name)

    @property
    def name(self) -> str | None:
        """The tag, e.g. ``v1``.

        :rtype: str or None
        """
        return _text(self._wire.get("name"))


class ArtifactManifestPlatform(_Model):
    """One child manifest of a multi-arch index: its digest and platform."""

    _fields = ("digest", "architecture", "operating_system")

    def __init__(self, wire: Wire) -> None:
        self._wire = _mapping(wire)

    def _identity(self) -> tuple[Hashable, ...]:
        return (self.digest, self.architecture, self.operating_system)

    @property
    def digest(self) -> str | None:
        """Digest of the child manifest.

        :rtype: str or None
        """
        return _text(self._wire.get("digest"))

    @property
    def architecture(self) -> Union[ArtifactArchitecture, str, None]:
        """CPU architecture; a value the enum lacks is kept as a ``str``.

        :rtype: ~azure_containerregistry.ArtifactArchitecture or str or None
        """
        return enum_or_str(ArtifactArchitecture, _text(self._wire.get("architecture")))

    @property
    def operating_system(self) -> Union[ArtifactOperatingSystem, str, None]:
        """Operating system; a value the enum lacks is kept as a ``str``.

        :rtype: ~azure_containerregistry.ArtifactOperatingSystem or str or None
        """
        return enum_or_str(ArtifactOperatingSystem, _text(self._wire.get("os")))


class ArtifactManifestProperties(_Artifact):
    """Properties of a manifest: an image, an index or any other OCI artifact.

    Built by the client; build one yourself (as with 1.2.0) for ``update_manifest_properties``
    or a test double. Every keyword is optional.

    :keyword str digest: the manifest's digest, ``sha256:<hex>``.
    :keyword str repository_name: repository the manifest is in.
    :keyword str registry: login server of the registry.
    :keyword int size_in_bytes: size of the image.
    :keyword list[str] tags: tags pointing at the manifest (None when it has none, as in 1.2.0).
    :keyword created_on: creation time (a ``datetime`` or an ISO 8601 string).
    :keyword last_updated_on: time of the last change (a ``datetime`` or an ISO 8601 string).
    :keyword architecture: CPU architecture (:class:`ArtifactArchitecture` or ``str``);
        ``cpu_architecture`` is 1.2.0's name for it and is accepted too.
    :keyword operating_system: :class:`ArtifactOperatingSystem` or ``str``.
    :keyword str media_type: the manifest's media type.
    :keyword str config_media_type: media type of its config blob.
    :keyword references: child manifests of an index (:class:`ArtifactManifestPlatform`).
    :keyword bool can_delete: whether the manifest may be deleted.
    :keyword bool can_list: whether it is listed.
    :keyword bool can_read: whether it may be pulled.
    :keyword bool can_write: whether it may be overwritten.
    """

    _fields = (
        "digest", "repository_name", "registry", "fully_qualified_reference", "size_in_bytes",
        "created_on", "last_updated_on", "architecture", "operating_system", "tags",
        "media_type", "config_media_type", "references",
        "can_delete", "can_list", "can_read", "can_write",
    )  # fmt: skip

    def __init__(
        self,
        *,
        digest: str | None = None,
        repository_name: str | None = None,
        registry: str | None = None,
        size_in_bytes: int | None = None,
        tags: Sequence[str] | None = None,
        created_on: datetime | str | None = None,
        last_updated_on: datetime | str | None = None,
        architecture: Union[ArtifactArchitecture, str, None] = None,
        cpu_architecture: Union[ArtifactArchitecture, str, None] = None,
        operating_system: Union[ArtifactOperatingSystem, str, None] = None,
        media_type: str | None = None,
        config_media_type: str | None = None,
        references: Sequence[ArtifactManifestPlatform] | None = None,
        can_delete: bool | None = None,
        can_list: bool | None = None,
        can_read: bool | None = None,
        can_write: bool | None = None,
    ) -> None:
        children = None if references is None else [dict(ref._wire) for ref in references]
        wire = _given(
            digest=digest, imageSize=size_in_bytes, tags=None if tags is None else list(tags),
            createdTime=created_on, lastUpdateTime=last_updated_on,
            architecture=architecture if architecture is not None else cpu_architecture,
            os=operating_system, mediaType=media_type, configMediaType=config_media_type,
            references=children,
        )  # fmt: skip
        flags = (can_delete, can_list, can_read, can_write)
        self._init_artifact(wire, repository_name, registry, flags)

    def _identity(self) -> tuple[Hashable, ...]:
        return (self.registry, self.repository_name, self.digest)

    @property
    def fully_qualified_reference(self) -> str:
        """``<registry>/<repository>@sha256:<hex>``, what ``docker pull`` accepts.

        :rtype: str
        """
        return f"{self.registry}/{self.repository_name}@{self.digest}"

    @property
    def size_in_bytes(self) -> int | None:
        """Size of the image, in bytes.

        :rtype: int or None
        """
        return _count(self._wire.get("imageSize"))

    @property
    def size(self) -> int | None:
        """Seed-era name of :attr:`size_in_bytes`.

        :rtype: int or None
        """
        return self.size_in_bytes

    @property
    def architecture(self) -> Union[ArtifactArchitecture, str, None]:
        """CPU architecture; a value the enum lacks is kept as a ``str``.

        :rtype: ~azure_containerregistry.ArtifactArchitecture or str or None
        """
        return enum_or_str(ArtifactArchitecture, _text(self._wire.get("architecture")))

    @property
    def operating_system(self) -> Union[ArtifactOperatingSystem, str, None]:
        """Operating system; a value the enum lacks is kept as a ``str``.

        :rtype: ~azure_containerregistry.ArtifactOperatingSystem or str or None
        """
        return enum_or_str(ArtifactOperatingSystem, _text(self._wire.get("os")))

    @property
    def tags(self) -> List[str] | None:
        """Tags pointing at the manifest; None for an untagged one, as in 1.2.0.

        :rtype: list[str] or None
        """
        return _list_of(self._wire.get("tags"), str)

    @property
    def media_type(self) -> str | None:
        """The manifest's media type.

        :rtype: str or None
        """
        return _text(self._wire.get("mediaType"))

    @property
    def config_media_type(self) -> str | None:
        """Media type of the manifest's config blob.

        :rtype: str or None
        """
        return _text(self._wire.get("configMediaType"))

    @property
    def references(self) -> List[ArtifactManifestPlatform]:
        """Child manifests of a multi-arch index; empty for a single image.

        :rtype: list[~azure_containerregistry.ArtifactManifestPlatform]
        """
        children = _list_of(self._wire.get("references"), dict) or []
        return [ArtifactManifestPlatform(child) for child in children]
