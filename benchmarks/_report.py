"""Turn per-run measurements into medians, ratios, a markdown table and a target checklist."""

from __future__ import annotations

import statistics
from typing import Any, Dict, List, Optional, Tuple

Run = Dict[str, Any]
SINGLE = ("get_tag_x100", "get_manifest_by_digest_x100", "delete_manifest_x200",
          "update_manifest_x50")
BY_TAG = ("get_manifest_by_tag_x100",)
LISTINGS = ("list_repositories", "list_tags", "list_tags_n1000", "list_manifests",
            "list_manifests_n1000")
WIRE_FIELDS = ("requests", "sent", "received", "connections")


def wire(log: List[Dict[str, Any]], mark: int) -> Dict[str, int]:
    """Requests, body bytes each way and new connections after the driver's ``mark``."""
    before = {r["connection"] for r in log[:mark]}
    after = log[mark:]
    return {
        "requests": len(after),
        "auth_requests": sum(1 for r in after if r["path"].startswith("/oauth2/")),
        "challenges": sum(1 for r in after if r["status"] == 401),
        "sent": sum(r["body_bytes"] for r in after),
        "received": sum(r["response_bytes"] for r in after),
        "connections": len({r["connection"] for r in after} - before),
    }


def median(runs: List[Run], field: str) -> float:
    return float(statistics.median(r[field] for r in runs))


def _ratio(ours: float, theirs: float) -> str:
    if theirs == 0:
        return "-" if ours == 0 else "inf"
    return f"{ours / theirs:.2f}x"


def _pair(ours: float, theirs: float, fmt: str = "{:,.0f}") -> str:
    return f"{fmt.format(ours)} / {fmt.format(theirs)} ({_ratio(ours, theirs)})"


Key = Tuple[str, float]  # (scenario, latency)


def group(runs: List[Run]) -> Dict[Key, Dict[str, List[Run]]]:
    """Runs grouped by (scenario, latency) then by client."""
    out: Dict[Key, Dict[str, List[Run]]] = {}
    for run in runs:
        key = (run["scenario"], run["latency"])
        out.setdefault(key, {"ours": [], "theirs": []})[run["client"]].append(run)
    return out


def tables(runs: List[Run], scenarios: List[str], latencies: List[float]) -> str:
    grouped = group(runs)
    lines = ["### Wire (from the registry's request log; medians; the same at every latency)", "",
             "| scenario | calls | HTTP requests ours / theirs | requests per call | "
             "bytes sent | bytes received | connections opened |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for scenario in scenarios:
        both: Dict[str, List[Run]] = {"ours": [], "theirs": []}
        for latency in latencies:
            for client, rs in grouped.get((scenario, latency), {}).items():
                both[client].extend(rs)
        if not both["ours"] or not both["theirs"]:
            continue
        o, t = both["ours"], both["theirs"]
        calls = median(o, "calls")
        per_call = (f"{median(o, 'requests') / calls:.2f} / "
                    f"{median(t, 'requests') / calls:.2f}")
        cells = [_pair(median(o, f), median(t, f)) for f in WIRE_FIELDS]
        lines.append(f"| {scenario} | {calls:.0f} | {cells[0]} | {per_call} | "
                     f"{cells[1]} | {cells[2]} | {cells[3]} |")
    lines += ["", "### Time and memory (medians)", "",
              "| scenario | latency | wall ms ours / theirs | client CPU ms ours / theirs | "
              "CPU µs per listed item | peak RSS growth KiB ours / theirs |",
              "|---|---:|---:|---:|---:|---:|"]
    for scenario in scenarios:
        for latency in latencies:
            g = grouped.get((scenario, latency))
            if not g or not g["ours"] or not g["theirs"]:
                continue
            o, t = g["ours"], g["theirs"]
            wall = _pair(median(o, "wall_s") * 1e3, median(t, "wall_s") * 1e3, "{:,.1f}")
            cpu = _pair(median(o, "cpu_s") * 1e3, median(t, "cpu_s") * 1e3, "{:,.1f}")
            items = median(o, "items") if "items" in o[0] else 0
            per_item = "-"
            if items:
                per_item = _pair(median(o, "cpu_s") * 1e6 / items,
                                 median(t, "cpu_s") * 1e6 / items, "{:.1f}")
            rss = _pair(median(o, "maxrss_delta_kib"), median(t, "maxrss_delta_kib"))
            lines.append(f"| {scenario} | {latency * 1e3:g} ms | {wall} | {cpu} | {per_item} "
                         f"| {rss} |")
    return "\n".join(lines)


def _check(ok: bool) -> str:
    return "met" if ok else "**missed**"


def targets(runs: List[Run], latencies: List[float]) -> List[str]:
    """One line per target: met or missed, with the numbers."""
    grouped = group(runs)
    slow = max(latencies)
    out: List[str] = []

    def get(scenario: str, latency: float) -> Optional[Dict[str, List[Run]]]:
        g = grouped.get((scenario, latency))
        return g if g and g["ours"] and g["theirs"] else None

    def per_call(g: Dict[str, List[Run]], client: str) -> float:
        return median(g[client], "requests") / median(g[client], "calls")

    for scenario in SINGLE:
        g = get(scenario, latencies[0])
        if g:
            o, t = per_call(g, "ours"), per_call(g, "theirs")
            out.append(f"- 1 request per steady-state call, {scenario}: {o:.2f} "
                       f"(theirs {t:.2f}): {_check(o <= 1.0)}")
    for scenario in BY_TAG:
        g = get(scenario, latencies[0])
        if g:
            o, t = per_call(g, "ours"), per_call(g, "theirs")
            out.append(f"- at most 2 requests per by-tag call, {scenario}: {o:.2f} "
                       f"(theirs {t:.2f}): {_check(o <= 2.0)}")
    for scenario in LISTINGS:
        g = get(scenario, latencies[0])
        if g:
            o = median(g["ours"], "requests") / median(g["ours"], "pages")
            t = median(g["theirs"], "requests") / median(g["theirs"], "pages")
            out.append(f"- 1 request per listing page, {scenario}: {o:.2f} (theirs {t:.2f}): "
                       f"{_check(o <= 1.0)}")
    g = get("upload_64mib", latencies[0])
    if g:
        o = median(g["ours"], "sent") / median(g["ours"], "bytes")
        t = median(g["theirs"], "sent") / median(g["theirs"], "bytes")
        out.append(f"- upload bytes on the wire / payload: {o:.3f}x (theirs {t:.3f}x): "
                   f"{_check(o <= 1.01)}")
    for scenario in SINGLE + BY_TAG + LISTINGS:
        g = get(scenario, slow)
        if g:
            r = median(g["ours"], "wall_s") / median(g["theirs"], "wall_s")
            out.append(f"- wall time at {slow * 1e3:g} ms <= 0.35x, {scenario}: {r:.2f}x: "
                       f"{_check(r <= 0.35)}")
    for scenario in LISTINGS:
        for latency in latencies:
            g = get(scenario, latency)
            if g:
                r = median(g["ours"], "cpu_s") / median(g["theirs"], "cpu_s")
                out.append(f"- client CPU per listed item <= 0.7x, {scenario} at "
                           f"{latency * 1e3:g} ms: {r:.2f}x: {_check(r <= 0.7)}")
    return out
