"""``ContainerRegistryClient``: validate arguments, delegate to the REST layer, return models."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Sequence, Type, Union

from azure.core.credentials import AzureNamedKeyCredential, TokenCredential

from ._content._methods import ContentMethods
from ._enums import ArtifactManifestOrder, ArtifactTagOrder, ManifestOrder, TagOrder, order_by_value
from ._keywords import refuse_credential_keywords
from ._models import ArtifactManifestProperties, ArtifactTagProperties, RepositoryProperties
from ._paging import ListingPaged, item_paged
from ._pipeline import create_rest_client
from ._tables import MANIFEST_COLUMNS, NAME_COLUMNS, TAG_COLUMNS
from ._updates import patch_body
from ._validation import (
    is_digest,
    validate_endpoint,
    validate_page_size,
    validate_reference,
    validate_repository,
    validate_tag,
)

__all__ = ["ContainerRegistryClient"]

DEFAULT_AUDIENCE = "https://containerregistry.azure.net"
API_VERSIONS = ("2021-07-01", "2019-08-15-preview")
_PREVIEW_API_VERSION = "2019-08-15-preview"


class ContainerRegistryClient(ContentMethods):
    """Read, update and delete the repositories, tags and manifests of one registry.

    :param endpoint: the registry's URL, ``https://<name>.azurecr.io``; a bare host gets
        ``https://``. Plain ``http://`` is allowed only for loopback hosts.
    :param credential: an AAD token credential such as
        :class:`azure.identity.DefaultAzureCredential`; an
        :class:`azure.core.credentials.AzureNamedKeyCredential` holding a username and password
        (an admin user, or a repository-scoped token and one of its passwords); or None for
        anonymous (read-only) access.
    :type credential: ~azure.core.credentials.TokenCredential or
        ~azure.core.credentials.AzureNamedKeyCredential or None
    :keyword str audience: AAD audience of the registry's cloud, by default
        ``https://containerregistry.azure.net``; the AAD scope is ``audience + "/.default"``.
    :keyword list[str] credential_scopes: seed-era way to give the AAD scope; wins over
        ``audience``.
    :keyword str api_version: ``"2021-07-01"`` (default) or ``"2019-08-15-preview"``.
    :keyword float connection_timeout: seconds to connect, per request (default 10).
    :keyword float read_timeout: seconds to wait between bytes of an answer (default 60).
    :keyword float retry_after_max: longest ``Retry-After`` obeyed, in seconds (default 60).
    :keyword float timeout: deadline of one request across all its retries, in seconds.
    :raises ValueError: for a malformed endpoint, plain http to a remote host, an unknown API
        version or a bad setting, before any request.
    :raises TypeError: for a keyword that looks like a credential (``username``, ``password``,
        ``token``, ``client_secret`` ...): the message says how to pass it as ``credential``.

    The timeouts may also be given per call. Other keywords configure azure-core
    (``transport``, ``retry_total``, ``logging_enable``, ``connection_verify``, ``proxies``,
    ``headers``, ``user_agent`` ...). One client may be
    shared by many threads; use it as a context manager or call :meth:`close`.

    .. code-block:: python

        from azure.identity import DefaultAzureCredential
        from azure_containerregistry import ContainerRegistryClient

        with ContainerRegistryClient(endpoint, DefaultAzureCredential()) as client:
            for name in client.list_repository_names():
                print(name)
    """

    def __init__(
        self,
        endpoint: str,
        credential: TokenCredential | AzureNamedKeyCredential | None = None,
        *,
        audience: str = DEFAULT_AUDIENCE,
        api_version: str | None = None,
        credential_scopes: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> None:
        refuse_credential_keywords(kwargs, "ContainerRegistryClient")
        self._endpoint = validate_endpoint(endpoint)
        self._api_version = api_version or API_VERSIONS[0]
        if self._api_version not in API_VERSIONS:
            raise ValueError(f"api_version {api_version!r} is not one of {', '.join(API_VERSIONS)}")
        if credential_scopes:
            if isinstance(credential_scopes, str):
                credential_scopes = [credential_scopes]
            aad_scope = credential_scopes[0]
        else:
            if not isinstance(audience, str) or not audience:
                raise ValueError("audience must be a non-empty URL such as " + DEFAULT_AUDIENCE)
            aad_scope = audience.rstrip("/") + "/.default"
        self._rest = create_rest_client(
            self._endpoint, credential, aad_scope=aad_scope, api_version=self._api_version, **kwargs
        )

    def __repr__(self) -> str:
        return f"ContainerRegistryClient(endpoint={self._endpoint!r})"

    @property
    def endpoint(self) -> str:
        """The registry's URL, normalised: ``https://<name>.azurecr.io``.

        :rtype: str
        """
        return self._endpoint

    # -- repositories -----------------------------------------------------------------------

    def list_repository_names(
        self, *, results_per_page: int | None = None, **kwargs: Any
    ) -> ListingPaged[str]:
        """List the names of every repository, following ``Link`` pages.

        :keyword int results_per_page: names per page (the service default is 100, at most
            1000); the iterator fetches the next page by itself.
        :returns: an ``ItemPaged`` with ``to_dataframe()`` (one column, ``name``) and ``on_page()``.
        :rtype: ~azure_containerregistry._paging.ListingPaged[str]
        :raises ValueError: ``results_per_page`` is not a positive int, before any request.
        """
        n = validate_page_size(results_per_page)
        repositories = self._rest.repositories

        def fetch(link: str | None) -> Any:
            return repositories.list_page(n=n, link=link, **kwargs)

        return item_paged(fetch, str, NAME_COLUMNS)

    def get_repository_properties(self, repository: str, **kwargs: Any) -> RepositoryProperties:
        """Get a repository's properties.

        :param str repository: the repository's name, e.g. ``library/hello-world``.
        :rtype: ~azure_containerregistry.RepositoryProperties
        :raises ~azure.core.exceptions.ResourceNotFoundError: the repository does not exist.
        """
        name = validate_repository(repository)
        item = self._rest.repositories.get_properties(name, **kwargs)
        return RepositoryProperties._from_item(item)

    def update_repository_properties(
        self,
        repository: str,
        properties: RepositoryProperties | None = None,
        *,
        can_delete: bool | None = None,
        can_list: bool | None = None,
        can_read: bool | None = None,
        can_write: bool | None = None,
        **kwargs: Any,
    ) -> RepositoryProperties:
        """Set a repository's flags; keywords override ``properties``; only set fields are sent.

        :param str repository: the repository's name.
        :param properties: flags to set (its ``can_*``); None sends only the keywords.
        :type properties: ~azure_containerregistry.RepositoryProperties or None
        :keyword bool can_delete: allow deleting; overrides ``properties``.
        :keyword bool can_list: show in listings; overrides ``properties``.
        :keyword bool can_read: allow pulling; overrides ``properties``.
        :keyword bool can_write: allow pushing and overwriting; overrides ``properties``.
        :returns: the properties after the update.
        :rtype: ~azure_containerregistry.RepositoryProperties
        """
        name = validate_repository(repository)
        body = patch_body(
            properties,
            {"can_delete": can_delete, "can_list": can_list,
             "can_read": can_read, "can_write": can_write},
            teleport=self._api_version == _PREVIEW_API_VERSION,
        )
        item = self._rest.repositories.update_properties(name, body, **kwargs)
        return RepositoryProperties._from_item(item)

    def delete_repository(self, repository: str, **kwargs: Any) -> None:
        """Delete a repository with all its tags and manifests; a missing one is not an error.

        :rtype: None
        :raises ~azure.core.exceptions.HttpResponseError: also when the registry has no ACR
            metadata API (it is not ACR): nothing can be deleted this way there.
        """
        self._rest.repositories.delete(validate_repository(repository), **kwargs)

    # -- tags -------------------------------------------------------------------------------

    def list_tag_properties(
        self,
        repository: str,
        *,
        order_by: Union[ArtifactTagOrder, TagOrder, str, None] = None,
        results_per_page: int | None = None,
        **kwargs: Any,
    ) -> ListingPaged[ArtifactTagProperties]:
        """List the tags of a repository; an empty repository gives an empty listing.

        :keyword order_by: :class:`ArtifactTagOrder`, :class:`TagOrder` or ``"timedesc"`` /
            ``"timeasc"``; another value is a ``ValueError`` before any request.
        :keyword int results_per_page: tags per page (at most 1000).
        :returns: an ``ItemPaged`` with ``to_dataframe()`` and ``on_page()``.
        :rtype: ~azure_containerregistry._paging.ListingPaged[ArtifactTagProperties]
        """
        name = validate_repository(repository)
        orderby = order_by_value(order_by)
        n = validate_page_size(results_per_page)
        tags = self._rest.tags

        def fetch(link: str | None) -> Any:
            return tags.list_page(name, n=n, orderby=orderby, link=link, **kwargs)

        return item_paged(fetch, ArtifactTagProperties._from_item, TAG_COLUMNS)

    def get_tag_properties(self, repository: str, tag: str, **kwargs: Any) -> ArtifactTagProperties:
        """Get a tag's properties.

        :rtype: ~azure_containerregistry.ArtifactTagProperties
        :raises ~azure.core.exceptions.ResourceNotFoundError: the repository or tag does not exist.
        """
        name, tag = validate_repository(repository), validate_tag(tag)
        return ArtifactTagProperties._from_item(self._rest.tags.get_properties(name, tag, **kwargs))

    def update_tag_properties(
        self,
        repository: str,
        tag: str,
        properties: ArtifactTagProperties | None = None,
        *,
        can_delete: bool | None = None,
        can_list: bool | None = None,
        can_read: bool | None = None,
        can_write: bool | None = None,
        **kwargs: Any,
    ) -> ArtifactTagProperties:
        """Set a tag's flags; keywords override ``properties``; only set fields are sent.

        :param properties: flags to set (its ``can_*``); None sends only the keywords.
        :type properties: ~azure_containerregistry.ArtifactTagProperties or None
        :keyword bool can_delete: allow deleting; overrides ``properties``.
        :keyword bool can_list: show in listings; overrides ``properties``.
        :keyword bool can_read: allow pulling; overrides ``properties``.
        :keyword bool can_write: allow pushing and overwriting; overrides ``properties``.
        :returns: the properties after the update.
        :rtype: ~azure_containerregistry.ArtifactTagProperties
        """
        name, tag = validate_repository(repository), validate_tag(tag)
        body = patch_body(
            properties,
            {"can_delete": can_delete, "can_list": can_list,
             "can_read": can_read, "can_write": can_write},
        )
        item = self._rest.tags.update_properties(name, tag, body, **kwargs)
        return ArtifactTagProperties._from_item(item)

    def delete_tag(self, repository: str, tag: str, **kwargs: Any) -> None:
        """Delete a tag (not the manifest it points to); a missing tag is not an error.

        :rtype: None
        :raises ~azure.core.exceptions.HttpResponseError: also when the registry has no ACR
            metadata API (it is not ACR): nothing can be deleted this way there.
        """
        name, tag = validate_repository(repository), validate_tag(tag)
        self._rest.tags.delete(name, tag, **kwargs)

    # -- manifests --------------------------------------------------------------------------

    def list_manifest_properties(
        self,
        repository: str,
        *,
        order_by: Union[ArtifactManifestOrder, ManifestOrder, str, None] = None,
        results_per_page: int | None = None,
        **kwargs: Any,
    ) -> ListingPaged[ArtifactManifestProperties]:
        """List the manifests of a repository; an empty repository gives an empty listing.

        :keyword order_by: :class:`ArtifactManifestOrder`, :class:`ManifestOrder` or
            ``"timedesc"`` / ``"timeasc"``; another value is a ``ValueError`` before any request.
        :keyword int results_per_page: manifests per page (at most 1000).
        :returns: an ``ItemPaged`` with ``to_dataframe()`` and ``on_page()``.
        :rtype: ~azure_containerregistry._paging.ListingPaged[ArtifactManifestProperties]
        """
        name = validate_repository(repository)
        orderby = order_by_value(order_by)
        n = validate_page_size(results_per_page)
        manifests = self._rest.manifests

        def fetch(link: str | None) -> Any:
            return manifests.list_page(name, n=n, orderby=orderby, link=link, **kwargs)

        return item_paged(fetch, ArtifactManifestProperties._from_item, MANIFEST_COLUMNS)

    def _digest_of(self, repository: str, tag_or_digest: str, **kwargs: Any) -> str:
        """The digest for a tag or digest: a tag costs one lookup, a digest nothing."""
        reference = validate_reference(tag_or_digest)
        if is_digest(reference):
            return reference
        digest: str = self._rest.tags.get_properties(repository, reference, **kwargs).wire["digest"]
        return digest  # checked by the REST layer before it can go into a path

    def get_manifest_properties(
        self, repository: str, tag_or_digest: str, **kwargs: Any
    ) -> ArtifactManifestProperties:
        """Get a manifest's properties; a tag is resolved to its digest first.

        :rtype: ~azure_containerregistry.ArtifactManifestProperties
        :raises ~azure.core.exceptions.ResourceNotFoundError: no such repository, tag or manifest.
        """
        name = validate_repository(repository)
        digest = self._digest_of(name, tag_or_digest, **kwargs)
        item = self._rest.manifests.get_properties(name, digest, **kwargs)
        return ArtifactManifestProperties._from_item(item)

    def update_manifest_properties(
        self,
        repository: str,
        tag_or_digest: str,
        properties: ArtifactManifestProperties | None = None,
        *,
        can_delete: bool | None = None,
        can_list: bool | None = None,
        can_read: bool | None = None,
        can_write: bool | None = None,
        **kwargs: Any,
    ) -> ArtifactManifestProperties:
        """Set a manifest's flags; keywords override ``properties``; only set fields are sent.

        :param properties: flags to set (its ``can_*``); None sends only the keywords.
        :type properties: ~azure_containerregistry.ArtifactManifestProperties or None
        :keyword bool can_delete: allow deleting; overrides ``properties``.
        :keyword bool can_list: show in listings; overrides ``properties``.
        :keyword bool can_read: allow pulling; overrides ``properties``.
        :keyword bool can_write: allow pushing and overwriting; overrides ``properties``.
        :returns: the properties after the update.
        :rtype: ~azure_containerregistry.ArtifactManifestProperties
        """
        name = validate_repository(repository)
        body = patch_body(
            properties,
            {"can_delete": can_delete, "can_list": can_list,
             "can_read": can_read, "can_write": can_write},
        )
        digest = self._digest_of(name, tag_or_digest, **kwargs)
        item = self._rest.manifests.update_properties(name, digest, body, **kwargs)
        return ArtifactManifestProperties._from_item(item)

    def delete_manifest(self, repository: str, tag_or_digest: str, **kwargs: Any) -> None:
        """Delete a manifest and every tag pointing at it; a missing digest is not an error.

        :rtype: None
        :raises ~azure.core.exceptions.ResourceNotFoundError: a *tag* that does not exist.
        """
        name = validate_repository(repository)
        self._rest.manifests.delete(name, self._digest_of(name, tag_or_digest, **kwargs), **kwargs)

    # -- lifecycle --------------------------------------------------------------------------

    def close(self) -> None:
        """Close every connection the client opened, token exchange included.

        :rtype: None
        """
        self._rest.close()

    def __enter__(self) -> ContainerRegistryClient:
        return self

    def __exit__(
        self,
        exc_type: Type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
