"""Start Debian's ``docker-registry`` (CNCF distribution 2.x) on a free loopback port for tests.

Fixtures that need one call :func:`serve_distribution` with their config: the port is filled in
per attempt, because a free port can be taken between probing it and the registry binding it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Callable, Optional

import pytest

BINARY = "docker-registry"


_CONFIG = """\
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: {data}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:{port}
  secret: tests
"""


def distribution_config(data: Path, htpasswd: Optional[Path] = None) -> Callable[[int], str]:
    """The config for :func:`serve_distribution`: filesystem storage in ``data``, deletes on,
    and with ``htpasswd``, HTTP Basic auth against that file."""
    auth = f"auth:\n  htpasswd:\n    realm: basic-realm\n    path: {htpasswd}\n" if htpasswd else ""
    return lambda port: _CONFIG.format(data=data, port=port) + auth


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _status(endpoint: str) -> Optional[int]:
    """The status ``GET /v2/`` answers, or None while nothing answers."""
    try:
        with urllib.request.urlopen(f"{endpoint}/v2/", timeout=2) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        error.close()
        return int(error.code)
    except (urllib.error.URLError, ConnectionError):
        return None


def _wait_ready(endpoint: str, process: subprocess.Popen[bytes], ready_status: int) -> bool:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        status = _status(endpoint)
        if status is not None:
            return status == ready_status
        time.sleep(0.1)
    return False


def serve_distribution(
    root: Path, config: Callable[[int], str], *, ready_status: int = 200
) -> Iterator[str]:
    """Yield the endpoint of a running ``docker-registry``; stop it afterwards.

    :param root: a temporary directory for its config, data and log.
    :param config: its YAML config for a given port.
    :param ready_status: what ``GET /v2/`` answers once it is up with that config (401 when
        it asks for a password).
    Fails (never skips) when the registry is not installed or does not start.
    """
    binary = shutil.which(BINARY)
    if binary is None:
        pytest.fail(f"{BINARY} is not installed: apt-get install -y docker-registry")
    for _attempt in range(3):
        port = _free_port()
        config_file = root / "config.yml"
        config_file.write_text(config(port))
        log = open(root / "registry.log", "wb")  # noqa: SIM115 - closed below
        process = subprocess.Popen([binary, "serve", str(config_file)], stdout=log, stderr=log)
        endpoint = f"http://127.0.0.1:{port}"
        try:
            if _wait_ready(endpoint, process, ready_status):
                yield endpoint
                return
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
    pytest.fail(f"{BINARY} did not start: {(root / 'registry.log').read_text()[-2000:]}")
