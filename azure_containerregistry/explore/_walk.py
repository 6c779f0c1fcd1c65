"""``inventory()``: walk a registry's repositories, manifests, tags and (optionally) bodies.

Every request goes through one :class:`~azure_containerregistry._throttle.AdaptiveLimiter`,
the same that paces the purge executor, so the walk runs many reads at once and slows down
together when the registry answers ``429``/``503``:

1. the repository names are listed (unless given);
2. each repository's manifests and tags are listed, concurrently (``limiter.map``), every page
   one ``limiter.call`` so a throttled page is retried where it stopped;
3. with ``layers=True``, every distinct manifest digest's body is read once for the whole
   registry (the same digest in two repositories is one document) to learn its blobs.

A read that still fails after the limiter's retries is recorded in ``Inventory.errors`` and the
walk goes on; an authentication error stops it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from azure.core.exceptions import ClientAuthenticationError

from .._client import ContainerRegistryClient
from .._models import ArtifactManifestProperties, ArtifactTagProperties
from .._throttle import AdaptiveLimiter
from ._inventory import Inventory
from ._progress import ProgressArg, ProgressEvent, ProgressReporter, reporter
from ._records import (
    INDEX_TYPES,
    Blob,
    ManifestRecord,
    TagRecord,
    WalkError,
    body_blobs,
    body_children,
)

__all__ = ["DEFAULT_CONCURRENCY", "inventory"]

DEFAULT_CONCURRENCY = 16
"""Reads in flight to start with; the limiter raises it while the registry keeps up."""
_PAGE = 1000  # the largest page ACR serves: fewest requests per listing
_Listing = Union[List[ArtifactManifestProperties], List[ArtifactTagProperties]]
_Body = Tuple[Tuple[Blob, ...], Tuple[str, ...]]


def _next_page(pages: Iterator[Iterator[Any]], **_: Any) -> Optional[List[Any]]:
    """The next page of a listing, or None at its end (``retry_status`` was set on it)."""
    page = next(pages, None)
    return None if page is None else list(page)


def _read_all(limiter: AdaptiveLimiter, pager: Any) -> List[Any]:
    """Every item of a listing, each page one limited call.

    azure-core's page iterator keeps its continuation token when a page fails, so the
    limiter's retry asks for the same page again.
    """
    pages = pager.by_page()
    items: List[Any] = []
    while (page := limiter.call(_next_page, pages)) is not None:
        items.extend(page)
    return items


def _value(value: Any) -> Optional[str]:
    """An enum member's value, or the string as given (unknown service values stay)."""
    return None if value is None else str(getattr(value, "value", value))


def _tag_record(repository: str, tag: ArtifactTagProperties) -> TagRecord:
    return TagRecord(repository, tag.name or "", tag.digest, tag.created_on, tag.last_updated_on,
                     tag.can_delete, tag.can_write, tag.can_read, tag.can_list)


class _Walk:
    """The state of one walk: listings and bodies gathered so far, and the progress sent."""

    def __init__(self, client: ContainerRegistryClient, limiter: AdaptiveLimiter,
                 layers: bool, report: Optional[ProgressReporter]) -> None:
        self.client, self.limiter, self.layers, self.report = client, limiter, layers, report
        self.manifests: Dict[str, List[ArtifactManifestProperties]] = {}
        self.tags: Dict[str, List[ArtifactTagProperties]] = {}
        self.bodies: Dict[str, _Body] = {}
        self.errors: List[WalkError] = []
        self.found = 0

    def _emit(self, kind: str, name: str, done: int, total: int) -> None:
        if self.report is not None:
            self.report(ProgressEvent(kind, name, done, total, self.found, len(self.errors)))

    def _failed(self, what: str, repository: Optional[str], digest: Optional[str],
                error: BaseException) -> None:
        if isinstance(error, ClientAuthenticationError):
            raise error
        self.errors.append(WalkError(what, repository, digest, f"{type(error).__name__}: "
                                     f"{str(error).splitlines()[0] if str(error) else ''}"))

    def names(self) -> List[str]:
        try:
            pager = self.client.list_repository_names(results_per_page=_PAGE, retry_status=0)
            return [str(name) for name in _read_all(self.limiter, pager)]
        except Exception as error:
            self._failed("repositories", None, None, error)
            return []

    def _list(self, job: Tuple[str, str]) -> _Listing:
        repository, kind = job
        if kind == "manifests":
            return _read_all(self.limiter, self.client.list_manifest_properties(
                repository, results_per_page=_PAGE, retry_status=0))
        return _read_all(self.limiter, self.client.list_tag_properties(
            repository, results_per_page=_PAGE, retry_status=0))

    def listings(self, repositories: List[str]) -> None:
        jobs = [(name, kind) for name in repositories for kind in ("manifests", "tags")]
        pending = dict.fromkeys(repositories, 2)
        done = 0
        for (repository, kind), outcome in self.limiter.map(self._list, jobs):
            if isinstance(outcome, BaseException):
                self._failed(kind, repository, None, outcome)
            elif kind == "manifests":
                self.manifests[repository] = outcome  # type: ignore[assignment]
                self.found += len(outcome)
            else:
                self.tags[repository] = outcome  # type: ignore[assignment]
            pending[repository] -= 1
            if pending[repository] == 0:
                done += 1
                self._emit("repository", repository, done, len(repositories))

    def _body(self, job: Tuple[str, str]) -> _Body:
        repository, digest = job
        document = self.limiter.call(self.client.get_manifest, repository, digest).manifest
        return body_blobs(document), body_children(document)

    def read_bodies(self) -> None:
        first: Dict[str, str] = {}  # digest -> a repository holding it: one read per digest
        for repository, manifests in self.manifests.items():
            for m in manifests:
                if m.digest:
                    first.setdefault(m.digest, repository)
        jobs = [(repository, digest) for digest, repository in first.items()]
        for done, ((repository, digest), outcome) in enumerate(
                self.limiter.map(self._body, jobs), 1):
            if isinstance(outcome, BaseException):
                self._failed("body", repository, digest, outcome)
            else:
                self.bodies[digest] = outcome
            self._emit("manifest", f"{repository}@{digest}", done, len(jobs))

    def records(self, repository: str) -> Tuple[List[ManifestRecord], List[TagRecord]]:
        """Join one repository's tags to its manifests and its indexes to their children."""
        listed = [m for m in self.manifests.get(repository, []) if m.digest]
        tags = sorted((_tag_record(repository, t) for t in self.tags.get(repository, [])),
                      key=lambda t: t.name)
        tag_names: Dict[str, List[str]] = defaultdict(list)
        for tag in tags:
            if tag.digest:
                tag_names[tag.digest].append(tag.name)
        children: Dict[str, Tuple[str, ...]] = {}
        for m in listed:
            body = self.bodies.get(m.digest or "")
            found = [r.digest for r in m.references if r.digest] + list(body[1] if body else ())
            children[m.digest or ""] = tuple(dict.fromkeys(found))
        parents: Dict[str, str] = {}
        for parent in sorted(children):
            for child in children[parent]:
                parents.setdefault(child, parent)
        records = []
        for m in listed:
            digest = m.digest or ""
            names = tag_names.get(digest) if repository in self.tags else m.tags
            body = self.bodies.get(digest)
            blobs = body[0] if body else None  # not asked for, or unreadable
            records.append(ManifestRecord(
                repository, digest, tuple(sorted(names or ())), m.media_type,
                m.config_media_type, m.size_in_bytes, m.created_on, m.last_updated_on,
                _value(m.architecture), _value(m.operating_system), parents.get(digest),
                children[digest], m.media_type in INDEX_TYPES or bool(children[digest]),
                m.can_delete, m.can_write, m.can_read, m.can_list, blobs))
        return records, tags


def inventory(
    client: ContainerRegistryClient,
    repositories: Union[str, Iterable[str], None] = None,
    *,
    concurrency: Optional[int] = None,
    layers: bool = False,
    progress: ProgressArg = None,
    limiter: Optional[AdaptiveLimiter] = None,
) -> Inventory:
    """Walk a registry (or some repositories) and return what it holds.

    .. code-block:: python

        from azure_containerregistry.explore import inventory

        found = inventory(client, layers=True)
        found.to_dataframe()      # one row per (repository, manifest)
        found.storage()           # bytes per repository: total, shared, unique, untagged

    :param client: a :class:`~azure_containerregistry.ContainerRegistryClient`.
    :param repositories: repository names to walk (a single name is accepted); None walks
        every repository the registry lists.
    :keyword concurrency: reads in flight to start with (default 16); the limit rises while
        the registry keeps up and halves when it throttles.
    :keyword layers: also read each distinct manifest body once, to learn its config and layer
        blobs (needed by :meth:`Inventory.storage`).
    :keyword progress: ``False`` for silence, ``True`` for a tqdm bar, a callable receiving
        each :class:`ProgressEvent`; None (default) shows a bar when tqdm is installed and
        someone can see it (a terminal or a notebook).
    :keyword limiter: share an ``AdaptiveLimiter`` with other work (a purge, say); then
        ``concurrency`` is ignored.
    :returns: the :class:`Inventory`; reads that failed even after retries are in its
        ``errors``, the rest is complete.
    :raises ~azure.core.exceptions.ClientAuthenticationError: the credential was refused.
    """
    report = reporter(progress)
    if limiter is None:
        limiter = AdaptiveLimiter(DEFAULT_CONCURRENCY if concurrency is None else concurrency)
    walk = _Walk(client, limiter, bool(layers), report)
    if repositories is None:
        names = walk.names()
    else:
        given = [repositories] if isinstance(repositories, str) else list(repositories)
        names = list(dict.fromkeys(str(name) for name in given))
    try:
        walk.listings(names)
        if layers:
            walk.read_bodies()
    finally:
        if report is not None:
            report(ProgressEvent("done", "", len(names), len(names), walk.found,
                                 len(walk.errors)))
    manifests: List[ManifestRecord] = []
    tags: List[TagRecord] = []
    for name in names:
        found, tagged = walk.records(name)
        manifests += found
        tags += tagged
    return Inventory(names, manifests, tags, walk.errors, layers=bool(layers))
