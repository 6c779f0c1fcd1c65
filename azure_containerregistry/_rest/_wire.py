"""ACR's JSON answers, unwrapped and shape-checked once, before anything above reads them.

Single-item answers wrap the item (``{"registry", "imageName", "tag": {...}}``); listings put
items in a named array; empty repositories may leave that array out. What comes out is an
:class:`Item` or a list of them: a ``dict`` of the item's own fields, plus the repository and
registry it belongs to. Digests and names that could later go into a URL path are validated
here, so a server cannot steer a follow-up request with them.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List, NamedTuple, Optional

from .._validation import validate_digest, validate_repository

__all__ = [
    "Item",
    "MalformedAnswer",
    "catalog_names",
    "manifest_items",
    "repository_item",
    "single_manifest",
    "single_tag",
    "tag_items",
]

JSON = Dict[str, Any]
_SHA256 = re.compile(r"sha256:[a-f0-9]{64}")


class MalformedAnswer(ValueError):
    """The registry's JSON does not have the shape the API defines."""


class Item(NamedTuple):
    """One repository, tag or manifest: its wire fields and where it lives."""

    wire: JSON
    repository: Optional[str]
    registry: Optional[str]


def _object(value: Any, what: str) -> JSON:
    if not isinstance(value, dict):
        raise MalformedAnswer(f"{what} is {type(value).__name__}, not a JSON object")
    return value


def _text(document: JSON, key: str, default: Optional[str]) -> Optional[str]:
    value = document.get(key, default)
    if value is not None and not isinstance(value, str):
        raise MalformedAnswer(f"{key!r} is {type(value).__name__}, not a string")
    return value


def _digest(item: JSON, what: str, required: bool) -> None:
    digest = item.get("digest")
    if (digest is None and not required) or (
        isinstance(digest, str) and _SHA256.fullmatch(digest)  # the common case, fast
    ):
        return
    try:
        validate_digest(digest, f"{what} digest")
    except (TypeError, ValueError) as exc:
        raise MalformedAnswer(str(exc)) from None


def _checked_tag(item: Any) -> JSON:
    tag = _object(item, "tag")
    _text(tag, "name", None)
    _digest(tag, "tag", required=True)
    return tag


def _checked_manifest(item: Any) -> JSON:
    manifest = _object(item, "manifest")
    _digest(manifest, "manifest", required=True)
    references = manifest.get("references")
    if references is not None:
        if not isinstance(references, list):
            raise MalformedAnswer("manifest 'references' is not a list")
        for reference in references:
            _digest(_object(reference, "manifest reference"), "reference", required=False)
    return manifest


def _where(document: JSON, repository: Optional[str], registry: str) -> tuple[Optional[str], str]:
    return _text(document, "imageName", repository), _text(document, "registry", registry) or ""


def _single(
    document: Any, key: str, check: Callable[[Any], JSON], repository: str, registry: str
) -> Item:
    document = _object(document, "answer")
    name, host = _where(document, repository, registry)
    return Item(check(document.get(key, document)), name, host)


def _listing(
    document: Any, key: str, check: Callable[[Any], JSON], repository: str, registry: str
) -> List[Item]:
    document = _object(document, "page")
    name, host = _where(document, repository, registry)
    items = document.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise MalformedAnswer(f"page {key!r} is not a list")
    return [Item(check(item), name, host) for item in items]


def single_tag(document: Any, repository: str, registry: str) -> Item:
    """``{"registry", "imageName", "tag": {...}}`` (or a bare tag, as PATCH answers)."""
    return _single(document, "tag", _checked_tag, repository, registry)


def single_manifest(document: Any, repository: str, registry: str) -> Item:
    """``{"registry", "imageName", "manifest": {...}}`` (or a bare manifest)."""
    return _single(document, "manifest", _checked_manifest, repository, registry)


def repository_item(document: Any, registry: str) -> Item:
    """Repository attributes; ``imageName`` is its name."""
    document = _object(document, "repository")
    name, host = _where(document, None, registry)
    return Item(document, name, host)


def tag_items(document: Any, repository: str, registry: str) -> List[Item]:
    """The ``tags`` of one listing page."""
    return _listing(document, "tags", _checked_tag, repository, registry)


def manifest_items(document: Any, repository: str, registry: str) -> List[Item]:
    """The ``manifests`` of one listing page."""
    return _listing(document, "manifests", _checked_manifest, repository, registry)


def catalog_names(document: Any) -> List[str]:
    """The ``repositories`` of one catalog page, each a valid repository name."""
    names = _object(document, "page").get("repositories")
    if names is None:
        return []
    if not isinstance(names, list):
        raise MalformedAnswer("page 'repositories' is not a list")
    for name in names:
        try:
            validate_repository(name, "listed repository")
        except (TypeError, ValueError) as exc:
            raise MalformedAnswer(str(exc)) from None
    return names
