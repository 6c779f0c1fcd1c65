"""``repos``, ``tags`` and ``manifests``: listings as text columns or JSON."""

from __future__ import annotations

import argparse
import itertools
import json
from typing import Any, Iterable, List, Optional, Sequence, TextIO

from .._client import ContainerRegistryClient

__all__ = ["run_listing"]


def _top(items: Iterable[Any], top: Optional[int]) -> List[Any]:
    return list(itertools.islice(items, top)) if top else list(items)


def _when(value: Any) -> str:
    return value.isoformat(timespec="seconds") if value is not None else "-"


def run_listing(client: ContainerRegistryClient, args: argparse.Namespace, out: TextIO) -> int:
    """Print the listing ``args.command`` asks for; returns the exit code."""
    if args.command == "repos":
        names = _top(client.list_repository_names(results_per_page=1000), args.top)
        if args.output == "json":
            json.dump(names, out, indent=2)
            out.write("\n")
        else:
            out.writelines(f"{name}\n" for name in names)
        return 0
    if args.command == "tags":
        items = _top(client.list_tag_properties(
            args.repository, order_by=args.orderby, results_per_page=1000), args.top)
        rows: List[Sequence[str]] = [
            (t.name or "", t.digest or "", _when(t.last_updated_on)) for t in items
        ]
    else:
        items = _top(client.list_manifest_properties(
            args.repository, order_by=args.orderby, results_per_page=1000), args.top)
        rows = [
            (m.digest or "", ",".join(m.tags or ()) or "-", str(m.size_in_bytes or "-"),
             _when(m.last_updated_on))
            for m in items
        ]
    if args.output == "json":
        json.dump([item.to_dict(json=True) for item in items], out, indent=2)
        out.write("\n")
    else:
        widths = [max((len(row[i]) for row in rows), default=0) for i in range(len(rows[0]))] \
            if rows else []
        for row in rows:
            out.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
            out.write("\n")
    return 0
