"""One measured purge run, in its own process; prints one JSON line.

``python benchmarks/_purge_driver.py --client ours|theirs --fixture FILE``

- ``theirs``: Microsoft's client in a sequential loop: list the repository's tags, then
  ``delete_tag`` each and ``delete_manifest`` each digest (what a hand-written cleanup does).
- ``ours``: ``azure_containerregistry.purge``: ``plan(client, ["<repo>:.*"], untagged=True)``
  then ``execute`` with a shared :class:`AdaptiveLimiter`. When the purge package cannot be
  imported, a plain concurrent loop over the same ``delete_tag``/``delete_manifest`` calls
  through the limiter (``mode`` says which ran).

Both clients first make one warm-up call (tokens cached, connection open). Printed fields:
``wall_s`` (listing/planning plus deleting), ``plan_s``, ``delete_s``, ``cpu_s`` (this
process's CPU over the same span), ``deleted``, ``failed``
(with up to five reasons), ``mode`` and, for ours, the limiter's statistics.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import time
from typing import Any, Dict, List, Tuple

from _credential import make_client

CONCURRENCY = 16


def theirs(client: Any, repository: str) -> Dict[str, Any]:
    started = time.perf_counter()
    listed = [(t.name, t.digest) for t in client.list_tag_properties(repository)]
    planned = time.perf_counter()
    failed: List[str] = []
    deleted = 0
    for tag, _ in listed:
        try:
            client.delete_tag(repository, tag)
            deleted += 1
        except Exception as exc:
            failed.append(f"tag {tag}: {type(exc).__name__}: {exc}"[:200])
    for digest in dict.fromkeys(d for _, d in listed):
        try:
            client.delete_manifest(repository, digest)
            deleted += 1
        except Exception as exc:
            failed.append(f"manifest {digest}: {type(exc).__name__}: {exc}"[:200])
    done = time.perf_counter()
    return {"mode": "sequential loop", "plan_s": planned - started, "delete_s": done - planned,
            "wall_s": done - started, "deleted": deleted, "failed": len(failed),
            "failures": failed[:5]}


def ours_purge(client: Any, repository: str, limiter: Any) -> Dict[str, Any]:
    from azure_containerregistry.purge import plan

    started = time.perf_counter()
    reviewed = plan(client, [f"{re.escape(repository)}:.*"], untagged=True)
    planned = time.perf_counter()
    report = reviewed.execute(client, limiter=limiter)
    done = time.perf_counter()
    return {"mode": "purge.plan + execute", "plan_s": planned - started,
            "delete_s": done - planned, "wall_s": done - started,
            "deleted": len(report.deleted), "skipped": len(report.skipped),
            "failed": len(report.failed), "failures": [str(o) for o in report.failed[:5]]}


def ours_loop(client: Any, repository: str, limiter: Any, why: str) -> Dict[str, Any]:
    started = time.perf_counter()
    listed = [(t.name, t.digest) for t in client.list_tag_properties(repository)]
    planned = time.perf_counter()
    failed: List[str] = []
    deleted = 0

    def delete(step: Tuple[str, str]) -> None:
        kind, name = step
        method = client.delete_tag if kind == "tag" else client.delete_manifest
        limiter.call(method, repository, name)

    tags = [("tag", tag) for tag, _ in listed]
    manifests = [("manifest", digest) for digest in dict.fromkeys(d for _, d in listed)]
    for wave in (tags, manifests):  # tags first, as a purge does
        for step, outcome in limiter.map(delete, wave):
            if isinstance(outcome, BaseException):
                failed.append(f"{step[0]} {step[1]}: {type(outcome).__name__}: {outcome}"[:200])
            else:
                deleted += 1
    done = time.perf_counter()
    return {"mode": f"concurrent loop via AdaptiveLimiter ({why})",
            "plan_s": planned - started, "delete_s": done - planned, "wall_s": done - started,
            "deleted": deleted, "failed": len(failed), "failures": failed[:5]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--client", choices=("ours", "theirs"), required=True)
    parser.add_argument("--fixture", required=True, help="JSON file written by purge.py")
    parser.add_argument("--loop", action="store_true", help="ours: the plain concurrent loop")
    args = parser.parse_args()
    with open(args.fixture, encoding="utf-8") as f:
        fx = json.load(f)
    client = make_client(args.client, fx)
    client.get_repository_properties(fx["keep_repo"])  # warm-up: tokens, connection
    cpu = time.process_time()
    if args.client == "theirs":
        result = theirs(client, fx["repository"])
    else:
        from azure_containerregistry._throttle import AdaptiveLimiter

        limiter = AdaptiveLimiter(CONCURRENCY)
        why = "--loop"
        try:
            from azure_containerregistry.purge import plan  # noqa: F401
        except ImportError:
            args.loop, why = True, "purge package not importable"
        if args.loop:
            result = ours_loop(client, fx["repository"], limiter, why)
        else:
            result = ours_purge(client, fx["repository"], limiter)
        result["limiter"] = dataclasses.asdict(limiter.stats)
    result["cpu_s"] = time.process_time() - cpu
    client.close()
    print(json.dumps({"client": args.client, **result}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
