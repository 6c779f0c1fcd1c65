"""The purge planner: list the registry, decide every tag and manifest, delete nothing.

Per matched repository (several at a time, the client is thread-safe):

1. list its tags and manifests (pages of 1000);
2. decide each tag: filters, excludes, readable timestamp, age, ``keep``, locks, ``min_tags``;
3. decide each manifest: still tagged after step 2, ``untagged``, excludes, age, locks;
4. read the bodies of manifests about to be deleted (referrer ``subject``, index children) and
   of kept indexes whose listing has no references, and keep what a surviving index or image
   still needs (:mod:`._graph`); order the rest in waves.

Finally refuse a plan that would empty the whole registry unless ``allow_all``.
"""

from __future__ import annotations

from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from azure.core.exceptions import ClientAuthenticationError, HttpResponseError

from . import _graph
from ._model import Decision, PlanItem, PurgePlan, Reason
from ._rules import AgoSpec, Rule, cutoff, matches, parse_rules

if TYPE_CHECKING:
    from .._client import ContainerRegistryClient
    from .._models import ArtifactManifestProperties, ArtifactTagProperties

__all__ = ["plan"]

PAGE = 1000
"""Listing page size: ACR's maximum, the fewest round trips."""
_REPOSITORY_WORKERS = 8
_BODY_WORKERS = 16


@dataclass(frozen=True)
class _Options:
    filters: Tuple[Rule, ...]
    excludes: Tuple[Rule, ...]
    cutoff: Optional[datetime]
    keep: int
    min_tags: int
    untagged: bool
    untagged_only: bool
    include_locked: bool


def _count(value: object, name: str) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, not {value!r}")
    return value


def _iso(moment: Optional[datetime]) -> Optional[str]:
    return None if moment is None else moment.isoformat()


def _locked(*artifacts: Any) -> bool:
    return any(a is not None and (a.can_delete is False or a.can_write is False)
               for a in artifacts)


def _lock_decision(o: _Options, locked: bool, otherwise: Reason) -> Tuple[Decision, Reason, bool]:
    if not locked:
        return Decision.DELETE, otherwise, False
    if o.include_locked:
        return Decision.DELETE, Reason.UNLOCK_THEN_DELETE, True
    return Decision.SKIP, Reason.LOCKED, False


def _decide_tags(repository: str, tags: Sequence[ArtifactTagProperties],
                 manifests: Dict[str, ArtifactManifestProperties], o: _Options) -> List[PlanItem]:
    """One item per tag (pure)."""
    decided: List[Tuple[Decision, Reason, bool]] = []
    candidates: List[int] = []
    for i, tag in enumerate(tags):
        name = tag.name or ""
        if o.untagged_only or not matches(o.filters, repository, name):
            decided.append((Decision.KEEP, Reason.NOT_MATCHED, False))
        elif matches(o.excludes, repository, name):
            decided.append((Decision.KEEP, Reason.EXCLUDED, False))
        elif tag.last_updated_on is None or not tag.name or tag.digest not in manifests:
            decided.append((Decision.KEEP, Reason.UNREADABLE, False))
        else:
            decided.append((Decision.DELETE, Reason.MATCHED, False))
            candidates.append(i)

    def newest_first(indexes: Iterable[int]) -> List[int]:
        return sorted(indexes, key=lambda i: tags[i].last_updated_on, reverse=True)  # type: ignore

    kept_by_keep = set(newest_first(candidates)[:o.keep])
    for i in candidates:
        tag = tags[i]
        assert tag.last_updated_on is not None and tag.digest is not None
        if o.cutoff is not None and tag.last_updated_on > o.cutoff:
            decided[i] = (Decision.KEEP, Reason.TOO_NEW, False)
        elif i in kept_by_keep:
            decided[i] = (Decision.KEEP, Reason.KEPT_BY_KEEP, False)
        else:
            decided[i] = _lock_decision(o, _locked(tag, manifests[tag.digest]), Reason.MATCHED)
    deleting = [i for i in candidates if decided[i][0] is Decision.DELETE]
    shortfall = o.min_tags - (len(tags) - len(deleting))
    for i in newest_first(deleting)[:max(0, shortfall)]:
        decided[i] = (Decision.KEEP, Reason.MIN_TAGS, False)
    return [PlanItem("tag", repository, tag.name or "", decision, reason, digest=tag.digest,
                     last_updated_on=_iso(tag.last_updated_on), unlock=unlock)
            for tag, (decision, reason, unlock) in zip(tags, decided)]


def _decide_manifest(repository: str, manifest: ArtifactManifestProperties,
                     deleted_tags: set[str], o: _Options) -> Tuple[Decision, Reason, bool]:
    """A manifest's decision before the graph protections (pure)."""
    if set(manifest.tags or ()) - deleted_tags:
        return Decision.KEEP, Reason.TAGGED, False
    if not (o.untagged or o.untagged_only):
        return Decision.KEEP, Reason.NOT_MATCHED, False
    digest = manifest.digest or ""
    if matches(o.excludes, repository, digest):
        return Decision.KEEP, Reason.EXCLUDED, False
    updated = manifest.last_updated_on
    if not digest or updated is None or manifest.media_type is None:
        return Decision.KEEP, Reason.UNREADABLE, False
    # Untagged before this plan: the age rule applies to the manifest itself (a manifest
    # pushed a minute ago, its tag not yet set, must survive). Untagged *by* this plan: its
    # tags already passed the age rule.
    if not manifest.tags and o.cutoff is not None and updated > o.cutoff:
        return Decision.KEEP, Reason.TOO_NEW, False
    return _lock_decision(o, _locked(manifest), Reason.UNTAGGED)


class _Repository:
    """Plans one repository: listing, decisions, graph (runs on a worker thread)."""

    def __init__(self, client: ContainerRegistryClient, name: str, o: _Options,
                 bodies: Executor) -> None:
        self.client, self.name, self.o, self.bodies = client, name, o, bodies
        self.emptied = False

    def run(self) -> List[PlanItem]:
        try:
            tags = list(self.client.list_tag_properties(self.name, results_per_page=PAGE))
            manifests = list(self.client.list_manifest_properties(self.name,
                                                                  results_per_page=PAGE))
        except ClientAuthenticationError:
            raise
        except HttpResponseError:  # e.g. deleted meanwhile: nothing of it can be decided
            return [PlanItem("repository", self.name, self.name, Decision.KEEP,
                             Reason.UNREADABLE)]
        by_digest = {m.digest: m for m in manifests if m.digest}
        tag_items = _decide_tags(self.name, tags, by_digest, self.o)
        deleted = {t.name for t in tag_items if t.decision is Decision.DELETE}
        manifest_items = self._manifests(manifests, deleted)
        self.emptied = len(deleted) == len(tags) and (bool(tags) or all(
            m.decision is Decision.DELETE for m in manifest_items))
        return [PlanItem("repository", self.name, self.name, Decision.KEEP, Reason.MATCHED),
                *tag_items, *manifest_items]

    def _manifests(self, manifests: Sequence[ArtifactManifestProperties],
                   deleted_tags: set[str]) -> List[PlanItem]:
        decided = {m.digest or "": _decide_manifest(self.name, m, deleted_tags, self.o)
                   for m in manifests}
        children = {m.digest: [r.digest for r in m.references if r.digest]
                    for m in manifests if m.digest and m.references}
        subjects: Dict[str, str] = {}
        deleting = [d for d, (decision, _, _) in decided.items() if decision is Decision.DELETE]
        if deleting:
            # Manifests that may be indexes but whose listing names no children.
            opaque = {m.digest for m in manifests if m.digest and m.digest not in children
                      and (m.media_type is None or m.media_type in _graph.INDEX_TYPES)}
            unknown = sorted(opaque - set(deleting))
            documents = self._read(deleting + unknown)
            blind = False
            for digest in deleting:
                document = documents.get(digest)
                if document is None:
                    decided[digest] = (Decision.KEEP, Reason.UNREADABLE, False)
                    blind = blind or digest in opaque
                    continue
                children[digest] = sorted({*children.get(digest, ()),
                                           *_graph.body_children(document)})
                subject = _graph.body_subject(document)
                if subject is not None:
                    subjects[digest] = subject
            for digest in unknown:
                document = documents.get(digest)
                blind = blind or document is None
                if document is not None:
                    children[digest] = _graph.body_children(document)
            if blind:  # an index that stays, children unknown: any deletion might break it
                decided.update({d: (Decision.KEEP, Reason.UNREADABLE, False) for d in deleting})
            deleting = [d for d in deleting if decided[d][0] is Decision.DELETE]
            for digest, reason in _graph.protect(decided, deleting, children, subjects).items():
                decided[digest] = (Decision.KEEP, reason, False)
            deleting = [d for d in deleting if decided[d][0] is Decision.DELETE]
        order = _graph.waves(deleting, children, subjects)
        return [PlanItem("manifest", self.name, m.digest or "", decision, reason,
                         digest=m.digest, tags=tuple(sorted(m.tags or ())), size=m.size_in_bytes,
                         media_type=m.media_type, last_updated_on=_iso(m.last_updated_on),
                         unlock=unlock, wave=order.get(m.digest or "", 0),
                         children=tuple(children.get(m.digest or "", ())),
                         subject=subjects.get(m.digest or ""))
                for m in manifests
                for decision, reason, unlock in [decided[m.digest or ""]]]

    def _read(self, digests: Sequence[str]) -> Dict[str, Dict[str, Any]]:
        """Manifest bodies by digest, read concurrently, once each; unreadable ones left out."""
        def read(digest: str) -> Optional[Dict[str, Any]]:
            try:
                return self.client.get_manifest(self.name, digest).manifest
            except ClientAuthenticationError:
                raise
            except (HttpResponseError, ValueError):  # gone, forbidden, digest mismatch
                return None

        unique = list(dict.fromkeys(digests))
        found = zip(unique, self.bodies.map(read, unique))
        return {digest: body for digest, body in found if body is not None}


def plan(
    client: ContainerRegistryClient,
    filters: Union[str, Iterable[str]],
    *,
    exclude: Union[str, Iterable[str]] = (),
    ago: AgoSpec = None,
    keep: int = 0,
    min_tags: int = 0,
    untagged: bool = False,
    untagged_only: bool = False,
    include_locked: bool = False,
    allow_all: bool = False,
) -> PurgePlan:
    """Decide what a purge deletes, without deleting anything (only read requests are sent).

    .. code-block:: python

        from azure_containerregistry.purge import plan

        reviewed = plan(client, ["app/.*:pr-.*"], ago="30d", keep=5, untagged=True)
        print(reviewed.summary())
        report = reviewed.execute(client)

    :param client: a :class:`~azure_containerregistry.ContainerRegistryClient`.
    :param filters: ``"<repository regex>:<tag regex>"`` rules (``acr purge`` style); each
        regex must match the whole name. A tag is purged when any filter matches it.
    :keyword exclude: rules of the same form; a tag (or, for ``untagged``, a manifest digest)
        they match is kept, whatever the filters say.
    :keyword ago: purge only tags last updated at least this long ago: ``"30d"``, ``"2d3h"``,
        ``"15m"``, a ``timedelta``, or a ``datetime`` cutoff (naive means UTC).
    :keyword keep: the ``keep`` newest matching tags of each repository stay whatever their
        age. (``acr purge --keep`` instead counts only tags already older than ``--ago``.)
    :keyword min_tags: no repository is left with fewer tags than this.
    :keyword untagged: also delete the manifests that have no tag once the planned tag
        deletions are done (manifests untagged before, only if older than ``ago``).
    :keyword untagged_only: delete only untagged manifests of the matched repositories.
    :keyword include_locked: unlock locked tags and manifests, then delete them; by default
        they are skipped with reason ``locked``.
    :keyword allow_all: allow a plan that deletes every tag of every repository.
    :returns: the :class:`PurgePlan`, listing every repository, tag and manifest looked at.
    :raises ValueError: a bad rule or option (before any request), or a plan that would empty
        the registry without ``allow_all``.

    Always kept, whatever the rules: children of indexes that stay (nested indexes too),
    referrers (signatures, SBOMs) of manifests that stay, and anything whose timestamp, media
    type or body can't be read.
    """
    options = _Options(
        tuple(parse_rules(filters)), tuple(parse_rules(exclude, what="exclude")),
        cutoff(ago, datetime.now(timezone.utc)), _count(keep, "keep"),
        _count(min_tags, "min_tags"), bool(untagged), bool(untagged_only),
        bool(include_locked))
    if not options.filters:
        raise ValueError("at least one filter is needed, e.g. 'myrepo:.*'")
    started = datetime.now(timezone.utc)
    names = list(client.list_repository_names(results_per_page=PAGE))
    matched = [n for n in names if any(r.matches_repository(n) for r in options.filters)]
    with ThreadPoolExecutor(_BODY_WORKERS, thread_name_prefix="purge-body") as bodies:
        planners = {n: _Repository(client, n, options, bodies) for n in matched}
        with ThreadPoolExecutor(_REPOSITORY_WORKERS, thread_name_prefix="purge-plan") as pool:
            planned = dict(zip(matched, pool.map(lambda p: p.run(), planners.values())))
    items: List[PlanItem] = []
    for name in names:
        items.extend(planned.get(name) or [PlanItem("repository", name, name, Decision.SKIP,
                                                     Reason.NOT_MATCHED)])
    deletes = any(i.decision is Decision.DELETE for i in items)
    if (deletes and not allow_all and len(matched) == len(names)
            and all(p.emptied for p in planners.values())):
        raise ValueError("these rules delete every tag in every repository of the registry; "
                         "pass allow_all=True if that is really meant")
    return PurgePlan(items, _record(options, ago, allow_all), _iso(started) or "",
                     client.endpoint)


def _record(o: _Options, ago: AgoSpec, allow_all: bool) -> Dict[str, Any]:
    """The options as plain data, stored in the plan for the reviewer."""
    return {"filters": [r.text for r in o.filters], "exclude": [r.text for r in o.excludes],
            "ago": ago.isoformat() if isinstance(ago, datetime) else (
                None if ago is None else str(ago)),
            "cutoff": _iso(o.cutoff), "keep": o.keep, "min_tags": o.min_tags,
            "untagged": o.untagged, "untagged_only": o.untagged_only,
            "include_locked": o.include_locked, "allow_all": allow_all}

