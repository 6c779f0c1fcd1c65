"""The purge executor: run a plan's deletions wave by wave, rechecking each item first.

A plan may be hours old when it runs (reviewed in a pull request, then applied), and a run may
be interrupted. So every deletion is preceded by a read of what could have changed: a tag that
now points elsewhere, a manifest that got a tag or a lock, an item already gone, a manifest
that an index pushed since planning lists. Anything unexpected is skipped with a reason, never
forced. A tag is reread with ``get_tag_properties``, or, where a repository has many tags in a
wave, from one listing taken just before the wave starts (a page of 1000 costs one request
instead of 1000); manifest waves always list their repositories, which also shows every index
now there. Running the
same plan again finishes what an interrupted run left: what the first run deleted is reported
as skipped, ``gone``.

All registry calls go through one :class:`~azure_containerregistry._throttle.AdaptiveLimiter`,
which retries throttled and transient answers and adapts the number of calls in flight.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
)

from azure.core.exceptions import AzureError, ResourceNotFoundError

from .._throttle import AdaptiveLimiter
from ._model import Outcome, PlanItem, PurgePlan, PurgeReport
from ._plan import PAGE

if TYPE_CHECKING:
    from .._client import ContainerRegistryClient

__all__ = ["execute"]

_DEFAULT_CONCURRENCY = 8
_MAX_ERROR_TEXT = 300


def _error_text(error: BaseException) -> str:
    """``Type: first line of the message``, short (the client already redacts secrets)."""
    lines = str(error).strip().splitlines()
    text = f"{type(error).__name__}: {lines[0] if lines else ''}".rstrip(": ")
    return text[:_MAX_ERROR_TEXT]


def _locked(properties: object) -> bool:
    return (getattr(properties, "can_delete", None) is False
            or getattr(properties, "can_write", None) is False)


def _list_all(operation: Callable[..., Iterable[Any]], repository: str,
              **kwargs: Any) -> List[Any]:
    return list(operation(repository, results_per_page=PAGE, **kwargs))


class _Runner:
    """Deletes one item at a time (called concurrently by the limiter's pool)."""

    def __init__(self, client: ContainerRegistryClient, limiter: AdaptiveLimiter) -> None:
        self.client, self.limiter = client, limiter
        # Manifests that stay (skipped or failed) in waves run so far: their children stay too.
        self.survivors: Set[tuple[str, str]] = set()
        # (kind, repository) -> name -> properties, listed just before a wave.
        self.snapshots: Dict[tuple[str, str], Dict[str, Any]] = {}
        # (repository, digest) listed by an index that stays: an index pushed after planning
        # holds its children as surely as one the plan saw.
        self.held: Set[tuple[str, str]] = set()

    def take_snapshots(self, wave: Sequence[PlanItem],
                       sizes: Mapping[tuple[str, str], int]) -> None:
        """List the repositories of ``wave`` whose listing costs fewer requests than one read
        per item; the other items are reread one by one."""
        self.snapshots.clear()
        counts = Counter((i.kind, i.repository) for i in wave)
        # Manifest waves always list their repositories: one page per 1000 manifests shows
        # every index now there, so none of their children is deleted.
        cheap = [key for key, n in counts.items()
                 if key[0] == "manifest" or -(-sizes.get(key, 0) // PAGE) < n]

        def listing(key: tuple[str, str]) -> Dict[str, Any]:
            kind, repository = key
            if kind == "tag":
                found = self.limiter.call(_list_all, self.client.list_tag_properties, repository)
                return {t.name: t for t in found}
            found = self.limiter.call(_list_all, self.client.list_manifest_properties, repository)
            return {m.digest: m for m in found}

        for key, result in self.limiter.map(listing, cheap):
            if isinstance(result, dict):  # a failed listing: reread its items one by one
                self.snapshots[key] = result
        going = {(i.repository, i.name) for i in wave if i.kind == "manifest"}
        self.held = {
            (repository, child.digest)
            for (kind, repository), found in self.snapshots.items() if kind == "manifest"
            for manifest in found.values() if (repository, manifest.digest) not in going
            for child in manifest.references
        }

    def _current(self, item: PlanItem, read: Callable[..., Any]) -> Any:
        """The item's properties now, or None when it is gone."""
        snapshot = self.snapshots.get((item.kind, item.repository))
        if snapshot is not None:
            return snapshot.get(item.name)
        try:
            return self.limiter.call(read, item.repository, item.name)
        except ResourceNotFoundError:
            return None

    def run(self, item: PlanItem) -> Outcome:
        try:
            if item.kind == "tag":
                return self._tag(item)
            if item.kind == "manifest":
                return self._manifest(item)
            return Outcome(item, "skipped", "not deletable")
        except ResourceNotFoundError:  # deleted by someone else between recheck and delete
            return Outcome(item, "skipped", "gone")
        except AzureError as error:
            return Outcome(item, "failed", _error_text(error))

    def _tag(self, item: PlanItem) -> Outcome:
        now = self._current(item, self.client.get_tag_properties)
        if now is None:
            return Outcome(item, "skipped", "gone")
        if now.digest != item.digest:
            return Outcome(item, "skipped", "changed")
        return self._delete(item, now, self.client.update_tag_properties,
                            self.client.delete_tag)

    def _manifest(self, item: PlanItem) -> Outcome:
        now = self._current(item, self.client.get_manifest_properties)
        if now is None:
            return Outcome(item, "skipped", "gone")
        if now.tags:
            return Outcome(item, "skipped", "tagged")
        if (item.repository, item.name) in self.held:
            return Outcome(item, "skipped", "child-of-kept-index")
        return self._delete(item, now, self.client.update_manifest_properties,
                            self.client.delete_manifest)

    def _delete(self, item: PlanItem, now: Any, update: Callable[..., Any],
                delete: Callable[..., Any]) -> Outcome:
        """Unlock ``item`` first when it is locked and the plan says so (else skip); delete."""
        if _locked(now):
            if not item.unlock:
                return Outcome(item, "skipped", "locked")
            self.limiter.call(update, item.repository, item.name, can_delete=True,
                              can_write=True)
        self.limiter.call(delete, item.repository, item.name)
        return Outcome(item, "deleted")

    def blocked(self, item: PlanItem, parents: Dict[tuple[str, str], List[str]]) -> bool:
        """Whether an index of the plan that lists ``item`` is still there."""
        return any((item.repository, p) in self.survivors
                   for p in parents.get((item.repository, item.name), ()))


def execute(plan: PurgePlan, client: ContainerRegistryClient, *,
            concurrency: Optional[int] = None,
            progress: Optional[Callable[[Outcome], None]] = None,
            limiter: Optional[AdaptiveLimiter] = None) -> PurgeReport:
    """Run ``plan``'s deletions; see :meth:`PurgePlan.execute`.

    Waves run in order; one wave's items run concurrently. A manifest whose index (in the
    plan) was not deleted is skipped, ``child-of-kept-index``: the index still needs it.
    """
    if plan.registry and plan.registry != client.endpoint:
        raise ValueError(
            f"this plan was made for {plan.registry}, not {client.endpoint}: plan again there"
        )
    started = time.monotonic()
    limiter = limiter or AdaptiveLimiter(concurrency or _DEFAULT_CONCURRENCY)
    runner = _Runner(client, limiter)
    report = PurgeReport()
    parents: Dict[tuple[str, str], List[str]] = {}
    for item in plan.deletions:
        for child in item.children:
            parents.setdefault((item.repository, child), []).append(item.name)
    by_wave: Dict[int, List[PlanItem]] = {}
    for item in plan.deletions:
        by_wave.setdefault(item.wave, []).append(item)
    sizes = Counter((i.kind, i.repository) for i in plan.items)
    for wave in sorted(by_wave):
        runner.take_snapshots(by_wave[wave], sizes)
        ready: List[PlanItem] = []
        for item in by_wave[wave]:
            if item.kind == "manifest" and runner.blocked(item, parents):
                _file(report, runner, Outcome(item, "skipped", "child-of-kept-index"), progress)
            else:
                ready.append(item)
        for item, result in limiter.map(runner.run, ready):
            outcome = (result if isinstance(result, Outcome)
                       else Outcome(item, "failed", _error_text(result)))
            _file(report, runner, outcome, progress)
    report.duration = time.monotonic() - started
    return report


def _file(report: PurgeReport, runner: _Runner, outcome: Outcome,
          progress: Optional[Callable[[Outcome], None]]) -> None:
    report.add(outcome)
    deleted = outcome.status == "deleted" or outcome.reason == "gone"
    if outcome.item.kind == "manifest" and not deleted:
        runner.survivors.add((outcome.item.repository, outcome.item.name))
    if progress is not None:
        progress(outcome)
