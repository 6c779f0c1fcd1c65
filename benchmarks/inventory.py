"""Benchmark the registry inventory: ours (``explore.inventory``) vs a sequential loop over
Microsoft's client, and ours under a read budget.

    python benchmarks/inventory.py [--runs N] [--repositories 100] [--manifests 100] [--quick]

1. Reuses ``run.py``'s setup (Microsoft's azure-containerregistry 1.2.0 in
   ``benchmarks/.env-ms``, a self-signed certificate) and ``_purge_server.py``'s registry
   process (https, seeding, budgets and request counts over its control port), 5 ms latency
   injected per request.
2. **Speed** (issue 11): ``--repositories`` x ``--manifests`` images (one tag each). Theirs:
   list the repositories, list each one's manifests, ``get_manifest`` each, one call at a time
   (what a hand-written walk does). Ours: ``inventory(client, layers=True)``, which also lists
   the tags. Each run is a fresh process (this file with ``--drive``), ours and theirs
   interleaved; ratio of medians, target: ours at least 6x faster.
3. **Throttled** (issue 11): the registry meters ``--reads-per-minute`` (3,000) reads; ours
   walks ``--throttled-repositories`` of the repositories with layers (a walk of well over
   90 s). Accepted reads a minute over the walk as a fraction of the budget (target >= 90%)
   and errors (target 0), from the registry's request log.
4. Writes ``benchmarks/results/inventory.md`` (and ``.json``) and prints it.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List

HERE = Path(__file__).resolve().parent
LATENCY = 0.005
PREFIX = "bench/inv-"
COMMAND = " ".join(["python benchmarks/inventory.py", *sys.argv[1:]])


# -- the measured walks (run with --drive, in a fresh process) ------------------------------
def theirs(client: Any, repositories: List[str] | None) -> Dict[str, Any]:
    started = time.perf_counter()
    names = repositories or list(client.list_repository_names())
    manifests = bodies = blob_bytes = 0
    for name in names:
        for props in client.list_manifest_properties(name):
            manifests += 1
            document = client.get_manifest(name, props.digest).manifest
            bodies += 1
            blob_bytes += sum(layer["size"] for layer in document.get("layers", []))
    return {"mode": "sequential loop", "wall_s": time.perf_counter() - started,
            "repositories": len(names), "manifests": manifests, "bodies": bodies,
            "errors": 0}


def ours(client: Any, repositories: List[str] | None, concurrency: int) -> Dict[str, Any]:
    from azure_containerregistry._throttle import AdaptiveLimiter
    from azure_containerregistry.explore import inventory

    limiter = AdaptiveLimiter(concurrency)
    started = time.perf_counter()
    found = inventory(client, repositories, layers=True, progress=False, limiter=limiter)
    wall = time.perf_counter() - started
    return {"mode": "explore.inventory(layers=True)", "wall_s": wall,
            "repositories": len(found.repositories), "manifests": len(found.manifests),
            "bodies": sum(m.blobs is not None for m in found.manifests),
            "tags": len(found.tags), "errors": len(found.errors),
            "error_samples": [str(e) for e in found.errors[:5]],
            "limiter": dataclasses.asdict(limiter.stats)}


def drive_main(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(HERE))
    from _credential import make_client

    with open(args.fixture, encoding="utf-8") as f:
        fx = json.load(f)
    client = make_client(args.drive, fx)
    client.get_repository_properties(fx["keep_repo"])  # warm-up: tokens, connection
    repositories = fx.get("repositories")
    result = (ours(client, repositories, fx["concurrency"]) if args.drive == "ours"
              else theirs(client, repositories))
    client.close()
    print(json.dumps({"client": args.drive, **result}))
    return 0


# -- the orchestrator --------------------------------------------------------------------------
def drive(python: str, client: str, fixture: Dict[str, Any], tmp: Path) -> Dict[str, Any]:
    from run import run_driver

    return run_driver(python, client, Path(__file__).name, fixture, tmp, "--drive", client)


def speed_table(runs: List[Dict[str, Any]], repositories: int, manifests: int) -> List[str]:
    def med(client: str) -> float:
        return float(statistics.median(r["wall_s"] for r in runs if r["client"] == client))

    ratio = med("theirs") / med("ours")
    lines = [f"### Speed: inventory of {repositories} repositories x {manifests} manifests "
             "with layers, 5 ms latency", "",
             "| client | how | wall s (median) | repositories | manifests | bodies read | "
             "errors | HTTP requests | limit max |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name in ("ours", "theirs"):
        group = [r for r in runs if r["client"] == name]
        last = group[-1]
        lines.append(f"| {name} | {last['mode']} | {med(name):.2f} | {last['repositories']} | "
                     f"{last['manifests']:,} | {last['bodies']:,} | "
                     f"{sum(r['errors'] for r in group)} | {last['wire']['requests']:,} | "
                     f"{last.get('limiter', {}).get('max_limit', '-')} |")
    lines += ["", f"**Ours is {ratio:.1f}x faster** (median wall time theirs / ours; "
              f"{len(runs) // 2} run(s) each, interleaved). Target >= 6x: "
              f"{'met' if ratio >= 6 else 'NOT met'}."]
    return lines


def throttled_table(run: Dict[str, Any], reads: int) -> List[str]:
    wire = run["wire"]
    per_minute = wire["reads_ok"] / run["wall_s"] * 60
    fraction = per_minute / reads
    stats = run["limiter"]
    errors = run["errors"] + wire["errors"]
    burst = max(1, reads // 60)
    return [
        f"### Throttled: {reads:,} reads a minute, {run['repositories']} repositories x "
        f"{run['manifests'] // max(1, run['repositories'])} manifests with layers", "",
        "| walk s | accepted reads | reads/min | of budget | 429 answers | errors | "
        "limit min / max | paused s |", "|---:|---:|---:|---:|---:|---:|---|---:|",
        f"| {run['wall_s']:.1f} | {wire['reads_ok']:,} | {per_minute:.0f} | {fraction:.1%} | "
        f"{wire['reads_429']} | {errors} | {stats['min_limit']} / {stats['max_limit']} | "
        f"{stats['paused']:.1f} |", "",
        f"Sustained {fraction:.1%} of the read budget over {run['wall_s']:.0f} s (target >= 90%:"
        f" {'met' if fraction >= 0.9 else 'NOT met'}); errors: {errors} (target 0: "
        f"{'met' if errors == 0 else 'NOT met'}). Reads/min = accepted reads during the walk / "
        f"walk time; the bucket starts full (one second of budget, {burst} reads), about "
        f"{burst / max(1, wire['reads_ok']):.1%} of the count.",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="speed runs per client")
    parser.add_argument("--repositories", type=int, default=100)
    parser.add_argument("--manifests", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--reads-per-minute", type=int, default=3000)
    parser.add_argument("--throttled-repositories", type=int, default=50)
    parser.add_argument("--skip-throttled", action="store_true")
    parser.add_argument("--quick", action="store_true", help="10 x 20, 5 throttled")
    parser.add_argument("--output", default=str(HERE / "results" / "inventory.md"))
    parser.add_argument("--drive", choices=("ours", "theirs"), help=argparse.SUPPRESS)
    parser.add_argument("--fixture", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        return drive_main(args)
    if args.quick:
        args.repositories, args.manifests, args.throttled_repositories = 10, 20, 5
    from run import machine, microsoft_python, our_python, registry_server

    ours_python, theirs_python = our_python(), microsoft_python()
    started = time.time()
    speed: List[Dict[str, Any]] = []
    throttled: Dict[str, Any] = {}
    names = [f"{PREFIX}{i:03d}" for i in range(args.repositories)]
    with tempfile.TemporaryDirectory(prefix="acr-inventory-bench-") as tmpdir:
        tmp = Path(tmpdir)
        with registry_server(ours_python, "_purge_server.py", tmp) as (base, control):
            base["concurrency"] = args.concurrency
            for name in names:
                control.call("/seed", {"repository": name, "count": args.manifests})
            control.call("/config", {"latency": LATENCY})
            for i in range(args.runs):
                for client in ("ours", "theirs"):
                    control.call("/clear", {})
                    python = ours_python if client == "ours" else theirs_python
                    result = drive(python, client, base, tmp)
                    result["wire"] = control.call("/summary", {})
                    speed.append(result)
                    print(f"[{time.time() - started:5.0f}s] speed {client} run {i}: "
                          f"{result['wall_s']:.2f}s", file=sys.stderr, flush=True)
            if not args.skip_throttled:
                control.call("/throttle", {"reads_per_minute": args.reads_per_minute,
                                           "writes_per_minute": None})
                control.call("/clear", {})
                throttled = drive(ours_python, "ours", {
                    **base, "repositories": names[:args.throttled_repositories]}, tmp)
                throttled["wire"] = control.call("/summary", {})
                print(f"[{time.time() - started:5.0f}s] throttled run: "
                      f"{throttled['wall_s']:.1f}s", file=sys.stderr, flush=True)
    lines = ["## Benchmark: registry inventory (issue 11)", "",
             f"Measured {datetime.date.today().isoformat()} on {machine()}; took "
             f"{time.time() - started:.0f} s. Command: `{COMMAND}`.", "",
             "- ours = azure_containerregistry (this checkout), theirs = Microsoft's "
             "azure-containerregistry 1.2.0 in its own venv; https to one LocalRegistry in a "
             "separate process; every run a fresh client process after one warm-up call.",
             f"- Ours starts at {args.concurrency} reads in flight (AdaptiveLimiter, shared with "
             "the purge executor) and also lists every repository's tags; both read every "
             "manifest body. HTTP requests and errors come from the registry's request log "
             "(token requests not counted).", "",
             *speed_table(speed, args.repositories, args.manifests), ""]
    if throttled:
        lines += [*throttled_table(throttled, args.reads_per_minute), ""]
    text = "\n".join(lines)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps({"speed": speed, "throttled": throttled},
                                                   indent=1), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.exit(main())
