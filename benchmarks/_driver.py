"""One measured benchmark run, in its own process; prints one JSON line.

``python benchmarks/_driver.py --client ours|theirs --scenario NAME --fixture FILE``

``ours`` imports ``azure_containerregistry``, ``theirs`` Microsoft's ``azure.containerregistry``
(run from the isolated venv). Every scenario except ``cold_*`` first makes one warm-up call of
the same kind on the same client (tokens cached, connection open), then asks the server for the
request-log length (``mark``), then measures. Printed fields:

- ``wall_s``: ``time.perf_counter`` over the measured calls;
- ``cpu_s``: ``time.process_time`` over them (this process's CPU, every thread);
- ``maxrss_delta_kib``: growth of the process's peak RSS (``getrusage().ru_maxrss``) during the
  measured calls: what they needed beyond what warm-up had already touched (no tracemalloc, so
  timings stay undisturbed);
- ``mark``, ``calls``, ``items``, ``pages``, ``bytes``: for the orchestrator's log analysis.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import resource
import sys
import time
import urllib.request
from typing import Any, Callable, Dict, Tuple

from _credential import make_client

Result = Dict[str, int]
Scenario = Tuple[Callable[[Any, Dict[str, Any]], Any], Callable[[Any, Dict[str, Any]], Result]]


def _listing(kind: str, per_page: int | None) -> Scenario:
    def paged(client: Any, fx: Dict[str, Any]) -> Any:
        kwargs = {} if per_page is None else {"results_per_page": per_page}
        if kind == "repositories":
            return client.list_repository_names(**kwargs)
        if kind == "tags":
            return client.list_tag_properties(fx["tags_repo"], **kwargs)
        return client.list_manifest_properties(fx["tags_repo"], **kwargs)

    def warm(client: Any, fx: Dict[str, Any]) -> Any:
        return list(next(iter(paged(client, fx).by_page())))

    def run(client: Any, fx: Dict[str, Any]) -> Result:
        pages = items = 0
        for page in paged(client, fx).by_page():
            pages += 1
            for _ in page:
                items += 1
        expected = fx["repositories"] if kind == "repositories" else fx["listed_items"]
        if items != expected:
            raise SystemExit(f"listed {items} {kind}, expected {expected}")
        return {"calls": 1, "items": items, "pages": pages}

    return warm, run


def _get_tag(client: Any, fx: Dict[str, Any]) -> Result:
    for tag in fx["props_tags"][:-1]:
        client.get_tag_properties(fx["props_repo"], tag)
    return {"calls": len(fx["props_tags"]) - 1}


def _get_manifest(by: str) -> Scenario:
    refs = "props_tags" if by == "tag" else "props_digests"

    def warm(client: Any, fx: Dict[str, Any]) -> Any:
        return client.get_manifest_properties(fx["props_repo"], fx[refs][-1])

    def run(client: Any, fx: Dict[str, Any]) -> Result:
        for ref in fx[refs][:-1]:
            client.get_manifest_properties(fx["props_repo"], ref)
        return {"calls": len(fx[refs]) - 1}

    return warm, run


def _delete(client: Any, fx: Dict[str, Any]) -> Result:
    digests = fx["run"]["digests"][:-1]
    for digest in digests:
        client.delete_manifest(fx["run"]["repository"], digest)
    return {"calls": len(digests)}


def _update(client: Any, fx: Dict[str, Any]) -> Result:
    digests = fx["props_digests"][:50]
    for digest in digests:
        client.update_manifest_properties(fx["props_repo"], digest, can_list=True)
    return {"calls": len(digests)}


def _upload_warm(client: Any, fx: Dict[str, Any]) -> Any:
    fx["payload"] = os.urandom(fx["blob_size"])  # made before measuring, in both clients
    return client.upload_blob(fx["run"]["repository"], io.BytesIO(os.urandom(1024)))


def _upload(client: Any, fx: Dict[str, Any]) -> Result:
    digest, size = client.upload_blob(fx["run"]["repository"], io.BytesIO(fx["payload"]))
    if digest != "sha256:" + hashlib.sha256(fx["payload"]).hexdigest() or size != fx["blob_size"]:
        raise SystemExit("upload returned a wrong digest or size")
    return {"calls": 1, "bytes": size}


def _read_blob(client: Any, repository: str, digest: str) -> int:
    return sum(len(chunk) for chunk in client.download_blob(repository, digest))


def _download(client: Any, fx: Dict[str, Any]) -> Result:
    size = _read_blob(client, fx["blobs_repo"], fx["blob_digest"])
    if size != fx["blob_size"]:
        raise SystemExit(f"downloaded {size} bytes, expected {fx['blob_size']}")
    return {"calls": 1, "bytes": size}


SCENARIOS: Dict[str, Scenario] = {
    "cold_get_tag": (lambda c, fx: None, lambda c, fx: (
        c.get_tag_properties(fx["props_repo"], fx["props_tags"][0]), {"calls": 1})[1]),
    "list_repositories": _listing("repositories", None),
    "list_tags": _listing("tags", None),
    "list_tags_n1000": _listing("tags", 1000),
    "list_manifests": _listing("manifests", None),
    "list_manifests_n1000": _listing("manifests", 1000),
    "get_tag_x100": (lambda c, fx: c.get_tag_properties(fx["props_repo"], fx["props_tags"][-1]),
                     _get_tag),
    "get_manifest_by_tag_x100": _get_manifest("tag"),
    "get_manifest_by_digest_x100": _get_manifest("digest"),
    "delete_manifest_x200": (
        lambda c, fx: c.delete_manifest(fx["run"]["repository"], fx["run"]["digests"][-1]),
        _delete),
    "update_manifest_x50": (
        lambda c, fx: c.update_manifest_properties(fx["props_repo"], fx["props_digests"][-1],
                                                   can_list=True),
        _update),
    "upload_64mib": (_upload_warm, _upload),
    "download_64mib": (
        lambda c, fx: _read_blob(c, fx["blobs_repo"], fx["small_blob_digest"]), _download),
}


def _mark(control: str) -> int:
    with urllib.request.urlopen(control + "/mark", timeout=30) as response:
        return int(json.loads(response.read())["count"])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--client", choices=("ours", "theirs"), required=True)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), required=True)
    parser.add_argument("--fixture", required=True, help="JSON file written by run.py")
    parser.add_argument("--profile", help="write cProfile stats of the measured calls here")
    args = parser.parse_args()
    with open(args.fixture, encoding="utf-8") as f:
        fx = json.load(f)

    def make() -> Any:
        return make_client(args.client, fx)

    warm, run = SCENARIOS[args.scenario]
    cold = args.scenario.startswith("cold_")
    client = None if cold else make()
    if client is not None:
        warm(client, fx)
    mark = _mark(fx["control"])
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if profiler is not None:
        profiler.enable()
    if cold:
        client = make()
    result = run(client, fx)
    if profiler is not None:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    client.close()
    if profiler is not None:
        profiler.dump_stats(args.profile)
    print(json.dumps({"client": args.client, "scenario": args.scenario, "wall_s": wall,
                      "cpu_s": cpu, "maxrss_delta_kib": rss1 - rss0, "mark": mark, **result}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
