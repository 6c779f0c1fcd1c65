"""``python -m azure_containerregistry``: list a registry and clean it up from scripts and CI.

Commands: ``repos``, ``tags REPO``, ``manifests REPO`` and ``purge``. Sign-in, in order: a
credential passed to :func:`main` (programs and tests), ``--username`` with the password from
``$CONTAINERREGISTRY_PASSWORD`` or ``--password-stdin``, ``--anonymous``, else
``DefaultAzureCredential``. Errors are one line on standard error, never a traceback, and never a
secret; the exit code tells success (0), failed items (1), bad usage (2) and a run that could not
start (3) apart.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Dict, Optional, Sequence, TextIO

from azure.core.exceptions import AzureError

from .._client import ContainerRegistryClient
from ._args import EXIT_ERROR, EXIT_USAGE, build_parser
from ._listing import run_listing
from ._purge import run_purge

__all__ = ["main"]


class _UsageError(Exception):
    """Arguments that parse but do not make sense together."""


def _credential(args: Any, stdin: TextIO) -> Any:
    if args.username and args.anonymous:
        raise _UsageError("--username and --anonymous exclude each other")
    if args.username:
        from azure.core.credentials import AzureNamedKeyCredential

        if args.password_stdin:
            password = stdin.readline().rstrip("\r\n")
        else:
            password = os.environ.get("CONTAINERREGISTRY_PASSWORD", "")
        if not password:
            raise _UsageError(
                "--username needs a password: set CONTAINERREGISTRY_PASSWORD or pass "
                "--password-stdin"
            )
        return AzureNamedKeyCredential(args.username, password)
    if args.password_stdin:
        raise _UsageError("--password-stdin needs --username")
    if args.anonymous:
        return None
    from azure.identity import DefaultAzureCredential

    return DefaultAzureCredential()


def _check_purge(args: Any) -> None:
    if args.command != "purge":
        return
    rules = (args.filters or args.exclude or args.ago or args.keep or args.min_tags
             or args.untagged or args.untagged_only or args.include_locked or args.allow_all)
    if args.plan_in and rules:
        raise _UsageError("--plan-in runs a saved plan as reviewed: give no rule options with it")
    if not args.plan_in and not args.filters:
        raise _UsageError("purge needs at least one --filter REPO_REGEX:TAG_REGEX (or --plan-in)")


def main(
    argv: Optional[Sequence[str]] = None,
    *,
    credential: Any = None,
    client_options: Optional[Dict[str, Any]] = None,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    stderr: TextIO = sys.stderr,
) -> int:
    """Run the command line; returns the exit code.

    :param credential: sign in with this credential instead of the command line's choice.
    :param client_options: more keywords for :class:`ContainerRegistryClient` (e.g. retries).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if not args.registry:
            raise _UsageError("give --registry or set CONTAINERREGISTRY_ENDPOINT")
        _check_purge(args)
        signed_in = credential if credential is not None else _credential(args, stdin)
        options = client_options or {}
        with ContainerRegistryClient(args.registry, signed_in, **options) as client:
            if args.command == "purge":
                return run_purge(client, args, stdout, stderr)
            return run_listing(client, args, stdout)
    except _UsageError as exc:
        parser.print_usage(stderr)
        stderr.write(f"{parser.prog}: error: {exc}\n")
        return EXIT_USAGE
    except (ValueError, TypeError) as exc:
        stderr.write(f"error: {exc}\n")
        return EXIT_USAGE
    except (AzureError, OSError) as exc:
        stderr.write(f"error: {type(exc).__name__}: {exc}\n")
        return EXIT_ERROR
