"""Build the azure-core pipeline every registry call goes through, with ACR authentication.

Policies, in order: RequestId, Headers, UserAgent, Proxy, ContentDecode, (per-call policies),
Redirect, Retry, :class:`~.._auth.ContainerRegistryChallengePolicy`, CustomHook, (per-retry
policies), redacting NetworkTraceLogging, DistributedTracing, SensitiveHeaderCleanup, HttpLogging.

Token calls run on a second, smaller pipeline (no challenge policy, no redirects) over the *same*
transport instance, so they share its connection pool, proxies and TLS settings, and closing the
client closes everything exactly once.
"""

from __future__ import annotations

from typing import Any, List, Optional
from urllib.parse import urlsplit

from azure.core import PipelineClient
from azure.core.credentials import TokenCredential
from azure.core.pipeline import Pipeline
from azure.core.pipeline.policies import (
    ContentDecodePolicy,
    CustomHookPolicy,
    DistributedTracingPolicy,
    HeadersPolicy,
    HttpLoggingPolicy,
    ProxyPolicy,
    RedirectPolicy,
    RequestIdPolicy,
    RetryPolicy,
    SensitiveHeaderCleanupPolicy,
    UserAgentPolicy,
)
from azure.core.pipeline.transport import HttpTransport, RequestsTransport
from azure.core.rest import HttpRequest

from .._auth._exchange import TokenClient
from .._auth._policy import ContainerRegistryChallengePolicy
from .._redaction import RedactingNetworkTraceLoggingPolicy
from .._validation import validate_endpoint
from .._version import VERSION

__all__ = ["SDK_MONIKER", "create_pipeline_client"]

SDK_MONIKER = f"azure-acr-client/{VERSION}"
_DATA_BLOCK_SIZE = 64 * 1024


class _BorrowedTransport(HttpTransport):  # type: ignore[type-arg]
    """A view of another pipeline's transport that sends through it but never closes it."""

    def __init__(self, transport: HttpTransport) -> None:  # type: ignore[type-arg]
        self._transport = transport

    def send(self, request: Any, **kwargs: Any) -> Any:
        return self._transport.send(request, **kwargs)

    def open(self) -> None:
        """The owner opens the transport (lazily, on first send)."""

    def close(self) -> None:
        """The owner closes the transport."""

    def __enter__(self) -> _BorrowedTransport:
        return self

    def __exit__(self, *args: Any) -> None:
        """The owner closes the transport."""


class _RegistryPipelineClient(PipelineClient):  # type: ignore[type-arg]
    """A ``PipelineClient`` that also accepts request URLs relative to the registry endpoint."""

    def send_request(self, request: HttpRequest, *, stream: bool = False, **kwargs: Any) -> Any:
        if not urlsplit(request.url).scheme:
            request.url = self.format_url(request.url)
        return super().send_request(request, stream=stream, **kwargs)


def _as_list(policies: Any) -> List[Any]:
    if policies is None:
        return []
    return list(policies) if isinstance(policies, (list, tuple)) else [policies]


def create_pipeline_client(
    endpoint: str,
    credential: Optional[TokenCredential],
    *,
    aad_scope: str,
    **kwargs: Any,
) -> PipelineClient:  # type: ignore[type-arg]
    """Create the pipeline client for ``endpoint``, authenticating with ``credential``.

    :param endpoint: registry URL, ``https://<name>.azurecr.io`` (``http`` only for loopback).
    :param credential: AAD token credential, or None for anonymous access.
    :keyword aad_scope: AAD scope exchanged for ACR tokens,
        e.g. ``https://containerregistry.azure.net/.default``.
    :keyword kwargs: azure-core configuration: ``transport``, ``retry_total`` and other retry
        settings, ``logging_enable``, ``headers``, ``user_agent``, ``proxies``,
        ``connection_verify``, ``per_call_policies``, ``per_retry_policies``, ...
    :raises ValueError: ``endpoint`` is not a URL, or is plain http to a non-loopback host.
    :returns: a client whose ``send_request`` accepts absolute or endpoint-relative URLs.
    """
    validate_endpoint(endpoint)
    if not aad_scope:
        raise ValueError("aad_scope must be a non-empty AAD scope such as '<audience>/.default'")
    # Blob downloads stream through this; azure-core's 4 KiB default costs ~40% on large blobs.
    kwargs.setdefault("connection_data_block_size", _DATA_BLOCK_SIZE)
    transport: HttpTransport = kwargs.pop("transport", None) or RequestsTransport(**kwargs)  # type: ignore[type-arg]
    per_call = _as_list(kwargs.pop("per_call_policies", None))
    per_retry = _as_list(kwargs.pop("per_retry_policies", None))
    kwargs.setdefault("sdk_moniker", SDK_MONIKER)

    token_pipeline = Pipeline(
        _BorrowedTransport(transport),
        policies=[
            RequestIdPolicy(**kwargs),
            kwargs.get("user_agent_policy") or UserAgentPolicy(**kwargs),
            kwargs.get("proxy_policy") or ProxyPolicy(**kwargs),
            ContentDecodePolicy(**kwargs),
            RetryPolicy(**kwargs),
            RedactingNetworkTraceLoggingPolicy(**kwargs),
            HttpLoggingPolicy(**kwargs),
        ],
    )
    token_client = TokenClient(
        PipelineClient(endpoint, pipeline=token_pipeline), credential, aad_scope
    )
    policies = [
        kwargs.get("request_id_policy") or RequestIdPolicy(**kwargs),
        kwargs.get("headers_policy") or HeadersPolicy(**kwargs),
        kwargs.get("user_agent_policy") or UserAgentPolicy(**kwargs),
        kwargs.get("proxy_policy") or ProxyPolicy(**kwargs),
        ContentDecodePolicy(**kwargs),
        *per_call,
        kwargs.get("redirect_policy") or RedirectPolicy(**kwargs),
        kwargs.get("retry_policy") or RetryPolicy(**kwargs),
        ContainerRegistryChallengePolicy(endpoint, token_client),
        kwargs.get("custom_hook_policy") or CustomHookPolicy(**kwargs),
        *per_retry,
        RedactingNetworkTraceLoggingPolicy(**kwargs),
        DistributedTracingPolicy(**kwargs),
        SensitiveHeaderCleanupPolicy(**kwargs),
        kwargs.get("http_logging_policy") or HttpLoggingPolicy(**kwargs),
    ]
    return _RegistryPipelineClient(endpoint, policies=policies, transport=transport)
