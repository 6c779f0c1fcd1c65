"""How models look in a notebook (``_repr_html_``) and in IPython (``_repr_pretty_``).

A model describes itself as rows of ``(field, value)``; this module turns the rows into a small
two-column HTML table or into IPython's pretty form, one field per line. Values are what the
model's properties return (already read tolerantly), and every piece of text is escaped, so a
registry's odd data can neither break the page nor inject markup. Nothing here raises on a value
it does not know: it falls back to ``repr``.
"""

from __future__ import annotations

import html
import json
from datetime import datetime
from enum import Enum
from typing import Any, Iterable, Mapping, Sequence, Tuple

__all__ = [
    "Displayable", "Row", "html_table", "manifest_json", "manifest_summary", "pretty", "value_repr",
]

Row = Tuple[str, Any]

#: Longest text shown in one HTML cell; the rest is cut (a manifest can be megabytes).
_MAX_CELL = 16_384


def _text(value: Any) -> str:
    """One value as short, human text: times to the second, enums as their value, sizes in KiB."""
    if value is None:
        return "None"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}" if abs(value) < 1024 else f"{value:,} ({_binary(value)})"
    if isinstance(value, str):
        return value
    if isinstance(value, Displayable):
        return ", ".join(f"{name}={_text(item)}" for name, item in value._display_rows())
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(item) for item in value)
    return repr(value)


def _binary(size: int) -> str:
    amount = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(amount) < 1024:
            return f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{amount:.1f} PiB"


def _cell(value: Any) -> str:
    """The escaped HTML of one value; a list of models gets one line per item."""
    if isinstance(value, (list, tuple)) and any(isinstance(v, Displayable) for v in value):
        return "<br>".join(html.escape(_text(item)[:_MAX_CELL]) for item in value)
    text = _text(value)
    if len(text) > _MAX_CELL:
        text = text[:_MAX_CELL] + "…"
    return html.escape(text)


def html_table(title: str, rows: Iterable[Row], *, details: Row | None = None) -> str:
    """A compact two-column table, captioned ``title``: field names left, values right.

    ``details`` is a ``(label, text)`` shown below the table, collapsed, as preformatted text.
    """
    body = "".join(
        f'<tr><th style="text-align:left">{html.escape(name)}</th>'
        f'<td style="text-align:left">{_cell(value)}</td></tr>'
        for name, value in rows
    )
    table = (
        f'<table class="azure-containerregistry"><caption style="text-align:left">'
        f"<b>{html.escape(title)}</b></caption><tbody>{body}</tbody></table>"
    )
    if details is None:
        return table
    label, text = details
    if len(text) > _MAX_CELL:
        text = text[:_MAX_CELL] + "\n…"
    return (
        f"<div>{table}<details><summary>{html.escape(label)}</summary>"
        f"<pre>{html.escape(str(text))}</pre></details></div>"
    )


def value_repr(value: Any) -> str:
    """What ``repr`` shows for a value: enums as their value, everything else as its repr."""
    if isinstance(value, Enum):
        return repr(value.value)
    return repr(value)


def pretty(printer: Any, cycle: bool, title: str, rows: Sequence[Row]) -> None:
    """IPython's pretty form: ``Title(`` then one ``field=value,`` per line, then ``)``.

    With IPython's printer the lines keep the indentation of where the model is nested (a model
    in a list); a printer with only ``text`` gets plain newlines.
    """
    if cycle:
        printer.text(f"{title}(...)")
        return
    if not rows:
        printer.text(f"{title}()")
        return
    printer.text(f"{title}(")
    if hasattr(printer, "break_") and hasattr(printer, "indent"):
        with printer.indent(4):
            for name, value in rows:
                printer.break_()
                if isinstance(value, list) and value:  # nested models get their pretty form
                    printer.text(f"{name}=")
                    printer.pretty(value)
                    printer.text(",")
                else:
                    printer.text(f"{name}={value_repr(value)},")
        printer.break_()
    else:
        for name, value in rows:
            printer.text(f"\n    {name}={value_repr(value)},")
        printer.text("\n")
    printer.text(")")


def manifest_summary(manifest: Mapping[str, Any]) -> str:
    """What a manifest holds, in a few words: its config and layer count, or its children."""
    parts = []
    config = manifest.get("config")
    if isinstance(config, dict) and isinstance(config.get("digest"), str):
        parts.append(f"config {config['digest']}")
    for key, noun in (("layers", "layer"), ("manifests", "manifest"), ("blobs", "blob")):
        items = manifest.get(key)
        if isinstance(items, list):
            parts.append(f"{len(items)} {noun}{'' if len(items) == 1 else 's'}")
    return ", ".join(parts) or f"{len(manifest)} top-level fields"


def manifest_json(manifest: Mapping[str, Any]) -> str:
    """The manifest as indented JSON, for a collapsed HTML block; never raises."""
    try:
        return json.dumps(manifest, indent=2, default=repr, sort_keys=False)
    except (TypeError, ValueError, RecursionError):
        return repr(manifest)


class Displayable:
    """Mixin: ``__repr__``, ``_repr_html_`` and ``_repr_pretty_`` from ``_display_rows``.

    IPython takes the first of ``_repr_pretty_`` or ``__repr__`` it finds along the MRO, so a
    class that defines its own ``__repr__`` must define ``_repr_pretty_`` beside it.
    """

    def _display_rows(self) -> Sequence[Row]:
        raise NotImplementedError

    def __repr__(self) -> str:
        # repr() of each value (datetime.datetime(...)), enums as their value: eval-able input.
        shown = ", ".join(f"{name}={value_repr(value)}" for name, value in self._display_rows())
        return f"{type(self).__name__}({shown})"

    def _repr_html_(self) -> str:
        """A compact HTML table of the fields, for Jupyter."""
        return html_table(type(self).__name__, self._display_rows())

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's pretty printer: one field per line."""
        pretty(printer, cycle, type(self).__name__, self._display_rows())
