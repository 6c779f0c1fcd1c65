"""Command line: ``python -m azure_containerregistry.testing serve --port N``."""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
from collections.abc import Sequence

from ._registry import LocalRegistry
from ._throttle import Throttle


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and serve until interrupted (Ctrl-C)."""
    parser = argparse.ArgumentParser(prog="python -m azure_containerregistry.testing")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run a local ACR-compatible registry")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0)
    serve.add_argument("--anonymous-pull", action="store_true")
    serve.add_argument("--cert", help="PEM certificate: serve https")
    serve.add_argument("--key", help="PEM private key for --cert")
    serve.add_argument("--storage-redirect", action="store_true",
                       help="answer blob GETs with 307 to a storage URL on host localhost")
    serve.add_argument("--seed-demo", action="store_true",
                       help="add library/hello (latest, v1) and multi (an amd64/arm64 index)")
    serve.add_argument("--reads-per-minute", type=int, metavar="N",
                       help="answer 429 with Retry-After beyond N GET/HEAD a minute (like ACR)")
    serve.add_argument("--writes-per-minute", type=int, metavar="N",
                       help="answer 429 beyond N PUT/PATCH/POST/DELETE a minute (like ACR)")
    serve.add_argument("--user", action="append", default=[], type=_user,
                       metavar="NAME:PASSWORD[:SCOPES]",
                       help="let NAME sign in with PASSWORD (no ':' in either); SCOPES, "
                            "';'-separated (e.g. 'repository:app:pull,push'), default all. "
                            "Repeatable")
    args = parser.parse_args(argv)
    throttle = None
    if args.reads_per_minute or args.writes_per_minute:
        throttle = Throttle(reads_per_minute=args.reads_per_minute,
                            writes_per_minute=args.writes_per_minute)
    registry = LocalRegistry(anonymous_pull=args.anonymous_pull, certfile=args.cert,
                             keyfile=args.key, host=args.host, port=args.port,
                             storage_redirect=args.storage_redirect, throttle=throttle)
    for name, password, scopes in args.user:
        try:
            registry.add_user(name, password, scopes)
        except ValueError as err:
            parser.error(f"--user {name}: {err}")
    if args.seed_demo:
        registry.add_image("library/hello", tags=["latest", "v1"])
        registry.add_index("multi", tags=["latest"])
    with registry:
        print(registry.endpoint, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


def _user(text: str) -> tuple[str, str, list[str] | None]:
    """``NAME:PASSWORD[:SCOPES]`` -> ``(name, password, scopes or None for all)``."""
    name, _, rest = text.partition(":")
    password, sep, scopes = rest.partition(":")
    if not name or not password:
        raise argparse.ArgumentTypeError("expected NAME:PASSWORD[:SCOPES]")
    return name, password, [s for s in scopes.split(";") if s] if sep else None


if __name__ == "__main__":
    sys.exit(main())
