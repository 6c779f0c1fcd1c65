"""``purge``: plan (or load a reviewed plan), show it, and run it unless ``--dry-run``.

On a terminal a one-line progress counter is redrawn; elsewhere (CI logs) every finished item is
one line, so a log says exactly what was deleted, skipped or failed, and why.
"""

from __future__ import annotations

import argparse
from typing import Callable, TextIO

from .._client import ContainerRegistryClient
from ..purge import Outcome, PlanItem, PurgePlan, plan
from ._args import EXIT_FAILURES, EXIT_OK

__all__ = ["run_purge"]


def _plan(client: ContainerRegistryClient, args: argparse.Namespace) -> PurgePlan:
    if args.plan_in:
        with open(args.plan_in, encoding="utf-8") as saved:
            return PurgePlan.from_json(saved.read())
    return plan(
        client,
        args.filters,
        exclude=args.exclude,
        ago=args.ago,
        keep=args.keep,
        min_tags=args.min_tags,
        untagged=args.untagged,
        untagged_only=args.untagged_only,
        include_locked=args.include_locked,
        allow_all=args.allow_all,
    )


def _where(item: PlanItem) -> str:
    separator = "@" if item.kind == "manifest" else ":"
    return f"{item.kind} {item.repository}{separator}{item.name}"


def _progress(out: TextIO, total: int) -> Callable[[Outcome], None]:
    """A counter redrawn in place on a terminal; one line per finished item elsewhere."""
    done = [0]
    terminal = out.isatty()

    def report(outcome: Outcome) -> None:
        done[0] += 1
        if terminal:
            out.write(f"\r{done[0]}/{total} {str(outcome)[:70]:<70}")
            if done[0] == total:
                out.write("\n")
        else:
            out.write(f"{outcome}\n")
        out.flush()

    return report


def run_purge(
    client: ContainerRegistryClient, args: argparse.Namespace, out: TextIO, err: TextIO
) -> int:
    """Plan, save, show and execute; returns the exit code (1 when any item failed)."""
    purge_plan = _plan(client, args)
    if args.plan_out:
        with open(args.plan_out, "w", encoding="utf-8") as saved:
            saved.write(purge_plan.to_json())
    deletions = purge_plan.deletions
    if args.output == "json" and args.dry_run:
        out.write(purge_plan.to_json() + "\n")
        return EXIT_OK
    if args.output == "text":
        out.write(purge_plan.summary() + "\n")
        if args.dry_run:
            out.writelines(f"would delete {_where(item)} ({item.reason.value})\n"
                           for item in deletions)
            return EXIT_OK
    report = purge_plan.execute(
        client,
        concurrency=args.concurrency,
        progress=_progress(err if args.output == "json" else out, len(deletions)),
    )
    out.write((report.to_json() if args.output == "json" else report.summary()) + "\n")
    return EXIT_OK if report.ok else EXIT_FAILURES

