"""The benchmark's registry process: a seeded ``LocalRegistry`` plus a small control server.

Run by ``benchmarks/run.py`` as ``python benchmarks/_server.py --cert C --key K``. It prints one
JSON line (registry endpoint, control URL, fixture names and digests) and serves until stdin
closes. The registry runs here, not in the client's process, so it never competes with the
client under test for a GIL.

The control server (plain http on loopback, a separate port, never in the registry's request
log) exists because AAD-like tokens can only be minted next to the registry's secret:

- ``POST /aad-token {"scope": s}`` -> ``{"token", "expires_on"}`` (used by ``_credential.py``)
- ``GET /mark`` -> ``{"count": n}``: length of the request log (drivers call it after warm-up)
- ``GET /requests``, ``POST /clear``, ``POST /config {"latency": s}``: the request log and
  latency, as the registry's own admin API has them
- ``POST /setup {"scenario": name, "run": id}`` -> fixture for one run (fresh manifests to
  delete, a fresh repository to upload to); ``POST /cleanup {"repository": r}`` frees it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from azure_containerregistry.testing import LocalRegistry

PROPS_REPO = "bench/props"
TAGS_REPO = "bench/tags"
BLOBS_REPO = "bench/blobs"
LISTED_ITEMS = 5000
REPOSITORIES = 1000
SINGLE_CALLS = 100
DELETE_CALLS = 200
MIB = 1024 * 1024


def _put_blob(registry: LocalRegistry, repository: str, data: bytes) -> str:
    """Store ``data`` as a blob of ``repository`` (there is no public seeding call for blobs)."""
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    store = registry.store
    with store.lock:
        repo = store.ensure(repository)
        store.blobs[digest] = data
        repo.blobs.add(digest)
    return digest


def seed(registry: LocalRegistry, blob_mib: int) -> dict[str, Any]:
    """Seed every fixture the scenarios read; return what the drivers need to know."""
    props = [registry.add_image(PROPS_REPO, tags=[f"t{i:03d}"]) for i in range(SINGLE_CALLS + 1)]
    for i in range(LISTED_ITEMS):
        registry.add_image(TAGS_REPO, tags=[f"v{i:05d}"])
    # Two visible repositories above; fillers make the listing exactly REPOSITORIES names
    # (upload and delete repositories hold no manifests when listed, so they are invisible).
    for i in range(REPOSITORIES - 2):
        registry.add_repository(f"bench/filler-{i:04d}")
    return {
        "props_repo": PROPS_REPO,
        "props_tags": [f"t{i:03d}" for i in range(SINGLE_CALLS + 1)],
        "props_digests": props,
        "tags_repo": TAGS_REPO,
        "listed_items": LISTED_ITEMS,
        "repositories": REPOSITORIES,
        "blobs_repo": BLOBS_REPO,
        "blob_size": blob_mib * MIB,
        "blob_digest": _put_blob(registry, BLOBS_REPO, os.urandom(blob_mib * MIB)),
        "small_blob_digest": _put_blob(registry, BLOBS_REPO, os.urandom(1024)),
    }


def setup(registry: LocalRegistry, scenario: str, run: str) -> dict[str, Any]:
    """Per-run state for scenarios that consume it."""
    if scenario.startswith("delete_manifest"):
        repository = f"bench/delete-{run}"
        digests = [registry.add_image(repository) for _ in range(DELETE_CALLS + 1)]
        return {"repository": repository, "digests": digests}
    if scenario.startswith("upload"):
        return {"repository": f"bench/upload-{run}"}
    return {}


def cleanup(registry: LocalRegistry, repository: str) -> None:
    """Forget a run's repository and the blobs only it held (64 MiB uploads add up)."""
    store = registry.store
    with store.lock:
        repo = store.repositories.pop(repository, None)
        if repo is None:
            return
        held = set()
        for other in store.repositories.values():
            held |= other.blobs
        for digest in repo.blobs - held:
            store.blobs.pop(digest, None)


class _Control(BaseHTTPRequestHandler):
    registry: LocalRegistry

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _reply(self, payload: Any) -> None:
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        registry = self.registry
        if self.path == "/mark":
            self._reply({"count": len(registry.requests)})
        elif self.path == "/requests":
            self._reply([r.to_json() for r in registry.requests])
        else:
            self.send_error(404)

    def do_POST(self) -> None:
        registry = self.registry
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path == "/aad-token":
            token = registry.credential().get_token(body["scope"])
            self._reply({"token": token.token, "expires_on": token.expires_on})
        elif self.path == "/clear":
            registry.clear_requests()
            self._reply({})
        elif self.path == "/config":
            registry.latency = float(body["latency"])
            self._reply({"latency": registry.latency})
        elif self.path == "/setup":
            self._reply(setup(registry, body["scenario"], str(body["run"])))
        elif self.path == "/cleanup":
            cleanup(registry, body["repository"])
            self._reply({})
        else:
            self.send_error(404)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--blob-mib", type=int, default=64)
    args = parser.parse_args()
    with LocalRegistry(certfile=args.cert, keyfile=args.key) as registry:
        fixture = seed(registry, args.blob_mib)
        _Control.registry = registry
        control = ThreadingHTTPServer(("127.0.0.1", 0), _Control)
        control.daemon_threads = True
        threading.Thread(target=control.serve_forever, daemon=True).start()
        fixture.update(endpoint=registry.endpoint,
                       control=f"http://127.0.0.1:{control.server_address[1]}")
        print(json.dumps(fixture), flush=True)
        sys.stdin.read()  # the orchestrator closes our stdin to stop us
        control.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
