"""Admin HTTP API of the local registry, for tests that drive it from another process.

Routes (loopback clients only, never logged): ``GET /_local/requests``, ``POST /_local/clear``,
``POST /_local/config {"latency": s}``, ``POST /_local/seed {"op": "add_image", ...kwargs}``.
"""

from __future__ import annotations

import ipaddress
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ._http import Request, Response
from ._protocol import RegistryError

if TYPE_CHECKING:
    from ._registry import LocalRegistry

SEED_OPS = ("add_image", "add_index", "add_repository", "set_attributes", "expire_tokens",
            "fail_next", "drop_next")


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _json_body(request: Request) -> dict[str, Any]:
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        raise RegistryError(400, "BAD_REQUEST", "the request body is not valid JSON",
                            None) from None
    if not isinstance(payload, dict):
        raise RegistryError(400, "BAD_REQUEST", "the request body must be a JSON object", None)
    return payload


def handle(registry: LocalRegistry, request: Request) -> Response:
    """Serve one admin request."""
    if not _is_loopback(request.client_host):
        raise RegistryError(403, "DENIED", "the admin API is for loopback clients only", None)
    route = (request.method, request.path)
    if route == ("GET", "/_local/requests"):
        return Response.json(200, [r.to_json() for r in registry.requests])
    if route == ("POST", "/_local/clear"):
        registry.clear_requests()
        return Response.json(200, {})
    if route == ("POST", "/_local/config"):
        payload = _json_body(request)
        if "latency" in payload:
            registry.latency = float(payload["latency"])
        return Response.json(200, {"latency": registry.latency})
    if route == ("POST", "/_local/seed"):
        return _seed(registry, _json_body(request))
    raise RegistryError(404, "NOT_FOUND", "unknown admin route", None)


def _seed(registry: LocalRegistry, payload: dict[str, Any]) -> Response:
    op = payload.pop("op", None)
    if op not in SEED_OPS:
        raise RegistryError(400, "BAD_REQUEST", f"op must be one of {', '.join(SEED_OPS)}", None)
    if isinstance(payload.get("created_on"), str):
        payload["created_on"] = datetime.fromisoformat(payload["created_on"].replace("Z",
                                                                                     "+00:00"))
    if "platforms" in payload:
        payload["platforms"] = [tuple(p) for p in payload["platforms"]]
    try:
        result = getattr(registry, op)(**payload)
    except (TypeError, ValueError, KeyError) as exc:
        raise RegistryError(400, "BAD_REQUEST", str(exc), None) from None
    return Response.json(200, {"result": result})
