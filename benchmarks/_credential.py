"""Driver processes' sign-in: a ``TokenCredential`` that asks the benchmark server for AAD-like
tokens, and :func:`make_client` for either client.

The registry only accepts AAD tokens minted with its own secret, which lives in the server
process, so the driver fetches them over the server's loopback control port. Both clients get
this same credential, so AAD cost is identical for them (and tiny: one local HTTP call).
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any, Dict

from azure.core.credentials import AccessToken


class ControlServerCredential:
    """``get_token(*scopes)`` -> :class:`AccessToken` from ``POST <control>/aad-token``."""

    def __init__(self, control_url: str) -> None:
        self._url = control_url.rstrip("/") + "/aad-token"
        self.calls = 0

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        """Fetch a fresh token for the first scope (``<audience>/.default``)."""
        self.calls += 1
        body = json.dumps({"scope": scopes[0] if scopes else ""}).encode()
        request = urllib.request.Request(self._url, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            payload = json.loads(response.read())
        return AccessToken(payload["token"], int(payload["expires_on"]))

    def close(self) -> None:
        """Nothing to release."""

    def __repr__(self) -> str:
        return f"ControlServerCredential(calls={self.calls})"


AUDIENCE = "https://containerregistry.azure.net"


def make_client(which: str, fixture: Dict[str, Any]) -> Any:
    """A client of the benchmark registry: ``"ours"`` or ``"theirs"`` (Microsoft's 1.2.0),
    signed in with :class:`ControlServerCredential` over the fixture's https certificate."""
    if which == "ours":
        from azure_containerregistry import ContainerRegistryClient
    else:
        from azure.containerregistry import ContainerRegistryClient
    return ContainerRegistryClient(fixture["endpoint"], ControlServerCredential(fixture["control"]),
                                   audience=AUDIENCE, connection_verify=fixture["cert"])
