"""The purge benchmark's registry process: ``_server.py``'s control API plus purge fixtures.

Run by ``benchmarks/purge.py`` as ``python benchmarks/_purge_server.py --cert C --key K``; prints
one JSON line (endpoint, control URL) and serves until stdin closes. Besides ``_server.py``'s
``/aad-token``, ``/clear``, ``/config`` and ``/requests``, its control port answers:

- ``POST /seed {"repository": r, "count": n}`` -> ``{"tags": n}``: n images, one tag each;
- ``POST /throttle {"reads_per_minute": r, "writes_per_minute": w}``: fresh budgets (nulls
  for none);
- ``POST /remaining {"repository": r}`` -> ``{"tags": n, "manifests": m}``;
- ``POST /summary`` -> request counts from the log (accepted and throttled reads and writes).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from http.server import ThreadingHTTPServer
from typing import Any, Dict

from _server import _Control

from azure_containerregistry.testing import LocalRegistry, Throttle

KEEP_REPO = "bench/keep"  # never matched: a purge rule set must not match the whole registry
WRITES = ("PUT", "PATCH", "POST", "DELETE")


def summary(registry: LocalRegistry) -> Dict[str, int]:
    """Counts of the metered requests (``/acr/v1`` and ``/v2``) in the log."""
    counts = {"requests": 0, "writes_ok": 0, "writes_429": 0, "reads_ok": 0, "reads_429": 0,
              "errors": 0}
    for record in registry.requests:
        if not record.path.startswith(("/acr/v1/", "/v2/")):
            continue
        counts["requests"] += 1
        kind = "writes" if record.method in WRITES else "reads"
        if record.status == 429:
            counts[f"{kind}_429"] += 1
        elif record.status < 400:
            counts[f"{kind}_ok"] += 1
        elif record.status != 401:  # 401s are the token challenges
            counts["errors"] += 1
    return counts


class _PurgeControl(_Control):
    def do_POST(self) -> None:
        if self.path not in ("/seed", "/throttle", "/remaining", "/summary"):
            super().do_POST()
            return
        registry = self.registry
        length = int(self.headers.get("Content-Length") or 0)
        body: Dict[str, Any] = json.loads(self.rfile.read(length) or b"{}")
        if self.path == "/seed":
            count = int(body["count"])
            for i in range(count):
                registry.add_image(body["repository"], tags=[f"v{i:05d}"], size=1000 + i)
            self._reply({"tags": count})
        elif self.path == "/throttle":
            reads, writes = body.get("reads_per_minute"), body.get("writes_per_minute")
            registry.throttle = (Throttle(reads_per_minute=reads, writes_per_minute=writes)
                                 if reads or writes else None)
            self._reply({"throttle": repr(registry.throttle)})
        elif self.path == "/remaining":
            with registry.store.lock:
                repo = registry.store.repositories.get(body["repository"])
                tags = len(repo.tags) if repo else 0
                manifests = len(repo.manifests) if repo else 0
            self._reply({"tags": tags, "manifests": manifests})
        else:
            self._reply(summary(registry))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    args = parser.parse_args()
    with LocalRegistry(certfile=args.cert, keyfile=args.key) as registry:
        registry.add_image(KEEP_REPO, tags=["latest"])
        _PurgeControl.registry = registry
        control = ThreadingHTTPServer(("127.0.0.1", 0), _PurgeControl)
        control.daemon_threads = True
        threading.Thread(target=control.serve_forever, daemon=True).start()
        print(json.dumps({"endpoint": registry.endpoint, "keep_repo": KEEP_REPO,
                          "control": f"http://127.0.0.1:{control.server_address[1]}"}),
              flush=True)
        sys.stdin.read()  # the orchestrator closes our stdin to stop us
        control.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
