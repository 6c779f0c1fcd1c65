"""Progress of an inventory walk: small events, and a tqdm bar that shows them.

The walk reports every finished step as a :class:`ProgressEvent`, always from the thread that
called :func:`~azure_containerregistry.explore.inventory`, so a UI callback needs no lock.
``progress=None`` picks a bar only when someone can see it (an interactive terminal or a
notebook kernel), so scripts, CI logs and tests stay quiet.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from typing import Any, Callable, Optional, Union

__all__ = ["NOTEBOOK_EXTRA", "ProgressArg", "ProgressEvent", "ProgressReporter", "reporter"]

NOTEBOOK_EXTRA = 'pip install "azure-acr-client[notebook]"'


@dataclass(frozen=True)
class ProgressEvent:
    """One step of the walk finished.

    :ivar kind: ``"repository"`` (its manifests and tags are listed), ``"manifest"`` (a body
        is read, ``layers=True`` only) or ``"done"`` (the walk is over; sent once, last).
    :ivar name: the repository, or ``repository@digest`` for a body; empty for ``"done"``.
    :ivar done: steps of this kind finished so far; ``total``: steps of this kind in all.
    :ivar manifests: manifests found so far; ``errors``: reads that failed so far.
    """

    kind: str
    name: str
    done: int
    total: int
    manifests: int
    errors: int


ProgressReporter = Callable[[ProgressEvent], None]
ProgressArg = Union[bool, ProgressReporter, None]

_LABELS = {"repository": "repositories", "manifest": "manifest bodies"}


class _TqdmReporter:
    """Shows each kind of step as its own tqdm bar (the next one opens when the kind changes)."""

    def __init__(self, tqdm: Any) -> None:
        self._tqdm = tqdm
        self._bar: Any = None
        self._kind = ""

    def __call__(self, event: ProgressEvent) -> None:
        if event.kind == "done":
            self._close()
            return
        if event.kind != self._kind:
            self._close()
            self._kind = event.kind
            self._bar = self._tqdm(total=event.total, desc=_LABELS.get(event.kind, event.kind),
                                   unit="", leave=True)
        self._bar.set_postfix(manifests=event.manifests, errors=event.errors, refresh=False)
        self._bar.update(event.done - self._bar.n)

    def _close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        self._kind = ""


def _in_notebook() -> bool:
    """Whether we run in an IPython kernel (Jupyter, VS Code), where a widget bar shows."""
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    shell = get() if callable(get) else None
    return shell is not None and hasattr(shell, "kernel")


def _tqdm_class() -> Any:
    """tqdm's notebook bar in a kernel with ipywidgets, else its text bar (as ``tqdm.auto``
    does, minus the warning it prints when ipywidgets is missing)."""
    if _in_notebook() and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.notebook import tqdm as notebook_tqdm  # type: ignore[import-untyped]

        return notebook_tqdm
    from tqdm import tqdm  # type: ignore[import-untyped]

    return tqdm


def _has_tqdm() -> bool:
    return importlib.util.find_spec("tqdm") is not None


def _interactive() -> bool:
    isatty = getattr(sys.stderr, "isatty", None)
    return _in_notebook() or (callable(isatty) and bool(isatty()))


def reporter(progress: ProgressArg) -> Optional[ProgressReporter]:
    """The callable behind ``progress=``, or None for silence.

    :param progress: ``False`` silences; ``True`` asks for a tqdm bar; a callable receives
        every :class:`ProgressEvent`; None shows a bar when tqdm is installed and stderr is a
        terminal or this is a notebook.
    :raises ImportError: ``True`` without tqdm (naming the extra that installs it).
    :raises TypeError: anything else.
    """
    if progress is False:
        return None
    if progress is True:
        if not _has_tqdm():
            raise ImportError(f"progress=True needs tqdm: {NOTEBOOK_EXTRA}")
        return _TqdmReporter(_tqdm_class())
    if progress is None:
        return _TqdmReporter(_tqdm_class()) if _has_tqdm() and _interactive() else None
    if callable(progress):
        return progress
    raise TypeError(f"progress must be a bool, a callable or None, not {type(progress).__name__}")
