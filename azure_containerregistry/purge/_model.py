"""What a purge plans and what it did: :class:`PlanItem`, :class:`PurgePlan`, :class:`PurgeReport`.

A plan is plain data (text, numbers, enums) so it can be saved as JSON, reviewed, and executed
later exactly as reviewed: :meth:`PurgePlan.from_json` refuses anything it didn't write.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Tuple

if TYPE_CHECKING:
    from .._client import ContainerRegistryClient
    from .._throttle import AdaptiveLimiter

__all__ = ["PLAN_VERSION", "Decision", "Outcome", "PlanItem", "PurgePlan", "PurgeReport", "Reason"]

PLAN_VERSION = 1


class Decision(str, Enum):
    """What the plan does with an item."""

    DELETE = "delete"
    KEEP = "keep"
    SKIP = "skip"  # would be deleted, but something (a lock) stands in the way; or not looked at


class Reason(str, Enum):
    """Why an item got its decision."""

    MATCHED = "matched"
    NOT_MATCHED = "not-matched"
    TOO_NEW = "too-new"
    KEPT_BY_KEEP = "kept-by-keep"
    MIN_TAGS = "min-tags"
    LOCKED = "locked"
    UNLOCK_THEN_DELETE = "unlock-then-delete"
    CHILD_OF_KEPT_INDEX = "child-of-kept-index"
    REFERRER_OF_KEPT_IMAGE = "referrer-of-kept-image"
    EXCLUDED = "excluded"
    UNREADABLE = "unreadable"
    UNTAGGED = "untagged"
    TAGGED = "tagged"


KINDS = ("repository", "tag", "manifest")


@dataclass(frozen=True)
class PlanItem:
    """One repository, tag or manifest the planner looked at.

    :ivar kind: ``"repository"``, ``"tag"`` or ``"manifest"``.
    :ivar name: the tag name, the manifest digest or the repository name.
    :ivar digest: for a tag, the manifest it pointed to when planned; for a manifest, its digest.
    :ivar tags: for a manifest, its tags when planned.
    :ivar size: a manifest's size in bytes, when the registry said.
    :ivar last_updated_on: ISO 8601 text, or None when unreadable.
    :ivar unlock: the executor unlocks the item before deleting it (``include_locked``).
    :ivar wave: execution order of deletions: tags in wave 0, then manifests from wave 1, an
        index before its children and a referrer before its subject; 0 for other items.
    :ivar children: for an index, the manifests it lists (the executor won't delete one of them
        while the index survives).
    :ivar subject: for a referrer (a signature, an SBOM ...), the manifest it refers to.
    """

    kind: str
    repository: str
    name: str
    decision: Decision
    reason: Reason
    digest: Optional[str] = None
    tags: Tuple[str, ...] = ()
    size: Optional[int] = None
    media_type: Optional[str] = None
    last_updated_on: Optional[str] = None
    unlock: bool = False
    wave: int = 0
    children: Tuple[str, ...] = ()
    subject: Optional[str] = None

    def to_dict(self) -> Dict[str, Any]:
        """Plain JSON-able fields."""
        data = asdict(self)
        data["decision"], data["reason"] = self.decision.value, self.reason.value
        data["tags"], data["children"] = list(self.tags), list(self.children)
        return data

    @classmethod
    def from_dict(cls, data: Any) -> PlanItem:
        """The item :meth:`to_dict` gave.

        :raises ValueError: missing, unknown or mistyped fields.
        """
        if not isinstance(data, dict):
            raise ValueError("a plan item must be an object")
        names = {f.name for f in fields(cls)}
        if set(data) != names:
            raise ValueError(f"plan item fields differ: {sorted(set(data) ^ names)}")
        texts = ("repository", "name")
        optional_texts = ("digest", "media_type", "last_updated_on", "subject")
        if data["kind"] not in KINDS or not all(isinstance(data[k], str) for k in texts):
            raise ValueError(f"bad plan item {data!r}")
        if not all(data[k] is None or isinstance(data[k], str) for k in optional_texts):
            raise ValueError(f"bad plan item {data!r}")
        for key in ("tags", "children"):
            if not isinstance(data[key], list) or not all(isinstance(t, str) for t in data[key]):
                raise ValueError(f"plan item {key} must be a list of text")
        if data["size"] is not None and (type(data["size"]) is not int or data["size"] < 0):
            raise ValueError("plan item size must be a non-negative integer or null")
        if type(data["unlock"]) is not bool or type(data["wave"]) is not int:
            raise ValueError("plan item unlock must be a boolean and wave an integer")
        return cls(**{**data, "decision": Decision(data["decision"]),
                      "reason": Reason(data["reason"]), "tags": tuple(data["tags"]),
                      "children": tuple(data["children"])})

    def __str__(self) -> str:
        where = self.repository if self.kind == "repository" else f"{self.repository}:{self.name}"
        if self.kind == "manifest":
            where = f"{self.repository}@{self.name}"
        return f"{self.decision.value} {self.kind} {where} ({self.reason.value})"


@dataclass
class PurgePlan:
    """What a purge would do, item by item; see :func:`azure_containerregistry.purge.plan`.

    :ivar items: every repository, tag and manifest looked at, with decision and reason.
    :ivar rules: the options the plan was made with (for the record).
    :ivar created_on: when it was planned (ISO 8601).
    :ivar registry: the endpoint it was planned against; :meth:`execute` refuses a client of
        another registry (a mirror holding the same images would lose them).
    """

    items: List[PlanItem]
    rules: Dict[str, Any] = field(default_factory=dict)
    created_on: str = ""
    registry: str = ""

    @property
    def deletions(self) -> List[PlanItem]:
        """Items to delete, in execution order (by wave)."""
        return sorted((i for i in self.items if i.decision is Decision.DELETE),
                      key=lambda item: item.wave)

    def count(self, kind: str, decision: Decision) -> int:
        """How many items of ``kind`` got ``decision``."""
        return sum(1 for i in self.items if i.kind == kind and i.decision is decision)

    def summary(self) -> str:
        """One line: what will be deleted and what stays."""
        size = sum(i.size or 0 for i in self.deletions if i.kind == "manifest")
        locked = sum(1 for i in self.items if i.reason is Reason.LOCKED)
        repositories = sum(1 for i in self.items if i.kind == "repository"
                           and i.reason is not Reason.NOT_MATCHED)
        return (f"delete {self.count('tag', Decision.DELETE)} tags and "
                f"{self.count('manifest', Decision.DELETE)} manifests (~{size} bytes) in "
                f"{repositories} repositories; keep {self.count('tag', Decision.KEEP)} tags and "
                f"{self.count('manifest', Decision.KEEP)} manifests; {locked} locked skipped")

    def __repr__(self) -> str:
        return (f"PurgePlan(deletions={len(self.deletions)}, items={len(self.items)}, "
                f"created_on={self.created_on!r})")

    def _display_rows(self) -> List[Tuple[str, Any]]:
        size = sum(i.size or 0 for i in self.deletions if i.kind == "manifest")
        return [("delete tags", self.count("tag", Decision.DELETE)),
                ("delete manifests", self.count("manifest", Decision.DELETE)),
                ("bytes (estimate)", size), ("items", len(self.items)),
                ("created_on", self.created_on)]

    def _repr_html_(self) -> str:
        """A table of the counts, the deletions listed below it, for Jupyter."""
        from .._display import html_table

        listed = "\n".join(str(item) for item in self.deletions)
        return html_table("PurgePlan", self._display_rows(), details=("deletions", listed))

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's pretty printer: one count per line."""
        from .._display import pretty

        pretty(printer, cycle, "PurgePlan", self._display_rows())

    def to_json(self) -> str:
        """The plan as JSON text (stable key order), for review and :meth:`from_json`."""
        return json.dumps({"version": PLAN_VERSION, "created_on": self.created_on,
                           "registry": self.registry, "rules": self.rules,
                           "items": [i.to_dict() for i in self.items]},
                          indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> PurgePlan:
        """The plan :meth:`to_json` wrote.

        :raises ValueError: not JSON, another version, or malformed items.
        """
        try:
            data = json.loads(text)
        except (TypeError, ValueError) as error:
            raise ValueError(f"not a purge plan: {error}") from None
        expected = {"version", "created_on", "registry", "rules", "items"}
        if not isinstance(data, dict) or set(data) != expected:
            raise ValueError(
                "not a purge plan: expected version, created_on, registry, rules and items"
            )
        if data["version"] != PLAN_VERSION:
            raise ValueError(f"purge plan version {data['version']!r} is not {PLAN_VERSION}")
        if not isinstance(data["items"], list) or not isinstance(data["rules"], dict):
            raise ValueError("not a purge plan: items must be a list and rules an object")
        if not isinstance(data["created_on"], str) or not isinstance(data["registry"], str):
            raise ValueError("not a purge plan: created_on and registry must be text")
        return cls([PlanItem.from_dict(item) for item in data["items"]], data["rules"],
                   data["created_on"], data["registry"])

    def execute(self, client: ContainerRegistryClient, *, concurrency: Optional[int] = None,
                progress: Optional[Callable[[Outcome], None]] = None,
                limiter: Optional[AdaptiveLimiter] = None) -> PurgeReport:
        """Delete :attr:`deletions` wave by wave, rechecking each item first.

        :param client: a client signed in to the registry the plan was made for.
        :keyword concurrency: starting number of calls in flight (adapts to throttling).
        :keyword progress: called on the calling thread with each item's :class:`Outcome`.
        :keyword limiter: an :class:`~azure_containerregistry._throttle.AdaptiveLimiter` to
            share (its concurrency wins over ``concurrency``).
        :returns: what was deleted, skipped and failed.
        """
        from ._execute import execute

        return execute(self, client, concurrency=concurrency, progress=progress,
                       limiter=limiter)


@dataclass(frozen=True)
class Outcome:
    """What happened to one planned deletion.

    :ivar status: ``"deleted"``, ``"skipped"`` or ``"failed"``.
    :ivar reason: why skipped (``gone``, ``changed``, ``tagged``, ``locked`` ...) or the error
        (type and message, as redacted by the client), empty when deleted.
    """

    item: PlanItem
    status: str
    reason: str = ""

    def to_dict(self) -> Dict[str, Any]:
        """Plain JSON-able fields."""
        return {"item": self.item.to_dict(), "status": self.status, "reason": self.reason}

    def __str__(self) -> str:
        kind, where = self.item.kind, f"{self.item.repository}:{self.item.name}"
        if kind == "manifest":
            where = f"{self.item.repository}@{self.item.name}"
        return f"{self.status} {kind} {where}" + (f" ({self.reason})" if self.reason else "")


@dataclass
class PurgeReport:
    """What :meth:`PurgePlan.execute` did.

    :ivar bytes_reclaimed: an estimate: the sum of deleted manifests' sizes (blobs shared with
        surviving images are not freed, and the registry frees storage later).
    :ivar duration: seconds the run took.
    """

    deleted: List[Outcome] = field(default_factory=list)
    skipped: List[Outcome] = field(default_factory=list)
    failed: List[Outcome] = field(default_factory=list)
    duration: float = 0.0

    @property
    def ok(self) -> bool:
        """No item failed (skips are not failures)."""
        return not self.failed

    @property
    def bytes_reclaimed(self) -> int:
        """Sum of the deleted manifests' sizes."""
        return sum(o.item.size or 0 for o in self.deleted if o.item.kind == "manifest")

    def add(self, outcome: Outcome) -> None:
        """File ``outcome`` under its status."""
        {"deleted": self.deleted, "skipped": self.skipped}.get(outcome.status,
                                                               self.failed).append(outcome)

    def summary(self) -> str:
        """One line for a CI log."""
        return (f"deleted {len(self.deleted)}, skipped {len(self.skipped)}, failed "
                f"{len(self.failed)}, ~{self.bytes_reclaimed} bytes in {self.duration:.1f}s")

    def __repr__(self) -> str:
        return (f"PurgeReport(deleted={len(self.deleted)}, skipped={len(self.skipped)}, "
                f"failed={len(self.failed)}, ok={self.ok})")

    def _display_rows(self) -> List[Tuple[str, Any]]:
        return [("deleted", len(self.deleted)), ("skipped", len(self.skipped)),
                ("failed", len(self.failed)), ("ok", self.ok),
                ("bytes_reclaimed", self.bytes_reclaimed),
                ("duration", round(self.duration, 1))]

    def _repr_html_(self) -> str:
        """A table of the counts, skips and failures listed below it, for Jupyter."""
        from .._display import html_table

        listed = "\n".join(str(outcome) for outcome in [*self.failed, *self.skipped])
        return html_table("PurgeReport", self._display_rows(), details=("not deleted", listed))

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's pretty printer: one count per line."""
        from .._display import pretty

        pretty(printer, cycle, "PurgeReport", self._display_rows())

    def to_json(self) -> str:
        """The report as JSON text."""
        return json.dumps({"ok": self.ok, "bytes_reclaimed": self.bytes_reclaimed,
                           "duration": self.duration,
                           "deleted": [o.to_dict() for o in self.deleted],
                           "skipped": [o.to_dict() for o in self.skipped],
                           "failed": [o.to_dict() for o in self.failed]},
                          indent=1, sort_keys=True)
