"""Parsing of purge rules: ``acr purge``-style filters and the age cutoff.

Everything here is pure and runs before the first request, so a typo in a CI job's rule fails
the job at once instead of after listing a large registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Iterable, Optional, Pattern, Sequence, Union

__all__ = ["MAX_AGE", "Rule", "cutoff", "matches", "parse_ago", "parse_rules"]

MAX_AGE = timedelta(days=365 * 150)
"""The longest ``ago`` accepted: anything longer is a typo, not a retention policy."""

_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")

AgoSpec = Union[str, timedelta, datetime, None]


@dataclass(frozen=True)
class Rule:
    """One ``"<repository regex>:<tag regex>"`` rule; both parts match the whole name."""

    text: str
    repository: Pattern[str]
    tag: Pattern[str]

    def matches_repository(self, name: str) -> bool:
        """Whether the repository part matches all of ``name``."""
        return self.repository.fullmatch(name) is not None

    def matches(self, repository: str, name: str) -> bool:
        """Whether both parts match: ``name`` is a tag, or the digest of an untagged manifest."""
        return self.matches_repository(repository) and self.tag.fullmatch(name) is not None


def _separator(text: str) -> int:
    """Index of the ``:`` between the two regexes: the first one outside groups, classes and
    escapes (repository names never contain ``:``, so ``(?:...)`` in either part still works)."""
    depth, in_class, escaped = 0, False, False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == ":" and depth == 0:
            return index
    raise ValueError(f"rule {text!r} is not '<repository regex>:<tag regex>'")


def _compile(part: str, what: str, text: str) -> Pattern[str]:
    if not part:
        raise ValueError(f"rule {text!r} has an empty {what} regex")
    try:
        return re.compile(part)
    except re.error as error:
        raise ValueError(f"rule {text!r}: bad {what} regex: {error}") from None


def parse_rules(rules: Union[str, Iterable[str]], *, what: str = "filter") -> list[Rule]:
    """Parse rule strings; a single string counts as one rule.

    :raises ValueError: a rule without ``:``, with an empty part or a regex that doesn't compile.
    """
    texts: Sequence[object] = [rules] if isinstance(rules, str) else list(rules)
    parsed = []
    for text in texts:
        if not isinstance(text, str):
            raise ValueError(f"{what} {text!r} is not a string")
        split = _separator(text)
        parsed.append(Rule(text, _compile(text[:split], "repository", text),
                           _compile(text[split + 1:], "tag", text)))
    return parsed


def matches(rules: Iterable[Rule], repository: str, name: str) -> bool:
    """Whether any rule matches ``name`` in ``repository``."""
    return any(rule.matches(repository, name) for rule in rules)


def parse_ago(value: AgoSpec) -> Optional[timedelta]:
    """An age as a ``timedelta`` (a ``datetime`` is returned by :func:`cutoff`, not here).

    Text is days, hours, minutes and seconds in that order, each optional: ``"30d"``,
    ``"2d3h"``, ``"15m"``, ``"1h30m"``.

    :raises ValueError: unparsable text, a negative age or one over 150 years.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        raise ValueError("a datetime is a cutoff, not an age")
    if isinstance(value, timedelta):
        age = value
    elif isinstance(value, str):
        found = _DURATION.fullmatch(value.strip().lower())
        if not value.strip() or found is None:
            raise ValueError(f"ago {value!r} is not a duration such as '30d', '2d3h' or '15m'")
        seconds = sum(int(n) * s for n, s in zip(found.groups(), _UNIT_SECONDS.values()) if n)
        if seconds > MAX_AGE.total_seconds():
            raise ValueError(f"ago {value!r} is over 150 years")
        age = timedelta(seconds=seconds)
    else:
        raise ValueError(f"ago must be text, a timedelta or a datetime, not {value!r}")
    if age < timedelta(0):
        raise ValueError(f"ago {value!r} is negative")
    if age > MAX_AGE:
        raise ValueError(f"ago {value!r} is over 150 years")
    return age


def cutoff(value: AgoSpec, now: datetime) -> Optional[datetime]:
    """The latest ``last_updated_on`` a tag may have to be purged, or None (no age rule).

    A naive ``datetime`` is taken as UTC.

    :raises ValueError: as :func:`parse_ago`, or a cutoff in the future.
    """
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
        if moment > now:
            raise ValueError(f"cutoff {value.isoformat()} is in the future (a negative age)")
        if now - moment > MAX_AGE:
            raise ValueError(f"cutoff {value.isoformat()} is over 150 years ago")
        return moment
    age = parse_ago(value)
    return None if age is None else now - age
