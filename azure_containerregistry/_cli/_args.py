"""The command line's arguments: one parser, common options on every command."""

from __future__ import annotations

import argparse
import os

__all__ = ["EXIT_ERROR", "EXIT_FAILURES", "EXIT_OK", "EXIT_USAGE", "build_parser"]

EXIT_OK = 0
"""Everything done."""
EXIT_FAILURES = 1
"""The run finished, but some items failed (a partial purge)."""
EXIT_USAGE = 2
"""Bad arguments (argparse's own code)."""
EXIT_ERROR = 3
"""The run could not start or stopped: authentication, connection, an unreadable plan."""

_ORDERS = ("timedesc", "timeasc")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, not {value}")
    return value


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    sign_in = common.add_argument_group("registry and sign-in")
    sign_in.add_argument(
        "--registry",
        default=os.environ.get("CONTAINERREGISTRY_ENDPOINT"),
        help="registry URL or login server (default: $CONTAINERREGISTRY_ENDPOINT)",
    )
    sign_in.add_argument(
        "--username",
        help="sign in as this admin user or repository token; the password comes from "
        "$CONTAINERREGISTRY_PASSWORD or --password-stdin",
    )
    sign_in.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    sign_in.add_argument(
        "--anonymous", action="store_true", help="no sign-in (public registries, read-only)"
    )
    common.add_argument("--output", choices=("text", "json"), default="text")
    return common


def _listing(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    repos = commands.add_parser("repos", parents=[common], help="list repository names")
    repos.add_argument("--top", type=_positive, help="show at most this many")
    for name, what in (("tags", "tags"), ("manifests", "manifests")):
        listing = commands.add_parser(name, parents=[common], help=f"list a repository's {what}")
        listing.add_argument("repository")
        listing.add_argument("--orderby", choices=_ORDERS, help="newest or oldest first")
        listing.add_argument("--top", type=_positive, help="show at most this many")


def _purge(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    purge = commands.add_parser(
        "purge",
        parents=[common],
        help="delete old tags and untagged manifests, safely",
        description="Plan, show and run a cleanup. Filters are '<repository regex>:<tag regex>', "
        "both anchored, as acr purge takes them; excludes win over filters.",
    )
    purge.add_argument("--filter", action="append", default=[], dest="filters",
                       metavar="REPO_REGEX:TAG_REGEX", help="what to consider (repeatable)")
    purge.add_argument("--exclude", action="append", default=[], metavar="REPO_REGEX:TAG_REGEX",
                       help="never delete what this matches (repeatable)")
    purge.add_argument("--ago", help="only tags last updated longer ago than this: 30d, 2d3h, 15m")
    purge.add_argument("--keep", type=_non_negative, default=0,
                       help="keep the N newest matching tags per repository, whatever their age")
    purge.add_argument("--min-tags", type=_non_negative, default=0,
                       help="never leave a repository with fewer than N tags")
    purge.add_argument("--untagged", action="store_true",
                       help="also delete manifests left without tags")
    purge.add_argument("--untagged-only", action="store_true",
                       help="only delete manifests without tags")
    purge.add_argument("--include-locked", action="store_true",
                       help="unlock locked items, then delete them")
    purge.add_argument("--allow-all", action="store_true",
                       help="allow rules that match everything in the registry")
    purge.add_argument("--dry-run", action="store_true", help="plan and show; delete nothing")
    purge.add_argument("--concurrency", type=_positive,
                       help="start with this many requests in flight (adapts to throttling)")
    purge.add_argument("--plan-out", metavar="FILE", help="save the plan as JSON")
    purge.add_argument("--plan-in", metavar="FILE",
                       help="run a plan saved with --plan-out, exactly as reviewed")


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m azure_containerregistry``."""
    parser = argparse.ArgumentParser(
        prog="python -m azure_containerregistry",
        description="List and clean up an Azure Container Registry.",
        epilog="Exit codes: 0 done, 1 some items failed, 2 bad usage, 3 could not run.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    common = _common()
    _listing(commands, common)
    _purge(commands, common)
    return parser
