"""The manifest graph of one repository: index children, referrers, protection and order.

An index (multi-arch image) lists child manifests; a referrer (signature, SBOM ...) names its
subject in ``subject``. Deleting a child of an index that stays breaks ``docker pull`` of the
index; deleting a referrer of an image that stays drops its signature. These functions decide,
without I/O, which planned deletions must be kept instead and in which order the rest run.
"""

from __future__ import annotations

from typing import Any, Collection, Dict, List, Mapping, Optional, Sequence, Set

from ._model import Reason

__all__ = ["INDEX_TYPES", "body_children", "body_subject", "protect", "waves"]

INDEX_TYPES = frozenset({
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
})


def body_children(document: Mapping[str, Any]) -> List[str]:
    """Digests an index body lists under ``manifests`` (empty for other manifests)."""
    listed = document.get("manifests")
    if not isinstance(listed, list):
        return []
    return [d["digest"] for d in listed if isinstance(d, dict) and isinstance(d.get("digest"), str)]


def body_subject(document: Mapping[str, Any]) -> Optional[str]:
    """The digest a referrer's ``subject`` names, or None."""
    subject = document.get("subject")
    if isinstance(subject, dict) and isinstance(subject.get("digest"), str):
        return str(subject["digest"])
    return None


def _parents(children: Mapping[str, Sequence[str]]) -> Dict[str, Set[str]]:
    parents: Dict[str, Set[str]] = {}
    for index, listed in children.items():
        for child in listed:
            parents.setdefault(child, set()).add(index)
    return parents


def protect(present: Collection[str], deleting: Collection[str],
            children: Mapping[str, Sequence[str]],
            subjects: Mapping[str, str]) -> Dict[str, Reason]:
    """Planned deletions that must stay, with the reason, until nothing changes.

    :param present: every manifest digest of the repository.
    :param deleting: the digests planned for deletion.
    :param children: index digest -> the digests it lists (nested indexes included).
    :param subjects: referrer digest -> its subject's digest.
    :returns: digest -> :attr:`Reason.CHILD_OF_KEPT_INDEX` or :attr:`Reason.REFERRER_OF_KEPT_IMAGE`.

    A manifest is kept when an index that stays lists it, or when it refers to a manifest that
    stays; keeping it can keep more (its own children, its own referrers), hence the loop.
    """
    parents = _parents(children)
    pending = set(deleting)
    stays = set(present) - pending
    rescued: Dict[str, Reason] = {}
    changed = True
    while changed:
        changed = False
        for digest in sorted(pending):
            if any(parent in stays for parent in parents.get(digest, ())):
                rescued[digest] = Reason.CHILD_OF_KEPT_INDEX
            elif subjects.get(digest) in stays:
                rescued[digest] = Reason.REFERRER_OF_KEPT_IMAGE
            else:
                continue
            pending.discard(digest)
            stays.add(digest)
            changed = True
    return rescued


def waves(deleting: Collection[str], children: Mapping[str, Sequence[str]],
          subjects: Mapping[str, str]) -> Dict[str, int]:
    """Execution wave (1, 2, ...) of each manifest deletion.

    An index runs before the children it lists and a referrer before its subject, so at no
    moment does a surviving manifest point at a deleted one; one wave's items are independent.
    """
    doomed = set(deleting)
    before: Dict[str, Set[str]] = {d: set() for d in doomed}
    for index, listed in children.items():
        for child in listed:
            if index in doomed and child in doomed and child != index:
                before[child].add(index)
    for referrer, subject in subjects.items():
        if referrer in doomed and subject in doomed and subject != referrer:
            before[subject].add(referrer)
    wave: Dict[str, int] = {}
    for start in sorted(doomed):
        _assign(start, before, wave, set())
    return wave


def _assign(digest: str, before: Mapping[str, Set[str]], wave: Dict[str, int],
            visiting: Set[str]) -> int:
    """Depth-first longest path; a cycle (impossible with real digests) is cut, not looped."""
    if digest in wave:
        return wave[digest]
    visiting.add(digest)
    depth = 1 + max((_assign(p, before, wave, visiting) for p in before[digest]
                     if p not in visiting), default=0)
    visiting.discard(digest)
    wave[digest] = depth
    return depth
