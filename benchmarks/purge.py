"""Benchmark purging: ours (plan + execute) vs a sequential loop over Microsoft's client.

    python benchmarks/purge.py [--runs N] [--tags 2000] [--throttled-items 500] [--quick]

1. Reuses ``run.py``'s setup: Microsoft's azure-containerregistry 1.2.0 in
   ``benchmarks/.env-ms``, a self-signed certificate, and a registry in a separate process
   (``_purge_server.py``, https, 5 ms latency injected per request).
2. **Speed** (issue 9): ``--tags`` images with one tag each are seeded in a fresh repository per
   run; each client deletes every tag and manifest (``_purge_driver.py``, a fresh process per
   run, ours and theirs interleaved). Ratio of medians; target: ours at least 8x faster.
3. **Throttled** (issue 9): the registry meters 600 writes and 3,000 reads a minute (ACR-like
   token buckets, 429 with ``Retry-After``); ours purges ``--throttled-items`` tags and
   manifests (two writes each: a run of well over 90 s). Sustained accepted writes a minute
   over the execute phase, as a fraction of the budget (target >= 90%), and failed items
   (target 0). The registry's request log gives the accepted and throttled counts.
4. Writes ``benchmarks/results/purge.md`` and prints it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List

from run import Control, machine, microsoft_python, our_python, registry_server, run_driver

HERE = Path(__file__).resolve().parent
LATENCY = 0.005
COMMAND = " ".join(["python benchmarks/purge.py", *sys.argv[1:]])


def drive(python: str, client: str, fixture: Dict[str, Any], tmp: Path,
          loop: bool = False) -> Dict[str, Any]:
    """One ``_purge_driver.py`` run in a fresh process; its JSON result."""
    return run_driver(python, client, "_purge_driver.py", fixture, tmp, "--client", client,
                      *(["--loop"] if loop else []))


def one_run(control: Control, python: str, client: str, base: Dict[str, Any], repository: str,
            count: int, tmp: Path, loop: bool) -> Dict[str, Any]:
    """Seed ``repository``, purge it with ``client``, attach the registry's counts."""
    control.call("/seed", {"repository": repository, "count": count})
    control.call("/clear", {})
    result = drive(python, client, {**base, "repository": repository}, tmp, loop)
    result["wire"] = control.call("/summary", {})
    result["remaining"] = control.call("/remaining", {"repository": repository})
    result["kept_repo"] = control.call("/remaining", {"repository": base["keep_repo"]})
    return result


def speed_table(runs: List[Dict[str, Any]], tags: int) -> List[str]:
    ours = [r for r in runs if r["client"] == "ours"]
    theirs = [r for r in runs if r["client"] == "theirs"]

    def med(group: List[Dict[str, Any]], field: str) -> float:
        return float(statistics.median(r[field] for r in group))

    ratio = med(theirs, "wall_s") / med(ours, "wall_s")
    lines = [f"### Speed: purge {tags:,} tags and their manifests at 5 ms latency", "",
             "| client | how | wall s (median) | list/plan s | delete s | client CPU s | deletes "
             "| failed | HTTP requests | left in repo |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for name, group in (("ours", ours), ("theirs", theirs)):
        last = group[-1]
        left = last["remaining"]
        lines.append(
            f"| {name} | {last['mode']} | {med(group, 'wall_s'):.2f} | {med(group, 'plan_s'):.2f}"
            f" | {med(group, 'delete_s'):.2f} | {med(group, 'cpu_s'):.2f} | {last['deleted']:,} | "
            f"{sum(r['failed'] for r in group)} | {last['wire']['requests']:,} | "
            f"{left['tags']} tags, {left['manifests']} manifests |")
    lines += ["", f"**Ours is {ratio:.1f}x faster** (median wall time theirs / ours; "
              f"{len(ours)} runs each, interleaved). Target >= 8x: "
              f"{'met' if ratio >= 8 else 'NOT met'}."]
    return lines


def throttled_table(run: Dict[str, Any], items: int, writes: int, reads: int) -> List[str]:
    wire = run["wire"]
    per_minute = wire["writes_ok"] / run["delete_s"] * 60
    fraction = per_minute / writes
    stats = run.get("limiter", {})
    left = run["remaining"]
    return [
        f"### Throttled: {writes} writes / {reads} reads a minute, {items:,} tags + manifests",
        "",
        "| mode | execute s | accepted writes | writes/min | of budget | 429 answers "
        "(writes / reads) | failed | limit min / max | paused s | left in repo |",
        "|---|---:|---:|---:|---:|---|---:|---|---:|---|",
        f"| {run['mode']} | {run['delete_s']:.1f} | {wire['writes_ok']:,} | {per_minute:.0f} | "
        f"{fraction:.1%} | {wire['writes_429']} / {wire['reads_429']} | {run['failed']} | "
        f"{stats.get('min_limit', '-')} / {stats.get('max_limit', '-')} | "
        f"{stats.get('paused', 0):.1f} | {left['tags']} tags, {left['manifests']} manifests |",
        "",
        f"Sustained {fraction:.1%} of the write budget over {run['delete_s']:.0f} s "
        f"(target >= 90%: {'met' if fraction >= 0.9 else 'NOT met'}); failed items: "
        f"{run['failed']} (target 0: {'met' if run['failed'] == 0 else 'NOT met'}). "
        "Writes/min = accepted writes during execute / execute time; the bucket starts full "
        f"(one second of budget, {max(1, writes // 60)} writes), about "
        f"{max(1, writes // 60) / max(1, wire['writes_ok']):.1%} of the count.",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="speed runs per client")
    parser.add_argument("--tags", type=int, default=2000)
    parser.add_argument("--throttled-items", type=int, default=500)
    parser.add_argument("--writes-per-minute", type=int, default=600)
    parser.add_argument("--reads-per-minute", type=int, default=3000)
    parser.add_argument("--loop", action="store_true",
                        help="ours: a plain concurrent delete loop instead of purge")
    parser.add_argument("--skip-throttled", action="store_true")
    parser.add_argument("--quick", action="store_true", help="1 run, 200 tags, 60 throttled")
    parser.add_argument("--output", default=str(HERE / "results" / "purge.md"))
    args = parser.parse_args()
    if args.quick:
        args.runs, args.tags, args.throttled_items = 1, 200, 60
    ours, theirs = our_python(), microsoft_python()
    started = time.time()
    speed: List[Dict[str, Any]] = []
    throttled: Dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="acr-purge-bench-") as tmpdir:
        tmp = Path(tmpdir)
        with registry_server(ours, "_purge_server.py", tmp) as (base, control):
            control.call("/config", {"latency": LATENCY})
            for i in range(args.runs):
                for client in ("ours", "theirs"):
                    python = ours if client == "ours" else theirs
                    speed.append(one_run(control, python, client, base, f"bench/purge-{i}-"
                                         f"{client}", args.tags, tmp, args.loop))
                    print(f"[{time.time() - started:5.0f}s] speed {client} run {i}: "
                          f"{speed[-1]['wall_s']:.2f}s", file=sys.stderr, flush=True)
            if not args.skip_throttled:
                control.call("/throttle", {"writes_per_minute": args.writes_per_minute,
                                           "reads_per_minute": args.reads_per_minute})
                throttled = one_run(control, ours, "ours", base, "bench/purge-throttled",
                                    args.throttled_items, tmp, args.loop)
                print(f"[{time.time() - started:5.0f}s] throttled run: "
                      f"{throttled['delete_s']:.1f}s", file=sys.stderr, flush=True)
    lines = ["## Benchmark: purge (issue 9)", "",
             f"Measured {datetime.date.today().isoformat()} on {machine()}; took "
             f"{time.time() - started:.0f} s. Command: `{COMMAND}`.", "",
             "- ours = azure_containerregistry (this checkout), theirs = Microsoft's "
             "azure-containerregistry 1.2.0 in its own venv; https to one LocalRegistry in a "
             "separate process; every run a fresh client process after one warm-up call.",
             "- The sequential loop lists the tags, then deletes each tag and each manifest: the "
             "same deletes our purge makes. Our wall time includes planning (listing tags and "
             "manifests, reading index bodies) and the pre-delete rechecks.", "",
             *speed_table(speed, args.tags), ""]
    if throttled:
        lines += [*throttled_table(throttled, args.throttled_items, args.writes_per_minute,
                                   args.reads_per_minute), ""]
    text = "\n".join(lines)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps({"speed": speed, "throttled": throttled},
                                                   indent=1), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
