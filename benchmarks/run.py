"""Benchmark azure_containerregistry ("ours") against Microsoft's azure-containerregistry 1.2.0.

    python benchmarks/run.py [--runs N] [--quick] [--scenarios a,b] [--profile DIR]

1. Installs Microsoft's client into an isolated venv, ``benchmarks/.env-ms`` (once). Ours runs
   from this interpreter when it can import ``azure_containerregistry``, else from
   ``benchmarks/.env-ours`` (``pip install -e .``).
2. Makes a self-signed certificate (``openssl``) and starts ``_server.py`` in its own process:
   a seeded ``LocalRegistry`` over https. Microsoft's client refuses plain http (its auth policy
   enforces https), so both clients use https with ``connection_verify=<cert>``.
3. For each latency (0 and 5 ms injected per request) and scenario, runs the two clients
   interleaved (ours, theirs, ours, theirs, ...), each run in a fresh ``_driver.py`` process.
   Requests, bytes and connections come from the registry's request log; time and memory from
   the driver.
4. Writes ``benchmarks/results/latest.md`` (and raw runs to ``latest.json``) and prints it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import _report

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MS_VENV = HERE / ".env-ms"
OURS_VENV = HERE / ".env-ours"
MS_REQUIREMENT = "azure-containerregistry==1.2.0"
LATENCIES = [0.0, 0.005]
SCENARIOS = ["cold_get_tag", "list_repositories", "list_tags", "list_tags_n1000",
             "list_manifests", "list_manifests_n1000", "get_tag_x100",
             "get_manifest_by_tag_x100", "get_manifest_by_digest_x100", "delete_manifest_x200",
             "update_manifest_x50", "upload_64mib", "download_64mib"]
CONTENT = ("upload_64mib", "download_64mib")
COMMAND = " ".join(["python benchmarks/run.py", *sys.argv[1:]])


def _bin(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _works(python: str, code: str, env: Dict[str, str] | None = None) -> bool:
    return subprocess.run([python, "-c", code], capture_output=True, env=env).returncode == 0


def microsoft_python() -> str:
    """The venv interpreter with Microsoft's client, created on first use."""
    python = _bin(MS_VENV)
    probe = ("import importlib.metadata as m, azure.containerregistry;"
             "assert m.version('azure-containerregistry') == '1.2.0'")
    if not python.exists() or not _works(str(python), probe):
        print(f"installing {MS_REQUIREMENT} into {MS_VENV} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(MS_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", MS_REQUIREMENT], check=True)
    return str(python)


def our_python() -> str:
    """This interpreter if it can import our package, else a venv with ``pip install -e .``."""
    if _works(sys.executable, "import azure_containerregistry"):
        return sys.executable
    python = _bin(OURS_VENV)
    if not python.exists() or not _works(str(python), "import azure_containerregistry"):
        print(f"installing {ROOT} into {OURS_VENV} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(OURS_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-e", str(ROOT)], check=True)
    return str(python)


def make_certificate(directory: Path) -> tuple[str, str]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True)
    return str(cert), str(key)


class Control:
    """The benchmark server's control port (see ``_server.py``)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def call(self, path: str, payload: Dict[str, Any] | None = None) -> Any:
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(self.url + path, data=data,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())


@contextlib.contextmanager
def registry_server(
    python: str, script: str, tmp: Path
) -> Iterator[Tuple[Dict[str, Any], Control]]:
    """Run ``script`` (a LocalRegistry over https, in its own process) until the block ends.

    Yields the server's fixture (endpoints, credentials, ``cert``) and its control port.
    """
    cert, key = make_certificate(tmp)
    server = subprocess.Popen(
        [python, str(HERE / script), "--cert", cert, "--key", key],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert server.stdout is not None
        base = json.loads(server.stdout.readline())
        base["cert"] = cert
        yield base, Control(base["control"])
    finally:
        if server.stdin:
            server.stdin.close()
        server.wait(timeout=30)


def run_driver(python: str, client: str, script: str, fixture: Dict[str, Any], tmp: Path,
               *arguments: str) -> Dict[str, Any]:
    """Run a driver ``script`` in a fresh process with ``fixture``; its last line, as JSON.

    Ours runs from this checkout (``PYTHONPATH``); theirs from its own venv, without it.
    """
    path = tmp / "fixture.json"
    path.write_text(json.dumps(fixture), encoding="utf-8")
    command = [python, str(HERE / script), *arguments, "--fixture", str(path)]
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if client == "ours":
        env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{client} {script} {' '.join(arguments)} failed:\n"
                           f"{done.stderr[-3000:]}")
    result: Dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def drive(python: str, client: str, scenario: str, fixture: Dict[str, Any], tmp: Path,
          profile: str | None) -> Dict[str, Any]:
    profiling = ["--profile", profile] if profile else []
    return run_driver(python, client, "_driver.py", fixture, tmp, "--client", client,
                      "--scenario", scenario, *profiling)


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per client per scenario")
    parser.add_argument("--content-runs", type=int, default=3, help="runs for 64 MiB scenarios")
    parser.add_argument("--quick", action="store_true", help="one run each (a smoke test)")
    parser.add_argument("--scenarios", help="comma-separated subset of: " + ",".join(SCENARIOS))
    parser.add_argument("--latencies", default="0,5", help="injected ms per request")
    parser.add_argument("--profile", help="directory for cProfile stats of our client's runs")
    parser.add_argument("--output", default=str(HERE / "results" / "latest.md"))
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    content_runs = 1 if args.quick else min(args.content_runs, runs)
    latencies = [float(x) / 1000 for x in args.latencies.split(",")]
    scenarios = args.scenarios.split(",") if args.scenarios else list(SCENARIOS)
    ours, theirs = our_python(), microsoft_python()
    has_content = _works(ours, "from azure_containerregistry import ContainerRegistryClient as C;"
                               "assert hasattr(C, 'upload_blob') and hasattr(C, 'download_blob')",
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    skipped = [s for s in scenarios if s in CONTENT and not has_content]
    scenarios = [s for s in scenarios if s not in skipped]
    if args.profile:
        os.makedirs(args.profile, exist_ok=True)
    started = time.time()
    all_runs: List[Dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="acr-bench-") as tmpdir:
        tmp = Path(tmpdir)
        with registry_server(ours, "_server.py", tmp) as (base, control):
            for latency in latencies:
                control.call("/config", {"latency": latency})
                for scenario in scenarios:
                    count = content_runs if scenario in CONTENT else runs
                    for i in range(count):
                        for client in ("ours", "theirs"):
                            run_id = f"{int(latency * 1e3)}-{scenario}-{i}-{client}"
                            setup = control.call("/setup", {"scenario": scenario, "run": run_id})
                            control.call("/clear", {})
                            profile = None
                            if args.profile and client == "ours":
                                profile = os.path.join(args.profile, f"{run_id}.prof")
                            result = drive(ours if client == "ours" else theirs, client,
                                           scenario, {**base, "run": setup}, tmp, profile)
                            log = control.call("/requests")
                            result.update(_report.wire(log, result["mark"]), latency=latency)
                            all_runs.append(result)
                            if "repository" in setup:
                                control.call("/cleanup", {"repository": setup["repository"]})
                    print(f"[{time.time() - started:5.0f}s] {latency * 1e3:g} ms {scenario}",
                          file=sys.stderr, flush=True)
    text = render(all_runs, scenarios, latencies, runs, content_runs, skipped,
                  time.time() - started)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(all_runs, indent=1), encoding="utf-8")
    print(text)
    return 0


def render(all_runs: List[Dict[str, Any]], scenarios: List[str], latencies: List[float],
           runs: int, content_runs: int, skipped: List[str], seconds: float) -> str:
    today = datetime.date.today().isoformat()
    notes = [
        f"Measured {today} on {machine()}; took {seconds:.0f} s.",
        f"Command: `{COMMAND}` (ours = azure_containerregistry, "
        f"theirs = Microsoft's {MS_REQUIREMENT}, each in its own venv/interpreter).",
        "",
        "- Both clients talk https to the same LocalRegistry, running in a separate process; "
        "0 and 5 ms latency injected per request.",
        f"- Each cell is the median of {runs} runs per client ({content_runs} for 64 MiB), "
        "ours and theirs interleaved run by run, every run in a fresh process.",
        "- Steady state: every scenario except `cold_get_tag` measures its calls after one "
        "warm-up call of the same kind in the same client (tokens cached, connection open); "
        "`cold_get_tag` is a new client plus one get_tag_properties (the whole auth dance).",
        "- Requests, bytes and connections come from the registry's request log (bytes = HTTP "
        "bodies, headers excluded; connections = TCP connections first seen in the measured "
        "calls). Wall time = perf_counter, client CPU = process_time of the driver process.",
        "- Peak memory = growth of the driver's peak RSS (`ru_maxrss`) during the measured calls, "
        "beyond what warm-up and fixtures had touched (no tracemalloc, which would distort the "
        "timings); small values are allocator noise.",
        "- The machine is 2 shared cores (other work runs beside it): absolute times and CPU "
        "drift between runs, so read the ratios (same run, interleaved), not the absolutes.",
        "- Listings: 1000 repositories (service page 100); 5000 tags / 5000 manifests with the "
        "default page (100) and `results_per_page=1000`.",
    ]
    if skipped:
        notes.append(f"- Not run: {', '.join(skipped)} (our client has no upload_blob/"
                     "download_blob yet).")
    body = _report.tables(all_runs, scenarios, latencies)
    checks = _report.targets(all_runs, latencies)
    return "\n".join(["## Benchmark: ours vs azure-containerregistry 1.2.0", "", *notes, "",
                      body, "", "### Targets", "", *checks, ""])


if __name__ == "__main__":
    sys.exit(main())
