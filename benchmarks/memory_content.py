"""Peak memory of streaming a 256 MiB blob up and down through ``_content``, per chunk size.

Not a test: run ``python benchmarks/memory_content.py [--size-mib 256] [--chunks 1,4,16]``.

The LocalRegistry runs in its own process (it keeps blobs in memory, which must not count),
and each measurement runs in a fresh child process so one run's heap cannot hide another's.
A child reports two numbers: the growth of its peak RSS (``getrusage`` maxrss) during the
operation, and the peak of Python allocations seen by ``tracemalloc``. Streaming code should
need a small multiple of the chunk size, whatever the blob size.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from typing import Any

MIB = 1024 * 1024
AAD_SCOPE = "https://containerregistry.azure.net/.default"
REPOSITORY = "bench/memory"

# Started with `python -c`: a LocalRegistry that prints its endpoint and a long-lived AAD token
# (the token can only be made in the registry's own process), then serves until stdin closes.
_SERVER = """
import sys
from azure_containerregistry.testing import LocalRegistry
from azure_containerregistry.testing._tokens import LocalCredential
with LocalRegistry() as registry:
    token = LocalCredential(registry.issuer, lifetime=86400.0).get_token(sys.argv[1]).token
    print(registry.endpoint, token, flush=True)
    sys.stdin.read()
"""


class PatternStream(io.RawIOBase):
    """``size`` bytes of a repeating pattern, produced on demand: a file without the disk."""

    def __init__(self, size: int, chunk: int) -> None:
        self._left = size
        self._offset = 0
        pattern = bytes(range(251))  # prime period: consecutive chunks differ
        self._pattern = memoryview(pattern * ((chunk + 2 * len(pattern)) // len(pattern)))

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), self._left, len(self._pattern) - 251)
        buffer[:size] = self._pattern[self._offset : self._offset + size]
        self._offset = (self._offset + size) % 251
        self._left -= size
        return size


class StaticCredential:
    """A TokenCredential returning the token the registry process made."""

    def __init__(self, token: str) -> None:
        self._token = token

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        from azure.core.credentials import AccessToken

        return AccessToken(self._token, int(time.time()) + 3600)


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(mode: str, endpoint: str, token: str, size: int, chunk: int, digest: str) -> None:
    """Child process: run one upload or download and print its memory figures as JSON."""
    from azure_containerregistry._content import download_blob, upload_blob
    from azure_containerregistry._pipeline import create_rest_client

    blobs = create_rest_client(endpoint, StaticCredential(token), aad_scope=AAD_SCOPE).blobs
    upload_blob(blobs, REPOSITORY, b"warm-up: imports, connection and token")
    source = io.BufferedReader(PatternStream(size, chunk))  # as open(path, "rb") gives
    before = _maxrss_mib()
    tracemalloc.start()
    started = time.perf_counter()
    if mode == "upload":
        digest, sent = upload_blob(blobs, REPOSITORY, source, chunk_size=chunk)
        assert sent == size
    else:
        received = 0
        with download_blob(blobs, REPOSITORY, digest, chunk_size=chunk) as stream:
            for piece in stream:
                received += len(piece)
        assert received == size
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result = {"rss_growth_mib": _maxrss_mib() - before, "traced_peak_mib": peak / MIB,
              "seconds": elapsed, "digest": digest}  # fmt: skip
    print(json.dumps(result))


def _child(*args: str) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True
    ).stdout
    answer: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mib", type=int, default=256)
    parser.add_argument("--chunks", default="1,4,16", help="chunk sizes in MiB, comma-separated")
    parser.add_argument("--child", nargs=6, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, endpoint, token, size, chunk, digest = args.child
        measure(mode, endpoint, token, int(size), int(chunk), digest)
        return

    size = args.size_mib * MIB
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVER, AAD_SCOPE],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        endpoint, token = server.stdout.readline().split()
        print(f"{args.size_mib} MiB blob, LocalRegistry in process {server.pid} at {endpoint}")
        print(f"{'op':<9}{'chunk':>8}{'peak RSS growth':>18}{'tracemalloc peak':>19}{'time':>9}")
        digest = "-"
        for chunk_mib in (int(c) for c in args.chunks.split(",")):
            for mode in ("upload", "download"):
                result = _child(mode, endpoint, token, str(size), str(chunk_mib * MIB), digest)
                digest = result["digest"]
                print(
                    f"{mode:<9}{chunk_mib:>5} MiB{result['rss_growth_mib']:>14.1f} MiB"
                    f"{result['traced_peak_mib']:>15.1f} MiB{result['seconds']:>8.1f}s"
                )
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
